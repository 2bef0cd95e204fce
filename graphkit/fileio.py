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
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from .errors import OutputError

__all__ = ["atomic_write_bytes", "atomic_writer", "write_target"]


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a temporary binary file beside ``path``; rename it onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` is left untouched.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}",
            hint="Choose another output folder with -o.",
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_writer(path) as fh:
        fh.write(data)
    return Path(path)


def write_target(target: str | os.PathLike[str] | IO[bytes], data: bytes) -> None:
    """Write bytes to a path (atomically) or to an already-open binary file object.

    This is how every writer accepts "a path or an open binary file" (networkx style).
    """
    if hasattr(target, "write"):
        target.write(data)  # type: ignore[union-attr]
    else:
        atomic_write_bytes(target, data)  # type: ignore[arg-type]
