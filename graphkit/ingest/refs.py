"""Reference keys: the one normalisation of what a paper cites, and of what identifies a paper.

Every reader turns a cited work into one key string (``Paper.references``), and every paper
carries the keys it is known by (its arXiv ID/DOI, plus ``Paper.ids``), so that matching a
reference to a corpus paper is a dictionary look-up by the same rules as the merge: an ID
first, then the normalised cited-reference key.

Keys
    ``doi:<lower-case DOI>`` (an arXiv DOI ``10.48550/arXiv.X`` becomes ``arxiv:X``),
    ``arxiv:<id without version>``, ``openalex:W<digits>``, ``s2:<40-hex paperId>``,
    ``pmid:<digits>``, ``wos:<15-character UT>``, and for a cited-reference string without an
    ID (WoS ``CR``, Scopus ``References``, Crossref ``unstructured``)
    ``ref:<surname> <initial>|<year>|<source>|<volume>|<first page>``.

Two ``ref:`` keys written by different databases rarely agree on the source abbreviation
("IEEE T MAGN" vs "IEEE Trans. Magn."), so :func:`loose_key` drops the source for matching:
first author, year, volume and first page, and only when volume and page are both known.

>>> reference_key("https://openalex.org/W2741809807"), reference_key("10.1234/ABC.5")
('openalex:W2741809807', 'doi:10.1234/abc.5')
>>> reference_key("Albrecht TR, 2013, IEEE T MAGN, V49, P773, DOI 10.1109/TMAG.2012.2227303")
'doi:10.1109/tmag.2012.2227303'
>>> reference_key("Yua H., 2009, J APPL PHYS, V105")
'ref:yua h|2009|j appl phys|105|'
>>> loose_key("ref:albrecht t|2013|ieee t magn|49|773")
'albrecht t|2013|49|773'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .citedrefs import (
    author_key,
    cited_reference_key,
    doi_key,
    loose_key,
    ref_key,
    scopus_reference_key,
    wos_reference_key,
)
from .normalise import normalise_arxiv_id

__all__ = [
    "reference_key",
    "reference_keys",
    "cited_reference_key",
    "wos_reference_key",
    "scopus_reference_key",
    "ref_key",
    "loose_key",
    "author_key",
    "paper_keys",
    "readable_key",
    "REFERENCE_PREFIXES",
]

#: The prefixes a reference key starts with.
REFERENCE_PREFIXES = ("doi:", "arxiv:", "openalex:", "s2:", "pmid:", "wos:", "ref:")

_OPENALEX = re.compile(r"^(?:https?://openalex\.org/|openalex:)?(W\d+)$", re.IGNORECASE)
_S2 = re.compile(r"^(?:s2:)?([0-9a-f]{40})$", re.IGNORECASE)
_PMID = re.compile(r"^(?:pmid:\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)(\d+)/?$", re.IGNORECASE)
_WOS = re.compile(r"^(?:wos:)?(?:WOS:)?([0-9A-Z]{15})$", re.IGNORECASE)
#: Web of Science accession numbers (UT) from its other databases keep their prefix:
#: ``wos:KJD:ART001997425``, ``wos:SCIELO:S0121-…``, ``wos:MEDLINE:12345``.
_WOS_OTHER = re.compile(
    r"^(?:wos:)?((?:MEDLINE|SCIELO|KJD|RSCI|CCC|BCI|BIOSIS|ZOOREC|INSPEC|DIIDW|CSCD|ARCI|"
    r"DRCI|PPRN|PQDT|CABI|FSTA|GRANTS|BCIC|CIW):\S+)$",
    re.IGNORECASE,
)


def reference_key(value: object) -> str:
    """The key of one reference given as an ID, URL, key or cited-reference string ('' if none).

    >>> reference_key("arXiv:2306.03078v2"), reference_key("WOS:000397201600008")
    ('arxiv:2306.03078', 'wos:000397201600008')
    >>> reference_key("SCIELO:S0121-50512015000300004")
    'wos:SCIELO:S0121-50512015000300004'

    >>> reference_key("ref:LeCun Y, 2015, NATURE, V521, P436")
    'ref:lecun y|2015|nature|521|436'
    >>> reference_key("2d5673caa9e6af3a7b82a43f19ee920992db07ad")
    's2:2d5673caa9e6af3a7b82a43f19ee920992db07ad'
    """
    if isinstance(value, Mapping):
        return _object_key(value)
    text = " ".join(str(value or "").split())
    if not text:
        return ""
    low = text.lower()
    if low.startswith("ref:"):
        rest = text[4:].strip()
        if "|" in rest or not rest:  # already a key
            return "ref:" + rest.lower() if rest else ""
        # a cited-reference string behind the prefix (graphkit fetch: "ref:LeCun Y, 2015, …")
        return cited_reference_key(rest) or "ref:" + " ".join(rest.lower().split())
    if m := _OPENALEX.match(text):
        return f"openalex:{m.group(1).upper()}"
    if m := _S2.match(text):
        return f"s2:{m.group(1).lower()}"
    if m := _PMID.match(text):
        return f"pmid:{m.group(1)}"
    if low.startswith(("doi:", "10.", "https://doi.org/", "http://doi.org/", "http://dx.doi.org/")):
        doi = doi_key(text)
        if doi:
            return doi
    if low.startswith("arxiv:") or re.match(r"^\d{4}\.\d{4,5}(v\d+)?$", text):
        arxiv = normalise_arxiv_id(text)
        if arxiv:
            return f"arxiv:{arxiv}"
    if m := _WOS_OTHER.match(text):
        db, _, ut = m.group(1).partition(":")
        return f"wos:{db.upper()}:{ut}"
    if low.startswith(("wos:", "s2:", "openalex:", "pmid:")) or re.match(r"^WOS:", text):
        if m := _WOS.match(text):
            return f"wos:{m.group(1).upper()}"
        prefix, _, rest = text.partition(":")
        return f"{prefix.lower()}:{rest.strip()}" if rest.strip() else ""
    if "," in text:
        return cited_reference_key(text)
    return ""


def _object_key(d: Mapping[str, Any]) -> str:
    """Key of a structured reference: S2 ``{paperId, externalIds}``, Crossref
    ``{DOI, unstructured, author, year, volume, first-page}``, or ``{"id": ...}``."""
    if isinstance(d.get("citedPaper"), Mapping):  # S2 /paper/{id}/references rows
        return _object_key(d["citedPaper"])
    ext = {str(k).lower(): v for k, v in (d.get("externalIds") or {}).items()}
    for doi in (d.get("DOI"), d.get("doi"), ext.get("doi")):
        if doi and (key := doi_key(doi)):
            return key
    arxiv = normalise_arxiv_id(ext.get("arxiv") or d.get("arxiv_id") or "")
    if arxiv:
        return f"arxiv:{arxiv}"
    for raw in (d.get("paperId"), d.get("id"), d.get("openalex_id")):
        if isinstance(raw, str) and (key := reference_key(raw)):
            return key
    if ext.get("pubmed"):
        return f"pmid:{ext['pubmed']}"
    if d.get("author") and d.get("year"):  # Crossref structured fields
        key = ref_key(
            d.get("author"),
            d.get("year"),
            d.get("journal-title") or d.get("series-title") or "",
            d.get("volume"),
            d.get("first-page"),
        )
        if key:
            return key
    text = d.get("unstructured")
    return cited_reference_key(str(text)) if text else ""


def reference_keys(values: Iterable[object]) -> tuple[str, ...]:
    """The distinct keys of ``values`` in first-seen order (unreadable entries dropped)."""
    seen: dict[str, None] = {}
    for v in values:
        key = reference_key(v)
        if key:
            seen.setdefault(key, None)
    return tuple(seen)


#: A reference title longer than this is cut on a word boundary (an ``unstructured`` string
#: can hold a whole citation).
TITLE_CHARS = 200


def reference_title(value: object) -> str:
    """What a reference says the cited work is called ('' when it gives only an ID): an S2
    ``title``, a Crossref ``article-title`` (else its ``unstructured`` text, else author, year
    and journal), or a WoS/Scopus cited-reference string without its DOI part.

    >>> reference_title("Sun SH, 2000, SCIENCE, V287, P1989, DOI 10.1126/science.287.5460.1989")
    'Sun SH, 2000, SCIENCE, V287, P1989'
    >>> reference_title({"DOI": "10.1/x", "article-title": "Deep  learning", "year": "2015"})
    'Deep learning'
    >>> reference_title({"citedPaper": {"paperId": "ab", "title": "Attention is all you need"}})
    'Attention is all you need'
    >>> reference_title("doi:10.1/x"), reference_title("W2741809807")
    ('', '')
    """
    if isinstance(value, Mapping):
        if isinstance(value.get("citedPaper"), Mapping):
            return reference_title(value["citedPaper"])
        for k in ("title", "article-title", "volume-title", "unstructured"):
            text = value.get(k)
            if isinstance(text, list):
                text = text[0] if text else ""
            if text and str(text).strip():
                return cut_text(" ".join(str(text).split()))
        bits = [str(value.get(k) or "").strip() for k in ("author", "year", "journal-title")]
        return cut_text(", ".join(b for b in bits if b)) if bits[0] and bits[1] else ""
    text = " ".join(str(value or "").split())
    if not text or "," not in text or text.lower().startswith(("ref:", "doi:", "http")):
        return ""
    if not reference_key(text).startswith(("ref:", "doi:")):
        return ""
    text = re.sub(r",?\s*(?:DOI|doi)\s*[\[]?10\.\S+.*$", "", text).strip(" ,")
    return cut_text(text)


def cut_text(text: str, limit: int = TITLE_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters on a word boundary, with "…".

    >>> cut_text("Bit patterned media based on block copolymer", 20)
    'Bit patterned media…'
    """
    if len(text) <= limit:
        return text
    head = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return head[:limit].rstrip(" ,;:-–—") + "…"


