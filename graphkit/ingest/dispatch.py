"""One dispatcher for every reader: by suffix first, then by sniffing the first bytes.

>>> detect_format("papers.jsonl.gz"), detect_format("refs.BIB")
('jsonl', 'bibtex')
>>> sniff_format(b'@inproceedings{x, title={A}}'), sniff_format(b'TY  - JOUR')
('bibtex', 'ris')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..errors import IngestError
from ..fileio import printable
from ..model import Paper
from .atom import read_atom
from .bibtex import read_bibtex
from .csvfmt import header_map, read_csv, sniff_delimiter
from .jsonfmt import read_json, read_jsonl
from .listing import looks_like_listing, read_listing
from .record import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS, BadRecord, ReadContext
from .ris import RIS_TAG, read_ris
from .source import Source
from .wos import looks_like_wos, read_wos

__all__ = ["FORMATS", "SUFFIXES", "detect_format", "sniff_format", "read_file", "FileReport"]

log = logging.getLogger(__name__)

Reader = Callable[[Source, ReadContext], Iterator[Paper]]


def _read_listing(source: Source, ctx: ReadContext) -> Iterator[Paper]:
    return read_listing(source.text(), ctx)


#: Format name → reader.  Every reader yields ``Paper`` records.
FORMATS: dict[str, Reader] = {
    "listing": _read_listing,
    "json": read_json,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "tsv": partial(read_csv, default_delimiter="\t"),
    "bibtex": read_bibtex,
    "atom": read_atom,
    "ris": read_ris,
    "wos": read_wos,
}

#: File suffix (lowercase, after removing ``.gz``) → format.  ``.txt`` is sniffed first.
SUFFIXES: dict[str, str] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".atom": "atom",
    ".xml": "atom",
    ".ris": "ris",
    ".txt": "listing",
    ".listing": "listing",
}
#: Suffixes whose content is checked by sniffing before trusting the suffix.
_SNIFF_FIRST = {".txt"}

_BIB_ENTRY = re.compile(rb"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FileReport:
    """What was read from one file: its format, how many records, or why it was skipped."""

    path: str
    format: str
    n_records: int
    error: str | None = None
    n_bad_records: int = 0
    bad: tuple[BadRecord, ...] = ()  # the records skipped with skip_bad: where and why
    sha256: str = ""  # of a stream (stdin), hashed as it was read; a file is hashed by path


def _suffix(path: str | Path) -> str:
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] in (".gz", ".gzip"):
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def detect_format(path: str | Path) -> str | None:
    """The format its suffix names (``x.jsonl.gz`` → ``"jsonl"``), or None."""
    return SUFFIXES.get(_suffix(path))


def sniff_format(head: bytes) -> str | None:
    """Guess the format from the first bytes of a (decompressed) file, or None."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text:
        return None
    if text[:1] in (b"{", b"["):
        first, _, rest = text.partition(b"\n")
        if text[:1] == b"{" and first.rstrip().endswith(b"}") and rest.lstrip()[:1] in (b"{", b""):
            return "jsonl"
        return "json"
    if text[:1] == b"<":
        return "atom" if b"<feed" in text or b"http://www.w3.org/2005/Atom" in text else None
    if _BIB_ENTRY.search(text):
        return "bibtex"
    decoded = text.decode("utf-8", errors="replace")
    lines = decoded.split("\n")
    if any(RIS_TAG.match(line.strip()) and line.strip().startswith("TY") for line in lines[:50]):
        return "ris"
    if looks_like_wos(decoded):
        return "wos"
    first_line = lines[0].rstrip("\r")
    delimiter = sniff_delimiter(first_line)
    if delimiter in first_line and "title" in header_map(first_line.split(delimiter)):
        return "tsv" if delimiter == "\t" else "csv"
    if looks_like_listing(decoded.replace("\r\n", "\n")):
        return "listing"
    return None


def _choose(source: Source, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise IngestError(
                source.name, f"unknown format {fmt!r}", hint=f"Choose from {', '.join(FORMATS)}."
            )
        return fmt
    by_suffix = detect_format(source.path)
    if by_suffix is not None and _suffix(source.path) not in _SNIFF_FIRST:
        return by_suffix
    sniffed = sniff_format(source.head())
    if sniffed is not None:
        return sniffed
    if by_suffix is not None:
        return by_suffix
    raise IngestError(
        source.name,
        "unknown format: neither the suffix nor the content says which",
        hint="Use .json, .jsonl, .csv, .tsv, .bib, .ris, .atom/.xml or a listing .txt "
        "(optionally .gz), or use --skip-bad to skip such files.",
    )


def read_file(
    path: str | Path,
    *,
    format: str | None = None,
    skip_bad: bool = False,
    encoding: str | None = None,
    name: str | None = None,
) -> tuple[list[Paper], FileReport]:
    """Read one file with the reader its suffix or content calls for.

    Returns the papers (not merged) and a :class:`FileReport`.  Raises
    :class:`~graphkit.errors.IngestError` for unreadable files and (unless ``skip_bad``) for
    records without a title.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "refs.csv"
    >>> _ = p.write_text("Title,Year\\nAttention Is All You Need,2017\\n")
    >>> papers, report = read_file(p)
    >>> papers[0].year, report.format, report.n_records
    (2017, 'csv', 1)
    """
    source = Source(path, encoding=encoding, name=name)
    source.check_not_binary()
    fmt = _choose(source, format)
    ctx = ReadContext(source.name, skip_bad=skip_bad)
    log.debug("%s: reading as %s", source.name, fmt)
    papers = list(FORMATS[fmt](source, ctx))
    if not papers and not ctx.bad_records:
        raise IngestError(
            source.name,
            f"no papers found (read as {fmt})",
            hint="Check that this is a paper file; for listing text each record is a title "
            "line, a blank line and the abstract.",
        )
    if ctx.n_cut:
        log.warning(
            "%s: %d over-long titles or abstracts cut to %s / %s characters",
            printable(source.name),
            ctx.n_cut,
            f"{MAX_TITLE_CHARS:,}",
            f"{MAX_ABSTRACT_CHARS:,}",
        )
    bad = tuple(ctx.bad_records)
    return papers, FileReport(source.name, fmt, len(papers), None, len(bad), bad)
