"""What a batch leaves behind besides the briefs: the manifest and the index.

The manifest (``.briefgen-manifest.json``) remembers, per output name, a hash of
everything that decides a brief's bytes, so an interrupted or repeated batch
skips briefs that are already up to date. The index (``index.json`` and
``index.csv``) lists every input of the last batch once, with its status.
All three are written atomically; none is needed to read the briefs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from generator.dates import source_date_epoch
from generator.errors import InputError
from generator.output import write_atomic
from generator.sanitize import readable, utf8
from generator.profile.yamlsafe import read_limited
from generator.scoring.diff import cause_of

MANIFEST = ".briefgen-manifest.json"
INDEX_JSON = "index.json"
INDEX_CSV = "index.csv"
MANIFEST_FORMAT = 1
# A batch's own records, read back on the next run: a pipe of that name must not hang it, nor a huge file fill memory.
RECORD_MAX_BYTES = 256 << 20

STATUSES = ("rendered", "skipped", "invalid", "failed", "timeout", "crashed", "interrupted")
OK_STATUSES = ("rendered", "skipped")

CSV_COLUMNS = (
    "profile", "status", "project", "organisation", "recommendation", "stack",
    "margin", "robustness", "verdict", "outputs", "seconds", "error",
    # since the previous run; empty without one
    "changed", "previous_stack", "cause",
)
# A spreadsheet runs a cell starting with one of these as a formula (CWE-1236).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")


@dataclass
class Row:
    """One input's line in the index; ``summary`` holds the recommendation fields."""

    profile: str
    status: str = "pending"
    project: str = ""
    organisation: str = ""
    outputs: tuple[str, ...] = ()
    seconds: float = 0.0
    error: str = ""
    summary: dict = field(default_factory=dict)  # primary, stack, margin, robustness, verdict, kb_version, profile_digest
    change: dict = field(default_factory=dict)  # since the previous run: changed, cause, previous stack

    def to_json(self) -> dict:
        s = self.summary
        return {
            "profile": self.profile,
            "status": self.status,
            "project": self.project,
            "organisation": self.organisation,
            "recommendation": s.get("primary", ""),
            "stack": list(s.get("stack", ())),
            # rounded as the brief prints it, without binary float noise (2.8999999999999915)
            "margin": None if s.get("margin") is None else round(s["margin"], 2),
            "robustness": s.get("robustness"),
            "verdict": s.get("verdict", ""),
            "outputs": list(self.outputs),
            # SOURCE_DATE_EPOCH asks for outputs that are the same bytes every run; a timing never is
            "seconds": None if source_date_epoch() is not None else round(self.seconds, 3),
            "error": self.error,
            "kb_version": s.get("kb_version", ""),
            "profile_digest": s.get("profile_digest", ""),
            "since_last_run": self.change or None,
        }


def input_key(profile_bytes: bytes, *, base: str, formats: tuple[str, ...], context: str,
              logo: bytes | None = None, templates: bytes = b"") -> str:
    """Content hash of everything that decides a brief: profile, logo, templates, name, formats, tool and KB."""
    h = hashlib.sha256()
    parts = [utf8(context), utf8(base), ",".join(sorted(formats)).encode(), profile_bytes, logo or b""]
    if templates:  # only then: the keys of existing manifests stay valid
        parts.append(templates)
    for part in parts:
        # length-prefixed so that no two different inputs hash the same concatenation
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def read_manifest(out_dir: Path) -> dict[str, dict]:
    """Entries of the manifest by output name; a missing or damaged manifest is empty (re-render)."""
    try:
        data = json.loads(read_limited(out_dir / MANIFEST, RECORD_MAX_BYTES).decode("utf-8"))
    except (InputError, ValueError, RecursionError):  # RecursionError: nested deeper than json can read
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return {k: v for k, v in data["entries"].items() if isinstance(v, dict)}


