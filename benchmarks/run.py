"""The whole-tool benchmark: start-up, one brief, each stage, batch throughput, memory, and the floor.

    python benchmarks/run.py            # full: 1,000 generated profiles (10 of them broken), repeated runs
    python benchmarks/run.py --quick    # a minute or two: 100 profiles, fewer repetitions

Prints a Markdown table for the README and writes every figure to
benchmarks/results/latest.json. Medians over repeated runs; the load average
before and after is recorded, because other work on the machine moves the
figures more than anything measured here.

The FLOOR is the same briefs' content (the composed document model) rendered
by a minimal hand-written renderer with bare reportlab and python-docx calls
-- no loading, scoring, composing, templates or fallback fonts. The ratio
whole-tool / floor per brief in batch says how much the tool costs on top of
what any PDF and Word output of that content must cost.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import gen_profiles  # noqa: E402

EXAMPLE = ROOT / "data" / "profiles" / "startup-no-kubernetes.yaml"


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def briefgen(*args: str) -> list[str]:
    """The installed command (what a user runs), else the module.

    The script next to this interpreter comes first: a version manager's shim found
    on PATH (pyenv's adds about 0.1 s) would be timed along with briefgen.
    """
    beside = Path(sys.executable).with_name("briefgen")
    exe = str(beside) if beside.exists() else shutil.which("briefgen")
    return [exe, *args] if exe else [sys.executable, "-m", "generator", *args]


def timed_process(cmd: list[str], runs: int, warmup: int = 1) -> dict:
    """Median wall seconds of a cold process, and its CPU seconds (user + sys)."""
    walls, cpus = [], []
    for i in range(warmup + runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
        if i >= warmup:
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return {"wall_s": median(walls), "cpu_s": median(cpus), "runs": runs, "min_s": min(walls), "max_s": max(walls)}


# --------------------------------------------------------------------------- in-process stages


def stages(paths: list[Path], passes: int) -> tuple[dict, list]:
    """Mean milliseconds per brief of each stage over ``paths``; median over ``passes``. Returns the briefs too."""
    t = time.perf_counter()
    from generator import dates
    from generator.brief.compose import compose
    from generator.knowledge import load_knowledge
    from generator.pipeline import render_bytes
    from generator.profile import load_profile
    from generator.scoring import assess
    from generator.brief.templating import load_theme

    import generator.render.docx  # noqa: F401
    import generator.render.pdf  # noqa: F401

    imports = time.perf_counter() - t
    t = time.perf_counter()
    kb = load_knowledge(())
    kb_cold = time.perf_counter() - t
    first = None
    per_pass: dict[str, list[float]] = {}
    cpu_pass: dict[str, list[float]] = {}
    briefs = []
    names = ("load_kb", "load_profile", "score", "compose", "pdf", "docx")
    for n in range(passes):
        acc: dict[str, float] = {}
        cpu: dict[str, float] = {}
        for path in paths:
            marks = [(time.perf_counter(), time.process_time())]
            kb = load_knowledge(())
            marks.append((time.perf_counter(), time.process_time()))
            profile = load_profile(path, known_frameworks=tuple(kb.frameworks))
            marks.append((time.perf_counter(), time.process_time()))
            assessment = assess(profile, kb)
            marks.append((time.perf_counter(), time.process_time()))
            brief = compose(assessment, kb, theme=load_theme(logo=profile.brief.logo), today=dates.today().isoformat())
            marks.append((time.perf_counter(), time.process_time()))
            render_bytes(brief, "pdf")
            marks.append((time.perf_counter(), time.process_time()))
            render_bytes(brief, "docx")
            marks.append((time.perf_counter(), time.process_time()))
            for name, (a, b) in zip(names, zip(marks, marks[1:])):
                acc[name] = acc.get(name, 0.0) + b[0] - a[0]
                cpu[name] = cpu.get(name, 0.0) + b[1] - a[1]
            if first is None:
                first = {name: (b[0] - a[0]) * 1000 for name, (a, b) in zip(names, zip(marks, marks[1:]))}
            if n == 0:
                briefs.append(brief)
        for k in names:
            per_pass.setdefault(k, []).append(acc[k] / len(paths) * 1000)
            cpu_pass.setdefault(k, []).append(cpu[k] / len(paths) * 1000)
    warm = {k: median(v) for k, v in per_pass.items()}
    warm["total"] = sum(warm.values())
    warm_cpu = {k: median(v) for k, v in cpu_pass.items()}
    warm_cpu["total"] = sum(warm_cpu.values())
    return {"imports_ms": imports * 1000, "load_kb_cold_ms": kb_cold * 1000, "first_brief_ms": first,
            "warm_mean_ms": warm, "warm_mean_cpu_ms": warm_cpu, "profiles": len(paths), "passes": passes}, briefs


# --------------------------------------------------------------------------- the floor


class Floor:
    """A minimal renderer of the document model with bare library calls (the cheapest honest output)."""

    def __init__(self):
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        fonts = ROOT / "generator" / "fonts"
        # A Unicode font is part of the job (names in any script), so the floor embeds one too.
        pdfmetrics.registerFont(TTFont("FloorSans", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("FloorSans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily("FloorSans", normal="FloorSans", bold="FloorSans-Bold",
                                      italic="FloorSans", boldItalic="FloorSans-Bold")
        base = ParagraphStyle("body", fontName="FloorSans", fontSize=9.5, leading=12.5, spaceAfter=4)
        self.styles = {
            "body": base,
            "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
            "title": ParagraphStyle("title", parent=base, fontName="FloorSans-Bold", fontSize=20, leading=24),
            1: ParagraphStyle("h1", parent=base, fontName="FloorSans-Bold", fontSize=14, leading=18, spaceBefore=8),
            2: ParagraphStyle("h2", parent=base, fontName="FloorSans-Bold", fontSize=12, leading=15, spaceBefore=6),
            3: ParagraphStyle("h3", parent=base, fontName="FloorSans-Bold", fontSize=10.5, leading=13),
        }

    @staticmethod
    def _inline(p) -> str:
        from generator.document import Link

        out = []
        for part in p.content:
            text = escape(part.text)
            if isinstance(part, Link):
                out.append(f'<a href="{escape(part.url)}">{text}</a>')
            elif part.bold:
                out.append(f"<b>{text}</b>")
            else:
                out.append(text)
        return "".join(out)

    def pdf(self, brief) -> bytes:
        from reportlab.graphics.shapes import Drawing, Rect, String
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

        from generator import document as d

        st = self.styles
        story = [Paragraph(escape(brief.meta.title), st["title"])]
        width = A4[0] - 144

        def walk(block):
            if isinstance(block, d.Section):
                story.append(Paragraph(escape(block.title), st[block.level]))
                for b in block.blocks:
                    walk(b)
            elif isinstance(block, d.Paragraph):
                story.append(Paragraph(self._inline(block), st["body"]))
            elif isinstance(block, d.BulletList):
                for item in block.items:
                    story.append(Paragraph(self._inline(item), st["body"], bulletText="•"))
            elif isinstance(block, d.Table):
                n = len(block.header)
                rel = block.widths if len(block.widths) == n else (1,) * n
                cols = [width * w / sum(rel) for w in rel]
                cell = st["cell"]

                def fit(text, w):
                    # A plain string draws far cheaper than a Paragraph; wrap only what does not fit.
                    if "\n" not in text and stringWidth(text, cell.fontName, cell.fontSize) <= w - 12:
                        return text
                    return Paragraph(escape(text), cell)

                rows = [[fit(c, cols[i]) for i, c in enumerate(row)] for row in (block.header, *block.rows)]
                t = Table(rows, repeatRows=1, colWidths=cols)
                t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
                                       ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]))
                story.append(t)
            elif isinstance(block, d.Callout):
                story.append(Paragraph(escape(block.title), st[3]))
                for p in block.body:
                    story.append(Paragraph(self._inline(p), st["body"]))
            elif isinstance(block, d.Chart):
                drawing = Drawing(width, 14 * len(block.bars) + 10)
                for i, bar in enumerate(block.bars):
                    y = 14 * (len(block.bars) - i - 1)
                    drawing.add(String(0, y + 3, bar.label[:28], fontName="FloorSans", fontSize=7))
                    w = (width - 160) * (bar.value / block.maximum if block.maximum else 0)
                    drawing.add(Rect(120, y, max(w, 0.5), 10, fillColor=colors.steelblue, strokeColor=None))
                story.append(drawing)
            elif isinstance(block, d.SourceList):
                for s in block.sources:
                    story.append(Paragraph(f'{escape(s.key)} {escape(s.title)}, <a href="{escape(s.url)}">'
                                           f"{escape(s.url)}</a> ({escape(d.source_dates(s.published, s.released, s.retrieved))})", st["cell"]))

        for section in brief.sections:
            walk(section)
        buf = io.BytesIO()
        SimpleDocTemplate(buf, pagesize=A4, title=brief.meta.title, author=brief.meta.author, invariant=1).build(story)
        return buf.getvalue()

    def docx(self, brief) -> bytes:
        import docx

        from generator import document as d

        doc = docx.Document()
        # Style ids resolved once and set on the XML: python-docx's style= scans every style per paragraph.
        ids = {name: doc.styles[name].style_id for name in
               ("Normal", "List Bullet", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid")}
        body, bullet = ids["Normal"], ids["List Bullet"]
        heads = {n: ids[f"Heading {n}"] for n in (1, 2, 3)}

        def add(text, style):
            p = doc.add_paragraph(text)
            p._p.style = style
            return p

        add(brief.meta.title, ids["Title"])

        def para(p, style):
            out = add("", style)
            for part in p.content:
                run = out.add_run(part.text)
                run.bold = getattr(part, "bold", False) or None

        def table(header, rows):
            t = doc.add_table(rows=1 + len(rows), cols=len(header))
            t._tbl.tblPr.style = ids["Table Grid"]
            for row, values in zip(t.rows, (header, *rows)):
                for cell, value in zip(row.cells, values):  # row.cells, not table.cell(): no grid rebuild
                    cell.text = value

        def walk(block):
            if isinstance(block, d.Section):
                add(block.title, heads[block.level])
                for b in block.blocks:
                    walk(b)
            elif isinstance(block, d.Paragraph):
                para(block, body)
            elif isinstance(block, d.BulletList):
                for item in block.items:
                    para(item, bullet)
            elif isinstance(block, d.Table):
                table(block.header, block.rows)
            elif isinstance(block, d.Callout):
                add(block.title, heads[3])
                for p in block.body:
                    para(p, body)
            elif isinstance(block, d.Chart):
                table(("", ""), [(b.label, "█" * round(20 * b.value / (block.maximum or 1))) for b in block.bars])
            elif isinstance(block, d.SourceList):
                for s in block.sources:
                    add(f"{s.key} {s.title}, {s.url} ({d.source_dates(s.published, s.released, s.retrieved)})", body)

        for section in brief.sections:
            walk(section)
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()


def floor(briefs: list, passes: int) -> dict:
    """Mean wall and CPU milliseconds per brief of the floor renderer, median over ``passes``."""
    f = Floor()
    f.pdf(briefs[0]), f.docx(briefs[0])  # fonts and the default template loaded once, as in a warm worker
    out: dict[str, list[float]] = {}
    for _ in range(passes):
        for fmt in ("pdf", "docx"):
            render = getattr(f, fmt)
            t, c = time.perf_counter(), time.process_time()
            for b in briefs:
                render(b)
            out.setdefault(f"{fmt}_ms", []).append((time.perf_counter() - t) / len(briefs) * 1000)
            out.setdefault(f"{fmt}_cpu_ms", []).append((time.process_time() - c) / len(briefs) * 1000)
    result = {k: median(v) for k, v in out.items()}
    result["total_ms"] = result["pdf_ms"] + result["docx_ms"]
    result["total_cpu_ms"] = result["pdf_cpu_ms"] + result["docx_cpu_ms"]
    return {**result, "briefs": len(briefs), "passes": passes}


# --------------------------------------------------------------------------- batch


def batch_runs(folder: Path, n_valid: int, jobs: int, runs: int, work: Path) -> dict:
    """The CLI on the whole folder in a fresh output folder each run; checks the outcome too."""
    walls, cpus = [], []
    checks = {}
    for r in range(runs):
        out = work / f"out-j{jobs}-{r}"
        cmd = briefgen("batch", str(folder), "-o", str(out), "--jobs", str(jobs), "--quiet")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        index = json.loads((out / "index.json").read_text())["profiles"]
        pairs = sum(1 for p in out.glob("*.pdf") if p.with_suffix(".docx").exists() and p.stem != "portfolio")
        checks = {"exit_code": proc.returncode, "pairs": pairs, "index_rows": len(index),
                  "statuses": {s: sum(1 for x in index if x["status"] == s) for s in {x["status"] for x in index}},
                  "first_failure": next((x["error"] for x in index if x["status"] not in ("rendered", "invalid")), "")}
        shutil.rmtree(out)
    wall = median(walls)
    return {"jobs": jobs, "wall_s": wall, "walls_s": walls, "cpu_s": median(cpus), "briefs_per_s": n_valid / wall,
            "ms_per_brief": wall * 1000 / n_valid, "cpu_ms_per_brief": median(cpus) * 1000 / n_valid, **checks}


MEMORY_PROBE = """
import json, os, sys
from generator.batch import run_batch
from generator.batch.workers import RECYCLE_AFTER
report = run_batch([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]))
print(json.dumps({"workers": report.pool.workers, "phases": report.phases, "wall": report.wall,
                  "recycle_after": RECYCLE_AFTER}))
