"""Inputs that are streams, not files: standard input (``-``) and FIFOs (a shell's
``<(zcat x.gz)``), copied into an unnamed temporary file and read like a file whose format is
sniffed from its content.  Used by :mod:`.corpus`.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ..errors import IngestError
from ..model import Paper
from .dispatch import FileReport, _suffix, detect_format, read_file

__all__ = ["STDIN", "MAX_STREAM_BYTES", "FIFO_WAIT_S", "read_stream"]


#: The input name that means standard input (``cat papers.bib | graphkit build -``).
STDIN = "-"
#: The most bytes read from a stream (stdin, a pipe): far beyond a corpus graphkit builds
#: (100,000 papers are some 200 MB), short of filling the temporary folder's disk.
MAX_STREAM_BYTES = 2 << 30


#: How long a FIFO named as input may stay without a writer before that is an error (a
#: shell's ``<(zcat x.gz)`` has one at once; a forgotten ``mkfifo`` never gets one).
FIFO_WAIT_S = 30.0


def _open_fifo(path: Path, name: str):  # noqa: ANN202 -- a binary file
    """Open a FIFO for reading without hanging when no process ever writes to it."""
    import select

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a plain open waits for a writer
    except OSError as exc:
        raise IngestError(
            name, f"cannot open: {exc.strerror or exc}", hint="Check the path."
        ) from exc
    poll = select.poll()
    poll.register(fd, select.POLLIN | select.POLLHUP)
    if not poll.poll(FIFO_WAIT_S * 1000):
        os.close(fd)
        raise IngestError(
            name,
            f"a FIFO nothing was written to in {FIFO_WAIT_S:.0f} s",
            hint="Start the process that writes to it first, or give a regular file.",
        )
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_stream(
    path: Path, name: str, *, skip_bad: bool, encoding: str | None
) -> tuple[list[Paper], FileReport]:
    """Read a stream (standard input, a FIFO) as a file: copied into an unnamed temporary file
    (gone when closed, even when the build is killed), whose format is sniffed from its
    content and whose SHA-256 the manifest records."""
    import hashlib
    import sys
    import tempfile

    if name == STDIN:
        stream = sys.stdin.buffer if sys.stdin is not None else None
        if stream is None or stream.isatty():
            raise IngestError(
                STDIN,
                "standard input is a terminal, not paper records",
                hint="Pipe a file in (cat papers.bib | graphkit build -) or name the file.",
            )
    else:
        stream = _open_fifo(path, name)
    digest = hashlib.sha256()
    try:
        spool = tempfile.TemporaryFile(prefix="graphkit-stdin-")  # noqa: SIM115
    except OSError as exc:
        raise IngestError(
            name,
            f"cannot make a temporary file to read the stream into: {exc.strerror or exc}",
            hint="Set TMPDIR to a writable folder, or save the stream to a file and name it.",
        ) from exc
    with spool:
        try:
            total = 0
            while chunk := stream.read(1 << 20):
                total += len(chunk)
                if total > MAX_STREAM_BYTES:
                    raise IngestError(
                        name,
                        f"the stream goes on past {MAX_STREAM_BYTES >> 30} GB",
                        hint="Save it to a file and name the file.",
                    )
                digest.update(chunk)
                spool.write(chunk)
            spool.flush()
        except OSError as exc:
            raise IngestError(
                name, f"cannot read the stream: {exc.strerror or exc}", hint="Check the input."
            ) from exc
        finally:
            if name != STDIN:
                stream.close()
        by_suffix = detect_format(path) if name != STDIN and _suffix(path) != ".txt" else None
        papers, report = read_file(
            f"/dev/fd/{spool.fileno()}",
            format=by_suffix,
            skip_bad=skip_bad,
            encoding=encoding,
            name=name,
        )
    return papers, dataclasses.replace(report, sha256=digest.hexdigest())