def file_stamp(path: Path) -> list[int] | None:
    """Size and modification time (ns) of a written brief: what tells it from one replaced or cut short since."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def is_up_to_date(entry: dict | None, key: str, out_dir: Path) -> bool:
    """The manifest says these exact inputs made these files, and the files are still there as they were written:
    a brief another render overwrote, or one cut short, has another size or time and is made again (only a deleted
    file was noticed; an 8-byte Word file was kept and vouched for by the index)."""
    if not entry or entry.get("key") != key:
        return False
    files, stamps = entry.get("files"), entry.get("stamps")
    # a hand-edited manifest must not name files outside the folder or crash the batch
    plain = isinstance(files, list) and all(isinstance(n, str) and n and "/" not in n and n not in (".", "..") for n in files)
    if not (files and plain and isinstance(stamps, dict)):
        return False
    return all((out_dir / name).is_file() and file_stamp(out_dir / name) == stamps.get(name) for name in files)


def update_manifest(out_dir: Path, done: dict[str, dict], dropped: set[str]) -> None:
    """Merge this run's entries into the manifest on disk and write it atomically.

    Re-reading first keeps the entries of another batch writing the same folder;
    the rare lost update between read and rename only costs a re-render later.
    """
    entries = read_manifest(out_dir)
    for name in dropped:
        entries.pop(name, None)
    entries.update(done)
    text = json.dumps({"format": MANIFEST_FORMAT, "entries": dict(sorted(entries.items()))},
                      indent=1, sort_keys=True, ensure_ascii=False)
    write_atomic(out_dir / MANIFEST, (readable(text) + "\n").encode("utf-8"))


def read_baseline(out_dir: Path) -> dict[str, dict]:
    """The previous run's index.json rows by profile path; none if it is missing or unreadable."""
    try:
        data = json.loads(read_limited(out_dir / INDEX_JSON, RECORD_MAX_BYTES).decode("utf-8"))
        return {r["profile"]: r for r in data["profiles"] if isinstance(r, dict) and r.get("status") in OK_STATUSES}
    except (InputError, ValueError, KeyError, TypeError, RecursionError):
        return {}


def compare_with_baseline(rows: list[Row], baseline: dict[str, dict]) -> str:
    """Mark each row changed or not since the previous run, with the main reason; return the summary line.

    The reason comes from the provenance both runs recorded: a different profile
    digest is a profile edit, a different knowledge-base version a knowledge-base update.
    """
    compared = changed = 0
    for row in rows:
        before = baseline.get(row.profile)
        if before is None or row.status not in OK_STATUSES or not row.summary.get("stack"):
            continue
        compared += 1
        stack = list(row.summary.get("stack", ()))
        cause = cause_of(before.get("profile_digest") != row.summary.get("profile_digest"),
                         before.get("kb_version") != row.summary.get("kb_version"))
        moved = list(before.get("stack") or ()) != stack
        changed += moved
        row.change = {"changed": moved, "cause": cause, "previous_stack": list(before.get("stack") or ())}
    if not compared:
        return ""
    return f"{changed} of {compared} project{'s' if compared != 1 else ''} would now choose differently"


def neutralise(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _csv_cells(row: dict) -> list[str]:
    change = row["since_last_run"] or {}
    # "yes"/"no" reads in a spreadsheet; a JSON boolean would come out as "True"
    flat = {**row, "changed": {True: "yes", False: "no"}.get(change.get("changed"), ""),
            "previous_stack": change.get("previous_stack", []), "cause": change.get("cause", "")}
    cells = []
    for col in CSV_COLUMNS:
        value = flat[col]
        if isinstance(value, list):
            value = ("+" if col in ("stack", "previous_stack") else " ").join(value)
        elif value is None:
            value = ""
        elif isinstance(value, float):
            value = f"{value:.3f}" if col != "margin" else f"{value:.1f}"
        cells.append(neutralise(str(value)))
    return cells


def index_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(_csv_cells(row))
    return readable(buf.getvalue()).encode("utf-8")


def index_json(rows: list[dict], meta: dict) -> bytes:
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    doc = {**meta, "counts": {k: v for k, v in counts.items() if v}, "profiles": rows}
    return (readable(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n").encode("utf-8")


def write_index(out_dir: Path, rows: list[Row], meta: dict) -> tuple[Path, Path]:
    """Write index.json and index.csv atomically; return their paths."""
    data = [r.to_json() for r in rows]
    paths = out_dir / INDEX_JSON, out_dir / INDEX_CSV
    write_atomic(paths[0], index_json(data, meta))
    write_atomic(paths[1], index_csv(data))
    return paths