"""


def worker_memory(folder: Path, work: Path, jobs: int) -> dict:
    """Peak RSS of each worker, and its growth per brief between its first and last.

    A fresh process runs the batch, so the workers fork from what the CLI's parent
    holds, not from this benchmark's state.
    """
    proc = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(folder), str(work / "out-mem"), str(jobs)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"memory probe failed: {proc.stderr[-800:]}")
    probe = json.loads(proc.stdout)
    served = [(s, a, b) for s, a, b in probe["workers"] if s]
    growth = [(b - a) / (s - 1) for s, a, b in served if s > 1]
    return {"workers": len(served), "recycle_after": probe["recycle_after"],
            "peak_mib_max": max(b for _, _, b in served) / 1024,
            "peak_mib_median": median([b / 1024 for _, _, b in served]),
            "after_first_brief_mib_median": median([a / 1024 for _, a, _ in served]),
            "growth_kib_per_brief_median": median(growth) if growth else 0.0,
            "per_worker": [{"briefs": s, "after_first_mib": a / 1024, "peak_mib": b / 1024} for s, a, b in served],
            "batch_wall_s": probe["wall"], "phases_s": probe["phases"]}


# --------------------------------------------------------------------------- report


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    import docx
    import reportlab

    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "ram_gib": round(mem, 1),
            "python": platform.python_version(), "os": platform.platform(), "reportlab": reportlab.Version,
            "python_docx": getattr(docx, "__version__", "?"), "date": time.strftime("%Y-%m-%d", time.gmtime())}


def markdown(r: dict) -> str:
    s = r["stages"]["warm_mean_ms"]
    fl = r["floor"]
    rows = [
        ("`briefgen --help`, cold process", f"{r['help']['wall_s'] * 1000:.0f} ms"),
        ("`briefgen render` one profile, PDF + DOCX, cold process", f"{r['render']['wall_s'] * 1000:.0f} ms"),
        ("per brief in process: load profile / score / compose",
         f"{s['load_profile']:.1f} / {s['score']:.1f} / {s['compose']:.1f} ms"),
        ("per brief in process: knowledge base (cached after first load, cold {:.0f} ms)".format(
            r["stages"]["load_kb_cold_ms"]), f"{s['load_kb']:.2f} ms"),
        ("per brief in process: PDF / DOCX", f"{s['pdf']:.1f} / {s['docx']:.1f} ms"),
        ("floor per brief: bare reportlab / python-docx", f"{fl['pdf_ms']:.1f} / {fl['docx_ms']:.1f} ms"),
    ]
    for b in r["batch"]:
        rows.append((f"batch of {r['profiles']['valid'] + r['profiles']['broken']} profiles, "
                     f"{r['profiles']['broken']} broken, `--jobs {b['jobs']}`",
                     f"{b['wall_s']:.1f} s wall ({b['briefs_per_s']:.1f} briefs/s), exit {b['exit_code']}, "
                     f"{b['pairs']} pairs, {b['index_rows']} index rows"))
    for b in r["batch"]:
        j = str(b["jobs"])
        rows.append((f"whole tool / floor per brief in batch, `--jobs {j}` (wall; CPU)",
                     f"{r['ratio'][j]:.2f}x ({b['ms_per_brief'] * b['jobs']:.0f} vs {fl['total_ms']:.0f} ms); "
                     f"{r['ratio_cpu'][j]:.2f}x ({b['cpu_ms_per_brief']:.0f} vs {fl['total_cpu_ms']:.0f} ms CPU)"))
    pf = r["ratio_per_format_cpu"]
    rows.append(("tool / floor per format, in process (CPU)", f"PDF {pf['pdf']:.2f}x, DOCX {pf['docx']:.2f}x"))
    m = r["memory"]
    rows.append(("peak memory per worker (RSS)",
                 f"{m['peak_mib_max']:.0f} MiB max, +{m['growth_kib_per_brief_median']:.0f} KiB per brief, "
                 f"recycled every {m['recycle_after']}"))
    mc = r["machine"]
    head = (f"Measured {mc['date']} on {mc['cores']} cores ({mc['cpu'] or 'unknown CPU'}), {mc['ram_gib']} GiB, "
            f"Python {mc['python']}, reportlab {mc['reportlab']}, python-docx {mc['python_docx']}; "
            f"load average {r['load_before']:.1f} before, {r['load_after']:.1f} after.")
    table = "| measure | median |\n|---|---:|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)
    return head + "\n\n" + table


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmark briefgen as a whole and per stage.")
    ap.add_argument("--quick", action="store_true", help="100 profiles and fewer repetitions (a minute or two)")
    ap.add_argument("--profiles", type=int, help="profiles in the batch, 1 in 100 broken (default 1000, quick 100)")
    ap.add_argument("--batch-runs", type=int, help="runs per batch size (default 3, quick 1)")
    ap.add_argument("--jobs", default="1,2", help="worker counts to measure (default 1,2)")
    args = ap.parse_args()
    quick = args.quick
    total = args.profiles or (100 if quick else 1000)
    broken = max(1, total // 100)
    n_valid = total - broken
    batch_runs_n = args.batch_runs or (1 if quick else 3)
    result: dict = {"quick": quick, "machine": machine(), "load_before": os.getloadavg()[0],
                    "profiles": {"valid": n_valid, "broken": broken}}

    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as tmp:
        work = Path(tmp)
        folder = work / "profiles"
        gen_profiles.generate(folder, n_valid, broken, seed=1)
        print(f"generated {n_valid} + {broken} broken profiles", file=sys.stderr)

        result["help"] = timed_process(briefgen("--help"), 5 if quick else 10)
        print(f"--help: {result['help']['wall_s'] * 1000:.0f} ms", file=sys.stderr)
        result["render"] = timed_process(briefgen("render", str(EXAMPLE), "-f", "pdf,docx", "-o", str(work / "one")),
                                         3 if quick else 5)
        print(f"render: {result['render']['wall_s'] * 1000:.0f} ms", file=sys.stderr)

        sample = sorted(folder.glob("p?????.yaml"))[:: max(1, n_valid // (10 if quick else 40))]
        result["stages"], briefs = stages(sample, 2 if quick else 3)
        print(f"stages: {result['stages']['warm_mean_ms']}", file=sys.stderr)
        result["floor"] = floor(briefs, 2 if quick else 3)
        print(f"floor: {result['floor']}", file=sys.stderr)

        result["batch"] = []
        for jobs in (int(j) for j in args.jobs.split(",")):
            result["batch"].append(batch_runs(folder, n_valid, jobs, batch_runs_n, work))
            print(f"batch --jobs {jobs}: {result['batch'][-1]}", file=sys.stderr)
        result["memory"] = worker_memory(folder, work, max(int(j) for j in args.jobs.split(",")))
        print(f"memory: {result['memory']}", file=sys.stderr)

    # Per brief in batch: wall x workers / briefs, i.e. the core-time each brief took, startup and summary
    # included; and the same with CPU seconds, which a busy machine moves less.
    fl, st = result["floor"], result["stages"]
    result["ratio"] = {str(b["jobs"]): b["ms_per_brief"] * b["jobs"] / fl["total_ms"] for b in result["batch"]}
    result["ratio_cpu"] = {str(b["jobs"]): b["cpu_ms_per_brief"] / fl["total_cpu_ms"] for b in result["batch"]}
    result["ratio_per_format_cpu"] = {f: st["warm_mean_cpu_ms"][f] / fl[f"{f}_cpu_ms"] for f in ("pdf", "docx")}
    result["load_after"] = os.getloadavg()[0]
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
