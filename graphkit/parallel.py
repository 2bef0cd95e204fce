"""Run a function in a forked child while the caller goes on: the second core, without copies.

A build has long stretches of work that only read a finished structure -- betweenness on the
converted graph, writing GraphML and GEXF from the styled graph.  :class:`Forked` runs such a job
in a child made with ``os.fork()``: the child sees the parent's memory as it was at the fork
(copy-on-write, nothing is pickled on the way in), runs the function, and sends its return
value back through a pipe (pickled; keep it small -- an array, a list of paths).  Where fork is
not available (Windows) or not wanted, the job runs inline at construction, so callers never
need two code paths.

Rules for jobs: no terminal output (the parent owns it), no threads or OpenMP pools (a forked
child inherits only the forking thread), results returned, not written into shared objects.

>>> job = Forked(sum, [1, 2, 3])
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
from collections.abc import Callable
from typing import Any

from .errors import GraphkitError

__all__ = ["Forked", "can_fork"]


def can_fork() -> bool:
    """Whether :class:`Forked` really forks here (POSIX ``os.fork``, not macOS, where system
    frameworks are not fork-safe)."""
    return hasattr(os, "fork") and sys.platform != "darwin"


class Forked:
    """``fn(*args, **kwargs)`` in a forked child; :meth:`result` waits and returns its value.

    With ``fork=False`` (or where :func:`can_fork` is false) the call runs inline, now.  An
    exception in the child is re-raised by :meth:`result` in the parent (the child's traceback
    is attached as a note); a child that dies without answering (killed, out of memory) raises
    :class:`~graphkit.errors.GraphkitError`.  :meth:`cancel` kills a child that is no longer
    wanted.  A ``Forked`` used as a context manager waits for its child when the block raises
    (a child writing files finishes or cleans up its temporary files; its own error, if any,
    is dropped in favour of the one already raised).
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True, **kwargs: Any):
        self._name = getattr(fn, "__qualname__", repr(fn))
        self._pid = 0
        self._fd = -1
        self._value: Any = None
        self._error: BaseException | None = None
        if not (fork and can_fork()):
            try:
                self._value = fn(*args, **kwargs)
            except Exception as exc:  # re-raised by result(), like the forked path
                self._error = exc
            return
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
            pid = os.fork()
        if pid == 0:  # the child: run, answer, leave without running the parent's cleanup
            os.close(read_fd)
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
        with os.fdopen(self._fd, "rb") as fh:
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
                hint="Out of memory? Rerun with --workers 1 to do everything in one process.",
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
