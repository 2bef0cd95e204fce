"""The record ``graphkit fetch`` writes, one JSON object per line, whichever service it came from.

Keys (always all present, in this order): ``id, title, abstract, authors, year, date, doi,
arxiv_id, openalex_id, s2_id, url, venue, cited_by_count, references``.  ``id`` (arXiv first,
then DOI, like graphkit's paper IDs) and every entry of ``references`` (DOI first) are
normalised keys: ``doi:<lower-case DOI>``, ``arxiv:<id without
version>``, ``openalex:W<digits>``, ``s2:<paperId>``, ``pmid:<n>``, or ``ref:<text>`` for a
citation known only as a string (Web of Science style ``Author, Year, Source, V<vol>, P<page>``
where the parts are known).

>>> r = work(title="SpQR", doi="https://doi.org/10.48550/arXiv.2306.03078", year=2023)
>>> r["id"], r["arxiv_id"], r["doi"]
('arxiv:2306.03078', '2306.03078', '10.48550/arxiv.2306.03078')
>>> ref_key(openalex="https://openalex.org/W2741809807")
'openalex:W2741809807'
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

__all__ = ["FIELDS", "work", "ref_key", "openalex_id", "cited_string", "strip_markup", "keys_of"]

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


def ref_key(
    *,
    doi: object = None,
    arxiv: object = None,
    openalex: object = None,
    s2: object = None,
    pmid: object = None,
    text: object = None,
) -> str:
    """The most stable key among the IDs given (DOI, arXiv, OpenAlex, S2, PubMed, text); '' if none.

    >>> ref_key(doi="10.1038/NATURE14539", s2="abc"), ref_key(arxiv="1810.04805v2")
    ('doi:10.1038/nature14539', 'arxiv:1810.04805')
    >>> ref_key(text="  LeCun Y,  2015, NATURE, V521, P436 ")
    'ref:LeCun Y, 2015, NATURE, V521, P436'
    """
    d = normalise_doi(doi)
    if d:
        return f"doi:{d}"
    a = normalise_arxiv_id(arxiv)
    if a:
        return f"arxiv:{a}"
    w = openalex_id(openalex)
    if w:
        return f"openalex:{w}"
    if isinstance(s2, str) and s2.strip():
        return f"s2:{s2.strip()}"
    if pmid is not None and str(pmid).strip().isdigit():
        return f"pmid:{str(pmid).strip()}"
    t = clean_text(text)
    return f"ref:{t}" if t else ""


def cited_string(
    author: object = None,
    year: object = None,
    source: object = None,
    volume: object = None,
    page: object = None,
) -> str:
    """A Web of Science style cited-reference string from the parts that are known.

    >>> cited_string("MG Spillantini", "1997", "Nature", "388", "839")
    'MG Spillantini, 1997, Nature, V388, P839'
    """
    parts = [clean_text(author), clean_text(year), clean_text(source)]
    if clean_text(volume):
        parts.append(f"V{clean_text(volume)}")
    if clean_text(page):
        parts.append(f"P{clean_text(page)}")
    return ", ".join(p for p in parts if p)


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
    if arxiv:
        return f"arxiv:{arxiv}"
    return ref_key(doi=doi, openalex=openalex, s2=s2, pmid=pmid) or paper_id(title=str(title))


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
    seen: set[str] = set()
    refs = [r for r in references if r and not (r in seen or seen.add(r))]
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
