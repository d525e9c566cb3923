"""Benchmark: whole-process build time and peak memory at several sizes.

    python tests/benchmark.py                       # the full matrix (several minutes)
    python tests/benchmark.py --sizes 500 --members 3 --runs 3
    python tests/benchmark.py --processes --sizes 5000 --members 8 --runs 7

For each size (agreements) × members × format (docx, pdf, both; html and all
three on request: --formats html,all) it runs
`python -m builder build` as a fresh process once to warm the disk cache,
then --runs more times, and reports the median wall time and the peak
resident memory of the process. The 2019 edition in content/ is measured the
same way. With html or all among the formats, the HTML writer is also timed
alone, in this process ("html render"). As comparisons, the same table is
written as Markdown and turned into DOCX by pandoc (from the
pypandoc-binary package), and written as a Typst document (a header row
that repeats on every page, category rows across the table) and typeset to
PDF by Typst (the typst package); both are in the bench extra, `pip install
-e ".[bench]"`. Results are printed as a table and written as JSON.

With --processes it instead builds both formats of each edition (and all
three, with all among --formats) with the render process
(OVERSIKT_PROCESSES=1), without it (0) and as the command chooses by
default, alternately, so that the machine's slow and quick minutes fall on
all alike.

oversikt's own modules are byte-compiled first, as `pip install .` does:
the benchmark runs the source tree, and where PYTHONDONTWRITEBYTECODE is
set (it is on the machine this project is built on) Python would otherwise
compile every module from source on every run, which no installed copy does.

With --serve it measures the live preview instead (``oversikt serve``,
warm): from a file's write to the moment the server has answered with the
page that shows it (the page learns of the change by the server-sent event,
then asks for it, as a browser does), for an edit of a text file and of a
row in agreements.yaml; a save of one agreement from the workbench's form,
from the POST to the answer with the updated preview; and the PDF of the
2019 edition rendered on demand after a change. Medians of --runs edits,
after two warm-up edits.

Not part of the test run: pytest only collects test_*.py files.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import form_fields  # noqa: E402
from synthetic import ROOT, generate  # noqa: E402

FORMATS = {"docx": "docx", "pdf": "pdf", "both": "docx,pdf", "html": "html", "all": "docx,pdf,html"}


# A small Python process starts each measured command and reports its wall
# time and peak memory. Why not fork from here: Linux carries a process's
# peak resident memory over into the program it executes, so a command
# started from this process (which holds generated editions of 20,000
# agreements) would report this process's peak, not its own.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # its output is not ours to print
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status))
"""


