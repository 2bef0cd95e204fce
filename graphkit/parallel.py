"""Jobs: a function run inline, in a forked child or in a spawned interpreter, behind one
interface (``result()`` waits and returns its value or raises its error, ``cancel()`` stops it),
and the :class:`ExecutionPlan` that says which, decided once per build.

A build has long stretches of work that only read a finished structure -- betweenness on the
converted graph, writing GraphML and GEXF from the styled graph.  :class:`Forked` runs such a job
in a child made with ``os.fork()``: the child sees the parent's memory as it was at the fork
(copy-on-write, nothing is pickled on the way in), runs the function, and sends its return
value back through a pipe (pickled; keep it small -- an array, a list of paths).
:class:`Spawned` (:mod:`graphkit.spawned`, re-exported here) runs a job in a fresh interpreter
(for libraries that are not fork-safe once used, such as OpenMP pools): its arguments are
pickled, so give it plain data.  Its interpreter can be started ahead (:func:`warm_up`) so that
its start-up overlaps other work.
:class:`Inline` runs the job here and now; :func:`start` picks one by name and falls back to
inline where forking is not available (Windows, macOS), so callers never need two code paths.

Rules for jobs: no terminal output (the parent owns it), no threads or OpenMP pools in a forked
child (it inherits only the forking thread), results returned, not written into shared objects.

>>> job = start("forked", sum, [1, 2, 3])
>>> job.result()
6
>>> try:
...     Forked(int, "x").result()
... except ValueError as exc:
...     print(exc)
invalid literal for int() with base 10: 'x'
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .errors import GraphkitError
from .spawned import WORKER_HINT, Spawned, cool_down, die_with_parent, warm_up

if TYPE_CHECKING:
    from .config import Config

__all__ = [
    "gc_paused",
    "Job",
    "Inline",
    "Forked",
    "Spawned",
    "Mode",
    "start",
    "at_low_priority",
    "LOW_PRIORITY",
    "can_fork",
    "warm_up",
    "cool_down",
    "die_with_parent",
    "ExecutionPlan",
    "plan_execution",
    "estimated_papers",
    "PARALLEL_MIN_PAPERS",
    "FEATURES_MIN_PAPERS",
    "BYTES_PER_PAPER",
]

Mode = Literal["inline", "forked", "spawned"]


class Job(Protocol):
    """What every job offers."""

    def result(self) -> Any:
        """Wait for the job; its return value, or its exception raised here."""

    def cancel(self) -> None:
        """Stop the job if it still runs, and forget it."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a build (restored on the way out, nesting allowed).

    A build makes millions of objects that live until it ends (papers, features, edges,
    attribute dicts) and almost no reference cycles: every full collection walks all of them
    for nothing.  At 74,728 papers the features stage alone spent 29 of its 112 CPU-s in the
    collector (82.7 s with it paused, same output).  Reference counting still frees everything
    that is not in a cycle; the few cycles left are collected once the collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def can_fork() -> bool:
    """Whether :class:`Forked` really forks here (POSIX ``os.fork``, not macOS, where system
    frameworks are not fork-safe)."""
    return hasattr(os, "fork") and sys.platform != "darwin"


