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
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from .normalise import normalise_arxiv_id, normalise_doi

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
_DOI_IN_TEXT = re.compile(r"(?:\bDOI\b[:\s]*|doi\.org/)(10\.\d{3,9}/[^\s,;\]]+)", re.IGNORECASE)
_BARE_DOI = re.compile(r"\b(10\.\d{3,9}/[^\s,;\]]+)")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)[a-z]?$")
_VOLUME = re.compile(r"^V(\S+)$")
_PAGE = re.compile(r"^P(\S+)$")
_NON_LETTERS = re.compile(r"[^a-z]+")
_NON_KEY = re.compile(r"[^a-z0-9]+")
_PAREN_YEAR = re.compile(r"\((1[5-9]\d\d|20\d\d)[a-z]?\)")
_PAGES = re.compile(r"\bpp?\.\s*([A-Za-z]?\d+)")
_NUMBER = re.compile(r"^[A-Za-z]?\d+[A-Za-z]?$")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _field(text: object) -> str:
    """A key field: lower-case ASCII letters and digits, runs of anything else one space."""
    return _NON_KEY.sub(" ", _ascii(str(text or ""))).strip()


def author_key(name: object) -> str:
    """``"<surname> <first initial>"`` of a personal name in any usual order, or ''.

    >>> author_key("Albrecht TR"), author_key("Wodarz, Siggi"), author_key("Yoshua Bengio")
    ('albrecht t', 'wodarz s', 'bengio y')
    >>> author_key("Kang W."), author_key("BUSCHOW KHJ")
    ('kang w', 'buschow k')
    """
    text = " ".join(str(name or "").replace(".", ". ").split())
    if not text:
        return ""
    if "," in text:
        surname, _, given = text.partition(",")
    else:
        parts = text.split()
        # "Albrecht TR" / "Kang W." (surname, then initials): the last part is all initials
        last = parts[-1].rstrip(".")
        if len(parts) > 1 and (last.isupper() and len(last) <= 3 or len(last) == 1):
            surname, given = " ".join(parts[:-1]), last
        elif len(parts) > 1:
            surname, given = parts[-1], parts[0]
        else:
            surname, given = parts[0], ""
    surname = _NON_LETTERS.sub("", _ascii(surname))
    initial = _NON_LETTERS.sub("", _ascii(given))[:1]
    return f"{surname} {initial}".strip() if surname else ""


def ref_key(author: object, year: object, source: object, volume: object, page: object) -> str:
    """The ``ref:`` key of a cited work from its parts ('' without an author or a year).

    >>> ref_key("Albrecht TR", 2013, "IEEE T MAGN", "49", "773")
    'ref:albrecht t|2013|ieee t magn|49|773'
    """
    who = author_key(author)
    when = str(year or "").strip()[:4]
    if not who or not when.isdigit():
        return ""
    return f"ref:{who}|{when}|{_field(source)}|{_field(volume)}|{_field(page)}"


def loose_key(key: str) -> str:
    """The match form of a ``ref:`` key (author, year, volume, page; source dropped), or ''
    when it lacks the volume or the page, which alone would join different works."""
    if not key.startswith("ref:"):
        return ""
    parts = key[4:].split("|")
    if len(parts) != 5 or not parts[3] or not parts[4]:
        return ""
    return f"{parts[0]}|{parts[1]}|{parts[3]}|{parts[4]}"


def _doi_key(doi: object) -> str:
    text = normalise_doi(doi)
    if not text:
        return ""
    prefix = "10.48550/arxiv."
    arxiv = normalise_arxiv_id(text[len(prefix) :]) if text.startswith(prefix) else ""
    return f"arxiv:{arxiv}" if arxiv else f"doi:{text}"


def _doi_in(text: str) -> str:
    m = _DOI_IN_TEXT.search(text) or _BARE_DOI.search(text)
    return _doi_key(m.group(1).rstrip(".")) if m else ""


def wos_reference_key(text: str) -> str:
    """Key of a WoS ``CR`` entry ("Author, Year, Source, V<vol>, P<page>, DOI <doi>").

    >>> wos_reference_key("Sun SH, 2000, SCIENCE, V287, P1989, DOI 10.1126/science.287.5460.1989")
    'doi:10.1126/science.287.5460.1989'
    >>> wos_reference_key("Gapin AI, 2006, J APPL PHYS, V99")
    'ref:gapin a|2006|j appl phys|99|'
    """
    doi = _doi_in(text)
    if doi:
        return doi
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or not _YEAR.match(parts[1]):
        return ""
    volume = page = ""
    for p in parts[3:]:
        if not volume and (m := _VOLUME.match(p)):
            volume = m.group(1)
        elif not page and (m := _PAGE.match(p)):
            page = m.group(1)
    return ref_key(parts[0], parts[1], parts[2] if len(parts) > 2 else "", volume, page)


def scopus_reference_key(text: str) -> str:
    """Key of a Scopus reference string, old ("Authors, Title (2015) Source, 51 (5), pp. 1-9")
    or new style ("Authors, Source, 104, pp. 2040-2061, (2016)").

    >>> scopus_reference_key("Kang W., Huang Y., Zhang X., Proc. IEEE, 104, pp. 2040-2061, (2016)")
    'ref:kang w|2016|proc ieee|104|2040'
    >>> scopus_reference_key("Nagaosa N., Tokura Y., Topological properties (2013) Nat. Nanotechnol., 8, pp. 899-911")
    'ref:nagaosa n|2013|nat nanotechnol|8|899'
    """
    doi = _doi_in(text)
    if doi:
        return doi
    years = _PAREN_YEAR.findall(text)
    if not years:
        return ""
    year = years[-1]
    first = text.split(",", 1)[0]
    m = _PAREN_YEAR.search(text)
    assert m is not None
    after = text[m.end() :].strip(" ,.")
    if after and re.search(r"\d", after):  # old style: the source follows the year
        bits = [b.strip() for b in after.split(",")]
    else:  # new style: ..., Source, Volume, pp. X-Y, (Year)
        bits = [b.strip() for b in text[: m.start()].split(",")]
        # the source is the last part before the first bare number that is not an initial
        bits = _from_source(bits)
    source = bits[0] if bits else ""
    volume = next((b.split()[0] for b in bits[1:] if _NUMBER.match(b.split()[0] if b else "")), "")
    pm = _PAGES.search(text)
    page = pm.group(1) if pm else ""
    return ref_key(first, year, source, volume, page)


def _from_source(bits: list[str]) -> list[str]:
    """The parts from the source on, in a new-style Scopus string (``bits`` split at commas)."""
    for i, b in enumerate(bits):
        if i and b and _NUMBER.match(b.split()[0]):
            return bits[i - 1 :]
    return bits[-1:]


def cited_reference_key(text: str) -> str:
    """Key of a cited-reference string in WoS or Scopus style (WoS when its second part is a year)."""
    parts = text.split(",")
    if len(parts) > 1 and _YEAR.match(parts[1].strip()):
        return wos_reference_key(text)
    return scopus_reference_key(text)


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
        doi = _doi_key(text)
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
        if doi and (key := _doi_key(doi)):
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
