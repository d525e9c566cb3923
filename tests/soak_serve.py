"""Soak: the preview's memory while a large register is edited and its pages
are fetched at the same time, as a busy editor with many tabs would.

    python tests/soak_serve.py [--agreements 20000] [--seconds 80] [--pause 0.7]

Starts ``oversikt serve`` on a generated register, saves agreements.yaml
every --pause seconds (a new name each time) while a thread fetches the
region's page, a member's page and the editing view without pause, and
samples the server's resident memory every second. Prints the samples and
the growth from the first rebuilt minute to the end. Not part of the test
run: pytest only collects test_*.py files.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import Served  # noqa: E402
from synthetic import generate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=80)
    parser.add_argument("--pause", type=float, default=0.7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oversikt-soak-") as scratch:
        folder = generate(Path(scratch) / "content", args.agreements, args.members)
        served = Served(folder, log=Path(scratch) / "serve")
        process = psutil.Process(served.process.pid)
        stopping = threading.Event()
        fetched = [0]

        failed: list[str] = []

        def fetch() -> None:
            while not stopping.is_set():
                for target in ("/", "/rediger", "/?member=" + "x"):
                    connection = http.client.HTTPConnection(served.host, served.port, timeout=120)
                    try:
                        connection.request("GET", target)
                        connection.getresponse().read()
                        fetched[0] += 1
                    except OSError as error:  # said at the end: a request the server dropped
                        failed.append(f"{target}: {type(error).__name__}: {error}")
                    finally:
                        connection.close()

        fetching = threading.Thread(target=fetch, daemon=True)
        fetching.start()
        path = folder / "agreements.yaml"
        text = path.read_text("utf-8")
        first = next(line for line in text.splitlines() if line.startswith("  - name:"))  # an agreement's
        samples: list[tuple[float, float]] = []
        started = time.monotonic()
        edits = 0
        next_sample = started
        while (now := time.monotonic()) - started < args.seconds:
            path.write_text(text.replace(first, f"{first} {edits}", 1), "utf-8")
            edits += 1
            while time.monotonic() < now + args.pause:
                if time.monotonic() >= next_sample:
                    samples.append((time.monotonic() - started, process.memory_info().rss / 2**20))
                    next_sample += 1
                time.sleep(0.05)
        stopping.set()
        fetching.join(timeout=300)  # the request under way is answered before the server stops
        served.stop()
    for second, rss in samples[:: max(1, len(samples) // 20)]:
        print(f"{second:6.1f} s  {rss:7.0f} MiB")
    settled = [rss for second, rss in samples if second >= min(20, args.seconds / 4)]
    print(f"edits {edits}, requests {fetched[0]}, failed {len(failed)}: {failed[:3]}")
    figures = f"after warm-up {settled[0]:.0f}, peak {max(settled):.0f}, end {settled[-1]:.0f}"
    print(f"resident: start {samples[0][1]:.0f} MiB, {figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
