"""What a test needs of the operating system, as skip marks with the reason,
so that the suite is collected everywhere and runs what the system allows.
Nothing here is used at module level outside a mark: ``resource``,
``signal.SIGKILL`` and ``os.fork`` are missing on Windows."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _importable(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def _chattr_works() -> bool:
    """Whether ``chattr +i`` can make a file here immutable (root, on a file system that has the flag)."""
    if shutil.which("chattr") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_bytes(b"")
        if subprocess.run(["chattr", "+i", probe], capture_output=True).returncode != 0:
            return False
        try:
            os.replace(probe, Path(folder) / "moved")
        except PermissionError:
            return True
        finally:
            subprocess.run(["chattr", "-i", probe], capture_output=True)
        return False


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is missing on this system (Windows)")
needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the formats render in-process")
needs_resource = pytest.mark.skipif(not _importable("resource"), reason="the resource module is missing (Windows)")
needs_sigkill = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="signal.SIGKILL is missing (Windows)")
needs_sigterm_handling = pytest.mark.skipif(
    os.name == "nt", reason="on Windows SIGTERM ends a process without running its handler"
)
needs_chattr = pytest.mark.skipif(
    not _chattr_works(), reason="chattr +i cannot make a file immutable here (not root, or no such flag)"
)


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``path`` cannot be replaced, renamed or linked while inside: as Windows
    treats a file open in Word or Acrobat."""
    subprocess.run(["chattr", "+i", path], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", path], check=True)


# Debian's Chromium, driven by Playwright without a browser download of its own
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")


def launch_chromium(playwright):
    """Headless Chromium as root on a machine with no network: no sandbox, no
    GPU, and none of the background connections it would try at start."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--no-first-run"],
    )  # fmt: skip
