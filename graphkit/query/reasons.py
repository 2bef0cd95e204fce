"""Why a paper is listed: the reasons of the edges joining it to the query (the citation,
seen from the listed paper, first), the shared terms, authors and neighbours; and the
:class:`~graphkit.query.result.Neighbour` entry that carries them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..index import RelatedIndex
from ..index.csr import row, row_indices
from .result import Neighbour

__all__ = ["citation_reason", "citations_of"]


def _edge_between(index: RelatedIndex, a: int, b: int) -> int | None:
    lo, hi = index.adj.indptr[a], index.adj.indptr[a + 1]
    cols = index.adj.indices[lo:hi]
    j = int(np.searchsorted(cols, b))
    return int(index.adj_edge[lo + j]) if j < len(cols) and cols[j] == b else None


def _shared_terms(index: RelatedIndex, vector: np.ndarray, d: int, k: int = 4) -> list[str]:
    """The ``k`` terms adding most to paper ``d``'s dot product with ``vector`` (dense)."""
    cols, vals = row(index.X, d)
    prod = vals.astype(np.float32) * vector[cols]
    keep = prod != 0
    cols, prod = cols[keep], prod[keep]
    order = np.lexsort((cols, -prod))[:k]
    return [index.terms[int(cols[i])] for i in order if prod[i] > 0]


def citation_reason(index: RelatedIndex, q: int, relation: str, key: str) -> str:
    """The citation between query node ``q`` and a listed node in words, seen from the listed
    node: "cited by Q (reference K)" when Q cites it, "cites Q (reference K)" when it cites Q."""
    who = index.labels[q]
    ref = f" (reference {key})" if key else ""
    if relation == "cites":
        return f"cited by {who}{ref}"
    if relation == "cited by":
        return f"cites {who}{ref}"
    return f"cites and is cited by {who}{ref}"


def _edge_reason_lines(index: RelatedIndex, s: int, d: int, e: int) -> list[str]:
    """Edge ``e``'s reasons between ``s`` and ``d``, the citation (seen from ``d``) first."""
    cited = index.citation(s, d, e)
    lines = [citation_reason(index, s, *cited)] if cited else []
    return lines + list(index.edge_reasons(e))


def citations_of(index: RelatedIndex, q: int) -> dict[int, tuple[str, str]]:
    """The nodes node ``q`` cites or is cited by: node -> (relation seen from ``q``, key)."""
    lo, hi = index.adj.indptr[q], index.adj.indptr[q + 1]
    edges = index.adj_edge[lo:hi]
    if not len(index.cite_edges) or not len(edges):
        return {}
    at = np.searchsorted(index.cite_edges, edges)
    at = np.minimum(at, len(index.cite_edges) - 1)
    hit = np.flatnonzero(index.cite_edges[at] == edges)
    out = {}
    for j in hit.tolist():
        c, e = int(index.adj.indices[lo + j]), int(edges[j])
        found = index.citation(q, c, e)
        if found:
            out[c] = found
    return out


def _reasons(
    index: RelatedIndex, seeds: list[int], vector: np.ndarray, d: int, parts: dict[str, Any]
) -> tuple[tuple[str, ...], str]:
    out: list[str] = []
    kinds: list[str] = []
    linked = [(s, e) for s in seeds if (e := _edge_between(index, s, d)) is not None]
    for s, e in linked[:2]:  # free text: the links to the first two matches
        prefix = f"with {index.labels[s]}: " if len(seeds) > 1 else ""
        out.extend(prefix + r for r in _edge_reason_lines(index, s, d, e))
        kinds.append(index.edge_kinds[e])
    norm = float(np.linalg.norm(vector))
    if norm > 0 and not any("text similarity" in r for r in out):
        cols, vals = row(index.X, d)
        cos = float(np.dot(vals.astype(np.float32), vector[cols])) / norm
        if cos > 0:
            terms = _shared_terms(index, vector, d)
            out.append(f"text cosine {cos:.2f}" + (f" ({', '.join(terms)})" if terms else ""))
    if parts.get("authors") is not None and parts["authors"][d] > 0:
        q = seeds[0]
        a = set(row_indices(index.authors, q).tolist()) & set(
            row_indices(index.authors, d).tolist()
        )
        out.append("shared authors: " + ", ".join(sorted(index.author_keys[i] for i in a)))
    if parts.get("neighbours") is not None and parts["neighbours"][d] > 0:
        out.append(f"shared graph neighbours (cosine {float(parts['neighbours'][d]):.2f})")
    if parts.get("venue") is not None and parts["venue"][d] > 0:
        out.append(f"same venue: {index.venues[int(index.venue_ids[d])]}")
    if parts.get("cited") is not None and len(index.cited_by) and int(index.cited_by[d]) > 0:
        c = int(index.cited_by[d])
        out.append(f"cited {c:,} time{'s' if c != 1 else ''} (the record's count)")
    if parts.get("older") is not None and parts["older"][d] > 0:
        gap = int(index.years[seeds[0]]) - int(index.years[d])
        out.append(f"published {gap} year{'s' if gap != 1 else ''} earlier ({int(index.years[d])})")
    if parts.get("embedding") is not None and parts["embedding"][d] != 0:
        out.append(f"embedding cosine {float(parts['embedding'][d]):.2f}")
    return tuple(dict.fromkeys(out)), ";".join(
        dict.fromkeys(k for ks in kinds for k in ks.split(";") if k)
    )


def _entry(
    index: RelatedIndex,
    i: int,
    weight: float,
    reasons: tuple[str, ...] = (),
    kinds: str = "",
    parts: dict[str, np.ndarray] | None = None,
    cited: tuple[str, str] | None = None,
) -> Neighbour:
    scores = tuple(
        (k, round(float(v[i]), 4)) for k, v in sorted((parts or {}).items()) if i < len(v)
    )
    return Neighbour(
        node=index.ids[i],
        label=index.labels[i],
        kind=index.kinds[i],
        weight=round(float(weight), 6),
        kinds=kinds,
        reasons=reasons,
        title=index.titles[i],
        year=int(index.years[i]),
        scores=scores,
        citation=cited[0] if cited else "",
        reference=cited[1] if cited else "",
    )
