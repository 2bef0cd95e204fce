"""Crossref REST API (api.crossref.org): search with cursor paging, DOI look-ups, references.

Crossref publishes the works a DOI cites (``reference``) but not who cites it (cited-by is for
members only), so only ``--expand references`` is possible.  A reference without a DOI gets
the ``ref:`` key of :mod:`graphkit.ingest.refs` from its author, year, source, volume and page,
or from the publisher's ``unstructured`` text.  ``--mailto`` (or ``$CROSSREF_MAILTO``) joins the polite pool.

>>> rec = work_record({"DOI": "10.1000/A", "title": ["Deep <i>nets</i>"], "issued":
...     {"date-parts": [[2015, 11, 19]]}, "reference": [{"DOI": "10.1038/B"},
...     {"author": "LeCun", "year": "2015", "journal-title": "Nature", "volume": "521"}]})
>>> rec["title"], rec["date"], rec["references"]
('Deep nets', '2015-11-19', ['doi:10.1038/b', 'ref:lecun|2015|nature|521|'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import orjson

from ..ingest.refs import reference_key
from .http import BadBody
from .ids import Ident
from .records import strip_markup, work
from .service import Expansion, Service

__all__ = ["Crossref", "work_record"]

BASE = "https://api.crossref.org/works"
SELECT = (
    "DOI,title,author,abstract,issued,published,container-title,URL,"
    "is-referenced-by-count,reference"
)


def _message(body: bytes) -> Mapping[str, Any]:
    data = orjson.loads(body)
    msg = data.get("message") if isinstance(data, Mapping) else None
    if not isinstance(msg, Mapping):
        raise BadBody("no 'message' object")
    return msg


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value) if value else ""


def _date(w: Mapping[str, Any]) -> str:
    for key in ("issued", "published", "published-print", "published-online", "created"):
        parts = (w.get(key) or {}).get("date-parts") if isinstance(w.get(key), Mapping) else None
        if parts and isinstance(parts[0], list) and parts[0] and parts[0][0]:
            nums = [int(p) for p in parts[0][:3] if isinstance(p, int)]
            return "-".join([f"{nums[0]:04d}", *(f"{n:02d}" for n in nums[1:])])
    return ""


def work_record(w: Mapping[str, Any]) -> dict[str, Any]:
    """One Crossref work (``message`` or an ``items`` entry) → a graphkit record."""
    authors = []
    for a in w.get("author") or []:
        if isinstance(a, Mapping):
            authors.append(
                " ".join(str(a[k]) for k in ("given", "family") if a.get(k)) or a.get("name")
            )
    date = _date(w)
    return work(
        title=strip_markup(_first(w.get("title"))),
        abstract=strip_markup(w.get("abstract")),
        authors=authors,
        date=date,
        doi=w.get("DOI"),
        url=w.get("URL") or "",
        venue=_first(w.get("container-title")),
        cited_by_count=w.get("is-referenced-by-count"),
        references=[reference_key(r) for r in w.get("reference") or [] if isinstance(r, Mapping)],
    )


class Crossref(Service):
    name = "crossref"
    page_size = 100  # Crossref allows up to 1,000 rows; 100 keeps one response small
    kinds = ("doi", "arxiv")
    directions = ("references",)
    no_direction_hint = "Crossref does not publish who cites a work; use openalex or s2."

    def _params(self, **extra: Any) -> dict[str, Any]:
        return {**extra, "mailto": self.mailto} if self.mailto else dict(extra)

    def search(self, query: str, limit: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        thin: list[str] = []  # items that came without a title: looked up by DOI
        seen = 0
        deep = limit > self.page_size  # a cursor is only needed past the first page
        cursor = "*" if deep else None
        while True:
            params = {"query": query, "rows": self.page_size, "select": SELECT}
            if cursor:
                params["cursor"] = cursor
            msg = self.client.get(BASE, self._params(**params), parse=_message)
            items = [i for i in msg.get("items") or [] if isinstance(i, Mapping)]
            for item in items[: limit - seen]:
                seen += 1
                rec = work_record(item)
                if rec["title"]:
                    out.append(rec)
                elif rec["doi"]:
                    thin.append(rec["doi"])
            total = msg.get("total-results")
            self.progress("search", seen, min(limit, total) if isinstance(total, int) else limit)
            cursor = msg.get("next-cursor") if deep else None
            if not cursor or not items or seen >= limit:
                break
        if thin:
            found, _ = self.lookup([Ident("doi", d) for d in thin])
            out.extend(found)
        return out

    def lookup(self, idents: list[Ident]) -> tuple[list[dict[str, Any]], int]:
        self.check_idents(idents)
        records, missing = [], 0
        for n, ident in enumerate(idents, start=1):
            doi = ident.value if ident.kind == "doi" else f"10.48550/arXiv.{ident.value}"
            msg = self.client.get(
                f"{BASE}/{quote(doi, safe='/:;()')}",
                self._params(),
                parse=_message,
                missing_ok=True,
            )
            if msg is None:
                missing += 1
            else:
                records.append(work_record(msg))
            self.progress("look up", n, len(idents))
        return records, missing

    def expand(self, seeds: list[dict[str, Any]], direction: str, per_paper: int) -> Expansion:
        self.check_direction(direction)
        wanted = dict.fromkeys(
            r[4:] for s in seeds for r in s["references"][:per_paper] if r.startswith("doi:")
        )
        records, missing = self.lookup([Ident("doi", d) for d in wanted])
        return Expansion(records=records, missing=missing)
