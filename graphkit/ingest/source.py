"""Opening an input file: gzip, encodings, byte-order marks, line endings, binary files.

A :class:`Source` gives readers either the whole decoded text or its lines (streamed, for big
JSONL files), and turns every decoding problem into an :class:`~graphkit.errors.IngestError`
that names the file, the line and the fix.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_bytes(b"\\xef\\xbb\\xbfTitle\\r\\nline 2\\r\\n")
>>> Source(p).text()
'Title\\nline 2\\n'
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import IngestError

__all__ = ["Source", "GZIP_MAGIC"]

GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 65536
_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


#: How many times its own size a gzipped input may inflate to (text compresses 3-10 times)...
MAX_INFLATION = 100
#: ... once past this many bytes (small files are never refused).
_INFLATION_FLOOR = 64 << 20


def inflation_limit(compressed_size: int) -> int:
    """The most bytes a gzipped input of ``compressed_size`` bytes may decompress to.

    >>> inflation_limit(1000) >> 20, inflation_limit(10 << 20) >> 20
    (64, 1000)
    """
    return max(_INFLATION_FLOOR, MAX_INFLATION * compressed_size)


def _bomless_utf16(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` for UTF-16 text without a byte-order mark (what some
    Windows tools export), told by its NUL bytes: the high byte of every ASCII character, all
    at odd offsets (little-endian) or all at even ones; None for anything else.

    >>> _bomless_utf16("title\\nA paper".encode("utf-16-le")), _bomless_utf16(b"ab\\x00cd")
    ('utf-16-le', None)
    """
    sample = head[:4096]
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if pairs < 2 or min(even, odd) > pairs // 50:
        return None  # NULs on both sides: binary (or UTF-32), not UTF-16
    if odd > pairs // 2:
        return "utf-16-le"
    if even > pairs // 2:
        return "utf-16-be"
    return None


class _BoundedGzip(io.RawIOBase):
    """A gzip stream that raises the source's error once more than ``limit`` bytes came out."""

    def __init__(self, inner: BinaryIO, limit: int, source: Source) -> None:
        self._inner, self._left, self._limit, self._source = inner, limit, limit, source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._inner.read(min(len(view), self._left + 1))
        if len(data) > self._left:
            raise self._source._bomb_error(self._limit)
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