def run_once(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak resident MiB and CPU seconds of one command (with
    the processes it waits for: the build's render processes), with ``env``
    added to its environment."""
    # stderr goes to a file, not a pipe: a pipe nobody reads while we wait
    # fills up with the build's warnings and stops the child
    with tempfile.TemporaryFile() as errors:
        launched = subprocess.run(
            [sys.executable, "-S", "-c", _LAUNCHER, *command],
            stdout=subprocess.PIPE,
            stderr=errors,
            check=True,
            env={**os.environ, **(env or {})},
        )
        elapsed, peak_kib, cpu, code = launched.stdout.split()
        if int(code) != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(command)}\n{errors.read().decode()[-2000:]}")
    return float(elapsed), int(peak_kib) / 1024, float(cpu)  # ru_maxrss is in KiB on Linux


def measure(command: list[str], runs: int) -> dict:
    run_once(command)  # warm-up: imports and files in the page cache
    return _figures([run_once(command) for _ in range(runs)], runs)


def measure_processes(command: list[str], runs: int) -> dict[str, dict]:
    """The command with render processes and without, run alternately."""
    ways = {
        "processes": {"OVERSIKT_PROCESSES": "1"},
        "in-process": {"OVERSIKT_PROCESSES": "0"},
        "default": {"OVERSIKT_PROCESSES": ""},  # processes only when a core is free
    }
    for env in ways.values():
        run_once(command, env)  # warm-up
    samples: dict[str, list[tuple[float, float, float]]] = {way: [] for way in ways}
    for _ in range(runs):
        for way, env in ways.items():
            samples[way].append(run_once(command, env))
    return {way: _figures(found, runs) for way, found in samples.items()}


def _figures(samples: list[tuple[float, float, float]], runs: int) -> dict:
    times = [t for t, _, _ in samples]
    return {
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "cpu_median_s": round(statistics.median(c for _, _, c in samples), 3),
        "peak_mib": round(max(m for _, m, _ in samples), 1),
        "runs": runs,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,  # others' work on the machine
    }


def measure_render_html(content: Path, runs: int) -> dict:
    """The HTML writer alone, in this process: the time of render_html on
    the prepared document, without starting Python or reading the content."""
    from builder.build import prepare
    from builder.writers.html_writer import render_html

    prepared = prepare(content)
    times = []
    for _ in range(runs + 1):  # the first warms up
        start = time.perf_counter()
        render_html(prepared.document, prepared.layout)
        times.append(time.perf_counter() - start)
    times = times[1:]
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3), "cpu_median_s": round(statistics.median(times), 3), "peak_mib": 0.0,
            "runs": runs, "load_average": os.getloadavg()[0]}  # fmt: skip


def build_command(content: Path, out: Path, fmt: str) -> list[str]:
    return [sys.executable, "-m", "builder", "build", str(content), "--out", str(out), "--format", FORMATS[fmt]]


def table_of(content: Path) -> tuple[list[str], list[tuple[str, list[list[str]]]]]:
    """The agreement table of an edition as plain cells, for the comparisons:
    the header labels, and per category its rows (name, form, a mark per member, comment)."""
    report = yaml.safe_load((content / "report.yaml").read_text("utf-8"))
    data = yaml.safe_load((content / "agreements.yaml").read_text("utf-8"))
    members = report["members"]
    header = ["Pr. 01.01.2019", "Type samarbeid", *members, "Kommentarer"]
    groups = []
    for category in data["categories"]:
        rows = []
        for agreement in category["agreements"]:
            taking_part = members if agreement["members"] == "all" else agreement["members"]
            marks = ["x" if m in taking_part else "" for m in members]
            rows.append(
                [agreement["name"], agreement.get("form", "") or "", *marks, agreement.get("comment", "") or ""]
            )
        groups.append((category["name"], rows))
    return header, groups


def pandoc_markdown(content: Path) -> str:
    """The agreement table as a Markdown pipe table, as pandoc's input."""
    header, groups = table_of(content)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, rows in groups:
        lines.append(f"| **{name}** |" + " |" * (len(header) - 1))
        lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines) + "\n"


def pandoc_command(markdown: Path, out: Path) -> list[str] | None:
    try:
        import pypandoc
    except ImportError:
        return None
    return [pypandoc.get_pandoc_path(), str(markdown), "-f", "markdown", "-o", str(out / "pandoc.docx")]


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_source(content: Path) -> str:
    """The agreement table as a Typst document in the official layout's page,
    font and sizes: columns as wide as their text asks within the page (auto
    columns, as ours are fitted to the text), the header row repeated on
    every page (table.header with repeat), each category a bold shaded row
    spanning the table, and tagged PDF as Typst writes it by default."""
    header, groups = table_of(content)
    span = len(header)
    lines = [
        '#set page(paper: "a4", margin: 2cm)',
        '#set text(font: "Carlito", size: 9pt, lang: "nb")',
        f"#table(columns: {span}, inset: 3pt,",  # widths fitted to the text, as ours are
        "  table.header(repeat: true, " + ", ".join(f"strong({_typst_string(label)})" for label in header) + "),",
    ]
    for name, rows in groups:
        lines.append(f'  table.cell(colspan: {span}, fill: rgb("EDEDED"), strong({_typst_string(name)})),')
        lines += ["  " + ", ".join(_typst_string(cell) for cell in cells) + "," for cells in rows]
    lines.append(")")
    return "\n".join(lines) + "\n"


# Typst through its Python binding, in a process of its own, as our builds
# run: the layout's font files given, so it sets the same font.
_TYPST = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])"


