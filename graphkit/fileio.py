"""Atomic file writing: outputs appear whole or not at all.

Writers build bytes first and hand them here; the bytes go to a temporary file in the target
folder which is then renamed over the target, so a failed run never leaves a half-written file.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = atomic_write_bytes(d / "x.txt", b"hello")
>>> (d / "x.txt").read_bytes()
b'hello'
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import os
import re
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from .errors import OutputError

__all__ = [
    "Target",
    "atomic_write_bytes",
    "printable",
    "atomic_writer",
    "target_file",
    "write_target",
    "written_bytes",
]

#: Characters that would break a one-line message or a JSON string: C0/C1 controls, the line
#: and paragraph separators, lone surrogates (undecodable bytes of a file name, kept by
#: ``os.fsdecode`` as U+DC80..U+DCFF); and the bidi embeddings, overrides and isolates, with
#: which a file name shows as another (``a\u202egpj.exe`` as "aexe.jpg").
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if "\udc80" <= ch <= "\udcff":  # a byte of a file name that is not UTF-8
        return f"\\x{ord(ch) - 0xDC00:02x}"
    return ch.encode("unicode_escape").decode("ascii")


def printable(text: object) -> str:
    """``text`` (a path, a message) on one line and valid UTF-8: a newline in a file name becomes
    ``\\n``, a byte that is not UTF-8 ``\\xff`` (as ``ls -b`` shows them), so a message
    stays one line and a manifest can always be written.

    >>> printable("new\\nline.csv"), printable(b"caf\\xe9.csv".decode("utf-8", "surrogateescape"))
    ('new\\\\nline.csv', 'caf\\\\xe9.csv')
    """
    text = os.fspath(text) if isinstance(text, os.PathLike) else str(text)
    return _UNPRINTABLE.sub(_escape, text)


#: Where a writer writes: a path (written atomically) or an open binary file.
Target = str | os.PathLike[str] | IO[bytes]


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a temporary binary file beside ``path``; rename it onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` is left untouched.  A ``path``
    that is a device or a FIFO (``/dev/stdout``, a pipe) is written in place instead; a folder
    is an :class:`~graphkit.errors.OutputError`.
    """
    target = Path(path)
    kind = _kind(target)
    if kind == "folder":
        raise OutputError(f"{target} is a folder", hint="Give the name of a file to write.")
    if kind == "special":  # /dev/stdout, a pipe: written in place, never renamed over
        try:
            fh = open(target, "wb")  # noqa: SIM115
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
        with fh:
            yield fh
        return
    # A termination signal between creating the temporary file and entering the clean-up
    # below would leave it behind: such signals wait (blocked) until the clean-up is in place,
    # and their handler then runs inside it, when the mask is restored.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _TERMINATING)
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _sweep_temporaries(target)
            fd, tmp = _locked_temporary(target)
            try:  # the lock lives until the rename: a sweeper never takes a finished file
                lock = os.dup(fd)
            except OSError:
                os.close(fd)
                os.unlink(tmp)
                raise
        except OSError as exc:
            raise OutputError(
                f"cannot write {target}: {exc.strerror or exc}",
                hint="Choose another output folder with -o.",
            ) from exc
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending signal's handler runs here
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        os.close(lock)


#: The signals that end a command (cli.main turns them into an exit), blocked while a temporary
#: file is created.
_TERMINATING = frozenset((signal.SIGINT, signal.SIGTERM, signal.SIGHUP))
#: mkstemp's random part: 8 characters of this alphabet.
_TEMP_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _locked_temporary(target: Path) -> tuple[int, str]:
    """A new temporary file ``.<name>.XXXXXXXX.tmp`` beside ``target``, ``flock``-ed while its
    writer lives: a free lock means its writer was killed (SIGKILL, a power cut), and the next
    write of ``target`` removes it (:func:`_sweep_temporaries`)."""
    for _ in range(10):
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            return fd, tmp  # no locks on this file system: nothing is ever swept here either
        if os.fstat(fd).st_nlink:
            return fd, tmp
        os.close(fd)  # another writer swept it between mkstemp and flock: take another
    raise OSError(errno.EAGAIN, "temporary files keep vanishing", str(target.parent))


def _sweep_temporaries(target: Path) -> None:
    """Remove the temporary files of ``target`` that a killed writer left (their lock is free);
    those of live writers (a concurrent export of the same file) are locked and stay."""
    prefix = f".{target.name}."
    size = len(prefix) + 8 + len(".tmp")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if len(name) != size or not name.startswith(prefix) or not name.endswith(".tmp"):
            continue
        if not _TEMP_CHARS.issuperset(name[len(prefix) : -4]):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(entry.path)
        except OSError:
            pass  # locked: its writer is alive (or no locks here): leave it
        finally:
            os.close(fd)


def _kind(target: Path) -> str:
    """``"file"`` (or nothing there yet), ``"folder"``, or ``"special"``: a device, FIFO or
    socket, which a rename would replace (as root, ``-o /dev/null`` would swap the device
    for a regular file)."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return "file"
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "special"


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_writer(path) as fh:
        fh.write(data)
    return Path(path)


@contextlib.contextmanager
def target_file(target: Target) -> Iterator[IO[bytes]]:
    """The one "path or open binary file" rule (networkx style): an open file as it is, a path
    through :func:`atomic_writer`.

    >>> import io
    >>> buf = io.BytesIO()
    >>> with target_file(buf) as fh:
    ...     _ = fh.write(b"x")
    >>> buf.getvalue()
    b'x'
    """
    if hasattr(target, "write"):
        yield target  # type: ignore[misc]
    else:
        with atomic_writer(target) as fh:  # type: ignore[arg-type]
            yield fh


def write_target(target: Target, data: bytes) -> None:
    """Write bytes to a path (atomically) or to an already-open binary file object."""
    with target_file(target) as fh:
        fh.write(data)


def written_bytes(write: Callable[..., None], *args: Any) -> bytes:
    """What ``write(*args, buf)`` writes to a binary buffer ``buf``: a writer's ``*_bytes``."""
    buf = io.BytesIO()
    write(*args, buf)
    return buf.getvalue()
