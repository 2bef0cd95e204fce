"""Recognising the IDs a user gives ``graphkit fetch``: DOI, arXiv, OpenAlex, S2, CorpusId, PubMed.

>>> parse_ident("https://doi.org/10.1038/nature14539")
Ident(kind='doi', value='10.1038/nature14539')
>>> parse_ident("arXiv:2104.12255v1"), parse_ident("W2741809807").kind
(Ident(kind='arxiv', value='2104.12255v1'), 'openalex')
>>> parse_ident("graph neural networks") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.normalise import normalise_doi
from .records import openalex_id

__all__ = ["Ident", "parse_ident", "parse_idents"]

_ARXIV = re.compile(
    r"^(?:arxiv:|https?://(?:export\.)?arxiv\.org/(?:abs|pdf)/)?"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z.-]+/\d{7}(?:v\d+)?)$",
    re.IGNORECASE,
)
_S2 = re.compile(r"^(?:s2:)?([0-9a-f]{40})$", re.IGNORECASE)
_CORPUS = re.compile(r"^corpusid:(\d+)$", re.IGNORECASE)
_PMID = re.compile(r"^pmid:(\d+)$", re.IGNORECASE)
_OPENALEX = re.compile(r"^(?:openalex:|https?://(?:api\.)?openalex\.org/(?:works/)?)?W\d+$", re.I)


@dataclass(frozen=True, slots=True)
class Ident:
    """One identifier: ``kind`` is doi, arxiv, openalex, s2, corpusid or pmid."""

    kind: str
    value: str


def parse_ident(text: str) -> Ident | None:
    """The identifier ``text`` spells, or ``None`` when it is not one (then it is a query)."""
    t = text.strip().removeprefix("doi:").removeprefix("DOI:")
    if _OPENALEX.match(t):
        return Ident("openalex", openalex_id(t))
    m = _ARXIV.match(t)
    if m:
        return Ident("arxiv", m.group(1))
    if t.lower().startswith("10.") or "doi.org/" in t.lower():
        doi = normalise_doi(t)
        if doi:
            return Ident("doi", doi)
    for kind, pattern in (("s2", _S2), ("corpusid", _CORPUS), ("pmid", _PMID)):
        m = pattern.match(t)
        if m:
            return Ident(kind, m.group(1).lower() if kind == "s2" else m.group(1))
    return None


def parse_idents(terms: tuple[str, ...] | list[str]) -> list[Ident] | None:
    """All terms as identifiers (commas and spaces separate them), or ``None`` if any is not one.

    >>> [i.kind for i in parse_idents(["10.1371/journal.pone.0033693, 1707.08567"])]
    ['doi', 'arxiv']
    """
    parts = [p for term in terms for p in re.split(r"[\s,]+", term) if p]
    idents = [parse_ident(p) for p in parts]
    if not idents or any(i is None for i in idents):
        return None
    return idents  # type: ignore[return-value]
