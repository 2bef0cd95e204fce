"""Normalising the values every reader shares: titles, IDs, DOIs, dates and author lists.

These are the rules that make a paper's ID stable across runs and machines, and that decide
when two records are the same paper.

>>> normalise_title("SpQR: A Sparse-Quantized  Représentation")
'spqr a sparse quantized representation'
>>> paper_id(arxiv_id="2306.03078"), paper_id(doi="10.1000/ABC")
('arxiv:2306.03078', 'doi:10.1000/abc')
>>> paper_id(title="SpQR: A Sparse-Quantized Representation")
't:...'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date as _date
from typing import Any
from urllib.parse import unquote

__all__ = [
    "clean_text",
    "normalise_title",
    "title_hash",
    "normalise_arxiv_id",
    "arxiv_id_from_text",
    "normalise_doi",
    "paper_id",
    "paper_ids",
    "aliases_of",
    "parse_date",
    "split_authors",
    "flip_name",
    "MONTHS",
]

_NON_ALNUM = re.compile(r"[\W_]+")

#: Month names and abbreviations (English) → month number.
MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    start=1,
):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9

_NEW_ARXIV = r"\d{4}\.\d{4,5}"
_OLD_ARXIV = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"^(?:arxiv:)?\s*({_NEW_ARXIV}|{_OLD_ARXIV})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv[:.]\s*|10\.48550/arxiv\.)({_NEW_ARXIV}|{_OLD_ARXIV})(?:v\d+)?",
    re.IGNORECASE,
)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{3,9}/\S+$")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


#: Characters no field of a paper needs and a terminal or an editor obeys: C0/C1 controls
#: (an ESC starts a terminal escape sequence, a BEL rings) and the bidi embeddings, overrides
#: and isolates (U+202A-U+202E, U+2066-U+2069: a right-to-left override shows "evil\u202etxt.exe"
#: as "evilexe.txt", the "Trojan Source" trick).  The marks LRM/RLM/ALM, which right-to-left
#: text uses and which reorder nothing, are kept.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: object) -> str:
    """Collapse runs of whitespace (newlines included) to one space and strip; drop control
    characters and bidi overrides (:data:`_INVISIBLE`).

    >>> clean_text("  Large   language\\n models ")
    'Large language models'
    >>> clean_text("A \\x1b[31mred\\x07 \\u202etitle\\u202c")
    'A [31mred title'
    """
    if not value:
        return ""
    text = str(value)
    # Fast path: every whitespace character but " " is non-printable, so a printable text
    # without doubled/leading/trailing spaces is already clean.
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    text = " ".join(text.split())  # str.split() knows Unicode whitespace
    if not text.isprintable() and _INVISIBLE.search(text):  # rare: one C-speed test otherwise
        text = " ".join(_INVISIBLE.sub("", text).split())
    return text


def normalise_title(title: str) -> str:
    """The title used to match papers: NFKC, casefolded, accents stripped, every run of
    non-alphanumerics collapsed to one space.

    >>> normalise_title("Don't Retrieve, Generate!") == normalise_title("don t retrieve generate")
    True
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text).strip()


def title_hash(title: str) -> str:
    """First 12 hex digits of the SHA-1 of the normalised title.

    >>> len(title_hash("Attention Is All You Need"))
    12
    """
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:12]


def normalise_arxiv_id(value: object) -> str:
    """An arXiv identifier without prefix or version, or '' when ``value`` is not one.

    >>> normalise_arxiv_id("arXiv:2306.03078v2"), normalise_arxiv_id("hep-th/9901001v1")
    ('2306.03078', 'hep-th/9901001')
    >>> normalise_arxiv_id("not an id")
    ''
    """
    if value is None:
        return ""
    text = str(value).strip()
    m = _ARXIV_ID.match(text)
    if m:
        return m.group(1)
    return arxiv_id_from_text(text) if "arxiv" in text.lower() else ""


def arxiv_id_from_text(text: object) -> str:
    """Find an arXiv ID in a URL, a DOI (10.48550/arXiv.X) or a note ("arXiv:1810.04805").

    >>> arxiv_id_from_text("https://arxiv.org/abs/2306.03078v2")
    '2306.03078'
    >>> arxiv_id_from_text("10.48550/arXiv.1810.04805")
    '1810.04805'
    """
    if not text:
        return ""
    m = _ARXIV_IN_TEXT.search(str(text))
    return m.group(1) if m else ""


def normalise_doi(value: object) -> str:
    """A DOI lowercased, without ``https://doi.org/`` or ``doi:``; '' if it is not a DOI.

    >>> normalise_doi("https://doi.org/10.18653/V1/N19-1423")
    '10.18653/v1/n19-1423'
    >>> normalise_doi("n/a")
    ''
    """
    if value is None:
        return ""
    text = unquote(str(value).strip())
    text = _DOI_PREFIX.sub("", text).strip().rstrip(".").lower()
    return text if _DOI.match(text) else ""


def paper_id(*, arxiv_id: str = "", doi: str = "", title: str = "") -> str:
    """The stable ID: ``arxiv:<id>``, else ``doi:<doi>``, else ``t:<hash of the title>``."""
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    if doi:
        return f"doi:{doi.lower()}"
    return f"t:{title_hash(title)}"


