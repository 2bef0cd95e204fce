"""Semantic Scholar Graph API (api.semanticscholar.org/graph/v1): search, batch, both directions.

Look-ups are ``POST /paper/batch`` (up to 500 IDs a request); references and citations come
from ``/paper/{id}/references`` and ``/citations``, paged by ``offset``/``next``.  An API key
(``--api-key`` or ``$S2_API_KEY``) goes in the ``x-api-key`` header.  The relevance search
returns at most 1,000 results (the API's limit).

>>> rec = paper_record({"paperId": "abc", "title": "T", "externalIds": {"DOI": "10.1/X",
...     "ArXiv": "2101.00001"}, "references": [{"paperId": "d" * 40, "externalIds": {}}]})
>>> rec["id"], rec["arxiv_id"], rec["s2_id"], rec["references"]
('arxiv:2101.00001', '2101.00001', 'abc', ['s2:dddddddddddddddddddddddddddddddddddddddd'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import orjson

from ..ingest.refs import reference_key
from .http import BadBody
from .ids import Ident
from .records import work
from .service import Expansion, Service, chunks, cites

__all__ = ["SemanticScholar", "paper_record"]

BASE = "https://api.semanticscholar.org/graph/v1/paper"
FIELDS = "paperId,externalIds,title,abstract,authors,year,publicationDate,venue,url,citationCount"
REF_FIELDS = "references.paperId,references.externalIds,references.title"
BATCH = 500
REF_BATCH = 100
SEARCH_CAP = 1000  # offset + limit may not pass 1,000 on /paper/search


def _json(body: bytes) -> Any:
    data = orjson.loads(body)
    if not isinstance(data, (Mapping, list)):
        raise BadBody("not a JSON object or list")
    return data


def _batch(body: bytes) -> list[Any]:
    data = _json(body)
    if not isinstance(data, list):
        raise BadBody("the batch answer is not a list")
    return data


def _page(body: bytes) -> Mapping[str, Any]:
    data = _json(body)
    if not isinstance(data, Mapping) or not isinstance(data.get("data", []), list):
        raise BadBody("no 'data' list")
    return data


def paper_record(p: Mapping[str, Any]) -> dict[str, Any]:
    """One S2 paper object → a graphkit record."""
    ext = p.get("externalIds") if isinstance(p.get("externalIds"), Mapping) else {}
    return work(
        title=p.get("title"),
        abstract=p.get("abstract") or "",
        authors=[a.get("name") for a in p.get("authors") or [] if isinstance(a, Mapping)],
        year=p.get("year"),
        date=p.get("publicationDate") or "",
        doi=ext.get("DOI"),
        arxiv_id=ext.get("ArXiv"),
        s2_id=p.get("paperId"),
        url=p.get("url") or "",
        venue=p.get("venue") or "",
        cited_by_count=p.get("citationCount"),
        references=[reference_key(r) for r in p.get("references") or [] if isinstance(r, Mapping)],
        pmid=ext.get("PubMed"),
    )


def _batch_id(ident: Ident) -> str:
    return {
        "doi": ident.value,
        "arxiv": f"ARXIV:{ident.value}",
        "s2": ident.value,
        "corpusid": f"CorpusId:{ident.value}",
        "pmid": f"PMID:{ident.value}",
    }[ident.kind]


class SemanticScholar(Service):
    name = "s2"
    page_size = 100
    kinds = ("doi", "arxiv", "s2", "corpusid", "pmid")

    @property
    def _headers(self) -> dict[str, str]:
        return {"x-api-key": self.api_key} if self.api_key else {}

    def _paged(self, stage: str, url: str, limit: int, cap: int | None = None, **query: Any):
        """Follow ``next`` offsets; yields each item of ``data``."""
        offset, got = 0, 0
        while got < limit:
            size = self.page_size  # whole pages: a rerun with a larger --limit reuses the cache
            if cap is not None:
                size = min(size, cap - offset)
                if size <= 0:
                    return
            data = self.client.get(
                url, {**query, "offset": offset, "limit": size}, parse=_page, headers=self._headers
            )
            items = [d for d in data.get("data") or [] if isinstance(d, Mapping)]
            for item in items[: limit - got]:
                got += 1
                yield item
            total = data.get("total")
            self.progress(stage, got, min(limit, total) if isinstance(total, int) else None)
            nxt = data.get("next")
            if not items or not isinstance(nxt, int) or nxt <= offset:
                return
            offset = nxt

    def search(self, query: str, limit: int) -> list[dict[str, Any]]:
        items = self._paged(
            "search", f"{BASE}/search", limit, cap=SEARCH_CAP, query=query, fields=FIELDS
        )
        records = [paper_record(p) for p in items]
        if self.expanding != "references":  # a references hop brings them anyway
            self._add_references(records)
        return records

    def _add_references(self, records: list[dict[str, Any]]) -> None:
        """``/paper/search`` cannot return reference lists: one batch request per 100 results
        adds them (100, not 500: a batch answer carries every reference of every paper)."""
        ids = [r["s2_id"] for r in records if r["s2_id"]]
        found: dict[str, list[str]] = {}
        for batch in chunks(ids, REF_BATCH):
            data = self.client.post(
                f"{BASE}/batch",
                {"fields": REF_FIELDS},
                json={"ids": batch},
                parse=_batch,
                headers=self._headers,
            )
            for asked, p in zip(batch, data, strict=False):
                if isinstance(p, Mapping):
                    refs = (
                        reference_key(r)
                        for r in p.get("references") or []
                        if isinstance(r, Mapping)
                    )
                    found[asked] = [k for k in refs if k]
            self.progress("references", len(found), len(ids))
        for rec in records:
            rec["references"] = found.get(rec["s2_id"], rec["references"])

    def lookup(self, idents: list[Ident]) -> tuple[list[dict[str, Any]], int]:
        self.check_idents(idents)
        records: list[dict[str, Any]] = []
        missing = 0
        for batch in chunks([_batch_id(i) for i in idents], BATCH):
            data = self.client.post(
                f"{BASE}/batch",
                {"fields": f"{FIELDS},{REF_FIELDS}"},
                json={"ids": batch},
                parse=_batch,
                headers=self._headers,
            )
            for asked, p in zip(batch, data, strict=False):
                if isinstance(p, Mapping):
                    rec = paper_record(p)
                    rec["_asked"] = asked  # the ID to expand from (the one the user gave)
                    records.append(rec)
                else:
                    missing += 1
            self.progress("look up", len(records), len(idents))
        return records, missing

    def expand(self, seeds: list[dict[str, Any]], direction: str, per_paper: int) -> Expansion:
        self.check_direction(direction)
        side = "citedPaper" if direction == "references" else "citingPaper"
        out = Expansion()
        for seed in seeds:
            pid = seed.get("_asked") or seed["s2_id"]
            if not pid:
                continue
            url = f"{BASE}/{quote(pid, safe='/:')}/{direction}"
            keys = []
            for item in self._paged(direction, url, per_paper, fields=FIELDS):
                p = item.get(side)
                if not isinstance(p, Mapping):
                    continue
                keys.append(reference_key(p))
                if p.get("paperId") and p.get("title"):
                    rec = paper_record(p)
                    out.records.append(rec if direction == "references" else cites(rec, seed))
            if direction == "references":
                out.references[seed["id"]] = [k for k in keys if k]
        return out
