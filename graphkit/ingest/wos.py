"""Reader for Web of Science plain-text exports ("Other file formats" → "Plain text").

An export opens with ``FN Clarivate Analytics Web of Science`` / ``VR 1.0``; each record runs
from ``PT`` to ``ER`` and the file ends with ``EF``.  A line is a two-character tag, a space and
a value; a line starting with three spaces continues the previous tag.  For ``AU``, ``AF`` and
``CR`` each continuation line is one more value (one author, one cited reference); for other
tags it continues the text.  Cited references (``CR``) become reference keys
(:func:`graphkit.ingest.refs.wos_reference_key`), and each record gets its own ``ref:`` key and
``wos:`` ID so that other records' references find it.

>>> from graphkit.ingest.record import ReadContext
>>> text = ("FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\nAU Wodarz, S\\n   Homma, T\\n"
...         "TI Structural control of CoPt\\n   nanodot arrays\\nSO J MAGN MAGN MATER\\nJ9 J MAGN MAGN MATER\\n"
...         "PY 2017\\nVL 430\\nBP 52\\nCR Sun SH, 2000, SCIENCE, V287, P1989\\nUT WOS:000397201600008\\nER\\nEF\\n")
>>> [p] = parse_wos(text, ReadContext("savedrecs.txt"))
>>> p.title, p.authors, p.year, p.references
('Structural control of CoPt nanodot arrays', ('S Wodarz', 'T Homma'), 2017, ('ref:sun s|2000|science|287|1989',))
>>> p.ids
('wos:000397201600008', 'ref:wodarz s|2017|j magn magn mater|430|52')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from ..errors import IngestError
from ..model import Paper
from .normalise import flip_name
from .record import ReadContext, make_paper
from .refs import ref_key, reference_title, wos_reference_key
from .source import Source

__all__ = ["read_wos", "parse_wos", "looks_like_wos"]

log = logging.getLogger(__name__)

_TAG = re.compile(r"^([A-Z][A-Z0-9]) (.*)$")
_BARE_TAG = re.compile(r"^(ER|EF)\s*$")
#: Tags whose continuation lines are further values, not more text.
_LISTS = {"AU", "AF", "CR", "BE"}
_HEAD = re.compile(r"^\ufeff?(?:FN [^\n]*\n(?:VR [^\n]*\n)?\s*)?PT [A-Z]\s*$", re.MULTILINE)


def looks_like_wos(text: str) -> bool:
    """Whether ``text`` (the start of a file) is a WoS plain-text export.

    >>> looks_like_wos("FN Thomson Reuters Web of Science\\nVR 1.0\\nPT J\\nAU X\\n")
    True
    >>> looks_like_wos("Title\\n\\nAbstract")
    False
    """
    head = text.lstrip("\ufeff")
    if head.startswith("FN ") and "\nPT " in head[:2000]:
        return True
    return bool(_HEAD.match(head.split("\n", 1)[0]))


def _paper(fields: dict[str, list[str]], ctx: ReadContext, line: int, record: int) -> Paper | None:
    def first(*tags: str) -> str:
        for tag in tags:
            for value in fields.get(tag, []):
                if value.strip():
                    return value.strip()
        return ""

    title = first("TI")
    if not title:
        ctx.bad(
            "record has no title (TI)",
            line=line,
            record=record,
            hint="Export with the full record, or use --skip-bad to skip such records.",
        )
        return None
    names = fields.get("AF") or fields.get("AU") or []
    short = fields.get("AU") or names
    year = first("PY") or first("EA")[-4:]
    own = ref_key(
        short[0] if short else "", year, first("J9", "SO"), first("VL"), first("BP", "AR")
    )
    ut = first("UT")
    return make_paper(
        ctx,
        ctx.where(line=line),
        title=title,
        abstract=first("AB"),
        authors=[flip_name(a) for a in names if a.strip()],
        date=first("PY"),
        doi=first("DI"),
        categories=[k for k in "; ".join(fields.get("DE", [])).split("; ") if k.strip()],
        organization="",
        references=[wos_reference_key(c) for c in fields.get("CR", [])],
        reference_titles=[(wos_reference_key(c), reference_title(c)) for c in fields.get("CR", [])],
        ids=[ut if ut.upper().startswith("WOS:") else (f"wos:{ut}" if ut else ""), own],
        cited_by_count=first("TC") or None,
        venue=first("SO"),
    )


def parse_wos(text: str, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of WoS plain-text export ``text``, in file order."""
    fields: dict[str, list[str]] = {}
    last: str | None = None
    start: int | None = None
    record = 0
    seen = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r").lstrip("\ufeff") if number == 1 else raw.rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("   ") or line.startswith("\t"):
            value = line.strip()
            if last is None or not fields.get(last):
                log.debug("%s:%d: continuation line outside a field ignored", ctx.path, number)
            elif last in _LISTS:
                fields[last].append(value)
            else:
                fields[last][-1] += " " + value
            continue
        if _BARE_TAG.match(line):
            if line.startswith("ER") and start is not None:
                record += 1
                paper = _paper(fields, ctx, start, record)
                if paper is not None:
                    yield paper
            fields, last, start = {}, None, None
            continue
        m = _TAG.match(line)
        if not m:
            log.debug("%s:%d: untagged line ignored", ctx.path, number)
            continue
        tag, value = m.group(1), m.group(2).strip()
        if tag == "PT":
            if start is not None:
                log.warning("%s:%d: record without ER line before a new PT", ctx.path, number)
                record += 1
                paper = _paper(fields, ctx, start, record)
                if paper is not None:
                    yield paper
            fields, start, seen = {}, number, True
        elif start is None:
            last = None
            continue  # FN / VR header lines
        fields.setdefault(tag, []).append(value)
        last = tag
    if start is not None:
        log.warning("%s: last record has no ER line", ctx.path)
        record += 1
        paper = _paper(fields, ctx, start, record)
        if paper is not None:
            yield paper
    if not seen:
        raise IngestError(
            ctx.path,
            "no Web of Science records found (no 'PT ' line)",
            line=1,
            hint="Export from Web of Science as 'Plain text' with the full record and cited references.",
        )


def read_wos(source: Source, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of a WoS plain-text export."""
    yield from parse_wos(source.text(), ctx)