def paper_ids(*, arxiv_id: str = "", doi: str = "", title: str = "") -> list[str]:
    """Every ID a paper with these fields can have, its own (:func:`paper_id`) first.

    A paper's ID depends on what its inputs say: ``t:<hash>`` from a title alone becomes
    ``doi:…`` or ``arxiv:…`` once another file adds the identifier.  The others are its aliases:
    an ID from an earlier build still finds it (``graphkit related``, ``graphkit info --ids``).

    >>> paper_ids(arxiv_id="2301.00774", title="SparseGPT")  # doctest: +ELLIPSIS
    ['arxiv:2301.00774', 't:...']
    """
    own = paper_id(arxiv_id=arxiv_id, doi=doi, title=title)
    out = [own]
    for alias in (
        f"arxiv:{arxiv_id}" if arxiv_id else "",
        f"doi:{doi.lower()}" if doi else "",
        f"t:{title_hash(title)}" if title else "",
    ):
        if alias and alias not in out:
            out.append(alias)
    return out


def aliases_of(node_id: str, attrs: Mapping[str, Any]) -> list[str]:
    """The aliases of a paper node (its attributes ``attrs``, as in graph.json): the IDs of
    :func:`paper_ids` other than ``node_id``, which ``graphkit info --ids`` lists and
    ``related`` and the map's search accept.

    >>> aliases_of("arxiv:2301.00774", {"arxiv_id": "2301.00774", "title": "SparseGPT"})
    ... # doctest: +ELLIPSIS
    ['t:...']
    """
    ids = paper_ids(
        arxiv_id=str(attrs.get("arxiv_id") or ""),
        doi=str(attrs.get("doi") or ""),
        title=str(attrs.get("title") or ""),
    )
    return [i for i in ids if i != node_id]


_ISO = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ].*)?$")
_MONTH_DAY = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_YEAR_ANY = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def _iso(year: int, month: int | None, day: int | None) -> str:
    if month is None or day is None:
        return ""
    try:
        return _date(year, month, day).isoformat()
    except ValueError:
        return ""


def parse_date(value: object) -> tuple[int | None, str]:
    """``(year, iso_date)`` where the text makes them certain; ``(None, '')`` otherwise.

    >>> parse_date("Dec 19, 2023"), parse_date("May 29"), parse_date("2023-06-06T17:58:12Z")
    ((2023, '2023-12-19'), (None, ''), (2023, '2023-06-06'))
    >>> parse_date(2019), parse_date("2019///")
    ((2019, ''), (2019, ''))
    """
    if value is None or isinstance(value, bool):
        return None, ""
    if isinstance(value, int):
        return (value, "") if 1000 <= value <= 2999 else (None, "")
    text = clean_text(value)
    if not text:
        return None, ""
    m = _ISO.match(text)
    if m:
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        return year, _iso(year, month, day)
    m = _MONTH_DAY.match(text)
    if m and m.group(1).lower() in MONTHS:
        if not m.group(3):
            return None, ""
        year = int(m.group(3))
        return year, _iso(year, MONTHS[m.group(1).lower()], int(m.group(2)))
    m = _DAY_MONTH.match(text)
    if m and m.group(2).lower() in MONTHS:
        year = int(m.group(3))
        return year, _iso(year, MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _MONTH_YEAR.match(text)
    if m and m.group(1).lower() in MONTHS:
        return int(m.group(2)), ""
    years = set(_YEAR_ANY.findall(text))
    if len(years) == 1:  # "2019///", "Spring 2020"
        return int(years.pop()), ""
    return None, ""


_AND = re.compile(r"\s+and\s+|\s*&\s*", re.IGNORECASE)


def flip_name(name: str) -> str:
    """``"Last, First"`` → ``"First Last"``; other names unchanged.

    >>> flip_name("Devlin, Jacob"), flip_name("Jacob Devlin")
    ('Jacob Devlin', 'Jacob Devlin')
    """
    name = clean_text(name)
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):  # "Last, Jr, First"
        return f"{parts[2]} {parts[0]}, {parts[1]}"
    return name


def split_authors(value: object) -> tuple[str, ...]:
    """Split an author field written as one string (or a list) into names.

    ``;`` separates names first, then `` and ``/``&``; commas separate names only when the
    parts look like full names (``"Devlin, Jacob"`` is one name, flipped to ``"Jacob Devlin"``).

    >>> split_authors("Jacob Devlin; Ming-Wei Chang")
    ('Jacob Devlin', 'Ming-Wei Chang')
    >>> split_authors("Devlin, Jacob and Chang, Ming-Wei")
    ('Jacob Devlin', 'Ming-Wei Chang')
    >>> split_authors("Jacob Devlin, Ming-Wei Chang, Kenton Lee")
    ('Jacob Devlin', 'Ming-Wei Chang', 'Kenton Lee')
    """
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(n for n in (clean_text(v) for v in value) if n)
    text = clean_text(value)
    if not text:
        return ()
    if ";" in text:
        parts = text.split(";")
    elif _AND.search(text):
        parts = _AND.split(text)
        # "A, B and C": the commas before the final "and" separate full names too.
        if len(parts) == 2 and "," in parts[0] and _comma_separates(parts[0]):
            parts = [*parts[0].split(","), parts[1]]
    elif "," in text and _comma_separates(text):
        parts = text.split(",")
    else:
        parts = [text]
    return tuple(n for n in (flip_name(p) for p in parts) if n)


def _comma_separates(text: str) -> bool:
    """True when every comma-separated part has at least two words (full names)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return len(parts) > 1 and all(len(p.split()) >= 2 for p in parts)


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    """Drop repeats, keep first-seen order."""
    return tuple(dict.fromkeys(items))