def start(mode: Mode, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
    """``fn(*args, **kwargs)`` as a job of ``mode`` (``"forked"`` runs inline where
    :func:`can_fork` is false).

    >>> start("inline", max, 2, 5).result()
    5
    """
    if mode == "spawned":
        return Spawned(fn, *args, **kwargs)
    if mode == "forked" and can_fork():
        return Forked(fn, *args, **kwargs)
    return Inline(fn, *args, **kwargs)


#: The niceness a job that is not urgent adds to its process (:func:`at_low_priority`).
LOW_PRIORITY = 10


def at_low_priority(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` after lowering this process's priority by :data:`LOW_PRIORITY`:
    for a job in a child whose answer is wanted only later (the early writers), so that it
    takes the CPU time the build's other processes leave instead of slowing them.  Only for
    a forked child: inline it would lower the build's own process."""
    with contextlib.suppress(OSError):
        os.nice(LOW_PRIORITY)
    return fn(*args, **kwargs)


class Inline:
    """``fn(*args, **kwargs)`` run here, now; :meth:`result` returns its value or raises its
    exception (as the other jobs do)."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        try:
            self._value = fn(*args, **kwargs)
        except Exception as exc:  # re-raised by result(), like the other jobs
            self._error = exc

    def result(self) -> Any:
        """The value, or the exception raised here."""
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self) -> None:
        """Nothing to stop."""

    def __enter__(self) -> Inline:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        pass


class Forked:
    """``fn(*args, **kwargs)`` in a forked child; :meth:`result` waits and returns its value.

    Use :func:`start` where forking may be unavailable (it falls back to :class:`Inline`).  An
    exception in the child is re-raised by :meth:`result` in the parent (the child's traceback
    is attached as a note); a child that dies without answering (killed, out of memory) raises
    :class:`~graphkit.errors.GraphkitError`.  :meth:`cancel` kills a child that is no longer
    wanted.  A ``Forked`` used as a context manager waits for its child when the block raises
    (a child writing files finishes or cleans up its temporary files; its own error, if any,
    is dropped in favour of the one already raised).
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        self._name = getattr(fn, "__qualname__", repr(fn))
        self._pid = 0
        self._fd = -1
        self._value: Any = None
        self._error: BaseException | None = None
        for stream in (sys.stdout, sys.stderr):  # or buffered text is printed twice
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        read_fd, write_fd = os.pipe()
        # objects that exist now are left out of both processes' garbage collections until the
        # job is collected: a full collection writes to every object, which would copy every
        # shared page of the heap (and costs ~1 s per pass over a 75k-paper build anyway)
        _freeze()
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork in a process with threads; ours are idle library
            # pools (BLAS, progress display) that the child never uses
            warnings.simplefilter("ignore", DeprecationWarning)
            parent = os.getpid()
            pid = os.fork()
        if pid == 0:  # the child: run, answer, leave without running the parent's cleanup
            os.close(read_fd)
            die_with_parent(parent)
            code = 0
            try:
                payload = pickle.dumps(("ok", fn(*args, **kwargs)), pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 -- everything goes back to the parent
                code = 1
                payload = _pickled_error(exc)
            try:
                with os.fdopen(write_fd, "wb") as fh:
                    fh.write(payload)
            except BaseException:  # noqa: BLE001
                code = 2
            os._exit(code)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> Any:
        """Wait for the job; its return value, or its exception raised here."""
        if self._pid:
            self._collect()
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self) -> None:
        """Kill the child (if still running) and forget it."""
        if not self._pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        if self._fd >= 0:  # (-1: closed by a result() that a signal interrupted)
            os.close(self._fd)
        os.waitpid(self._pid, 0)
        self._pid, self._fd = 0, -1
        _thaw()

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if exc_type is not None and self._pid:
            self._collect()

    def __del__(self) -> None:
        if getattr(self, "_pid", 0):
            self.cancel()

    def _collect(self) -> None:
        # the pipe is closed on the way out, even when a signal interrupts the read (SIGTERM
        # raising SystemExit): cancel() then still kills and reaps the child
        fd, self._fd = self._fd, -1
        with os.fdopen(fd, "rb") as fh:
            payload = fh.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid, self._fd = 0, -1
        _thaw()
        if not payload:
            how = (
                f"was killed by signal {os.WTERMSIG(status)}"
                if os.WIFSIGNALED(status)
                else f"exited with code {os.waitstatus_to_exitcode(status)}"
            )
            self._error = GraphkitError(
                f"the worker process running {self._name} {how} without an answer",
                hint=WORKER_HINT,
            )
            return
        tag, value = pickle.loads(payload)
        if tag == "ok":
            self._value = value
        else:
            self._error = value


_frozen = 0  # running forked jobs; the collector is frozen while there is one


def _freeze() -> None:
    global _frozen
    _frozen += 1
    gc.freeze()


def _thaw() -> None:
    global _frozen
    _frozen = max(0, _frozen - 1)
    if _frozen == 0:
        gc.unfreeze()


def _pickled_error(exc: BaseException) -> bytes:
    """The child's exception, pickled with its traceback as a note (or a stand-in if the
    exception itself cannot be pickled)."""
    text = "".join(traceback.format_exception(exc))
    try:
        exc.add_note("in the forked worker:\n" + text)
        return pickle.dumps(("err", exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001
        return pickle.dumps(
            ("err", GraphkitError(f"worker process failed: {exc!r}\n{text}")),
            pickle.HIGHEST_PROTOCOL,
        )


# --------------------------------------------------------------------------- the plan

#: Below this many papers everything runs in one process (a second one costs more than it saves).
PARALLEL_MIN_PAPERS = 5000
#: From this many papers on the feature stage shares its per-paper work with a forked child
#: (:func:`graphkit.shared_map.shared_map`; ~1 ms of work per paper, a fork ~10 ms).
FEATURES_MIN_PAPERS = 2000
#: Input bytes per paper, to guess the paper count before reading (arXiv-style JSON records are
#: ~1,200 bytes; compressed files count 4×).
BYTES_PER_PAPER = 1200
_COMPRESSED = (".gz", ".bz2", ".xz", ".zip")


@dataclass(frozen=True)
class ExecutionPlan:
    """Where each parallel part of a build runs, decided once by :func:`plan_execution`.

    ``features``: the feature stage's per-paper work ("forked": shared with a forked child,
    chunk by chunk, :func:`graphkit.shared_map.shared_map`; or "inline"); ``similarity``:
    TF-IDF + similarity ("spawned" while this process extracts features, or
    "inline"; "off" when no similarity edges are wanted); ``analysis``: PageRank, betweenness
    and eigenvector ("forked" while this process finds communities and lays out, or "inline");
    ``early_writers``: the outputs that need only the assembled graph (the related index:
    ``OutputWriter.early``) -- "forked" as soon as the graph is assembled, at low priority
    (:func:`at_low_priority`: it fills the time analysis, layout and the centralities' child
    leave, it is wanted only at the end), or "inline" with the other writers; ``writers``: the other outputs
    ("forked": split by :func:`graphkit.outputs.split_writers` into two halves of about equal
    cost, one written here and one in a forked child, after one shared scan of the graph; or
    "inline").  Outputs are the same bytes whatever the plan.

    >>> from graphkit.config import Config
    >>> plan_execution(Config(workers=2), 10_000).similarity
    'spawned'
    >>> plan_execution(Config(workers=1), 10_000).analysis
    'inline'
    >>> plan_execution(Config(workers=2, edges=("keyword",)), 10_000).similarity
    'off'
    """

    processes: int
    similarity: Literal["off", "inline", "spawned"]
    analysis: Mode
    early_writers: Mode
    writers: Mode
    features: Mode = "inline"

    @property
    def parallel(self) -> bool:
        """Whether any part runs in a second process."""
        forked = (self.features, self.analysis, self.early_writers, self.writers)
        return any(m != "inline" for m in forked) or self.similarity == "spawned"


def plan_execution(config: Config, n_papers: int) -> ExecutionPlan:
    """The plan for building ``n_papers`` papers with ``config``: a second process when
    ``config.workers`` ≥ 2 (0 = one per core) and there are at least :data:`PARALLEL_MIN_PAPERS`
    papers (for the feature stage, :data:`FEATURES_MIN_PAPERS`)."""
    processes = config.workers or (os.cpu_count() or 1)
    similarity = "similarity" in config.edges
    two = processes >= 2 and n_papers >= PARALLEL_MIN_PAPERS
    features = processes >= 2 and n_papers >= FEATURES_MIN_PAPERS
    return ExecutionPlan(
        processes=processes if two or features else 1,
        features="forked" if features else "inline",
        similarity=("spawned" if two else "inline") if similarity else "off",
        analysis="forked" if two else "inline",
        early_writers="forked" if two else "inline",
        writers="forked" if two else "inline",
    )


def estimated_papers(paths: Iterable[str | os.PathLike[str]]) -> int:
    """A guess at the number of papers in ``paths`` from their size (before reading them), for
    starting a second process ahead (see :func:`warm_up`)."""
    total = 0
    for p in map(Path, paths):
        files = [f for f in p.rglob("*") if f.is_file()] if p.is_dir() else [p]
        for f in files:
            try:
                size = f.stat().st_size
            except OSError:
                continue
            total += size * (4 if f.suffix.lower() in _COMPRESSED else 1)
    return int(total // BYTES_PER_PAPER)
