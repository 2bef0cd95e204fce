"""Reader for Atom feeds from the arXiv API (``feed/entry``), with ``xml.etree``.

Entity declarations are refused before parsing (no "billion laughs"); expat itself also limits
entity expansion.

>>> from graphkit.ingest.record import ReadContext
>>> xml = '''<feed xmlns="http://www.w3.org/2005/Atom"><entry>
... <id>http://arxiv.org/abs/2306.03078v2</id><title>SpQR:
...   A Sparse-Quantized Representation</title><summary>We compress.</summary>
... <author><name>Tim Dettmers</name></author><published>2023-06-05T17:58:12Z</published>
... </entry></feed>'''
>>> [p] = parse_atom(xml, ReadContext("q.atom"))
>>> p.id, p.title, p.iso_date
('arxiv:2306.03078', 'SpQR: A Sparse-Quantized Representation', '2023-06-05')
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from ..errors import IngestError
from ..model import Paper
from .record import ReadContext, make_paper
from .source import Source

__all__ = ["read_atom", "parse_atom", "ATOM_NS", "ARXIV_NS"]

log = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
_A = f"{{{ATOM_NS}}}"
_X = f"{{{ARXIV_NS}}}"
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_ENTRY_TAG = re.compile(r"<entry")


def _text(el: ET.Element | None) -> str:
    return "".join(el.itertext()) if el is not None else ""


def _tag(el: ET.Element, name: str) -> ET.Element | None:
    """Child ``name`` in the Atom namespace, or without namespace (hand-written feeds)."""
    found = el.find(_A + name)
    return found if found is not None else el.find(name)


def _entry_lines(text: str) -> list[int]:
    """Line of each ``<entry`` tag in order, for messages and sources (one pass over the
    text: looking each one up from the start made a 10,000-entry feed quadratic, minutes)."""
    lines, line, last = [], 1, 0
    for m in _ENTRY_TAG.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        lines.append(line)
    return lines


def parse_atom(text: str, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of an Atom feed."""
    if _ENTITY.search(text):
        raise IngestError(
            ctx.path,
            "XML entity declarations are not allowed",
            hint="Remove the <!DOCTYPE …> block; arXiv feeds do not need one.",
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise IngestError(
            ctx.path,
            f"invalid XML: {str(exc).split(':')[0]} (column {col + 1})",
            line=line,
            hint="Fix the XML at that position, or re-download the feed.",
        ) from exc
    if root.tag not in (_A + "feed", "feed", _A + "entry", "entry"):
        raise IngestError(
            ctx.path,
            f"XML root is <{root.tag.split('}')[-1]}>, not an Atom <feed>",
            hint="Give an Atom feed from the arXiv API (export.arxiv.org/api/query?…).",
        )
    entries = (
        [root] if root.tag.endswith("entry") else root.findall(_A + "entry") + root.findall("entry")
    )
    lines = _entry_lines(text)
    for number, entry in enumerate(entries, start=1):
        line = lines[number - 1] if number <= len(lines) else None
        where = {"line": line} if line is not None else {"record": number}
        entry_id = _text(_tag(entry, "id")).strip()
        if "/api/errors" in entry_id:
            raise IngestError(
                ctx.path,
                f"the feed is an arXiv API error: {_text(_tag(entry, 'summary')).strip()}",
                hint="Fix the query that produced this feed.",
                **where,
            )
        title = _text(_tag(entry, "title"))
        if not title.strip():
            ctx.bad("entry has no <title>", hint="Use --skip-bad to skip such entries.", **where)
            continue
        url, doi_link = "", ""
        for link in entry.findall(_A + "link") + entry.findall("link"):
            href = link.get("href", "")
            if link.get("title") == "doi":
                doi_link = href
            elif link.get("rel", "alternate") == "alternate" and not url:
                url = href
        categories = [
            c.get("term", "") for c in entry.findall(_A + "category") + entry.findall("category")
        ]
        yield make_paper(
            ctx,
            ctx.where(**where),
            title=title,
            abstract=_text(_tag(entry, "summary")) or _text(_tag(entry, "content")),
            authors=[
                _text(_tag(a, "name"))
                for a in entry.findall(_A + "author") + entry.findall("author")
            ],
            date=_text(_tag(entry, "published")),
            fallback_date=_text(_tag(entry, "updated")),
            url=url or (entry_id if entry_id.startswith("http") else ""),
            arxiv_id=entry_id,
            doi=_text(entry.find(_X + "doi")) or doi_link,
            categories=categories,
            venue=_text(entry.find(_X + "journal_ref")),
        )


def read_atom(source: Source, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of an Atom feed file."""
    yield from parse_atom(source.text(), ctx)
