"""Reader for RIS files (``TY  - JOUR`` … ``ER  -``); untagged lines continue the previous field.

>>> from graphkit.ingest.record import ReadContext
>>> ris = "TY  - JOUR\\nTI  - Deep Learning\\nAU  - LeCun, Yann\\nAU  - Bengio, Yoshua\\nPY  - 2015///\\nER  -\\n"
>>> [p] = parse_ris(ris, ReadContext("refs.ris"))
>>> p.title, p.authors, p.year, p.sources
('Deep Learning', ('Yann LeCun', 'Yoshua Bengio'), 2015, ('refs.ris:1',))
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from ..errors import IngestError
from ..model import Paper
from .normalise import flip_name
from .record import ReadContext, make_paper
from .source import Source

__all__ = ["read_ris", "parse_ris", "ris_date", "RIS_TAG"]

log = logging.getLogger(__name__)

#: A tagged RIS line: two-character tag, spaces, hyphen, value ("TY  - JOUR"; "ER  -").
RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{1,3}-(?:\s(.*))?$")
_MULTI = {"AU", "A1", "UR", "KW", "L1", "L2", "CR", "N1"}
_REFERENCES_NOTE = "references:"


def _references(fields: dict[str, list[str]]) -> list[str]:
    """Cited references: one per ``CR`` line, or Scopus's ``N1  - References: a; b; …`` note."""
    refs = [r for r in fields.get("CR", []) if r.strip()]
    for note in fields.get("N1", []):
        if note.lower().startswith(_REFERENCES_NOTE):
            refs.extend(r for r in note[len(_REFERENCES_NOTE) :].split("; ") if r.strip())
    return refs


#: RIS dates: ``YYYY/MM/DD/other`` with empty parts allowed ("2023/05/23/", "2015///").
_RIS_DATE = re.compile(r"^(\d{4})(?:/(\d{0,2}))?(?:/(\d{0,2}))?(?:/.*)?$")


def ris_date(value: str) -> str:
    """A RIS date as ISO text where its parts are given: ``2023/05/23/`` → ``2023-05-23``,
    ``2015///`` → ``2015``, ``2020/07//Summer`` → ``2020-07``; other text is kept as written.

    >>> ris_date("2023/05/23/"), ris_date("2015///"), ris_date("2020/07//Summer"), ris_date("May 2019")
    ('2023-05-23', '2015', '2020-07', 'May 2019')
    """
    m = _RIS_DATE.match(value.strip())
    if not m:
        return value
    year, month, day = m.group(1), m.group(2) or "", m.group(3) or ""
    if not month:
        return year
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def _paper(fields: dict[str, list[str]], ctx: ReadContext, line: int, record: int) -> Paper | None:
    def first(*tags: str) -> str:
        for tag in tags:
            for value in fields.get(tag, []):
                if value.strip():
                    return value
        return ""

    title = first("TI", "T1", "CT", "BT")
    if not title:
        ctx.bad(
            "record has no title (TI or T1)",
            line=line,
            record=record,
            hint="Add a TI line, or use --skip-bad to skip such records.",
        )
        return None
    urls = [u for tag in ("UR", "L1", "L2") for u in fields.get(tag, [])]
    arxiv_url = next((u for u in urls if "arxiv.org" in u.lower()), "")
    return make_paper(
        ctx,
        ctx.where(line=line),
        title=title,
        abstract=first("AB", "N2"),
        authors=[flip_name(a) for a in fields.get("AU", []) + fields.get("A1", []) if a.strip()],
        date=_best_date(first("DA"), first("PY", "Y1")),
        url=urls[0] if urls else "",
        arxiv_id=arxiv_url,
        doi=first("DO"),
        categories=fields.get("KW", []),
        references=_references(fields),
        venue=first("JF", "JO", "T2", "JA", "J2"),
    )


def _best_date(da: str, py: str) -> str:
    """DA (the full date) unless it is less precise than PY/Y1 (which may carry the day)."""
    dates = [ris_date(d) for d in (da, py) if d.strip()]
    return max(dates, key=len, default="")


def parse_ris(text: str, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of RIS text, in file order."""
    fields: dict[str, list[str]] = {}
    last: str | None = None
    start: int | None = None
    record = 0
    seen_ty = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        m = RIS_TAG.match(line.lstrip("\ufeff"))
        if not m:
            if last is not None and fields.get(last):
                fields[last][-1] += " " + line.strip()  # continuation of a multi-line field
            else:
                log.debug("%s:%d: untagged line outside a record ignored", ctx.path, number)
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            if start is not None:
                log.warning("%s:%d: record without ER line before a new TY", ctx.path, number)
                record += 1
                paper = _paper(fields, ctx, start, record)
                if paper is not None:
                    yield paper
            fields, last, start, seen_ty = {}, None, number, True
            continue
        if start is None:
            log.debug("%s:%d: %s line outside a record ignored", ctx.path, number, tag)
            continue
        if tag == "ER":
            record += 1
            paper = _paper(fields, ctx, start, record)
            if paper is not None:
                yield paper
            fields, last, start = {}, None, None
            continue
        if tag in _MULTI or tag not in fields:
            fields.setdefault(tag, []).append(value)
        else:
            fields[tag][-1] += " " + value  # repeated single-valued tag: continue it
        last = tag
    if start is not None:
        log.warning("%s: last record has no ER line", ctx.path)
        record += 1
        paper = _paper(fields, ctx, start, record)
        if paper is not None:
            yield paper
    if not seen_ty:
        raise IngestError(
            ctx.path,
            "no RIS records found (no 'TY  - ' line)",
            line=1,
            hint="Each RIS record starts with 'TY  - <type>' and ends with 'ER  - '.",
        )


def read_ris(source: Source, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of a RIS file."""
    yield from parse_ris(source.text(), ctx)