def typst_command(source: Path, out: Path) -> list[str] | None:
    try:
        import typst  # noqa: F401 - only whether it is installed
    except ImportError:
        return None
    return [sys.executable, "-c", _TYPST, str(source), str(out / "typst.pdf"), str(ROOT / "layouts" / "fonts")]


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,5000,20000", help="agreement counts, comma-separated")
    parser.add_argument("--members", default="3,8", help="member counts, comma-separated")
    parser.add_argument("--formats", default="docx,pdf,both")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the warm-up (median reported)")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "benchmark.json")
    parser.add_argument("--serve", action="store_true", help="measure the live preview's warm rebuilds instead")
    parser.add_argument(
        "--processes", action="store_true", help="compare both (and all) with and without the render process"
    )
    args = parser.parse_args()
    if args.serve:
        return serve_main(args)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    member_counts = [int(m) for m in args.members.split(",") if m]
    formats = [f for f in args.formats.split(",") if f]

    compileall.compile_dir(ROOT / "builder", quiet=1)
    results: dict = {"machine": machine(), "rows": []}
    with tempfile.TemporaryDirectory(prefix="oversikt-bench-") as scratch:
        scratch = Path(scratch)
        out = scratch / "out"
        cases = [("content/ (2019)", ROOT / "content", 57, 3)]
        for size in sizes:
            for members in member_counts:
                folder = generate(scratch / f"e{size}x{members}", size, members)
                cases.append((f"{size} × {members}", folder, size, members))
        for label, folder, size, members in cases:
            edition = {"edition": label, "agreements": size, "members": members}
            if args.processes:
                for fmt in [f for f in formats if f in ("both", "all")] or ["both"]:
                    compared = measure_processes(build_command(folder, out, fmt), args.runs)
                    for way, figures in compared.items():
                        results["rows"].append(_report({**edition, "format": f"{fmt}, {way}"}, figures))
                continue
            for fmt in formats:
                results["rows"].append(
                    _report({**edition, "format": fmt}, measure(build_command(folder, out, fmt), args.runs))
                )
            if "html" in formats or "all" in formats:
                results["rows"].append(
                    _report({**edition, "format": "html render"}, measure_render_html(folder, args.runs))
                )
            out.mkdir(exist_ok=True)
            markdown = scratch / f"{folder.name}.md"
            markdown.write_text(pandoc_markdown(folder), "utf-8")
            source = scratch / f"{folder.name}.typ"
            source.write_text(typst_source(folder), "utf-8")
            for name, command in (
                ("pandoc-docx", pandoc_command(markdown, out)),
                ("typst-pdf", typst_command(source, out)),
            ):
                if command:
                    results["rows"].append(_report({**edition, "format": name}, measure(command, args.runs)))

    results["ratios"] = _ratios(results["rows"])
    print()
    print(_markdown_table(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    print(f"\nJSON: {args.json}")
    return 0


EDITOR_PAUSE_S = 0.5  # between saves, as an editor's pace: the preview tidies its memory when idle


class _Preview:
    """``oversikt serve`` on a free port, and its event stream."""

    def __init__(self, content: Path, log: Path):
        import http.client

        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "builder", "serve", str(content), "--port", "0", "--no-open"],
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + 60
        while not (words := [w for w in log.read_text().split() if w.startswith("http://")]):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit(f"the preview did not start:\n{log.read_text()}")
            time.sleep(0.05)
        self.port = int(words[0].rstrip("/").rsplit(":", 1)[1])
        self.events = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        self.events.request("GET", "/_oversikt/hendelser")
        self.stream = self.events.getresponse()
        self.version = self.next_version()

    def next_version(self) -> str:
        while True:
            line = self.stream.readline().decode().strip()
            if line.startswith("data: "):
                return line[len("data: ") :]

    def fetch(self, target: str) -> bytes:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request("GET", target)
        body = connection.getresponse().read()
        connection.close()
        return body

    def save_form_and_fetch(self, target: str, name: str) -> float:
        """Seconds from posting the agreement form at ``target`` with the name ``name``
        to the answer with the preview that shows it."""
        import http.client
        from urllib.parse import urlencode

        secret = [w for w in self.log.read_text().split() if "nokkel=" in w][-1].rsplit("=", 1)[1]
        cookie = {"Cookie": f"oversikt_nokkel={secret}"}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request("GET", target, headers=cookie)
        action, fields = form_fields(connection.getresponse().read().decode("utf-8"))[0]
        connection.close()
        fields = [(key, name if key == "navn" else value) for key, value in fields] + [("handling", "lagre")]
        time.sleep(EDITOR_PAUSE_S)
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = cookie | {
            "Origin": f"http://127.0.0.1:{self.port}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        connection.request("POST", action, body=urlencode(fields), headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        body = self.fetch("/")
        elapsed = time.perf_counter() - started
        if response.status != 303 or name.encode() not in body:
            raise SystemExit(f"the save was not shown ({response.status})")
        self.version = self.next_version()  # the save's own new version, told on the event stream too
        return elapsed

    def edit_and_fetch(self, path: Path, old: str, new: str, shown: str) -> tuple[float, bytes]:
        """Seconds from the write of ``path`` to the answer with the new page, which shows ``shown``."""
        text = path.read_text("utf-8")
        time.sleep(EDITOR_PAUSE_S)
        started = time.perf_counter()
        saved = path.with_name(f".{path.name}.tmp")  # saved as many editors do: written, then renamed into place
        saved.write_text(text.replace(old, new, 1), "utf-8")
        os.replace(saved, path)
        self.version = self.next_version()
        body = self.fetch("/")
        elapsed = time.perf_counter() - started
        if shown.encode() not in body:
            raise SystemExit(f"the page does not show {shown!r}")
        return elapsed, body

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def serve_main(args: argparse.Namespace) -> int:
    compileall.compile_dir(ROOT / "builder", quiet=1)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    member_counts = [int(m) for m in args.members.split(",") if m]
    results: dict = {"machine": machine(), "rows": []}
    with tempfile.TemporaryDirectory(prefix="oversikt-bench-") as scratch:
        scratch = Path(scratch)
        cases = [("content/ (2019)", shutil.copytree(ROOT / "content", scratch / "content"), 57, 3)]
        cases += [
            (f"{size} × {members}", generate(scratch / f"e{size}x{members}", size, members), size, members)
            for size in sizes
            for members in member_counts
        ]
        for label, folder, size, members in cases:
            preview = _Preview(folder, scratch / "serve.log")
            try:
                for edited in ("text", "agreements"):
                    times = [_edit(preview, folder, edited, run)[0] for run in range(-2, args.runs)][2:]
                    results["rows"].append(_serve_row(label, size, members, f"edit {edited}", times))
                times = [
                    preview.save_form_and_fetch("/rediger/samarbeid/0/0", f"Lagret {run}")
                    for run in range(-2, args.runs)
                ]
                results["rows"].append(_serve_row(label, size, members, "save from the form", times[2:]))
                if size == 57:
                    preview.fetch("/oversikt-2019.pdf")  # the PDF writer loaded
                    times = []
                    for run in range(args.runs):
                        _edit(preview, folder, "text", 100 + run)
                        started = time.perf_counter()
                        preview.fetch("/oversikt-2019.pdf")
                        times.append(time.perf_counter() - started)
                    results["rows"].append(_serve_row(label, size, members, "PDF on demand", times))
            finally:
                preview.close()
    print()
    print("| edition | what | median s | min s | max s |")
    print("|---|---|---:|---:|---:|")
    for row in results["rows"]:
        figures = f"{row['median_s']:.3f} | {row['min_s']:.3f} | {row['max_s']:.3f}"
        print(f"| {row['edition']} | {row['format']} | {figures} |")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    print(f"\nJSON: {args.json}")
    return 0


def _edit(preview: _Preview, folder: Path, edited: str, run: int) -> tuple[float, bytes]:
    """An edit of the first text file's first sentence, or of the first agreement's name, each run a new one."""
    if edited == "text":
        text = sorted((folder / "text").glob("*.md"))[0]
        first = text.read_text("utf-8").split("\n", 1)[0]
        return preview.edit_and_fetch(text, first, f"Utkast {run}. " + first.split(". ", 1)[-1], f"Utkast {run}.")
    agreements = folder / "agreements.yaml"
    names = [t for t in agreements.read_text("utf-8").split("\n") if t.lstrip().startswith("- name:")]
    line = next(t for t in names if len(t) - len(t.lstrip()) > len(names[0]) - len(names[0].lstrip()))  # not a category
    shown = f"Avtale endret {run}"
    return preview.edit_and_fetch(agreements, line, f"{line.split(':', 1)[0]}: {shown}", shown)


def _serve_row(label: str, size: int, members: int, what: str, times: list[float]) -> dict:
    row = {
        "edition": label, "agreements": size, "members": members, "format": what,
        "median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
        "max_s": round(max(times), 3), "runs": len(times),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,  # others' work on the machine
    }  # fmt: skip
    print(
        f"{label:>16}  {what:>15}  median {row['median_s']:7.3f} s (min {row['min_s']:.3f}, max {row['max_s']:.3f})"
        f"  load {row['load_average']}"
    )
    return row


def _report(row: dict, figures: dict) -> dict:
    row.update(figures)
    print(
        f"{row['edition']:>16}  {row['format']:>11}  median {row['median_s']:7.3f} s"
        f" (min {row['min_s']:.3f}, max {row['max_s']:.3f}, CPU {row['cpu_median_s']:.3f} s)"
        f"  peak {row['peak_mib']:7.1f} MiB  load {row['load_average']}"
    )
    return row


def _ratios(rows: list[dict]) -> dict:
    """pandoc's DOCX time over our DOCX+PDF time, Typst's PDF time over our
    DOCX+PDF+HTML time, what HTML adds to a build, and the growth from 500 to 5,000."""
    by_key = {(r["agreements"], r["members"], r["format"]): r["median_s"] for r in rows}
    ratios = {}
    for (size, members, fmt), seconds in by_key.items():
        if fmt == "pandoc-docx" and (size, members, "both") in by_key:
            ratios[f"pandoc_docx_over_our_both_{size}x{members}"] = round(seconds / by_key[(size, members, "both")], 2)
        if fmt == "typst-pdf" and (size, members, "all") in by_key:
            ratios[f"typst_pdf_over_our_all_{size}x{members}"] = round(seconds / by_key[(size, members, "all")], 2)
        if fmt == "all" and (size, members, "both") in by_key:
            ratios[f"html_adds_to_the_build_s_{size}x{members}"] = round(seconds - by_key[(size, members, "both")], 3)
        if fmt == "both" and size == 5000 and (500, members, "both") in by_key:
            ratios[f"growth_5000_over_500_{members}_members"] = round(seconds / by_key[(500, members, "both")], 2)
    return ratios


def _markdown_table(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, Python {machine['python']}",
        "",
        "| edition | format | median s | peak MiB |",
        "|---|---|---:|---:|",
    ]
    for row in results["rows"]:
        lines.append(f"| {row['edition']} | {row['format']} | {row['median_s']:.3f} | {row['peak_mib']:.0f} |")
    if results["ratios"]:
        lines.append("")
        lines += [f"- {key}: {value}" for key, value in results["ratios"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
