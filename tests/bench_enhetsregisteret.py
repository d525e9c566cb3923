"""Not a test: measures ``oversikt check --enhetsregisteret`` on a file of
the real download's shape with 1,200,000 entities (made once, kept in the
temporary folder), through the real command in its own process: its wall
time and its peak memory (the largest resident set, as the kernel counts it).
The issue's bounds: at most 60 s and 200 MiB.

    PYTHONPATH=$PWD python tests/bench_enhetsregisteret.py [ANTALL]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from register_files import edition_entities, register_edition, write_json_register  # noqa: E402

SECONDS, MIB = 60, 200


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_200_000
    folder = Path(tempfile.gettempdir()) / "oversikt-bench-enhetsregisteret"
    folder.mkdir(exist_ok=True)
    register = folder / f"enheter_alle-{count}.json.gz"
    if not register.exists():
        started = time.perf_counter()
        write_json_register(register.with_suffix(".tmp"), count, edition_entities()).rename(register)
        print(f"laget {register} på {time.perf_counter() - started:.0f} s")
    content = folder / "innhold"
    if not content.exists():
        register_edition(content)
    print(f"{count:_} enheter; {register.stat().st_size / 1024**2:.0f} MiB pakket".replace("_", " "))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "builder", "check", str(content), "--enhetsregisteret", str(register)],
        capture_output=True, text=True, env=os.environ,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kilobytes on Linux
    print(done.stderr.strip())
    print(
        f"exit {done.returncode}; {seconds:.1f} s (grense {SECONDS});"
        f" høyeste minnebruk {peak_mib:.0f} MiB (grense {MIB})"
    )
    return (
        0
        if done.returncode == 0 and seconds <= SECONDS and peak_mib <= MIB and done.stderr.count("warning") == 4
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