def reference_titles(values: Iterable[object]) -> tuple[tuple[str, str], ...]:
    """``(key, title)`` for the ``values`` that name their work (first title per key)."""
    seen: dict[str, str] = {}
    for v in values:
        title = reference_title(v)
        if title:
            key = reference_key(v)
            if key:
                seen.setdefault(key, title)
    return tuple(seen.items())


def paper_keys(arxiv_id: str, doi: str, ids: Iterable[str]) -> list[str]:
    """Every key a paper is known by: its arXiv ID and DOI as keys, then ``ids``.

    >>> paper_keys("2306.03078", "", ["openalex:W1"])
    ['arxiv:2306.03078', 'openalex:W1']
    """
    out = [f"arxiv:{arxiv_id}"] if arxiv_id else []
    if doi:
        out.append(f"doi:{doi}")
    out.extend(ids)
    return out


#: How an ID key is written for a reader (``doi:10.1/x`` → ``DOI 10.1/x``).
_ID_NAMES = {"doi": "DOI", "arxiv": "arXiv", "openalex": "OpenAlex", "s2": "Semantic Scholar",
             "pmid": "PubMed", "wos": "WoS"}  # fmt: skip


def readable_key(key: str) -> str:
    """A reference key as a short label: ``ref:sun s|2000|science|287|1989`` → ``Sun S 2000,
    science 287:1989``; an ID key as ``DOI 10.1/x``, ``arXiv 2306.03078``, ``OpenAlex W1``.

    >>> readable_key("doi:10.1063/1.3293301")
    'DOI 10.1063/1.3293301'
    >>> readable_key("s2:0123456789abcdef0123456789abcdef01234567")
    'Semantic Scholar 0123456789ab…'
    """
    if not key.startswith("ref:"):
        prefix, _, rest = key.partition(":")
        name = _ID_NAMES.get(prefix)
        if not name or not rest:
            return key
        return f"{name} {rest[:12]}…" if prefix == "s2" and len(rest) > 14 else f"{name} {rest}"
    who, year, source, volume, page = (key[4:].split("|") + [""] * 5)[:5]
    text = f"{who.title()} {year}"
    if source:
        text += f", {source}"
    if volume:
        text += f" {volume}"
    if page:
        text += f":{page}"
    return text