class Source:
    """One input file. ``name`` is the path as shown to the user (and stored in sources)."""

    def __init__(self, path: str | Path, *, encoding: str | None = None, name: str | None = None):
        self.path = Path(path)
        self.name = name if name is not None else self.path.as_posix()
        self.encoding = encoding or "utf-8"
        self._head: bytes | None = None
        try:
            with open(self.path, "rb") as fh:
                self.gzipped = fh.read(2) == GZIP_MAGIC
        except OSError as exc:
            raise IngestError(
                self.name,
                f"cannot open file: {exc.strerror or exc}",
                hint="Check the path and its permissions.",
            ) from exc

    # -- bytes -------------------------------------------------------------------------------
    def open_binary(self) -> BinaryIO:
        """The file's bytes, decompressed if it is gzipped (at most :func:`inflation_limit`
        bytes: a gzip bomb is an error, not a machine out of memory)."""
        if self.gzipped:
            limit = inflation_limit(self.path.stat().st_size)
            inner = gzip.open(self.path, "rb")  # noqa: SIM115 -- closed by the wrapper
            raw = _BoundedGzip(inner, limit, self)  # type: ignore[arg-type]
            return io.BufferedReader(raw, buffer_size=1 << 16)  # type: ignore[return-value]
        return open(self.path, "rb")

    def _bomb_error(self, limit: int) -> IngestError:
        return IngestError(
            self.name,
            f"decompresses to more than {limit >> 20:,} MB, over {MAX_INFLATION} times its "
            "size: a gzip bomb or a damaged file",
            hint="If it is genuine, decompress it (gunzip) and give the plain file.",
        )

    def _gzip_error(self, exc: Exception) -> IngestError:
        return IngestError(
            self.name,
            f"corrupt or truncated gzip data ({exc})",
            hint="Re-download or re-compress the file.",
        )

    def head(self) -> bytes:
        """The first 64 KiB (decompressed), for sniffing the format."""
        if self._head is None:
            try:
                with self.open_binary() as fh:
                    self._head = fh.read(_SNIFF_BYTES)
            except (OSError, EOFError, zlib.error) as exc:
                raise self._gzip_error(exc) from exc
        return self._head

    def check_not_binary(self) -> None:
        """Raise for empty files and for binary data (NUL bytes without a UTF-16/32 BOM)."""
        head = self.head()
        if not head.removeprefix(codecs.BOM_UTF8).strip() and not self._text_after_head():
            raise IngestError(
                self.name, "file is empty", hint="Give a file with paper records, or remove it."
            )
        if (
            b"\x00" in head
            and not head.startswith(_BOMS)
            and _bomless_utf16(head) is None
            and self.encoding.lower()
            in (
                "utf-8",
                "utf8",
                "utf-8-sig",
            )
        ):
            raise IngestError(
                self.name,
                "looks like a binary file, not text",
                hint="Give a JSON, JSONL, CSV, BibTeX, RIS, Atom or listing text file "
                "(optionally .gz).",
            )

    def _text_after_head(self) -> bool:
        """Whether anything but whitespace follows a head of whitespace only."""
        if len(self.head()) < _SNIFF_BYTES:
            return False
        try:
            with self.open_binary() as fh:
                while chunk := fh.read(1 << 20):
                    if chunk.strip():
                        return True
        except (OSError, EOFError, zlib.error) as exc:
            raise self._gzip_error(exc) from exc
        return False

    # -- text --------------------------------------------------------------------------------
    def _codec(self, data: bytes) -> str:
        enc = self.encoding.lower().replace("_", "-")
        if enc in ("utf-8", "utf8"):
            if data.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            return _bomless_utf16(data[:_SNIFF_BYTES]) or self.encoding
        return self.encoding

    def _decode_error(
        self, exc: UnicodeDecodeError, data: bytes, line_offset: int = 0
    ) -> IngestError:
        line = line_offset + data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return IngestError(
            self.name,
            f"could not decode as {self.encoding.upper()} (byte 0x{bad})",
            line=line,
            hint="Try --encoding latin-1",
        )

    def text(self) -> str:
        """The whole file decoded, with ``\\r\\n``/``\\r`` line endings turned into ``\\n``."""
        try:
            with self.open_binary() as fh:
                data = fh.read()
        except (OSError, EOFError, zlib.error) as exc:
            raise self._gzip_error(exc) from exc
        try:
            text = data.decode(self._codec(data))
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc, data) from exc
        except LookupError as exc:
            raise IngestError(
                self.name, f"unknown encoding {self.encoding!r}", hint="Try --encoding utf-8"
            ) from exc
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def lines(self) -> Iterator[tuple[int, str]]:
        """``(line number, text)`` for each line, streamed (no trailing newline)."""
        codec = self._codec(self.head())
        if codec != self.encoding and codec != "utf-8-sig":
            # UTF-16 cannot be split on b"\n": decode all at once.
            yield from enumerate(self.text().split("\n"), start=1)
            return
        try:
            decode = codecs.getdecoder(codec)
        except LookupError as exc:
            raise IngestError(
                self.name, f"unknown encoding {self.encoding!r}", hint="Try --encoding utf-8"
            ) from exc
        try:
            with self.open_binary() as raw:
                for number, chunk in enumerate(raw, start=1):
                    if number == 1 and chunk.startswith(codecs.BOM_UTF8):
                        chunk = chunk[3:]
                    try:
                        text = decode(chunk)[0]
                    except UnicodeDecodeError as exc:
                        raise self._decode_error(exc, chunk, number - 1) from exc
                    yield number, text.rstrip("\r\n")
        except (OSError, EOFError, zlib.error) as exc:
            raise self._gzip_error(exc) from exc
