"""Outputs land inside the output folder, whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import ConfigError, OutputError
from generator.output import TMP_PREFIX, check_output_dir, publish, target, write_atomic


@pytest.mark.parametrize("base", ["../escape", "sub/name", "/abs", "..", ".", "", ".hidden"])
def test_target_refuses_names_that_are_not_plain_file_names(tmp_path, base):
    """A base name with a separator, a dot prefix or nothing in it never becomes a path."""
    with pytest.raises(ConfigError):
        target(tmp_path, base, "pdf")


def test_target_is_directly_inside_the_output_folder(tmp_path):
    """A plain base name maps to NAME.EXT inside the folder."""
    assert target(tmp_path, "fraud-scoring", "pdf") == tmp_path / "fraud-scoring.pdf"


def test_write_atomic_replaces_a_symlink_instead_of_writing_through_it(tmp_path):
    """A symlink planted at the final name is replaced; the file it pointed to is untouched."""
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "brief.pdf").symlink_to(outside)
    write_atomic(out / "brief.pdf", b"%PDF-new")
    assert outside.read_text() == "keep"
    assert not (out / "brief.pdf").is_symlink()
    assert (out / "brief.pdf").read_bytes() == b"%PDF-new"


def test_write_atomic_leaves_no_temporary_file_when_writing_fails(tmp_path, monkeypatch):
    """A failure during the write removes the temporary file, leaves no final file, and names the file."""

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "brief.pdf", b"data")
    assert str(info.value) == f"{tmp_path / 'brief.pdf'}: cannot be written (No space left on device)"
    assert list(tmp_path.iterdir()) == []


def test_publish_writes_none_of_a_briefs_files_when_one_cannot_be_written(tmp_path):
    """A folder where the PDF should go: the Markdown of the same brief is not written either, nor a temporary file."""
    (tmp_path / "brief.pdf").mkdir()
    with pytest.raises(OutputError) as info:
        publish({tmp_path / "brief.md": b"# brief", tmp_path / "brief.pdf": b"%PDF"})
    assert str(info.value) == f"{tmp_path / 'brief.pdf'}: cannot be written (a folder of that name is in the way)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]


def test_publish_removes_every_staged_file_when_a_later_write_fails(tmp_path, monkeypatch):
    """The second file's write fails: the first, already complete in its temporary file, is not renamed into place."""
    real = os.fsync
    calls = []

    def second_fails(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", second_fails)
    with pytest.raises(OutputError):
        publish({tmp_path / "a.md": b"a", tmp_path / "b.pdf": b"b"})
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_between_two_renames_waits_until_the_whole_brief_is_in_place(tmp_path, monkeypatch):
    """Ctrl-C after the first rename of a brief (a new Markdown beside an old PDF) is held until every file is in
    place, then stops the run: the folder holds the whole new brief and no temporary file."""
    import signal

    (tmp_path / "b.pdf").write_bytes(b"old")
    real, renamed = os.replace, []

    def interrupted_after_first(src, dst):
        real(src, dst)
        renamed.append(dst)
        if len(renamed) == 1:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(os, "replace", interrupted_after_first)
    with pytest.raises(KeyboardInterrupt):
        publish({tmp_path / "a.md": b"new", tmp_path / "b.pdf": b"new"})
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"a.md": b"new", "b.pdf": b"new"}


def test_check_output_dir_creates_a_missing_folder(tmp_path):
    """A missing output folder is created."""
    out = check_output_dir(tmp_path / "new" / "out")
    assert out.is_dir()


def test_check_output_dir_without_create_leaves_a_missing_folder_for_publish_to_make(tmp_path):
    """With create=False a missing folder is checked, not made; the first publish makes it."""
    out = check_output_dir(tmp_path / "new" / "out", create=False)
    assert not (tmp_path / "new").exists()
    publish({out / "a.md": b"a"})
    assert (out / "a.md").read_bytes() == b"a"


def test_check_output_dir_without_create_refuses_a_file_in_the_path(tmp_path):
    """A file where a parent folder would have to be is refused before any work (exit 2)."""
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError) as info:
        check_output_dir(tmp_path / "file" / "out", create=False)
    assert str(info.value) == f"{tmp_path / 'file' / 'out'}: cannot create the output folder ({tmp_path / 'file'} is not a folder)"


def test_check_output_dir_refuses_a_link_to_nothing(tmp_path):
    """An output folder that is a dangling link is refused rather than followed to create its target."""
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    with pytest.raises(ConfigError) as info:
        check_output_dir(tmp_path / "link", create=False)
    assert str(info.value) == f"{tmp_path / 'link'}: the output path is a link to nothing"
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("target", ["missing", "loop"])
def test_check_output_dir_without_create_refuses_a_broken_link_partway_along_the_path(tmp_path, target):
    """A link to nothing (or a loop) in the middle of the path is refused before any work, never followed: publish
    would otherwise create the link's target wherever it points."""
    if target == "missing":
        (tmp_path / "dl").symlink_to(tmp_path / "elsewhere" / "deep")
    else:
        (tmp_path / "l2").symlink_to(tmp_path / "dl")
        (tmp_path / "dl").symlink_to(tmp_path / "l2")
    with pytest.raises(ConfigError) as info:
        check_output_dir(tmp_path / "dl" / "sub", create=False)
    assert str(info.value) == (f"{tmp_path / 'dl' / 'sub'}: the output path goes through {tmp_path / 'dl'}, a link whose "
                               "target is missing or loops")
    assert info.value.exit_code == 2
    assert not (tmp_path / "elsewhere").exists()


def test_check_output_dir_refuses_a_file(tmp_path):
    """A file where the output folder should be is a configuration error (exit 2)."""
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError) as info:
        check_output_dir(tmp_path / "file")
    assert info.value.exit_code == 2
    assert str(info.value) == f"{tmp_path / 'file'}: the output path is not a folder"


def test_temporary_files_share_a_recognisable_prefix():
    """Temporary files start with the prefix the batch cleaner looks for."""
    assert TMP_PREFIX.startswith(".tmp-")


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("fraud-scoring", "fraud-scoring"),
        ("Équipe données 2026", "quipe-donn-es-2026"),
        (".hidden", "hidden"),
        ("..", "brief"),
        ("con", "con-brief"),
        ("a" * 300, "a" * 100),
        ("名前", "brief"),
    ],
)
def test_safe_base_name_turns_any_file_stem_into_a_portable_name(stem, expected):
    """A default output name taken from a profile's file name is portable, visible and short."""
    from generator.output import safe_base_name

    assert safe_base_name(stem) == expected
    target(Path("/tmp"), safe_base_name(stem), "pdf")  # never refused as a path


def test_an_output_folder_created_by_another_process_meanwhile_is_used(tmp_path, monkeypatch):
    """Two batches started at once: the folder appears between the check and mkdir, and that is fine."""
    out = tmp_path / "out"
    out.mkdir()  # the other process was first
    monkeypatch.setattr(Path, "exists", lambda self: False if self == out else os.path.lexists(self))
    assert check_output_dir(out) == out.resolve()


def test_an_output_path_that_is_a_file_is_refused(tmp_path):
    """A file where the folder should be is a configuration error naming the path."""
    out = tmp_path / "out"
    out.write_text("x")
    with pytest.raises(ConfigError, match="out"):
        check_output_dir(out)
