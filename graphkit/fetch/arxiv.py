"""arXiv API (export.arxiv.org/api/query, Atom): search and ID look-ups, one request per 3 s.

Atom is parsed by graphkit's own reader (:mod:`graphkit.ingest.atom`).  arXiv has no citation
data, so there is nothing to expand along: fetch the arXiv IDs from ``s2`` or ``openalex`` for
that.  The API sometimes answers a page with no entries although more are due; such a page is
retried like a truncated one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ..ingest.atom import parse_atom
from ..ingest.record import ReadContext
from ..model import Paper
from .http import BadBody
from .ids import Ident
from .records import work
from .service import Expansion, Service, chunks

__all__ = ["Arxiv", "parse_feed"]

BASE = "https://export.arxiv.org/api/query"
_TOTAL = re.compile(r"<opensearch:totalResults[^>]*>\s*(\d+)\s*<", re.IGNORECASE)
BATCH = 100


def parse_feed(body: bytes, *, expect_entries: bool = False) -> tuple[list[Paper], int | None]:
    """The papers of one Atom page and the feed's total; :class:`BadBody` if it is cut off.

    >>> parse_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>")
    Traceback (most recent call last):
    ...
    graphkit.fetch.http.BadBody: truncated Atom feed: no element found: line 1, column 49
    """
    text = body.decode("utf-8", "replace")
    try:
        ET.fromstring(text)
    except ET.ParseError as exc:
        raise BadBody(f"truncated Atom feed: {exc}") from None
    m = _TOTAL.search(text)
    total = int(m.group(1)) if m else None
    papers = [p for p in parse_atom(text, ReadContext("arXiv API", skip_bad=True)) if p.arxiv_id]
    if expect_entries and not papers and total:
        raise BadBody("an empty page although the feed has more entries")
    return papers, total


def paper_record(p: Paper) -> dict[str, Any]:
    return work(
        title=p.title,
        abstract=p.abstract,
        authors=p.authors,
        year=p.year,
        date=p.iso_date or p.date,
        doi=p.doi,
        arxiv_id=p.arxiv_id,
        url=p.url or f"https://arxiv.org/abs/{p.arxiv_id}",
        venue="arXiv",
    )


class Arxiv(Service):
    name = "arxiv"
    page_size = 100
    kinds = ("arxiv",)
    directions = ()
    no_direction_hint = (
        "arXiv publishes no citations; fetch the same arXiv IDs with openalex or s2 to expand."
    )

    def _query(self, *, search: str = "", ids: str = "", start: int, size: int, expect: bool):
        params = {
            "search_query": search,
            "id_list": ids,
            "sortBy": "relevance",
            "sortOrder": "descending",
            "start": start,
            "max_results": size,
        }
        return self.client.get(
            BASE, params, parse=lambda body: parse_feed(body, expect_entries=expect)
        )

    def search(self, query: str, limit: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        total: int | None = None
        start = 0
        while len(out) < limit and (total is None or start < total):
            papers, total = self._query(  # whole pages: a larger --limit reuses the cache
                search=query, start=start, size=self.page_size, expect=total is not None
            )
            start += self.page_size
            if not papers:
                break
            out.extend(paper_record(p) for p in papers[: limit - len(out)])
            self.progress("search", len(out), min(limit, total or limit))
        return out

    def lookup(self, idents: list[Ident]) -> tuple[list[dict[str, Any]], int]:
        self.check_idents(idents)
        records: list[dict[str, Any]] = []
        for batch in chunks([i.value for i in idents], BATCH):
            papers, _ = self._query(ids=",".join(batch), start=0, size=BATCH, expect=False)
            records.extend(paper_record(p) for p in papers)
            self.progress("look up", len(records), len(idents))
        return records, max(0, len(idents) - len(records))

    def expand(self, seeds: list[dict[str, Any]], direction: str, per_paper: int) -> Expansion:
        self.check_direction(direction)
        return Expansion()  # pragma: no cover -- check_direction always refuses
