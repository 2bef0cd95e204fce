"""Reader for text dumps of paper-listing pages (the seed format, see DESIGN.md).

A record is recognised by its *shape*, not its words: a one-line title paragraph, then an
abstract paragraph (long prose), then optionally a metadata paragraph made of lines such as
``"  • 7 authors"``, a lone ``"·"``, a date ``"Dec 19, 2023"`` (optionally followed by an
upvote count) or an organisation line (``"google Google"``).  A title followed directly by a
metadata paragraph is a record without an abstract.  Page furniture ("Subscribe", the page
date, …) never has that shape, so it never becomes a paper.

>>> text = "Subscribe\\n\\nMar 13\\n\\nSpQR: Sparse Weights\\n\\n" + "We compress weights. " * 12
>>> text += "\\n\\n  • 7 authors\\n·\\nDec 19, 2023 2\\n"
>>> [p] = read_listing(text, ReadContext("page.txt"))
>>> p.title, p.n_authors, p.iso_date, p.upvotes, p.sources
('SpQR: Sparse Weights', 7, '2023-12-19', 2, ('page.txt:5',))
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Paper
from .normalise import MONTHS, clean_text
from .record import ReadContext, make_paper

__all__ = ["read_listing", "looks_like_listing", "parse_meta_line"]

log = logging.getLogger(__name__)

_AUTHORS = re.compile(r"^[•·*\-–]?\s*(\d{1,5})\s+authors?$", re.IGNORECASE)
_DOT = re.compile(r"^[·•]$")
_DATE = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d{1,7}))?$")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?(?:\s|$)")
_LETTER_OR_DIGIT = re.compile(r"\w")
#: Page furniture of listing pages; never a title (belt and braces: structure excludes them).
_FURNITURE = {
    "new",
    "subscribe",
    "daily papers",
    "trending papers",
    "get trending papers in your email inbox!",
    "byak and the research community",
}
_MAX_TITLE = 300
_MAX_ORG = 80


@dataclass
class _Para:
    line: int  # 1-based line number of the first line
    lines: list[str]
    kind: str = "O"  # S(hort line), A(bstract-like prose), M(etadata), D(ate only), O(ther)
    title_ok: bool = False  # one line that could be a title (even if it reads like prose)

    @property
    def text(self) -> str:
        return clean_text(" ".join(self.lines))


def _date_match(line: str) -> re.Match[str] | None:
    m = _DATE.match(line)
    return m if m and m.group(1).lower() in MONTHS else None


def parse_meta_line(line: str) -> dict[str, object] | None:
    """Read one metadata line; None if it is not one.

    >>> parse_meta_line("  • 7 authors")
    {'n_authors': 7}
    >>> parse_meta_line("Aug 16, 2024 2")
    {'date': 'Aug 16, 2024', 'upvotes': 2}
    >>> parse_meta_line("Mar 4 2"), parse_meta_line("·")
    ({'date': 'Mar 4', 'upvotes': 2}, {})
    """
    text = clean_text(line)
    m = _AUTHORS.match(text)
    if m:
        return {"n_authors": int(m.group(1))}
    if _DOT.match(text):
        return {}
    m = _date_match(text)
    if m:
        month, day, year, extra = m.groups()
        if year is None and extra is not None and len(extra) == 4 and extra[:2] in ("19", "20"):
            year, extra = extra, None  # "Mar 4 2024": a year, not 2024 upvotes
        out: dict[str, object] = {"date": f"{month} {day}" + (f", {year}" if year else "")}
        if extra is not None:
            out["upvotes"] = int(extra)
        return out
    return None


def _organization(line: str) -> str:
    """``"google Google"`` (logo alt text + name) → ``"Google"``; otherwise the line."""
    words = clean_text(line).split()
    half = len(words) // 2
    if (
        len(words) % 2 == 0
        and half
        and [w.casefold() for w in words[:half]] == [w.casefold() for w in words[half:]]
    ):
        return " ".join(words[half:])
    return " ".join(words)


def _abstract_like(text: str) -> bool:
    """Prose: long, many words, and sentence punctuation (titles rarely have ``". "``)."""
    if len(text) >= 400:
        return True
    return len(text) >= 120 and len(text.split()) >= 15 and bool(_SENTENCE_END.search(text))


def _classify(para: _Para) -> None:
    stripped = [clean_text(x) for x in para.lines]
    metas = [parse_meta_line(x) for x in stripped]
    if all(m is not None for m in metas):
        strong = any(not m or "n_authors" in m for m in metas)  # a "·" or an authors line
        para.kind = "M" if strong else "D"
        return
    if any(m is not None and (not m or "n_authors" in m) for m in metas):
        # A metadata block with an organisation line in it.
        others = [x for x, m in zip(stripped, metas, strict=True) if m is None]
        if all(len(x) <= _MAX_ORG and not _SENTENCE_END.search(x) for x in others):
            para.kind = "M"
            return
    text = para.text
    para.title_ok = (
        len(para.lines) == 1
        and len(text) <= _MAX_TITLE
        and bool(_LETTER_OR_DIGIT.search(text))
        and text.casefold() not in _FURNITURE
    )
    if _abstract_like(text):
        para.kind = "A"
    elif para.title_ok:
        para.kind = "S"


def _paragraphs(text: str) -> list[_Para]:
    paras: list[_Para] = []
    current: _Para | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if current is None:
                current = _Para(number, [])
                paras.append(current)
            current.lines.append(line)
        else:
            current = None
    for p in paras:
        _classify(p)
    return paras


def _meta_fields(paras: list[_Para]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for para in paras:
        for line in para.lines:
            meta = parse_meta_line(line)
            if meta is None:
                fields.setdefault("organization", _organization(line))
                continue
            for key, value in meta.items():
                fields.setdefault(key, value)
    return fields


def _records(paras: list[_Para]) -> Iterator[tuple[_Para, _Para | None, list[_Para]]]:
    """(title, abstract or None, metadata paragraphs) for each record, in order."""
    kinds = "".join(p.kind for p in paras)
    i, n = 0, len(paras)
    while i < n:
        title: _Para | None = None
        abstract: _Para | None = None
        para = paras[i]
        if not para.title_ok or i + 1 == n:
            if para.kind == "A":
                log.debug("line %d: prose without a title line; not a paper", para.line)
            i += 1
            continue
        after = kinds[i + 1 : i + 3]
        if after[:1] == "A" and len(paras[i + 1].text) > len(para.text):
            title, abstract, i = para, paras[i + 1], i + 2
        elif after == "SM" and (
            (i > 0 and kinds[i - 1] in "AMD") or paras[i + 1].text.endswith(".")
        ):
            title, abstract, i = para, paras[i + 1], i + 2  # a short abstract
        elif after[:1] == "M":
            title, i = para, i + 1
        else:
            i += 1
            continue
        meta: list[_Para] = []
        while i < n and (kinds[i] == "M" or (kinds[i] == "D" and meta)):
            meta.append(paras[i])
            i += 1
        yield title, abstract, meta


def read_listing(text: str, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of a listing-page dump, in file order."""
    for title, abstract, meta in _records(_paragraphs(text)):
        fields = _meta_fields(meta)
        yield make_paper(
            ctx,
            ctx.where(line=title.line),
            title=title.text,
            abstract=abstract.text if abstract else "",
            n_authors=fields.get("n_authors"),
            date=fields.get("date", ""),
            upvotes=fields.get("upvotes"),
            organization=fields.get("organization", ""),
        )


def looks_like_listing(text: str) -> bool:
    """True when the text holds at least one title/abstract record (used for sniffing).

    >>> looks_like_listing("just some words\\nand more words")
    False
    """
    return any(True for _ in _records(_paragraphs(text)))
