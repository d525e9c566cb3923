"""Benchmark: whole-process build time and peak memory at several sizes.

    python tests/benchmark.py                       # the full matrix (several minutes)
    python tests/benchmark.py --sizes 500 --members 3 --runs 3
    python tests/benchmark.py --processes --sizes 5000 --members 8 --runs 7

For each size (agreements) × members × format (docx, pdf, both; html and all
three on request: --formats html,all) it runs
`python -m builder build` as a fresh process once to warm the disk cache,
then --runs more times, and reports the median wall time and the peak
resident memory of the process. The 2019 edition in content/ is measured the
same way. As a comparison, the same table is written as Markdown and turned
into DOCX by pandoc (from the pypandoc-binary package, `pip install -e
".[bench]"`). Results are printed as a table and written as JSON.

With --processes it instead builds both formats of each edition with the
render processes (OVERSIKT_PROCESSES=1), without them (0) and as the command
chooses by default, alternately, so that the machine's slow and quick
minutes fall on all alike.

oversikt's own modules are byte-compiled first, as `pip install .` does:
the benchmark runs the source tree, and where PYTHONDONTWRITEBYTECODE is
set (it is on the machine this project is built on) Python would otherwise
compile every module from source on every run, which no installed copy does.

Not part of the test run: pytest only collects test_*.py files.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
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


def build_command(content: Path, out: Path, fmt: str) -> list[str]:
    return [sys.executable, "-m", "builder", "build", str(content), "--out", str(out), "--format", FORMATS[fmt]]


def pandoc_markdown(content: Path) -> str:
    """The agreement table as a Markdown pipe table, as pandoc's input."""
    report = yaml.safe_load((content / "report.yaml").read_text("utf-8"))
    data = yaml.safe_load((content / "agreements.yaml").read_text("utf-8"))
    members = report["members"]
    lines = [
        "| " + " | ".join(["Pr. 01.01.2019", "Type samarbeid", *members, "Kommentarer"]) + " |",
        "|" + "---|" * (len(members) + 3),
    ]
    for category in data["categories"]:
        lines.append(f"| **{category['name']}** |" + " |" * (len(members) + 2))
        for agreement in category["agreements"]:
            taking_part = members if agreement["members"] == "all" else agreement["members"]
            marks = ["x" if m in taking_part else "" for m in members]
            cells = [agreement["name"], agreement.get("form", ""), *marks, agreement.get("comment", "")]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def pandoc_command(markdown: Path, out: Path) -> list[str] | None:
    try:
        import pypandoc
    except ImportError:
        return None
    return [pypandoc.get_pandoc_path(), str(markdown), "-f", "markdown", "-o", str(out / "pandoc.docx")]


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
    parser.add_argument(
        "--processes", action="store_true", help="compare both formats with and without render processes, alternately"
    )
    args = parser.parse_args()
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
                compared = measure_processes(build_command(folder, out, "both"), args.runs)
                for way, figures in compared.items():
                    results["rows"].append(_report({**edition, "format": f"both, {way}"}, figures))
                continue
            for fmt in formats:
                results["rows"].append(
                    _report({**edition, "format": fmt}, measure(build_command(folder, out, fmt), args.runs))
                )
            markdown = scratch / f"{folder.name}.md"
            markdown.write_text(pandoc_markdown(folder), "utf-8")
            command = pandoc_command(markdown, out)
            if command:
                out.mkdir(exist_ok=True)
                results["rows"].append(_report({**edition, "format": "pandoc-docx"}, measure(command, args.runs)))

    results["ratios"] = _ratios(results["rows"])
    print()
    print(_markdown_table(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    print(f"\nJSON: {args.json}")
    return 0


def _report(row: dict, figures: dict) -> dict:
    row.update(figures)
    print(
        f"{row['edition']:>16}  {row['format']:>11}  median {row['median_s']:7.3f} s"
        f" (min {row['min_s']:.3f}, max {row['max_s']:.3f}, CPU {row['cpu_median_s']:.3f} s)"
        f"  peak {row['peak_mib']:7.1f} MiB  load {row['load_average']}"
    )
    return row


def _ratios(rows: list[dict]) -> dict:
    """pandoc's DOCX time over our DOCX+PDF time, and the growth from 500 to 5,000."""
    by_key = {(r["agreements"], r["members"], r["format"]): r["median_s"] for r in rows}
    ratios = {}
    for (size, members, fmt), seconds in by_key.items():
        if fmt == "pandoc-docx" and (size, members, "both") in by_key:
            ratios[f"pandoc_docx_over_our_both_{size}x{members}"] = round(seconds / by_key[(size, members, "both")], 2)
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
