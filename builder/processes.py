"""The ``oversikt`` command's process machinery, all of it: the render
process, the cycle collector, SIGTERM, and how the command's process ends.
Only the command line uses it; the library (:func:`builder.build.build`)
renders in the caller's process unless it is asked for ``processes``, and
nothing here is needed for a correct result, only for a quicker one.

Why a render process: a large register's build spends most of its time
rendering, the PDF most of all (at 5,000 x 8 more than the DOCX and HTML
together), and the formats share nothing once the documents are made. So
:func:`render_beside` forks, once the documents are assembled, one worker of
the standard library's process pool (:class:`concurrent.futures.ProcessPoolExecutor`
with the fork context), which renders the PDF of every document while this
process renders the other formats. The worker inherits the documents and
the fonts already loaded; nothing is pickled but the bytes it sends back.
Where there is no fork (Windows) or only one core, where the machine is
busy with other work, or with ``OVERSIKT_PROCESSES=0``, every format
renders in this process, one after the other (see :func:`forking`).
docs/utvikling.md ("The benchmark") has the figures: a process forked
before the content is read, loading the PDF writer meanwhile, was no
quicker, and cost more CPU time in all.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from builder.writers import writer

if TYPE_CHECKING:
    import subprocess
    from concurrent.futures import Future
    from multiprocessing.process import BaseProcess

    from builder.model import Document, Layout

Job = tuple["Document", "Layout"]

# The formats the render process renders, each of every document; the
# others render in this process meanwhile. The PDF: it takes longest.
IN_THE_RENDER_PROCESS = ("pdf",)


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
    """Whether :func:`render_beside` may fork a render process. Never where the
    system cannot or has one core, nor with ``OVERSIKT_PROCESSES=0``; always
    otherwise with ``OVERSIKT_PROCESSES=1``; by default unless other work
    keeps more than every core busy.

    Why the default looks at the load: measured on a 2-core machine
    (docs/utvikling.md, "The benchmark"), the render process saved 11 to 17 %
    at a load of 2 to 2.6, and lost up to 8 % at 4 to 6, when the CPU time
    it adds (forking, the PDF writer's import) is not repaid.
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
    return busy < cores + 1


def render_beside(jobs: Sequence[Job], formats: Sequence[str]) -> list[dict[str, bytes]]:
    """Every format's bytes for every (document, layout), in ``formats``'
    order: the PDF in a render process forked now, the others here
    meanwhile. A writer's exception is raised here; one raised in the
    render process has its traceback there, as text, as its cause. Call
    only where :func:`forking` allows."""
    elsewhere = [fmt for fmt in formats if fmt in IN_THE_RENDER_PROCESS]
    if not elsewhere:
        return [{fmt: writer(fmt)(*job) for fmt in formats} for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # a fork pool hands its worker the initializer's arguments by the fork
    # itself: the documents are inherited, not pickled
    pool = ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork"), initializer=_inherit, initargs=(list(jobs),)
    )
    futures: dict[str, Future] = {}
    workers: set[BaseProcess] = set()
    try:
        before = set(multiprocessing.active_children())
        # SIGTERM and Ctrl-C wait until the worker has its own handling (the
        # command's, inherited, would print a traceback there) and this
        # process knows it has a worker to end
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
        try:
            futures = {fmt: pool.submit(_render_inherited, fmt) for fmt in elsewhere}  # a fork pool forks now
            workers = set(multiprocessing.active_children()) - before
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        here = [{fmt: writer(fmt)(*job) for fmt in formats if fmt not in futures} for job in jobs]
        there = {fmt: _result(fmt, future, workers) for fmt, future in futures.items()}
    finally:
        if not all(future.done() for future in futures.values()):
            for worker in workers:  # an error here, or Ctrl-C: what it makes is not wanted any more
                worker.kill()
        pool.shutdown(wait=True, cancel_futures=True)
    return [
        {fmt: there[fmt][index] if fmt in there else files[fmt] for fmt in formats} for index, files in enumerate(here)
    ]


def _result(fmt: str, future: Future, workers: set[BaseProcess]) -> list[bytes]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:  # it died without a word (killed, out of memory)
        (worker,) = workers
        # the pool's own thread reaps the process too; where it gets there
        # first, this one's look finds nothing until that thread has noted
        # the exit code: look again for a while
        deadline = time.monotonic() + 2
        while worker.exitcode is None and time.monotonic() < deadline:
            worker.join(0.05)
        if worker.exitcode == -signal.SIGTERM:
            raise Terminated from None  # sent to the whole process group: this process ends as it would itself
        raise RuntimeError(f"the {fmt} writer stopped (exit code {worker.exitcode})") from None


# The documents, in the render process: handed over by the fork
_inherited: list[Job] = []


def _inherit(jobs: list[Job]) -> None:
    """The render process's start, in it."""
    # Ctrl-C and SIGTERM are the parent's to handle: it ends this process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    # what a writer makes lives until the process ends: no cycle collection
    # (see :func:`builder.readers.yaml_source.cycle_collector_paused`)
    gc.disable()
    _inherited[:] = jobs


def _render_inherited(fmt: str) -> list[bytes]:
    """Every document's ``fmt``, in the render process."""
    try:
        render = writer(fmt)
        return [render(document, layout) for document, layout in _inherited]
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
