"""Spawned jobs: a function run in a fresh Python interpreter (:class:`Spawned`), whose start-up
can overlap other work (:func:`warm_up`), and :func:`die_with_parent`, which every worker process
(spawned or forked) calls first so that a killed build leaves none behind.

A spawned interpreter is for libraries that are not fork-safe once used (OpenMP pools such as
sparse_dot_topn's): its job and arguments are pickled, so give it plain data.  The callers use
it through :mod:`graphkit.parallel` (``parallel.start("spawned", ...)``, ``parallel.warm_up``).

>>> Spawned(sum, [1, 2, 3]).result()
6
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing as mp
import os
import signal
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .errors import GraphkitError

__all__ = ["Spawned", "warm_up", "cool_down", "die_with_parent", "WORKER_HINT"]

#: The hint of the error a worker that dies without answering raises.
WORKER_HINT = "Out of memory? Rerun with --workers 1 to do everything in one process."


def die_with_parent(parent: int) -> None:
    """Make this (child) process die when the process ``parent`` does, even by SIGKILL: a
    killed build leaves no worker computing for nobody.  Linux ``prctl(PR_SET_PDEATHSIG)``;
    elsewhere the child ends when it next talks to its parent."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the prctl took effect
        os._exit(1)


def _serve(conn: Any, preload: tuple[str, ...], parent: int) -> None:
    """Body of a spawned interpreter: import ``preload``, then run the one ``(fn, args,
    kwargs)`` received on ``conn`` and answer ``("ok", value)`` or ``("err", exception)``."""
    die_with_parent(parent)
    for name in preload:
        importlib.import_module(name)
    try:
        fn, args, kwargs = conn.recv()
    except EOFError:  # the parent decided it does not need us
        return
    try:
        answer: tuple = ("ok", fn(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 -- reported by the parent
        answer = ("err", exc)
    try:
        conn.send(answer)
    except Exception:  # noqa: BLE001 -- e.g. an exception that cannot be pickled
        conn.send(("err", GraphkitError(f"worker process failed: {answer[1]!r}")))
    conn.close()


@contextlib.contextmanager
def _main_not_rerun() -> Iterator[None]:
    """Start a spawned interpreter without re-running the caller's ``__main__`` in it (what
    ``spawn`` does by default, so that jobs may be functions of the main script): a job here
    is a graphkit function, so a library caller's script needs no
    ``if __name__ == "__main__":`` guard (unguarded, its child would start the build again)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class _Interpreter:
    """A spawned Python waiting for one job (a daemon: it never outlives its parent)."""

    def __init__(self, preload: Iterable[str] = ()) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child_end = ctx.Pipe()
        self.proc = ctx.Process(
            target=_serve,
            args=(child_end, tuple(preload), os.getpid()),
            name="graphkit-worker",
            daemon=True,
        )
        with _main_not_rerun():
            self.proc.start()
        child_end.close()

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()
        self.conn.close()


_warm: _Interpreter | None = None  # started by warm_up(), taken by the next Spawned job


def warm_up(*preload: str) -> None:
    """Start the interpreter of the next :class:`Spawned` job now, importing the modules
    ``preload`` meanwhile, so that its start-up overlaps whatever the caller does next.
    :func:`cool_down` stops it if no job took it."""
    global _warm
    if _warm is None:
        _warm = _Interpreter(preload)


def cool_down() -> None:
    """Stop the interpreter :func:`warm_up` started, if no job has taken it."""
    global _warm
    if _warm is not None:
        _warm.stop()
        _warm = None


class Spawned:
    """``fn(*args, **kwargs)`` in a spawned interpreter (the warm one, if :func:`warm_up`
    started one); ``fn`` and the arguments are pickled, so give plain data.

    A job that dies without answering raises :class:`~graphkit.errors.GraphkitError`; its
    exception is re-raised by :meth:`result`.  Spawned, not forked: a forked child deadlocks in
    OpenMP-using libraries (sparse_dot_topn) once the parent has used them.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        global _warm
        self._name = getattr(fn, "__qualname__", repr(fn))
        self._worker, _warm = (_warm or _Interpreter()), None
        self._answer: tuple | None = None
        self._worker.conn.send((fn, args, kwargs))

    def result(self) -> Any:
        """Wait for the job; its return value, or its exception raised here."""
        if self._answer is None and self._worker is not None:
            worker, self._worker = self._worker, None
            try:
                self._answer = worker.conn.recv()
            except EOFError:
                self._answer = ("died", worker.proc)
            finally:
                worker.conn.close()
                worker.proc.join()
        if self._answer is None:
            return None  # cancelled
        tag, value = self._answer
        if tag == "ok":
            return value
        if tag == "err":
            raise value
        raise GraphkitError(
            f"the worker process running {self._name} ended without an answer "
            f"(exit code {value.exitcode})",
            hint=WORKER_HINT,
        )

    def cancel(self) -> None:
        """Stop the interpreter (a build that failed, or an answer no longer wanted)."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    @property
    def process(self) -> Any:
        """The ``multiprocessing.Process`` running the job (None once collected)."""
        return self._worker.proc if self._worker is not None else None
