"""The record ``graphkit fetch`` writes, one JSON object per line, whichever service it came from.

Keys (always all present, in this order): ``id, title, abstract, authors, year, date, doi,
arxiv_id, openalex_id, s2_id, url, venue, cited_by_count, references``.  ``id`` is
``arxiv:<id>``, else ``doi:<doi>`` (like graphkit's paper IDs), else ``openalex:W…``,
``s2:…``, ``pmid:…`` or ``t:<title hash>``; ``references`` are the keys of
:mod:`graphkit.ingest.refs` (``doi:``, ``arxiv:``, ``openalex:``, ``s2:``, ``pmid:``, or
``ref:author|year|source|volume|page`` for a work known only by its citation), which the
service modules make with :func:`~graphkit.ingest.refs.reference_key`: the one normalisation
the readers use too.

>>> r = work(title="SpQR", doi="https://doi.org/10.48550/arXiv.2306.03078", year=2023)
>>> r["id"], r["arxiv_id"], r["doi"]
('arxiv:2306.03078', '2306.03078', '10.48550/arxiv.2306.03078')
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from ..ingest.normalise import (
    arxiv_id_from_text,
    clean_text,
    normalise_arxiv_id,
    normalise_doi,
    paper_id,
)

__all__ = ["FIELDS", "work", "openalex_id", "strip_markup", "keys_of"]

FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "abstract",
    "authors",
    "year",
    "date",
    "doi",
    "arxiv_id",
    "openalex_id",
    "s2_id",
    "url",
    "venue",
    "cited_by_count",
    "references",
)

_OPENALEX = re.compile(r"(?:^|/)(W\d+)$", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def openalex_id(value: object) -> str:
    """``W123`` from ``https://openalex.org/W123``, ``openalex:W123`` or ``W123``; else ''.

    >>> openalex_id("https://openalex.org/w42"), openalex_id("10.1/x")
    ('W42', '')
    """
    if not isinstance(value, str):
        return ""
    m = _OPENALEX.search(value.strip().removeprefix("openalex:"))
    return m.group(1).upper() if m else ""


def strip_markup(text: object) -> str:
    """Text without JATS/HTML tags and entities (Crossref abstracts), whitespace collapsed.

    >>> strip_markup("<jats:title>Abstract</jats:title><jats:p>Oligomers &amp; cells.</jats:p>")
    'Abstract Oligomers & cells.'
    """
    if not isinstance(text, str):
        return ""
    return clean_text(html.unescape(_TAG.sub(" ", text)))


def _year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value[:4].isdigit():
        return int(value[:4])
    return None


def _record_id(doi: str, arxiv: str, openalex: str, s2: str, pmid: object, title: object) -> str:
    """arXiv first, then DOI, as graphkit's own paper IDs; then OpenAlex, S2, PubMed, title hash."""
    if arxiv or doi:
        return paper_id(arxiv_id=arxiv, doi=doi)
    for prefix, value in (("openalex", openalex), ("s2", s2)):
        if value:
            return f"{prefix}:{value}"
    if pmid is not None and str(pmid).strip().isdigit():
        return f"pmid:{str(pmid).strip()}"
    return paper_id(title=str(title))


def keys_of(record: dict[str, Any]) -> tuple[str, ...]:
    """Every key a record is known by (its DOI, arXiv, OpenAlex and S2 keys), for de-duplication."""
    keys = []
    if record.get("doi"):
        keys.append(f"doi:{record['doi']}")
    if record.get("arxiv_id"):
        keys.append(f"arxiv:{record['arxiv_id']}")
    if record.get("openalex_id"):
        keys.append(f"openalex:{record['openalex_id']}")
    if record.get("s2_id"):
        keys.append(f"s2:{record['s2_id']}")
    return tuple(keys) or (record["id"],)


def work(
    *,
    title: object,
    abstract: object = "",
    authors: Iterable[object] = (),
    year: object = None,
    date: object = "",
    doi: object = None,
    arxiv_id: object = None,
    openalex: object = None,
    s2_id: object = None,
    url: object = "",
    venue: object = "",
    cited_by_count: object = None,
    references: Iterable[str] = (),
    pmid: object = None,
) -> dict[str, Any]:
    """One output record with every field present and normalised (see the module docstring)."""
    d = normalise_doi(doi)
    a = normalise_arxiv_id(arxiv_id) or arxiv_id_from_text(d) or arxiv_id_from_text(url)
    w = openalex_id(openalex)
    s2 = s2_id.strip() if isinstance(s2_id, str) else ""
    date_text = clean_text(date)
    count = cited_by_count if isinstance(cited_by_count, int) and cited_by_count >= 0 else None
    refs = list(dict.fromkeys(r for r in references if r))
    return {
        "id": _record_id(d, a, w, s2, pmid, title),
        "title": clean_text(title),
        "abstract": clean_text(abstract),
        "authors": [n for n in (clean_text(x) for x in authors) if n],
        "year": _year(year) or _year(date_text),
        "date": date_text,
        "doi": d,
        "arxiv_id": a,
        "openalex_id": w,
        "s2_id": s2,
        "url": clean_text(url),
        "venue": clean_text(venue),
        "cited_by_count": count,
        "references": refs,
    }
