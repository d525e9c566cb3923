"""The ``oversikt`` command's process machinery, all of it: the render
process, what may be loaded before it is forked, the cycle collector,
SIGTERM, and how the command's process ends. Only the command line uses
this module; the library (:func:`builder.build.build`) renders in the
caller's process unless it is handed :class:`Renderers`, and nothing here is
needed for a correct result, only for a quicker one.

Why a render process: a build's time goes mostly to loading the writers'
libraries (a small edition) or to rendering the PDF (a large register), and
the formats share nothing once the document is assembled. So
:class:`Renderers` starts one worker of the standard library's process pool
(:class:`concurrent.futures.ProcessPoolExecutor`, forked) at the start: it
loads the PDF writer while this process reads, checks and assembles the
edition, then renders the PDF of the documents it is sent (pickled: a
5,000-agreement document in some 20 ms) while this process renders the
other formats. That pays only if the fork comes first: whatever is loaded
before it is loaded by one process while the other core waits. So the
command loads argparse, the verbs' argument definitions, the model and the
pool, forks, and only then loads the rest (``tests/test_processes.py``
guards this). Where there is no fork (Windows) or only one core, where the
machine is busy with other work, or with ``OVERSIKT_PROCESSES=0``, every
format renders in this process, one after the other (see :func:`forking`).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from builder.writers import writer

if TYPE_CHECKING:
    import subprocess
    from concurrent.futures import Future

    from builder.model import Document, Layout

Job = tuple["Document", "Layout"]

# The formats the render process renders, each of every document; the
# others render in this process meanwhile. The PDF: it takes longest
# (at 5,000 x 8 more than the DOCX and HTML together), and it is one
# pickled copy of the document, where a process per format would be three.
IN_THE_RENDER_PROCESS = ("pdf",)

# How far the render process steps back (os.nice) for this one, which
# reads the content while it loads its writer: the build waits for the reading.
NICENESS = 5


class Terminated(KeyboardInterrupt):
    """SIGTERM (what a CI job's time-out sends), raised where the command
    happens to be, so that it stops as on Ctrl-C: what it was writing is
    put back and its temporaries removed."""


def run_command(main: Callable[[], int]) -> NoReturn:
    """The command's process: run ``main``, then leave without tearing down.

    SIGTERM ends it from the first moment this runs, with exit code 143 and
    no traceback, whatever it is doing: loading its modules, parsing,
    writing (which puts back what it had replaced, as on Ctrl-C), or
    reporting. Before this runs, while Python itself starts, the signal's
    default action ends the process, which a shell reports as 143 too.
    Ctrl-C ends it with 130 the same way.

    Why ``os._exit``: after a large register's build the process holds
    hundreds of thousands of objects, and freeing them one by one at
    interpreter shutdown took a quarter of a second; the files are written
    and closed by then, so only the standard streams need flushing. For the
    same reason the cycle collector stays off: everything a build makes
    lives to its end, and a full collection over a large register's objects
    costs a fifth of a second whenever one comes due.
    """
    gc.disable()
    try:
        signal.signal(signal.SIGTERM, _terminate)
        try:
            code = main()
        except SystemExit as leaving:  # argparse's --help, --version and wrong use
            code = _exit_code(leaving)
        _ignore_signals()  # the work is done; a late signal must not turn it into a traceback
        sys.stdout.flush()
        sys.stderr.flush()
    except KeyboardInterrupt as interrupt:  # one that came where main() does not catch it
        code = 128 + (signal.SIGTERM if isinstance(interrupt, Terminated) else signal.SIGINT)
    os._exit(code)


def _exit_code(leaving: SystemExit) -> int:
    if leaving.code is None or isinstance(leaving.code, int):
        return leaving.code or 0
    print(leaving.code, file=sys.stderr)  # what Python itself would print
    return 1


def _terminate(signum, frame) -> None:
    # once is enough: a second SIGTERM (or a Ctrl-C) while the command puts
    # back what it was writing would stop it half-way, or raise where
    # nothing catches it any more
    _ignore_signals()
    raise Terminated


def _ignore_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def forking() -> bool:
    """Whether :class:`Renderers` fork a render process. Never where the
    system cannot or has one core, nor with ``OVERSIKT_PROCESSES=0``; always
    otherwise with ``OVERSIKT_PROCESSES=1``; by default when the other cores
    are idle.

    Why the default looks at the load: measured on a 2-core machine (docs/utvikling.md,
    "The benchmark"), the render process gains when a core is free, and loses when other
    work keeps the cores busy: it costs more CPU time in all (the document
    is pickled, the model loaded twice).
    """
    setting = os.environ.get("OVERSIKT_PROCESSES", "").strip()
    cores = os.cpu_count() or 1
    if setting == "0" or not hasattr(os, "fork") or cores < 2:
        return False
    if setting == "1":
        return True
    try:
        busy = os.getloadavg()[0]  # runnable processes, averaged over the last minute
    except (AttributeError, OSError):  # not known here
        return True
    return busy < cores - 1


class Renderers:
    """Renders every format of the documents of one build: the PDF in a
    render process started now, where :func:`forking` allows one, the rest
    here. Use as a context manager, which ends the process (a build that
    found errors never sends it work)."""

    def __init__(self, formats: Sequence[str] | None = None) -> None:
        """``formats``: those the build will render, where known before
        the content is read; None (report.yaml will say) starts the render
        process, as the default formats have the PDF."""
        # every format's writer needs the model: loaded once, before the fork
        import builder.model  # noqa: F401

        self._pool = None
        self._worker = None  # the pool's one process (multiprocessing.Process)
        self._sent: list[Future] = []
        wanted = formats is None or any(fmt in IN_THE_RENDER_PROCESS for fmt in formats)
        if wanted and forking():
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("fork"), initializer=_start, initargs=(IN_THE_RENDER_PROCESS,)
            )
            before = set(multiprocessing.active_children())
            self._sent = [self._pool.submit(int)]  # a fork pool starts its processes with its first task: now
            (self._worker,) = set(multiprocessing.active_children()) - before

    @property
    def pid(self) -> int | None:
        """The render process's id; None where everything renders here."""
        return None if self._worker is None else self._worker.pid

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def render(self, jobs: Sequence[Job], formats: Sequence[str]) -> list[dict[str, bytes]]:
        """Every format's bytes for every (document, layout), in ``formats``'
        order; a writer's exception is raised here, one raised in the render
        process with its traceback (as text) as its cause."""
        elsewhere: dict[str, Future] = {}
        if self._pool is not None:
            elsewhere = {
                fmt: self._pool.submit(_render, fmt, list(jobs)) for fmt in formats if fmt in IN_THE_RENDER_PROCESS
            }
            self._sent.extend(elsewhere.values())
        here = [{fmt: writer(fmt)(*job) for fmt in formats if fmt not in elsewhere} for job in jobs]
        there = {fmt: self._result(fmt, future) for fmt, future in elsewhere.items()}
        return [
            {fmt: there[fmt][index] if fmt in there else files[fmt] for fmt in formats}
            for index, files in enumerate(here)
        ]

    def _result(self, fmt: str, future: Future) -> list[bytes]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:  # it died without a word (killed, out of memory)
            assert self._worker is not None, "a pool has its process"
            self._worker.join(1)
            code = self._worker.exitcode
            if code == -signal.SIGTERM:
                raise Terminated from None  # sent to the whole process group: this process ends as it would itself
            raise RuntimeError(f"the {fmt} writer stopped (exit code {code})") from None

    def close(self) -> None:
        """End the render process: at once if it is still at work (nothing
        it does is wanted any more), else as the pool ends its processes."""
        if self._pool is None:
            return
        assert self._worker is not None, "a pool has its process"
        if not all(future.done() for future in self._sent):
            self._worker.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None


def _start(formats: tuple[str, ...]) -> None:
    """The render process's start: load the writers, while the command reads."""
    # Ctrl-C and SIGTERM are the parent's to handle: it ends this process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.nice(NICENESS)
    # what a writer makes lives until the process ends: no cycle collection
    # (see :func:`builder.readers.yaml_source.cycle_collector_paused`)
    gc.disable()
    for fmt in formats:
        try:
            writer(fmt)  # loading the writer is what this process is early for
        except Exception:  # noqa: BLE001, S112 - a broken installation: rendering loads it again and says what broke
            continue


def _render(fmt: str, jobs: list[Job]) -> list[bytes]:
    """Every document's ``fmt``, in the render process."""
    try:
        render = writer(fmt)
        return [render(document, layout) for document, layout in jobs]
    except Exception as error:
        import pickle

        try:
            pickle.loads(pickle.dumps(error))
        except Exception:  # noqa: BLE001 - one whose arguments do not fit its class cannot travel: its words can
            raise RuntimeError(f"{type(error).__name__}: {error}") from error
        raise


def kill_group(process: subprocess.Popen) -> None:
    """End ``process`` and every process it started (LibreOffice's soffice
    starts soffice.bin), then reap it. Windows has no process groups: there
    the process alone is ended."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
