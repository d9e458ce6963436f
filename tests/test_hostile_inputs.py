"""Every user-supplied file besides the profile, made hostile: a clear sentence, the documented exit
code, bounded memory, never "internal error". The files are built by tests/hostile.py at test time."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import hostile
from generator.errors import InputError
from generator.knowledge.loader import load_knowledge

E = "briefgen: error: "
REF = "cannot use it as the reference document"
PEAK_LIMIT = 500 << 20

# case -> (exit code, stderr with {base} for the folder the files are built in)
EXPECTED = {
    "reference-docx zip-bomb": (2, f"{E}{{base}}/zip-bomb.docx: word/styles.xml: {REF}: the part inflates to 1536 MiB, "
                                   "more than the 8 MiB allowed"),
    "reference-docx lying-header": (2, f"{E}{{base}}/lying-header.docx: word/styles.xml: {REF}: the part cannot be "
                                       "read (Bad CRC-32 for file 'word/styles.xml')"),
    "reference-docx xxe": (2, f"{E}{{base}}/xxe.docx: word/styles.xml: {REF}: the part declares a DTD or entities, "
                              "which Word documents never contain"),
    "reference-docx billion-laughs": (2, f"{E}{{base}}/billion-laughs.docx: word/styles.xml: {REF}: the part declares "
                                         "a DTD or entities, which Word documents never contain"),
    "reference-docx huge-styles": (2, f"{E}{{base}}/huge-styles.docx: word/styles.xml: {REF}: the part inflates to "
                                      "9 MiB, more than the 8 MiB allowed"),
    "reference-docx deep-xml": (2, f"{E}{{base}}/deep-xml.docx: word/styles.xml: {REF}: the part is not well-formed "
                                   "XML at line 1"),
    "reference-docx malformed-xml": (2, f"{E}{{base}}/malformed-xml.docx: word/styles.xml: {REF}: the part is not "
                                        "well-formed XML at line 3"),
    "reference-docx macro-enabled": (2, f"{E}{{base}}/macro-enabled.docx: word/document.xml: {REF}: it is a "
                                        "macro-enabled document; save it from Word as a Word Document (.docx)"),
    "reference-docx vba-in-docx": (0, "warning: {base}/vba-in-docx.docx: word/_rels/document.xml.rels: removed the "
                                      "VBA macros (vbaProject.bin); a .docx cannot run them"),
    "reference-docx attached-template": (0, "warning: {base}/attached-template.docx: word/_rels/settings.xml.rels: "
                                            "removed the attached template http://attacker.example/template.dotm; "
                                            "Word would fetch it when the brief is opened"),
    "reference-docx external-image": (2, f"{E}{{base}}/external-image.docx: word/_rels/document.xml.rels: {REF}: the "
                                         "document links to an external image (http://attacker.example/pixel.png) "
                                         "that Word would fetch on opening; embed or remove it"),
    "reference-docx no-styles": (2, f"{E}{{base}}/no-styles.docx: word/styles.xml: {REF}: it has no styles part; save "
                                    "it from Word as a Word Document (.docx)"),
    "reference-docx truncated": (2, f"{E}{{base}}/truncated.docx: {REF}: it is not a Word document (.docx)"),
    "reference-docx not-a-zip": (2, f"{E}{{base}}/not-a-zip.docx: {REF}: it is not a Word document (.docx)"),
    "logo logo-bomb": (1, f"{E}{{base}}/logo-bomb/logo.png: brief.logo: 40000 x 40000 pixels is more than the "
                          "25 megapixel limit"),
    "logo logo-truncated": (1, f"{E}{{base}}/logo-truncated/logo.png: brief.logo: the logo is truncated or damaged: "
                               "its pixels cannot be decoded"),
    "logo logo-jpeg-named-png": (0, ""),
    "logo logo-gif-named-png": (1, f"{E}{{base}}/logo-gif-named-png/profile.yaml:54:9: brief.logo: is not a PNG or "
                                   "JPEG image (its content does not match)"),
    "logo logo-animated": (0, ""),
    "logo logo-cmyk": (0, ""),
    "logo logo-16-bit": (0, ""),
    # 10 anchors and 18 aliases, each reported; the first line stands for them
    "knowledge kb-alias-bomb": (1, f"{E}{{base}}/kb-alias-bomb/bomb.yaml:1:4: a: anchors (&a) are not allowed; "
                                   "write the value out in full"),
    "knowledge kb-deep-nesting": (1, f"{E}{{base}}/kb-deep-nesting/deep.yaml:2:1007: is nested more than 12 levels "
                                     "deep"),
    "knowledge kb-huge-file": (1, f"{E}{{base}}/kb-huge-file/huge.yaml: is larger than 2048 KiB; a hand-written file "
                                  "this big is not supported"),
    "knowledge kb-binary-garbage": (1, f"{E}{{base}}/kb-binary-garbage/garbage.yaml:1:1: contains NUL bytes (UTF-16, "
                                       "UTF-32 or a binary file?); save it as UTF-8 text"),
    "knowledge kb-utf16": (1, f"{E}{{base}}/kb-utf16/utf16.yaml: is encoded as UTF-16; save it as UTF-8"),
    "knowledge kb-latin1": (1, f"{E}{{base}}/kb-latin1/latin1.yaml:1:8: is not valid UTF-8 (byte 0xE9); save it as "
                               "UTF-8 (Latin-1 and Windows-1252 are not accepted)"),
    "knowledge kb-folder-as-file": (1, f"{E}{{base}}/kb-folder-as-file/frameworks/mlflow.yaml: is a folder, not a "
                                       "file"),
    "knowledge kb-frameworks-is-a-file": (1, f"{E}{{base}}/kb-frameworks-is-a-file/frameworks: must be a folder of "
                                             "framework files"),
    "knowledge kb-symlink-out": (1, f"{E}{{base}}/kb-symlink-out/secret.yaml: is a symbolic link that leads out of "
                                    "the knowledge folder; copy the file into it"),
    "knowledge kb-python-tag": (1, f"{E}{{base}}/kb-python-tag/tag.yaml:1:5: id: tag "
                                   "!!python/object/apply:os.system is not allowed (allowed: !!str, !!int, !!float, "
                                   "!!bool, !!null, !!map, !!seq)"),
    "knowledge kb-not-a-mapping": (1, f"{E}{{base}}/kb-not-a-mapping/list.yaml:1:1: the top level must be a mapping "
                                      "of keys to values, not a list"),
    "knowledge kb-no-knowledge-files": (1, f"{E}{{base}}/kb-no-knowledge-files: holds no knowledge files (sources.yaml, "
                                           "criteria.yaml, rules.yaml, goals.yaml, tools.yaml, or framework files as "
                                           "frameworks/*.yaml or *.yaml); give the folder that holds them"),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every case run once through the real command, under an address-space cap."""
    base = tmp_path_factory.mktemp("hostile")
    return base, {case: hostile.run_case(args, base) for case, args in hostile.all_cases(base).items()}


