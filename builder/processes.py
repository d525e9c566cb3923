"""The ``oversikt`` command's process machinery, all of it: the render
processes, what may be loaded before they are forked, the cycle collector,
SIGTERM, and how the command's process ends. Only the command line uses
this module; the library (:func:`builder.build.build`) renders in the
caller's process unless it is handed :class:`Renderers`, and nothing here is
needed for a correct result, only for a quicker one.

Why render processes: a build's time goes mostly to loading the writers'
libraries (a small edition) or to rendering (a large register), and the
formats share nothing once the document is assembled. So :class:`Renderers`
forks one process per format at the start: each loads its writer while this
process reads, checks and assembles the edition, then renders the documents
it is sent (pickled: a 5,000-agreement document in some 40 ms) and sends the
bytes back, or its error with the traceback as text. That pays only if the
fork comes first: whatever is loaded before it is loaded by one process
while the other core waits. So the command loads argparse, the verbs'
argument definitions and the model, forks, and only then loads the rest
(``tests/test_processes.py`` guards this). Where there is no fork (Windows)
or only one core, where the machine is busy with other work, or with
``OVERSIKT_PROCESSES=0``, the formats render in this process, one after the
other (see :func:`forking`).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from builder.writers import NICENESS, writer

if TYPE_CHECKING:
    import subprocess

    from builder.model import Document, Layout

Job = tuple["Document", "Layout"]


class Terminated(KeyboardInterrupt):
    """SIGTERM (what a CI job's time-out sends), raised where the command
    happens to be, so that it stops as on Ctrl-C: what it was writing is
    put back and its temporaries removed."""


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a render process, as text (the
    frames cannot travel); it is the cause of the exception raised here."""

    def __str__(self) -> str:
        return self.args[0]


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
    """Whether :class:`Renderers` fork. Never where the system cannot or has
    one core, nor with ``OVERSIKT_PROCESSES=0``; always otherwise with
    ``OVERSIKT_PROCESSES=1``; by default when the other cores are idle.

    Why the default looks at the load: measured on a 2-core machine (docs/utvikling.md,
    "The benchmark"), the processes gain when a core is free, and lose when other
    work keeps the cores busy: they cost more CPU time in all (the model is
    loaded twice, the document pickled), and they step back (``os.nice``)
    for every other process, not only for this one.
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
    """The render processes of one build; use as a context manager, which
    stops any that were never sent work (a build that found errors)."""

    def __init__(self, formats: tuple[str, ...]):
        # every format's writer needs the model: loaded once, before the fork
        import builder.model  # noqa: F401

        self.formats = formats
        self._workers: dict[str, _Worker] = {}
        for fmt in formats if forking() else ():
            # a child must not hold the pipes of the workers before it: a
            # worker reads its jobs until every writing end is closed
            inherited = [end for worker in self._workers.values() for end in worker.ends()]
            self._workers[fmt] = _Worker(fmt, inherited)

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def render(self, jobs: list[Job]) -> list[dict[str, bytes]]:
        """Every format's bytes for every (document, layout), in order; a
        writer's exception is raised here. Renders once per Renderers."""
        if not self._workers:
            return [{fmt: writer(fmt)(document, layout) for fmt in self.formats} for document, layout in jobs]
        payload = pickle.dumps(jobs, protocol=pickle.HIGHEST_PROTOCOL)
        for worker in self._workers.values():
            worker.send(payload)
        results = {fmt: worker.receive() for fmt, worker in self._workers.items()}
        return [{fmt: results[fmt][index] for fmt in self.formats} for index in range(len(jobs))]

    def close(self) -> None:
        for worker in self._workers.values():
            worker.stop()


# What a render process answers: its bytes, the error its writer raised, or
# why the writer could not be loaded; the last two with the traceback as text
_RENDERED, _FAILED, _NOT_LOADED = "rendered", "failed", "not loaded"


class _Worker:
    """One forked process that renders one format."""

    def __init__(self, fmt: str, inherited: list[int]):
        self.fmt = fmt
        jobs_in, jobs_out = os.pipe()
        results_in, results_out = os.pipe()
        # None once sent, received or stopped
        self._jobs_out: int | None = jobs_out
        self._results_in: int | None = results_in
        self.pid: int | None = os.fork()
        if self.pid == 0:  # the child: never returns, whatever is raised in it
            try:
                for end in (jobs_out, results_in, *inherited):
                    os.close(end)
                _serve(fmt, jobs_in, results_out)
            finally:
                os._exit(1)
        os.close(jobs_in)
        os.close(results_out)

    def ends(self) -> list[int]:
        """This process's ends of the worker's pipes that are still open."""
        return [end for end in (self._jobs_out, self._results_in) if end is not None]

    def send(self, payload: bytes) -> None:
        descriptor, self._jobs_out = self._jobs_out, None
        assert descriptor is not None, "a worker renders once (Renderers.render)"
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(payload)
        except BrokenPipeError:
            pass  # it is gone; receive() says why

    def receive(self) -> list[bytes]:
        descriptor, self._results_in = self._results_in, None
        assert descriptor is not None and self.pid is not None, "a worker renders once (Renderers.render)"
        with os.fdopen(descriptor, "rb") as stream:
            answer = stream.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not answer:  # it died without a word (killed, out of memory)
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM:
                raise Terminated  # sent to the whole process group: this process ends as it would itself
            raise RuntimeError(f"the {self.fmt} writer stopped (exit code {os.waitstatus_to_exitcode(status)})")
        kind, *value = pickle.loads(answer)
        if kind == _RENDERED:
            return value[0]
        error, text = value
        if kind == _NOT_LOADED:
            error = RuntimeError(f"the {self.fmt} writer could not be loaded ({error})")
        error.__cause__ = RemoteTraceback(text)
        raise error

    def stop(self) -> None:
        """End a worker that has no answer coming or wanted: it writes
        nothing anywhere, so it is simply killed."""
        for descriptor in (self._jobs_out, self._results_in):
            if descriptor is not None:
                os.close(descriptor)
        self._jobs_out = self._results_in = None
        if self.pid is not None:  # not waited for yet, so it is there, running or ended
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None


def _serve(fmt: str, jobs_in: int, results_out: int) -> NoReturn:
    """The child's life: load the writer, render what comes, answer, exit
    without running the parent's exit handlers or flushing its buffers."""
    code = 0
    try:
        # Ctrl-C and SIGTERM are the parent's to handle: it ends this process
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # the reading process is the one the others wait for: while it reads,
        # it comes first (a renderer's own work waits for it anyway); of the
        # renderers, the one that takes longest (the PDF) comes next
        os.nice(NICENESS.get(fmt, 10))
        # what a writer makes lives until the process ends: no cycle collection
        # (see :func:`builder.readers.yaml_source.cycle_collector_paused`)
        gc.disable()
        try:
            render = writer(fmt)  # loading the writer is what this process is early for
        except BaseException as error:  # noqa: BLE001 - a broken installation: the parent says what broke
            code = 1
            _answer(results_out, (_NOT_LOADED, f"{type(error).__name__}: {error}", _traceback(error)))
        else:
            with os.fdopen(jobs_in, "rb") as stream:
                payload = stream.read()
            if payload:
                answer: tuple
                try:
                    answer = (_RENDERED, [render(document, layout) for document, layout in pickle.loads(payload)])
                except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
                    answer = (_FAILED, error, _traceback(error))
                _answer(results_out, answer)
    except BaseException:  # noqa: BLE001 - the parent sees the silence and says so
        code = 1
    finally:
        os._exit(code)


def _answer(results_out: int, answer: tuple) -> None:
    try:
        data = pickle.dumps(answer)
        if answer[0] != _RENDERED:
            pickle.loads(data)  # an exception whose arguments do not fit its class pickles, but cannot be unpickled
    except Exception:  # noqa: BLE001 - an exception that cannot travel: its words can
        kind, error, text = answer
        data = pickle.dumps((kind, RuntimeError(f"{type(error).__name__}: {error}"), text))
    with os.fdopen(results_out, "wb") as stream:
        stream.write(data)


def _traceback(error: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(error))


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
