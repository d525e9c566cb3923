"""Rendering in processes of their own, started before the content is read.

A build's time goes mostly to loading the writers' libraries (a small
edition) or to rendering (a large register), and the formats share nothing
once the document is assembled. So :class:`Renderers` forks one process per
format at the start: each loads its writer while this process reads,
checks and assembles the edition, then renders the documents it is sent
(pickled: a 5,000-agreement document in some 40 ms) and sends the bytes
back. Where there is no fork (Windows) or only one core, the formats
render here, one after the other.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from typing import TYPE_CHECKING

from builder.writers import NICENESS, writer

if TYPE_CHECKING:
    from builder.model import Document, Layout

Job = tuple["Document", "Layout"]


class Renderers:
    """The render processes of one build; use as a context manager, which
    stops any that were never sent work (a build that found errors)."""

    def __init__(self, formats: tuple[str, ...]):
        self.formats = formats
        forking = hasattr(os, "fork") and (os.cpu_count() or 1) >= 2
        self._workers: dict[str, _Worker] = {}
        for fmt in formats if forking else ():
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


class _Worker:
    """One forked process that renders one format."""

    def __init__(self, fmt: str, inherited: list[int]):
        self.fmt = fmt
        jobs_in, self._jobs_out = os.pipe()
        self._results_in, results_out = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            for end in (self._jobs_out, self._results_in, *inherited):
                os.close(end)
            _serve(fmt, jobs_in, results_out)
        os.close(jobs_in)
        os.close(results_out)

    def ends(self) -> list[int]:
        """This process's ends of the worker's pipes that are still open."""
        return [end for end in (self._jobs_out, self._results_in) if end is not None]

    def send(self, payload: bytes) -> None:
        descriptor, self._jobs_out = self._jobs_out, None
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(payload)
        except BrokenPipeError:
            pass  # it is gone; receive() says so

    def receive(self) -> list[bytes]:
        descriptor, self._results_in = self._results_in, None
        with os.fdopen(descriptor, "rb") as stream:
            answer = stream.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not answer:  # it died without a word (killed, out of memory)
            raise RuntimeError(f"the {self.fmt} writer stopped (exit code {os.waitstatus_to_exitcode(status)})")
        succeeded, value = pickle.loads(answer)
        if not succeeded:
            raise value
        return value

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


def _serve(fmt: str, jobs_in: int, results_out: int) -> None:
    """The child's life: load the writer, render what comes, answer, exit
    without running the parent's exit handlers or flushing its buffers."""
    code = 0
    # the reading process is the one the others wait for: while it reads,
    # it comes first (a renderer's own work waits for it anyway); of the
    # renderers, the one that takes longest (the PDF) comes next
    os.nice(NICENESS.get(fmt, 10))
    # what a writer makes lives until the process ends: no cycle collection
    # (see :func:`builder.readers.yaml_source.cycle_collector_paused`)
    gc.disable()
    try:
        render = writer(fmt)  # loading the writer is what this process is early for
        with os.fdopen(jobs_in, "rb") as stream:
            payload = stream.read()
        if payload:
            try:
                answer = pickle.dumps((True, [render(document, layout) for document, layout in pickle.loads(payload)]))
            except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
                try:
                    answer = pickle.dumps((False, error))
                except Exception:  # noqa: BLE001 - an exception that cannot travel: its words can
                    answer = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
            with os.fdopen(results_out, "wb") as stream:
                stream.write(answer)
    except BaseException:  # noqa: BLE001 - the parent sees the silence and says so
        code = 1
    finally:
        os._exit(code)
