"""Reader for CSV/TSV tables with a header row (delimiter sniffed; column names matched loosely).

>>> import io
>>> header_map(["Paper Title", "Abstract", "Authors", "Publication Year"])
{'title': 0, 'abstract': 1, 'authors': 2, 'date': 3}
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator, Sequence

from ..errors import IngestError
from ..model import Paper
from .normalise import clean_text
from .record import ReadContext, make_paper
from .refs import ref_key
from .source import Source

__all__ = ["read_csv", "header_map", "COLUMN_SYNONYMS", "sniff_delimiter"]

log = logging.getLogger(__name__)

#: Paper field → accepted column names (compared lowercased, with ``_``/``-`` as spaces),
#: best first.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "paper title", "article title", "document title", "paper"),
    "abstract": ("abstract", "summary", "description", "abstract note", "abstractnote"),
    "authors": ("authors", "author", "author names", "creators", "author list"),
    "date": (
        "date",
        "published",
        "publication date",
        "pub date",
        "issued",
        "year",
        "publication year",
        "pub year",
        "py",
    ),
    "doi": ("doi",),
    "arxiv_id": ("arxiv", "arxiv id", "arxivid", "eprint", "arxiv identifier"),
    "url": ("url", "link", "pdf url", "abs url", "landing page url"),
    "categories": ("categories", "category", "keywords", "subjects"),
    "organization": ("organization", "organisation", "org", "affiliation"),
    "upvotes": ("upvotes", "votes"),
    "n_authors": ("n authors", "number of authors", "num authors"),
    "references": ("references", "cited references", "referenced works"),
    "cited_by_count": ("cited by", "times cited", "cited by count", "citation count"),
    # (not "source": Scopus's "Source" column names the database)
    "venue": (
        "venue",
        "source title",
        "publication title",
        "journal",
        "journal title",
        "conference",
        "booktitle",
        "container title",
        "secondary title",
    ),  # fmt: skip
    # parts of the paper's own cited-reference key (Scopus columns), not Paper fields
    "_source": ("abbreviated source title", "source title", "journal", "venue"),
    "_volume": ("volume",),
    "_page": ("page start", "art no"),
    "_pmid": ("pubmed id", "pmid"),
}
_DELIMITERS = ",\t;|"
#: Scopus names its funding columns "Funding Text 1", "Funding Text 2", … after the first
#: record, and writes each further funding text of a later record as one more cell right after
#: them: such a row is longer than the header, and its columns after the funding texts sit
#: that many cells further right (litstudy's Scopus export: 57 of 58 rows).
_FUNDING_TEXT = re.compile(r"funding text \d+")


def _norm(name: str) -> str:
    return " ".join(re.sub(r"[_\-.]+", " ", name.strip().lower()).split())


def header_map(header: Sequence[str]) -> dict[str, int]:
    """Column index for each paper field found in the header (first synonym wins)."""
    names = [_norm(h) for h in header]
    found: dict[str, int] = {}
    for field, synonyms in COLUMN_SYNONYMS.items():
        for syn in synonyms:
            if syn in names:
                found[field] = names.index(syn)
                break
    return found


def _extra_cells_after(header: Sequence[str]) -> int | None:
    """The index of the column after which a Scopus row holds its extra cells, if any."""
    found = [i for i, h in enumerate(header) if _FUNDING_TEXT.fullmatch(_norm(h))]
    return found[-1] if found else None


def _cells(row: list[str], columns: dict[str, int], width: int, split: int | None):
    """The value of each column in ``row`` (``split``: see :func:`_extra_cells_after`)."""
    extra = len(row) - width
    if extra > 0 and split is not None:
        return {f: row[i + extra] if i > split else row[i] for f, i in columns.items()}
    return {f: (row[i] if i < len(row) else "") for f, i in columns.items()}


def sniff_delimiter(first_line: str, default: str = ",") -> str:
    """The delimiter of a header line: the candidate that occurs most (``,`` on ties).

    >>> sniff_delimiter("title\\tabstract\\tyear"), sniff_delimiter("title;abstract")
    ('\\t', ';')
    """
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


def _citation(values: dict[str, str]) -> dict[str, object]:
    """``values`` with the References cell split into references (Scopus ``;``-separated
    strings, or IDs) and the key columns turned into the paper's own ``ids``."""
    parts = {k: values.pop(k) for k in [k for k in values if k.startswith("_")]}
    if "references" in values:
        cell = values.pop("references")
        values["references"] = [r for r in cell.split("; ") if r.strip()] if cell else []  # type: ignore[assignment]
    if parts:
        authors = values.get("authors", "")
        first = re.split(r";|,(?=\s*[A-Z][a-z])", authors, maxsplit=1)[0] if authors else ""
        own = ref_key(first, values.get("date", "")[:4], parts.get("_source", ""),
                      parts.get("_volume", ""), parts.get("_page", ""))  # fmt: skip
        pmid = parts.get("_pmid", "").strip()
        values["ids"] = [k for k in (own, f"pmid:{pmid}" if pmid else "") if k]  # type: ignore[assignment]
    return values


def read_csv(source: Source, ctx: ReadContext, *, default_delimiter: str = ",") -> Iterator[Paper]:
    """Yield the papers of a CSV or TSV file with a header row."""
    text = source.text()
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line, default_delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise IngestError(ctx.path, "no header row", line=1, hint="Put column names on line 1.")
        columns = header_map(header)
        if "title" not in columns:
            shown = ", ".join(repr(h) for h in header[:12]) + (" …" if len(header) > 12 else "")
            raise IngestError(
                ctx.path,
                f"no title column (columns found: {shown})",
                line=1,
                hint="Name the column with paper titles 'title' (abstracts: 'abstract').",
            )
        if "abstract" not in columns:
            log.warning("%s: no abstract column; papers will have no abstract", ctx.path)
        width = len(header)
        split = _extra_cells_after(header)
        start = reader.line_num + 1
        for number, row in enumerate(reader, start=1):
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > width and split is None:
                ctx.bad(
                    f"row has {len(row)} fields but the header has {width}",
                    line=line,
                    hint="Quote fields that contain the delimiter, or add the missing column "
                    "names to the header.",
                )
                continue
            values = _cells(row, columns, width, split)
            if not clean_text(values["title"]):
                ctx.bad(
                    "row has an empty title",
                    line=line,
                    record=number,
                    hint="Fill in the title or use --skip-bad to skip such rows.",
                )
                continue
            title = values.pop("title")
            yield make_paper(ctx, ctx.where(line=line), title=title, **_citation(values))
    except csv.Error as exc:
        raise IngestError(
            ctx.path,
            f"invalid CSV: {exc}",
            line=reader.line_num or 1,
            hint='Check the quoting around that line (an unclosed " swallows the rest of the file).',
        ) from exc
