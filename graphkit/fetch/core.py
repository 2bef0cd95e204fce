"""Search or look up works on one service, snowball along citations, write JSONL.

:func:`fetch` runs the whole thing against an :class:`~graphkit.fetch.http.HttpClient`;
:func:`write_jsonl` writes the records atomically (the file appears whole or not at all).
Records are de-duplicated by every ID they carry, in the order they were first met, so the same
responses always give the same file.

>>> from graphkit.fetch.records import work
>>> a = work(title="A", doi="10.1000/a", references=["doi:10.1000/b"])
>>> b = work(title="B", doi="10.1000/b")
>>> [r["id"] for r in merge_records([a], [b, dict(a)])]
['doi:10.1000/a', 'doi:10.1000/b']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..errors import ConfigError
from ..fileio import atomic_writer
from .http import HttpClient, Stats
from .ids import parse_idents
from .records import FIELDS, keys_of
from .service import Progress, Service, no_progress

__all__ = ["FetchOptions", "FetchResult", "fetch", "write_jsonl", "merge_records", "services"]

log = logging.getLogger(__name__)

#: Environment variables read when no key / e-mail address is given as an option.
API_KEY_ENV = {"s2": "S2_API_KEY", "openalex": "OPENALEX_API_KEY"}
MAILTO_ENV = {"openalex": "OPENALEX_MAILTO", "crossref": "CROSSREF_MAILTO"}


def services() -> dict[str, type[Service]]:
    from .arxiv import Arxiv
    from .crossref import Crossref
    from .openalex import OpenAlex
    from .s2 import SemanticScholar

    return {s.name: s for s in (OpenAlex, SemanticScholar, Arxiv, Crossref)}


@dataclass(frozen=True)
class FetchOptions:
    """What to fetch.  ``terms`` are IDs (looked up) or words (a search), as the user typed them."""

    service: str
    terms: tuple[str, ...]
    limit: int = 100
    expand: str | None = None  # "references" or "citations"
    depth: int = 1
    expand_limit: int = 100  # per paper and hop
    search: bool = False  # treat the terms as a query even if they look like IDs
    api_key: str = ""
    mailto: str = ""
    page_size: int | None = None


@dataclass
class FetchResult:
    records: list[dict[str, Any]]
    seeds: int
    missing: int = 0
    untitled: int = 0  # works the service sent without a title: left out (build needs one)
    stats: Stats = field(default_factory=Stats)


def merge_records(*groups: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records in first-seen order, one per work: a later duplicate (same DOI, arXiv, OpenAlex
    or S2 ID) only fills fields the first one lacks and adds to its references."""
    out: list[dict[str, Any]] = []
    by_key: dict[str, dict[str, Any]] = {}
    for group in groups:
        for rec in group:
            first = next((by_key[k] for k in keys_of(rec) if k in by_key), None)
            if first is None:
                first = dict(rec)
                out.append(first)
            else:
                for k, v in rec.items():
                    if k == "references":
                        first[k] = list(dict.fromkeys([*first[k], *v]))
                    elif v and not first.get(k):
                        first[k] = v
            for k in keys_of(first):
                by_key.setdefault(k, first)
    return out


def _resolve(options: FetchOptions) -> FetchOptions:
    from dataclasses import replace

    key = options.api_key or os.environ.get(API_KEY_ENV.get(options.service, ""), "")
    mail = options.mailto or os.environ.get(MAILTO_ENV.get(options.service, ""), "")
    return replace(options, api_key=key, mailto=mail)


def fetch(
    options: FetchOptions, client: HttpClient, *, progress: Progress = no_progress
) -> FetchResult:
    """Fetch the seeds (search or look-up), then ``depth`` hops along ``expand``."""
    registry = services()
    if options.service not in registry:
        raise ConfigError(
            f"unknown service {options.service!r}", hint=f"Choose one of {', '.join(registry)}."
        )
    if not any(t.strip() for t in options.terms):
        raise ConfigError("nothing to fetch", hint="Give a search query or one or more IDs.")
    options = _resolve(options)
    svc = registry[options.service](
        client,
        api_key=options.api_key,
        mailto=options.mailto,
        page_size=options.page_size,
        progress=progress,
        expanding=options.expand,
    )
    if options.expand:
        svc.check_direction(options.expand)
    idents = None if options.search else parse_idents(options.terms)
    if idents is None:
        query = " ".join(t.strip() for t in options.terms)
        seeds = svc.search(query, options.limit)
        missing = 0
    else:
        seeds, missing = svc.lookup(idents)
        if missing:
            log.warning("%s did not know %d of the %d IDs given", svc.name, missing, len(idents))
    records = merge_records(seeds)
    n_seeds = len(records)
    frontier = records
    for _hop in range(options.depth if options.expand else 0):
        hop = svc.expand(frontier, options.expand, options.expand_limit)
        for seed in frontier:  # a hop may be the first to learn a seed's references (S2 search)
            if not seed["references"] and hop.references.get(seed["id"]):
                seed["references"] = hop.references[seed["id"]]
        missing += hop.missing
        known = {k for r in records for k in keys_of(r)}
        new = [r for r in merge_records(hop.records) if not any(k in known for k in keys_of(r))]
        records = merge_records(records, hop.records)
        frontier = new
        progress("expand", len(records) - n_seeds, None)
    titled = [{k: r[k] for k in FIELDS} for r in records if r["title"]]
    if len(titled) < len(records):
        log.warning("%d works came without a title and are left out", len(records) - len(titled))
    return FetchResult(
        records=titled,
        seeds=sum(1 for r in records[:n_seeds] if r["title"]),
        missing=missing,
        untitled=len(records) - len(titled),
        stats=client.stats,
    )


def write_jsonl(records: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> int:
    """Write one JSON object per line, atomically; returns the number of records written."""
    n = 0
    with atomic_writer(path) as fh:
        for rec in records:
            fh.write(orjson.dumps({k: rec[k] for k in FIELDS}))
            fh.write(b"\n")
            n += 1
    return n