def test_every_hostile_case_is_pinned():
    names = ([f"reference-docx {n}" for n in hostile.REFERENCE_CASES] + [f"logo {n}" for n in hostile.LOGO_CASES]
             + [f"knowledge {n}" for n in hostile.KNOWLEDGE_CASES])
    assert sorted(EXPECTED) == sorted(names)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_hostile_file_gets_its_message_and_exit_code(outcomes, case):
    base, results = outcomes
    code, err, _ = results[case]
    expected_code, expected_first = EXPECTED[case]
    lines = err.splitlines()
    assert code == expected_code, err
    assert (lines[0] if lines else "") == expected_first.format(base=base)
    assert all(line.startswith((E, "warning: ")) for line in lines), err
    if case == "knowledge kb-alias-bomb":
        assert len(lines) == 28


@pytest.mark.slow
def test_no_hostile_file_ends_in_an_internal_error_or_a_traceback(outcomes):
    _, results = outcomes
    for case, (_, err, _) in results.items():
        assert "internal error" not in err and "Traceback" not in err, (case, err)


@pytest.mark.slow
def test_every_hostile_file_is_handled_in_bounded_memory(outcomes):
    """Peak resident memory of the worst case (the 1.5 GB zip bomb included) stays under 500 MB."""
    _, results = outcomes
    worst = max(results.items(), key=lambda kv: kv[1][2])
    assert worst[1][2] < PEAK_LIMIT, worst


@pytest.mark.slow
def test_stripped_reference_parts_do_not_reach_the_brief(outcomes):
    """The VBA project and the attached template's address are gone from the DOCX written with them."""
    base, _ = outcomes
    brief = base / "out" / "churn-mvp.docx"
    with zipfile.ZipFile(brief) as z:
        names = z.namelist()
        everything = b"".join(z.read(n) for n in names)
    assert not any("vba" in n.lower() for n in names)
    assert b"attacker.example" not in everything and b"attachedTemplate" not in everything


def test_every_knowledge_problem_is_reported_at_once(tmp_path):
    """Several hostile files in one --knowledge folder: one InputError listing each of them."""
    folder = tmp_path / "kb"
    for name in ("kb-utf16", "kb-binary-garbage", "kb-not-a-mapping", "kb-symlink-out"):
        hostile.KNOWLEDGE_CASES[name](folder)
    with pytest.raises(InputError) as err:
        load_knowledge((str(folder),))
    files = sorted({Path(p.file).name for p in err.value.problems})
    assert files == ["garbage.yaml", "list.yaml", "secret.yaml", "utf16.yaml"]


def test_an_unreadable_knowledge_file_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    """Permission bits cannot be tested as root, so the read itself is made to fail."""
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "locked.yaml").write_text("id: locked\n")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError) as err:
        load_knowledge((str(folder),))
    assert str(err.value) == f"{folder}/locked.yaml: cannot be read (Permission denied)"


def test_a_zip_bomb_reference_is_refused_without_inflating_it(tmp_path):
    """The 1.5 GB part is refused from its header: the check costs milliseconds and no memory."""
    from generator.errors import ConfigError
    from generator.render.reference import clean_reference

    bomb = hostile.zip_bomb(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 4 << 20
    with pytest.raises(ConfigError) as err:
        clean_reference(bomb)
    assert "the part inflates to 1536 MiB" in str(err.value)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_as_reference_is_refused_instead_of_waiting_for_a_writer(tmp_path):
    """Opening a FIFO blocks until something writes to it: the reference is refused from its file type first."""
    import os

    from generator.errors import ConfigError
    from generator.render.reference import clean_reference

    pipe = tmp_path / "ref.docx"
    os.mkfifo(pipe)
    with pytest.raises(ConfigError) as err:
        clean_reference(pipe)
    assert str(err.value) == (f"{pipe}: cannot use it as the reference document: it is not a regular file (a folder, "
                              "a pipe or a device?)")


def test_a_reference_stripped_of_its_attached_template_still_opens_as_a_word_document(tmp_path):
    import docx

    from generator.render.reference import clean_reference

    data, warnings = clean_reference(hostile.attached_template(tmp_path / "t.docx"))
    assert len(warnings) == 1
    docx.Document(io.BytesIO(data))
