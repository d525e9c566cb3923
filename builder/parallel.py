"""Rendering several formats at once, one process each.

The writers share nothing once the document is assembled, and a large
register takes seconds per format, so on a machine with more than one core
every format but the last renders in a forked child while this process
renders the last. A fork shares the assembled document without copying or
pickling it; where there is no fork (Windows), or only one core or one
format, the formats render one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable

Job = Callable[[], bytes]


def run_all(jobs: dict[str, Job]) -> dict[str, bytes]:
    """The bytes of every job, in the order given; a job's exception is raised here."""
    names = list(jobs)
    if len(names) < 2 or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return {name: jobs[name]() for name in names}
    context = multiprocessing.get_context("fork")
    children = {}
    for name in names[:-1]:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(jobs[name], sender), daemon=True)
        child.start()
        sender.close()
        children[name] = (child, receiver)
    results = {names[-1]: jobs[names[-1]]()}
    for name, (child, receiver) in children.items():
        try:
            succeeded, payload = receiver.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            succeeded, payload = False, RuntimeError(f"the {name} writer stopped (exit code {child.exitcode})")
        child.join()
        if not succeeded:
            raise payload
        results[name] = payload
    return {name: results[name] for name in names}


def _child(job: Job, sender) -> None:
    try:
        sender.send((True, job()))
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        sender.send((False, error))
    finally:
        sender.close()
