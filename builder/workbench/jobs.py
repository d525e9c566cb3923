"""Long work started from the workbench (build, publish), in a thread of its
own so that the preview and every other tab keep answering, one at a time.

A job tells what it is making as it goes; the page that started it asks
(``progress``) until it is done, then lists what it wrote or what stopped it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder.diagnostics import ContentError, Diagnostic


@dataclass
class Job:
    kind: str  # "bygg" or "publiser", as the address names it
    folder: Path  # where it writes
    making: str = ""  # what it is making now, in the editor's words
    done: bool = False
    written: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    failure: str | None = None  # a refusal or an internal error, in words
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


class Busy(Exception):  # noqa: N818 - a state, not a failure
    """Another job is still running."""

    def __init__(self, job: Job):
        super().__init__(job)
        self.job = job


# what a job does: told how to report progress, returns the files written and the warnings
Work = Callable[[Callable[[str], None]], tuple[list[Path], list[Diagnostic]]]


class Jobs:
    """The workbench's long work: one job at a time, the last one kept to be shown."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current: Job | None = None

    def start(self, kind: str, folder: Path, work: Work) -> Job:
        with self._lock:
            if self.current is not None and not self.current.done:
                raise Busy(self.current)
            job = self.current = Job(kind, folder, making="leser innholdet")
        threading.Thread(target=self._run, args=(job, work), daemon=True, name=f"oversikt-{kind}").start()
        return job

    def _run(self, job: Job, work: Work) -> None:
        def progress(name: str) -> None:
            job.making = f"lager {name}"

        try:
            job.written, job.warnings = work(progress)
        except ContentError as error:
            job.problems = error.diagnostics.errors
        except Exception as error:  # noqa: BLE001 - said on the page, and the workbench goes on
            job.failure = _said(error)
        finally:
            job.making = ""
            job.done = True


def _said(error: Exception) -> str:
    from builder.outputs import OutputRefused

    if isinstance(error, OutputRefused):
        return str(error)
    return f"intern feil ({type(error).__name__}: {error}); meld fra til utviklerne"
