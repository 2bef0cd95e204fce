"""OpenAlex (api.openalex.org): search with cursor paging, batched look-ups, both directions.

Look-ups go 50 IDs per request as ``filter=openalex_id:W1|W2|…`` (or ``doi:…|…``); citations
of a work are ``filter=cites:W…``; only the fields graphkit writes are selected.

>>> rec = work_record({"id": "https://openalex.org/W1", "display_name": "X",
...     "abstract_inverted_index": {"Hi": [0], "there": [1]},
...     "referenced_works": ["https://openalex.org/W2"], "publication_year": 2020})
>>> rec["id"], rec["abstract"], rec["references"], rec["year"]
('openalex:W1', 'Hi there', ['openalex:W2'], 2020)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ingest.jsonfmt import _rebuild_abstract
from ..ingest.refs import reference_key
from .http import BadBody
from .ids import Ident
from .records import openalex_id, work
from .service import Expansion, Service, chunks, cites

__all__ = ["OpenAlex", "work_record"]

BASE = "https://api.openalex.org/works"
SELECT = (
    "id,doi,ids,display_name,publication_year,publication_date,authorships,"
    "abstract_inverted_index,primary_location,cited_by_count,referenced_works"
)
BATCH = 50  # OpenAlex takes up to 100 values in one OR filter; 50 keeps URLs short


def _page(body: bytes) -> dict[str, Any]:
    import orjson

    data = orjson.loads(body)
    if not isinstance(data, Mapping) or not isinstance(data.get("results"), list):
        raise BadBody("no 'results' list")
    return data


def work_record(w: Mapping[str, Any]) -> dict[str, Any]:
    """One OpenAlex work object → a graphkit record."""
    loc = w.get("primary_location") if isinstance(w.get("primary_location"), Mapping) else {}
    source = loc.get("source") if isinstance(loc.get("source"), Mapping) else {}
    host = w.get("host_venue") if isinstance(w.get("host_venue"), Mapping) else {}  # old schema
    ids = w.get("ids") if isinstance(w.get("ids"), Mapping) else {}
    authors = [
        (a.get("author") or {}).get("display_name") or a.get("raw_author_name")
        for a in w.get("authorships") or []
        if isinstance(a, Mapping)
    ]
    pmid = str(ids.get("pmid") or "").rstrip("/").rsplit("/", 1)[-1]
    return work(
        title=w.get("display_name") or w.get("title"),
        abstract=_rebuild_abstract(w.get("abstract_inverted_index")),
        authors=authors,
        year=w.get("publication_year"),
        date=w.get("publication_date") or "",
        doi=w.get("doi"),
        openalex=w.get("id"),
        url=loc.get("landing_page_url") or w.get("doi") or "",
        venue=source.get("display_name") or host.get("display_name") or "",
        cited_by_count=w.get("cited_by_count"),
        references=[reference_key(r) for r in w.get("referenced_works") or []],
        pmid=pmid if pmid.isdigit() else None,
    )


class OpenAlex(Service):
    name = "openalex"
    page_size = 200  # the API's maximum per page
    kinds = ("openalex", "doi", "arxiv", "pmid")

    def _params(self, **extra: Any) -> dict[str, Any]:
        params = {**extra, "select": SELECT}
        if self.mailto:
            params["mailto"] = self.mailto  # the "polite pool"
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    def _pages(self, stage: str, limit: int, **query: Any) -> list[dict[str, Any]]:
        """Follow ``meta.next_cursor`` until ``limit`` records or the end."""
        out: list[dict[str, Any]] = []
        cursor = "*"
        while cursor and len(out) < limit:
            data = self.client.get(  # whole pages: a rerun with a larger --limit reuses the cache
                BASE,
                self._params(**query, **{"per-page": self.page_size, "cursor": cursor}),
                parse=_page,
            )
            results = [r for r in data["results"] if isinstance(r, Mapping)]
            out.extend(work_record(r) for r in results[: limit - len(out)])
            meta = data.get("meta") if isinstance(data.get("meta"), Mapping) else {}
            self.progress(stage, len(out), min(limit, meta.get("count") or limit))
            cursor = meta.get("next_cursor") if results else None
        return out

    def search(self, query: str, limit: int) -> list[dict[str, Any]]:
        return self._pages("search", limit, search=query)

    def _filter_values(self, ident: Ident) -> tuple[str, str]:
        if ident.kind == "arxiv":  # arXiv papers carry the DataCite DOI 10.48550/arXiv.<id>
            return "doi", f"10.48550/arxiv.{ident.value.split('v')[0].lower()}"
        if ident.kind == "openalex":
            return "openalex_id", ident.value
        return ident.kind, ident.value

    def lookup(self, idents: list[Ident]) -> tuple[list[dict[str, Any]], int]:
        self.check_idents(idents)
        groups: dict[str, list[str]] = {}
        for ident in idents:
            key, value = self._filter_values(ident)
            groups.setdefault(key, []).append(value)
        found: dict[str, dict[str, Any]] = {}
        for key, values in groups.items():
            for batch in chunks(dict.fromkeys(values), BATCH):
                data = self.client.get(
                    BASE,
                    self._params(filter=f"{key}:{'|'.join(batch)}", **{"per-page": BATCH}),
                    parse=_page,
                )
                for r in data["results"]:
                    if isinstance(r, Mapping):
                        rec = work_record(r)
                        found.setdefault(rec["id"], rec)
                self.progress("look up", len(found), len(idents))
        return list(found.values()), max(0, len(idents) - len(found))

    def expand(self, seeds: list[dict[str, Any]], direction: str, per_paper: int) -> Expansion:
        self.check_direction(direction)
        if direction == "references":
            wanted = dict.fromkeys(
                openalex_id(r) for s in seeds for r in s["references"][:per_paper]
            )
            wanted.pop("", None)
            records, missing = self.lookup([Ident("openalex", w) for w in wanted])
            return Expansion(records=records, missing=missing)
        out = Expansion()
        for seed in seeds:
            if seed["openalex_id"]:
                found = self._pages("citations", per_paper, filter=f"cites:{seed['openalex_id']}")
                out.records.extend(cites(r, seed) for r in found)
        return out
