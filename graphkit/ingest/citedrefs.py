"""Cited-reference strings and their ``ref:`` keys: the part of the reference-key
normalisation that reads free text (WoS ``CR`` entries, Scopus ``References``, Crossref
``unstructured``) rather than IDs. :mod:`graphkit.ingest.refs` builds on it and re-exports it.

A cited work without an ID is keyed ``ref:<surname> <initial>|<year>|<source>|<volume>|<first
page>``; a DOI inside the string wins over those parts.

>>> cited_reference_key("Yua H., 2009, J APPL PHYS, V105")
'ref:yua h|2009|j appl phys|105|'
>>> loose_key("ref:albrecht t|2013|ieee t magn|49|773")
'albrecht t|2013|49|773'
"""

from __future__ import annotations

import re
import unicodedata

from .normalise import normalise_arxiv_id, normalise_doi

__all__ = [
    "cited_reference_key",
    "wos_reference_key",
    "scopus_reference_key",
    "ref_key",
    "loose_key",
    "author_key",
    "doi_key",
]

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


def doi_key(doi: object) -> str:
    text = normalise_doi(doi)
    if not text:
        return ""
    prefix = "10.48550/arxiv."
    arxiv = normalise_arxiv_id(text[len(prefix) :]) if text.startswith(prefix) else ""
    return f"arxiv:{arxiv}" if arxiv else f"doi:{text}"


def _doi_in(text: str) -> str:
    m = _DOI_IN_TEXT.search(text) or _BARE_DOI.search(text)
    return doi_key(m.group(1).rstrip(".")) if m else ""


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
