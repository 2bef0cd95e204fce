"""A map over ``n`` items shared between this process and a forked child, merged in order.

:func:`shared_map` cuts ``range(n)`` into chunks and puts their numbers in a pipe; this process
and one forked child (:class:`graphkit.parallel.Forked`) take chunk numbers from it until it is
empty (a 4-byte read from a pipe is atomic: each chunk is taken exactly once), so whichever
process gets more of the CPU does more chunks -- the split balances itself however busy the
machine is (the build's similarity process runs at the same time).  The child sends its
chunks' results back in one pickled answer when the queue is empty; the results are merged by
chunk number, so the list is the same whoever computed what.  ``fn(lo, hi)`` must therefore
be a pure function of its range (caches are fine: they change speed, never answers) and return
small, picklable values (plain tuples pickle fastest).

``before()``, if given, runs here right after the fork, while the child already takes chunks:
work this process must do anyway that does not need the map's results (the child has a head
start, and nothing waits for a serial step).

Errors: an exception here kills the child and is raised; an exception in the child (or a
child that dies) is raised here once this process has done the remaining chunks (no hang: the
queue only empties).  Interrupted (SIGINT, SIGTERM turned into SystemExit), the child is killed
before the exception goes on.

>>> shared_map(lambda lo, hi: [i * i for i in range(lo, hi)], 10, forked=True, chunk=3)
[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]
"""

from __future__ import annotations

import os
import sys
from array import array
from collections.abc import Callable, Iterator
from typing import Any

from . import parallel

__all__ = ["shared_map", "chunk_size"]

_ITEM = array("i").itemsize  # bytes per chunk number in the queue
#: The most chunks a map is cut into: their numbers fill 16 KiB, well within the 64 KiB a Linux
#: pipe holds (the queue is written whole before anyone reads it).
_MAX_CHUNKS = 4096


def chunk_size(n: int, *, chunks: int = 256, least: int = 16) -> int:
    """Items per chunk for ``n`` items: about ``chunks`` chunks (so the two processes end within
    a chunk of each other), never fewer than ``least`` items (the per-chunk overhead).

    >>> chunk_size(74_728), chunk_size(100)
    (292, 16)
    """
    return max(least, -(-n // chunks))


def shared_map(
    fn: Callable[[int, int], list[Any]],
    n: int,
    *,
    forked: bool,
    chunk: int | None = None,
    before: Callable[[], Any] | None = None,
) -> list[Any]:
    """``fn(0, n)`` -- the concatenated results of ``fn(lo, hi)`` over chunks of ``range(n)`` --
    computed by this process and, when ``forked`` (and forking is available, and there is more
    than one chunk), a forked child (module doc).  ``before()`` runs first here, in either case."""
    # at most _MAX_CHUNKS: the queue must fit in a pipe's buffer (nobody reads while it fills)
    chunk = max(chunk or chunk_size(n), -(-n // _MAX_CHUNKS), 1)
    bounds = [(lo, min(lo + chunk, n)) for lo in range(0, n, chunk)]
    if not forked or not parallel.can_fork() or len(bounds) < 2:
        if before is not None:
            before()
        return fn(0, n)
    read_fd, write_fd = os.pipe()
    try:
        _fill(write_fd, len(bounds))
    finally:
        os.close(write_fd)  # the queue is complete: an empty read means no chunk is left
    try:
        job = parallel.Forked(_take_all, fn, bounds, read_fd)
        try:
            if before is not None:
                before()
            mine = _take_all(fn, bounds, read_fd)
            theirs = job.result()
        except BaseException:
            job.cancel()
            raise
    finally:
        os.close(read_fd)
    done = dict(mine)
    done.update(theirs)
    if len(done) != len(bounds):  # cannot happen: every chunk is taken once, by one of us
        raise RuntimeError(f"shared map: {len(bounds) - len(done)} chunk(s) lost")
    return [x for k in range(len(bounds)) for x in done[k]]


def _fill(write_fd: int, count: int) -> None:
    """Write the chunk numbers ``0 .. count-1`` into the queue."""
    view = memoryview(array("i", range(count)).tobytes())
    while view:
        view = view[os.write(write_fd, view) :]


def _chunks(read_fd: int) -> Iterator[int]:
    """Chunk numbers taken from the queue until it is empty."""
    while True:
        raw = os.read(read_fd, _ITEM)
        if len(raw) < _ITEM:
            return
        yield int.from_bytes(raw, sys.byteorder, signed=True)


def _take_all(
    fn: Callable[[int, int], list[Any]], bounds: list[tuple[int, int]], read_fd: int
) -> list[tuple[int, list[Any]]]:
    """Take chunks until none is left; their numbers and results."""
    return [(k, fn(*bounds[k])) for k in _chunks(read_fd)]
