"""Indexing an analysed graph: :func:`build_index` turns the graph (and the build's text
model) into a :class:`~graphkit.index.records.RelatedIndex`, rendering every edge's reasons in
words once, so a query only decodes the ones it shows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..schema import LIST_SEP
from .lsa import lsa_vectors
from .records import RelatedIndex, TextModel, author_key, lookup_key, venue_key

if TYPE_CHECKING:  # networkx and scipy only for indexing a graph: `related` loads without them
    import networkx as nx
    import scipy.sparse as sp

__all__ = ["build_index"]

_SEP = LIST_SEP.strip()


def _split(value: Any) -> list[str]:
    return [s.strip() for s in str(value or "").split(_SEP) if s.strip()]


def _aliases(d: dict[str, Any]) -> list[str]:
    """Every ID the paper with attributes ``d`` can have had (``t:`` title hash, ``doi:``,
    ``arxiv:``): an ID from an earlier build still finds it."""
    from ..ingest.normalise import paper_ids  # noqa: PLC0415

    return paper_ids(
        arxiv_id=str(d.get("arxiv_id") or ""),
        doi=str(d.get("doi") or ""),
        title=str(d.get("title") or ""),
    )


_KNOWN_KINDS = frozenset({"keyword", "similarity", "mention", "cites", "cocitation", "coupling"})


def _joined(value: Any) -> str:
    """A ``"; "``-joined attribute shown as a comma list (empty items dropped)."""
    text = str(value).strip()
    if ";" not in text:
        return text
    if f";{LIST_SEP}" in text or text.endswith(";"):  # an empty item: the careful way
        return ", ".join(_split(text))
    return text.replace(LIST_SEP, ", ")


def _edge_reasons(
    G: nx.Graph, d: dict[str, Any], kinds_cache: dict[str, tuple[list[str], bool]] | None = None
) -> list[str]:
    """The reasons behind one edge, in words (perspective-free: names the mentioning paper;
    citations are worded per query, from the index's citation arrays)."""
    out: list[str] = []
    get = d.get
    kinds_text = str(get("kinds", ""))
    if kinds_cache is not None and kinds_text in kinds_cache:
        others, cites = kinds_cache[kinds_text]
    else:
        split = _split(kinds_text.replace(";", _SEP))
        others, cites = [k for k in split if k not in _KNOWN_KINDS], "cites" in split
        if kinds_cache is not None:
            kinds_cache[kinds_text] = (others, cites)
    v = get("keyword_terms")
    if v:
        out.append("shared terms: " + _joined(v))
    sim = get("similarity")
    if get("w_similarity") or (sim and "similarity" in kinds_text):
        text = f"text similarity {float(sim or 0.0):.2f}"
        v = get("similarity_terms")
        if v:
            text += " (" + _joined(v) + ")"
        out.append(text)
    v = get("mention_names")
    if v:
        names = _joined(v)
        sentences = [s for s in str(get("mention_evidence", "")).split(" | ") if s]
        quote = f': "{sentences[0]}"' if sentences else ""
        for src in _split(get("mention_from", "")) or [""]:
            who = str(G.nodes[src].get("label") or src) if src in G else "one end"
            out.append(f"{who} mentions {names}{quote}")
    v = get("w_cocitation")
    if v:
        n = int(get("cocitation_shared") or 0)
        out.append(
            f"co-cited by {n} corpus paper(s) (cosine {float(v):.2f})"
            + _listed(get("cocitation_evidence"))
        )
    v = get("w_coupling")
    if v:
        n = int(get("coupling_shared") or 0)
        out.append(
            f"{n} shared reference(s) (cosine {float(v):.2f})" + _listed(get("coupling_evidence"))
        )
    for kind in others:  # any later kind: name it with its weight
        w = get(f"w_{kind}")
        out.append(f"{kind.replace('_', ' ')}" + (f" (weight {float(w):.2f})" if w else ""))
    if not out and not cites:
        out.append(f"linked ({get('kinds', 'edge')})")
    return out


def _listed(value: Any) -> str:
    items = _list(value)
    return (": " + ", ".join(items)) if items else ""


def _list(value: Any) -> list[str]:
    """A ``"; "``-joined attribute as its items (split on the full separator, so a DOI or key
    holding a bare ``;`` stays whole)."""
    return [s.strip() for s in str(value or "").split(LIST_SEP) if s.strip()]


def _node_keys(node_id: str, d: dict[str, Any]) -> set[str]:
    """The reference keys paper ``node_id`` is known by (to tell which key cites which end)."""
    from ..ingest.refs import loose_key, paper_keys, reference_key  # noqa: PLC0415

    keys = {node_id, reference_key(node_id)}
    keys.update(
        paper_keys(str(d.get("arxiv_id") or ""), str(d.get("doi") or ""), _list(d.get("other_ids")))
    )
    keys.update({loose_key(k) for k in keys if k} - {""})
    return keys - {""}


def _cite_pair(
    lo: str, hi: str, d: dict[str, Any], a_lo: dict[str, Any], a_hi: dict[str, Any]
) -> tuple[int, str, str] | None:
    """For an edge ``lo``–``hi``: which end cites which (bit 1: lo cites hi, bit 2: hi cites
    lo) and the reference key of each direction."""
    src = set(_list(d.get("cites_from")))
    bits = (1 if lo in src else 0) | (2 if hi in src else 0)
    if not bits:
        return None
    keys = _list(d.get("cites_evidence"))
    if bits != 3 or len(keys) < 2:
        key = "; ".join(keys)
        return bits, key if bits & 1 else "", key if bits & 2 else ""
    from ..ingest.refs import loose_key  # noqa: PLC0415

    def naming(target: set[str]) -> str:
        hit = [k for k in keys if k in target or loose_key(k) in target]
        return "; ".join(hit or keys)

    return bits, naming(_node_keys(hi, a_hi)), naming(_node_keys(lo, a_lo))


def _node_names(d: dict[str, Any]) -> list[str]:
    names = _split(d.get("short_name")) + _split(d.get("defines")) + _split(d.get("aliases"))
    if d.get("kind") != "paper":
        names.append(str(d.get("label") or ""))
    return [n for n in dict.fromkeys(names) if n]


def build_index(
    G: nx.Graph,
    text: TextModel | None = None,
    *,
    embeddings: tuple[Sequence[str], np.ndarray] | None = None,
    embedding_model: str = "",
    lsa: bool = True,
) -> RelatedIndex:
    """The index of an analysed graph.  ``text`` is the build's text model (fitted here from
    the papers' titles and abstracts when None); ``embeddings`` is ``(paper ids, one unit row
    per paper)``; ``lsa``: fit the low-rank text model (:mod:`graphkit.index.lsa`)."""
    nodes = sorted(
        G.nodes(data=True), key=lambda nd: (nd[1].get("kind", "paper") != "paper", str(nd[0]))
    )
    n_papers = sum(1 for _, d in nodes if d.get("kind", "paper") == "paper")
    ids = [str(n) for n, _ in nodes]
    attrs = [d for _, d in nodes]
    titles = [str(d.get("title") or "") for d in attrs]
    if text is None:
        abstracts = [str(d.get("abstract") or "") for d in attrs[:n_papers]]
        text = TextModel.fit(ids[:n_papers], titles[:n_papers], abstracts)
    names = _name_pairs(ids, attrs, n_papers)
    title_pairs = sorted((lookup_key(t), i) for i, t in enumerate(titles) if t)
    authors, author_keys = _author_matrix(attrs, n_papers, len(ids))
    edges = _Edges.of(G, ids, attrs)
    venue_ids, venues = _venue_numbers(attrs[:n_papers], len(ids))
    X = _rows_in_order(text, ids)
    return RelatedIndex(
        ids=ids,
        labels=[str(d.get("label") or n) for n, d in nodes],
        titles=titles,
        kinds=[str(d.get("kind") or "paper") for d in attrs],
        years=np.array([int(d.get("year") or 0) for d in attrs], np.int32),
        dois=[str(d.get("doi") or "").casefold() for d in attrs],
        arxiv=[re.sub(r"v\d+$", "", str(d.get("arxiv_id") or "").casefold()) for d in attrs],
        name_keys=[k for k, _ in names],
        name_nodes=np.array([i for _, i in names], np.int32),
        title_keys=[k for k, _ in title_pairs],
        title_nodes=np.array([i for _, i in title_pairs], np.int32),
        n_papers=n_papers,
        X=X,
        terms=list(text.terms),
        idf=np.asarray(text.idf, np.float32),
        options=dict(text.options),
        authors=authors,
        author_keys=author_keys,
        adj=edges.adj,
        adj_edge=edges.adj_edge,
        edge_sim=edges.sims,
        edge_kinds=edges.kinds,
        reasons_blob=b"".join(edges.reasons),
        reasons_offsets=edges.offsets(),
        cite_edges=np.array([k for k, _ in edges.cites], np.int32),
        cite_dir=np.array([c[0] for _, c in edges.cites], np.int8),
        cite_fwd=[c[1] for _, c in edges.cites],
        cite_back=[c[2] for _, c in edges.cites],
        embeddings=None if embeddings is None else _embedding_rows(embeddings, ids[:n_papers]),
        embedding_model=embedding_model,
        venue_ids=venue_ids,
        venues=venues,
        lsa=lsa_vectors(X, n_papers) if lsa and X.shape[1] else None,
        cited_by=_citation_counts(attrs[:n_papers], len(ids)),
    )


def _citation_counts(attrs: list[dict[str, Any]], n_nodes: int) -> np.ndarray:
    """Each node's ``cited_by_count`` (-1: none); empty when no paper has one."""
    counts = np.full(n_nodes, -1, np.int32)
    for i, d in enumerate(attrs):
        c = d.get("cited_by_count")
        if c is not None and str(c).strip().lstrip("-").isdigit() and int(c) >= 0:
            counts[i] = min(int(c), 2**31 - 1)
    return counts if (counts >= 0).any() else np.zeros(0, np.int32)


def _venue_numbers(attrs: list[dict[str, Any]], n_nodes: int) -> tuple[np.ndarray, list[str]]:
    """Each node's venue number (-1: none; numbered by :func:`venue_key` in order of first
    use) and each venue's first spelling; nothing at all in a corpus without venues."""
    numbers: dict[str, int] = {}
    shown: list[str] = []
    ids = np.full(n_nodes, -1, np.int32)
    for i, d in enumerate(attrs):
        surface = str(d.get("venue") or "").strip()
        key = venue_key(surface) if surface else ""
        if key:
            if key not in numbers:
                numbers[key] = len(shown)
                shown.append(surface)
            ids[i] = numbers[key]
    if not shown:
        return np.zeros(0, np.int32), []
    return ids, shown


def _name_pairs(
    ids: list[str], attrs: list[dict[str, Any]], n_papers: int
) -> list[tuple[str, int]]:
    """``(lookup key, node)`` of every name a node answers to, sorted (for bisecting)."""
    names: list[tuple[str, int]] = []
    for i, d in enumerate(attrs):
        extra = _node_names(d)
        if i < n_papers:  # IDs the paper had before it gained a DOI or arXiv ID
            extra.extend(a for a in _aliases(d) if a != ids[i])
        names.extend((k, i) for k in dict.fromkeys(lookup_key(e) for e in extra) if k)
    names.sort()
    return names


def _author_matrix(
    attrs: list[dict[str, Any]], n_papers: int, n_nodes: int
) -> tuple[sp.csr_matrix, list[str]]:
    """The papers x author-keys incidence matrix and the keys (in order of first use)."""
    import scipy.sparse as sp  # noqa: PLC0415

    a_rows, a_cols, a_voc = [], [], {}
    keyed: dict[str, str] = {}  # an author's key, computed once per spelling
    for i, d in enumerate(attrs[:n_papers]):
        keys = set()
        for a in _split(d.get("authors")):
            k = keyed.get(a)
            if k is None:
                k = keyed[a] = author_key(a)
            keys.add(k)
        for key in sorted(keys - {""}):
            a_rows.append(i)
            a_cols.append(a_voc.setdefault(key, len(a_voc)))
    authors = sp.csr_matrix(
        (np.ones(len(a_rows), np.float32), (a_rows, a_cols)), shape=(n_nodes, len(a_voc))
    )
    return authors, list(a_voc)


@dataclass
class _Edges:
    """The graph's edges numbered by (lower node, higher node): the symmetric weighted
    adjacency with each entry's edge number, each edge's kinds and reasons, and which carry
    citations (edge number, (direction bits, forward key, backward key)))."""

    adj: sp.csr_matrix
    adj_edge: np.ndarray
    sims: np.ndarray
    kinds: list[str]
    reasons: list[bytes]
    cites: list[tuple[int, tuple[int, str, str]]]

    @classmethod
    def of(cls, G: nx.Graph, ids: list[str], attrs: list[dict[str, Any]]) -> _Edges:
        import scipy.sparse as sp  # noqa: PLC0415

        pos = {n: i for i, n in enumerate(ids)}
        listed = list(G.edges(data=True))
        m = len(listed)
        us = np.fromiter((pos[str(u)] for u, _, _ in listed), np.int64, m)
        vs = np.fromiter((pos[str(v)] for _, v, _ in listed), np.int64, m)
        lo, hi = np.minimum(us, vs), np.maximum(us, vs)
        by_pair = np.lexsort((hi, lo))
        lo, hi = lo[by_pair], hi[by_pair]
        data = [listed[k][2] for k in by_pair.tolist()]
        del listed
        rows = np.concatenate([lo, hi])
        cols = np.concatenate([hi, lo])
        w = np.fromiter((float(d.get("weight", 0.0) or 0.0) for d in data), np.float32, m)
        eid = np.arange(m, dtype=np.int64)
        order = np.lexsort((cols, rows))
        n = len(ids)
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        adj = sp.csr_matrix(
            (np.concatenate([w, w])[order], cols[order].astype(np.int32), indptr), shape=(n, n)
        )
        kinds_cache: dict[str, tuple[list[str], bool]] = {}
        reasons = [("\n".join(_edge_reasons(G, d, kinds_cache))).encode("utf-8") for d in data]
        lo_l, hi_l = lo.tolist(), hi.tolist()
        cites = [
            (k, c)
            for k, d in enumerate(data)
            if d.get("cites_from")
            and (c := _cite_pair(ids[lo_l[k]], ids[hi_l[k]], d, attrs[lo_l[k]], attrs[hi_l[k]]))
        ]
        sims = np.fromiter(
            (
                float(d.get("similarity") or 0.0)
                if "similarity" in str(d.get("kinds", ""))
                else 0.0
                for d in data
            ),
            np.float32,
            m,
        )
        return cls(
            adj=adj,
            adj_edge=np.concatenate([eid, eid])[order].astype(np.int32),
            sims=sims,
            kinds=[str(d.get("kinds", "")) for d in data],
            reasons=reasons,
            cites=cites,
        )

    def offsets(self) -> np.ndarray:
        """Where each edge's reasons start in the joined reasons (and where the last ends)."""
        offsets = np.zeros(len(self.reasons) + 1, np.int64)
        offsets[1:] = np.cumsum([len(r) for r in self.reasons])
        return offsets


def _embedding_rows(embeddings: tuple[Sequence[str], np.ndarray], ids: Sequence[str]) -> np.ndarray:
    """The embedding rows in paper order (zero rows for papers without one), as float16."""
    src_ids, E = embeddings
    where = {n: i for i, n in enumerate(src_ids)}
    E = np.asarray(E, np.float32)
    out = np.zeros((len(ids), E.shape[1] if E.ndim == 2 else 0), np.float16)
    for i, n in enumerate(ids):
        if n in where:
            out[i] = E[where[n]]
    return out


def _rows_in_order(text: TextModel, ids: Sequence[str]) -> sp.csr_matrix:
    """``text.X`` re-ordered to ``ids`` (rows of nodes it lacks are empty)."""
    import scipy.sparse as sp  # noqa: PLC0415

    where = {n: i for i, n in enumerate(text.ids)}
    src = np.array([where.get(n, -1) for n in ids], dtype=np.int64)
    keep = src >= 0
    X = sp.csr_matrix(text.X, dtype=np.float32)
    if keep.all() and np.array_equal(src, np.arange(len(ids))) and X.shape[0] == len(ids):
        return X
    P = sp.csr_matrix(
        (np.ones(int(keep.sum()), np.float32), (np.flatnonzero(keep), src[keep])),
        shape=(len(ids), X.shape[0]),
    )
    out = (P @ X).tocsr()
    out.sort_indices()
    return out
