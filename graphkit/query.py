"""The ``related`` query: resolve a paper, method or free text and rank the related papers.

A query is resolved, in order, as a node id, an old ID of a paper (its title-hash or DOI ID
from before it gained a DOI/arXiv ID), an arXiv id or DOI (with or without prefix, URL or
version), a name (a paper's short or defined names, a method node's label; any case), a title
(exact, or nearly: ratio ≥ :data:`TITLE_RATIO` among the best text hits); anything else is
**free text**, scored against every paper's title and abstract, whose best matches are listed
before the papers related to them.

Ranking (:func:`fused_scores`, the weights measured on citebench and checked on a one-topic
slice, see README "related"): for a query paper *q* and every paper *d*,

    score = text + 0.15·min(shared authors, 2) + 0.05·edge + 0.2·neighbours − 0.3·newer

- *text*: cosine of *d* with *q*'s TF-IDF vector expanded by its 10 nearest papers (Rocchio,
  β = 0.5), divided by the best such cosine (so 1 is the best match in any corpus);
- *edge*: the combined weight of a *q*–*d* edge over *q*'s heaviest edge (0 without one);
- *neighbours*: cosine of the two papers' neighbour sets in the graph;
- *newer*: 1 when *d* appeared more than a year after *q* (a paper builds on earlier work);
- with embeddings in the index, the 300 best are re-ranked by z-score fusion with the
  embedding cosine (:data:`EMBEDDING_WEIGHT`).

**Citations first.** For a paper (or a reference node) the corpus papers it cites and the ones
citing it come first, each with the citation as its first reason ("cited by Q (reference K)":
the query Q cites it; "cites Q (reference K)": it cites the query) and ``citation`` set to
``cites`` / ``cited by`` (seen from the query) and ``reference`` to the key as the citing record
wrote it; among themselves, and after them the rest, by the fused score.

Only papers are ranked: method and reference nodes are listed apart (``linked``), never above
a paper.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("p1", kind="paper", label="SpQR", title="SpQR: sparse quantization",
...            short_name="SpQR", defines="SpQR", arxiv_id="2306.03078",
...            abstract="Sparse quantization of LLM weights.")
>>> G.add_node("p2", kind="paper", label="OWQ", title="OWQ: outlier-aware quantization",
...            abstract="Outlier-aware weight quantization of LLM weights.")
>>> G.add_edge("p1", "p2", kinds="keyword;mention", weight=1.5, keyword_terms="quantization",
...            mention_names="SpQR", mention_evidence="Unlike SpQR, we ...", mention_from="p2")
>>> res = related(G, "spqr")
>>> res.node, res.matched_by, [n.node for n in res.neighbours]
('p1', 'name', ['p2'])
>>> res.neighbours[0].reasons[1]
'OWQ mentions SpQR: "Unlike SpQR, we ..."'
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .errors import GraphkitError
from .index import RelatedIndex, build_index, lookup_key

if TYPE_CHECKING:  # networkx only for indexing a graph: `related` loads without it
    import networkx as nx

__all__ = ["related", "resolve", "fused_scores", "RelatedResult", "Neighbour", "Resolved"]

_ARXIV = re.compile(
    r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$",
    re.I,
)
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
#: A query this close to a title (difflib ratio, normalised case and spaces) is that paper.
TITLE_RATIO = 0.9
#: Weights of the fused score (see the module docstring); measured on citebench.
W_AUTHORS, W_EDGE, W_NEIGHBOURS, W_NEWER = 0.15, 0.05, 0.2, 0.3
#: Rocchio expansion of a query paper's vector by its nearest papers.
EXPAND_K, EXPAND_BETA = 10, 0.5
#: Free text: how many best-matching papers are listed and seed the related papers.
N_MATCHES = 5
#: Embedding fusion: share of the embedding z-score, and how many top papers are re-ranked.
EMBEDDING_WEIGHT, RERANK = 0.5, 300
#: Method/reference nodes listed after the papers.
N_LINKED = 5


@dataclass(frozen=True)
class Neighbour:
    """One ranked node, its score, and the reasons it is related."""

    node: str
    label: str
    kind: str
    weight: float
    kinds: str
    reasons: tuple[str, ...] = ()
    title: str = ""
    year: int = 0
    scores: tuple[tuple[str, float], ...] = ()
    citation: str = ""
    reference: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "label": self.label,
            "title": self.title,
            "year": self.year,
            "kind": self.kind,
            "weight": self.weight,
            "kinds": self.kinds,
            "reasons": list(self.reasons),
            "scores": dict(self.scores),
            "citation": self.citation,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class RelatedResult:
    """What ``related`` found: the query's node (or its text matches) and the ranked papers."""

    query: str
    node: str
    label: str
    title: str
    matched_by: str
    neighbours: tuple[Neighbour, ...] = field(default=())
    matches: tuple[Neighbour, ...] = field(default=())
    linked: tuple[Neighbour, ...] = field(default=())

    def to_text(self) -> str:
        """A readable multi-line summary (what ``graphkit related`` prints)."""
        lines: list[str] = []
        if self.matched_by == "text":
            lines.append(f"papers matching {self.query!r}:")
            for rank, n in enumerate(self.matches, 1):
                lines.append(f"{rank:>3}. {n.label} [{n.node}] score {n.weight:.3f}")
                lines.extend(f"       - {r}" for r in n.reasons)
            lines.append("related to them:")
        else:
            lines.append(f"{self.label} [{self.node}] (matched by {self.matched_by})")
            if self.title and self.title != self.label:
                lines.append(f"  {self.title}")
        if not self.neighbours:
            lines.append("  no related papers")
        for rank, n in enumerate(self.neighbours, 1):
            kinds = f" ({n.kinds})" if n.kinds else ""
            lines.append(f"{rank:>3}. {n.label} [{n.node}] score {n.weight:.3f}{kinds}")
            lines.extend(f"       - {r}" for r in n.reasons)
        if self.linked:
            lines.append("methods and references linked:")
            lines.extend(f"     {n.label} [{n.node}] ({n.kinds})" for n in self.linked)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (what ``graphkit related --json`` prints; shape in README)."""
        return {
            "query": self.query,
            "node": self.node,
            "label": self.label,
            "title": self.title,
            "matched_by": self.matched_by,
            "matches": [n.to_dict() for n in self.matches],
            "neighbours": [n.to_dict() for n in self.neighbours],
            "linked": [n.to_dict() for n in self.linked],
        }


@dataclass(frozen=True)
class Resolved:
    """A resolved query: a node (``node`` ≥ 0) or free text (``node`` = -1)."""

    node: int
    matched_by: str


def resolve(index: RelatedIndex, query: str) -> Resolved:
    """How ``query`` resolves: id/alias/arxiv/doi/name/title (a node), else ``text``.

    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_node("t:1", kind="paper", title="Graph layouts at scale")
    >>> idx = build_index(G)
    >>> resolve(idx, "graph layouts at scale"), resolve(idx, "layouts").matched_by
    (Resolved(node=0, matched_by='title'), 'text')
    """
    q = str(query).strip()
    if not q:
        raise GraphkitError("empty query", hint="Give a paper title, arXiv id, DOI, name or words.")
    hit = index.position(q)
    if hit is not None:
        return Resolved(hit, "id")
    want = lookup_key(q)
    named = index.lookup(want)
    if named and ":" in q and index.kinds[named[0]] == "paper":
        return Resolved(named[0], "alias")
    m = _ARXIV.match(q)
    if m and m.group(1).casefold() in index.arxiv:
        return Resolved(index.arxiv.index(m.group(1).casefold()), "arxiv")
    m = _DOI.match(q)
    if m and m.group(1).casefold() in index.dois:
        return Resolved(index.dois.index(m.group(1).casefold()), "doi")
    if named:
        return Resolved(named[0], "name")
    titled = index.lookup(want, titles=True)
    if titled:
        return Resolved(titled[0], "title")
    scores = _free_text_scores(index, q)
    top = _top(scores, 10, index.n_papers) if scores is not None else []
    for i in top:
        if difflib.SequenceMatcher(None, want, lookup_key(index.titles[i])).ratio() >= TITLE_RATIO:
            return Resolved(int(i), "title")
    if scores is None or not top:
        raise GraphkitError(
            f"nothing in the index matches {q!r}",
            hint="Try a node id, an arXiv id, a DOI, a method name or other words.",
        )
    return Resolved(-1, "text")


# ---------------------------------------------------------------------------------------------
# scores
# ---------------------------------------------------------------------------------------------


def query_vector(index: RelatedIndex, text: str) -> sp.csr_matrix:
    """``text`` as a unit TF-IDF row in the index's vocabulary (sublinear tf, like papers)."""
    counts = Counter(index.analyse(text))
    cols = index.term_ids(sorted(counts))
    terms = [index.terms[c] for c in cols]
    vals = np.array(
        [(1 + np.log(counts[t])) * index.idf[c] for t, c in zip(terms, cols, strict=True)],
        np.float32,
    )
    norm = float(np.linalg.norm(vals)) if len(vals) else 0.0
    if norm > 0:
        vals /= norm
    return sp.csr_matrix((vals, (np.zeros(len(cols), int), cols)), shape=(1, len(index.terms)))


def _dense(index: RelatedIndex, vector: Any) -> np.ndarray:
    """A query row (sparse or dense) as a dense float32 vector over the vocabulary."""
    if sp.issparse(vector):
        out = np.zeros(index.X.shape[1], np.float32)
        row = sp.csr_matrix(vector)
        np.add.at(out, row.indices, row.data.astype(np.float32))
        return out
    return np.asarray(vector, np.float32).ravel()


def _text_scores(index: RelatedIndex, v: np.ndarray) -> np.ndarray:
    """Every paper's dot product with dense vector ``v`` (one pass over the CSR rows)."""
    return np.asarray(index.X @ v, np.float32)[: index.n_papers]


def _free_text_scores(index: RelatedIndex, text: str) -> np.ndarray | None:
    if not len(index.terms):
        return None
    v = query_vector(index, text)
    if v.nnz == 0:
        return None
    s = _text_scores(index, _dense(index, v))
    return s if s.max() > 0 else None


def _best(cand: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` entries of ``cand`` (node numbers in increasing order) with the highest
    ``score``, best first, ties by node number; a partial sort when ``cand`` is long."""
    if k <= 0 or not len(cand):
        return cand[:0]
    vals = score[cand]
    if len(cand) > 4 * k + 64:
        kth = len(cand) - k
        cut = np.partition(vals, kth)[kth]  # the k-th highest: everything tied with it stays
        keep = vals >= cut
        cand, vals = cand[keep], vals[keep]
    return cand[np.lexsort((cand, -vals))[:k]]


def _top(scores: np.ndarray, k: int, n: int, exclude: set[int] | None = None) -> list[int]:
    """Indices of the ``k`` best positive scores among the first ``n``, ties by index."""
    s = scores[:n]
    if exclude:
        s = s.copy()
        s[[e for e in exclude if 0 <= e < n]] = 0.0
    return _best(np.flatnonzero(s > 0), s, k).tolist()


def _unit(row: sp.spmatrix) -> sp.csr_matrix:
    n = float(np.sqrt(row.multiply(row).sum())) if row.nnz else 0.0
    return sp.csr_matrix(row / n) if n > 0 else sp.csr_matrix(row)


def _unit_dense(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def _positive_degree(index: RelatedIndex) -> np.ndarray:
    """Each node's number of links with a positive weight (cached on the index)."""
    deg = index._degree
    if deg is None:
        adj = index.adj
        if not adj.nnz or float(adj.data.min()) > 0:
            deg = np.diff(adj.indptr).astype(np.float64)
        else:
            rows = np.repeat(np.arange(adj.shape[0]), np.diff(adj.indptr))
            deg = np.bincount(rows[adj.data > 0], minlength=adj.shape[0]).astype(np.float64)
        index._degree = deg
    return deg


def _shared_neighbours(index: RelatedIndex, seed: int) -> np.ndarray:
    """For every paper, how many graph neighbours it shares with node ``seed``."""
    adj, n = index.adj, index.n_papers
    lo, hi = adj.indptr[seed], adj.indptr[seed + 1]
    nb = adj.indices[lo:hi][adj.data[lo:hi] > 0]
    if not len(nb):
        return np.zeros(n)
    sub = adj[nb]
    cols = sub.indices[sub.data > 0]
    return np.bincount(cols, minlength=adj.shape[0])[:n].astype(np.float64)


def fused_scores(
    index: RelatedIndex, seeds: list[int], vector: Any
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The fused score of every paper for a query with text ``vector`` (a sparse or dense
    row over the vocabulary) at graph nodes ``seeds`` (the query paper, a method node, or the
    free-text matches), and its parts."""
    n = index.n_papers
    parts: dict[str, np.ndarray] = {}
    exclude = set(seeds)
    text = np.zeros(n, np.float32)
    q = _dense(index, vector)
    if q.any():
        s = _text_scores(index, q)
        near = _top(s, EXPAND_K, n, exclude)
        if near:
            expansion = np.asarray(index.X[near].T @ s[near], np.float32).ravel()
            q = _unit_dense(q) + EXPAND_BETA * _unit_dense(expansion)
            s = _text_scores(index, q)
        s[list(exclude & set(range(n)))] = 0.0
        best = float(s.max()) if len(s) else 0.0
        if best > 0:
            text = (s / best).astype(np.float32)
    parts["text"] = text
    score = text.copy()

    adj = index.adj
    edge = np.asarray(adj[seeds].max(axis=0).todense()).ravel()[:n] if seeds else np.zeros(n)
    if edge.max() > 0:
        edge = edge / edge.max()
    direct = 1.0 if all(index.kinds[s] != "paper" for s in seeds) and seeds else W_EDGE
    parts["edge"] = edge
    score += direct * edge

    if seeds:
        deg = _positive_degree(index)
        shared = np.max([_shared_neighbours(index, s) for s in seeds], axis=0)
        norm = np.sqrt(np.maximum(deg[seeds].max() * deg[:n], 1.0))
        parts["neighbours"] = shared / norm
        score += W_NEIGHBOURS * parts["neighbours"]

    papers = [s for s in seeds if s < n]
    if len(papers) == 1:
        q_paper = papers[0]
        if index.authors.shape[1]:
            row = index.authors[q_paper]
            qa = np.zeros(index.authors.shape[1], np.float32)
            qa[row.indices] = row.data
            shared_a = np.asarray(index.authors @ qa).ravel()[:n]
            parts["authors"] = np.minimum(shared_a, 2.0)
            score += W_AUTHORS * parts["authors"]
        yq, years = int(index.years[q_paper]), index.years[:n]
        if yq > 0:
            parts["newer"] = ((years > yq + 1) & (years > 0)).astype(np.float32)
            score -= W_NEWER * parts["newer"]
    score[list(exclude & set(range(n)))] = -np.inf
    return score, parts


def _embedding_rerank(
    index: RelatedIndex, seeds: list[int], score: np.ndarray, parts: dict[str, np.ndarray]
) -> np.ndarray:
    """Re-rank the :data:`RERANK` best by z-score fusion with the embedding cosine."""
    E = index.embeddings
    papers = [s for s in seeds if s < index.n_papers]
    if E is None or not papers:
        return score
    q = np.asarray(E[papers], np.float32).mean(axis=0)
    cand = _top(
        np.where(np.isfinite(score), score - score[np.isfinite(score)].min() + 1, 0),
        RERANK,
        index.n_papers,
    )
    if len(cand) < 3:
        return score
    e = np.asarray(E[cand], np.float32) @ q
    parts["embedding"] = np.zeros(index.n_papers, np.float32)
    parts["embedding"][cand] = e
    base = score[cand]

    def z(v: np.ndarray) -> np.ndarray:
        return (v - v.mean()) / (v.std() or 1.0)

    fused = (1 - EMBEDDING_WEIGHT) * z(base) + EMBEDDING_WEIGHT * z(e)
    out = np.full_like(score, -np.inf)
    out[cand] = fused + 1e3  # the re-ranked block stays above everything else
    rest = np.isfinite(score)
    rest[cand] = False
    out[rest] = score[rest]
    return out


# ---------------------------------------------------------------------------------------------
# reasons and the answer
# ---------------------------------------------------------------------------------------------


def _edge_between(index: RelatedIndex, a: int, b: int) -> int | None:
    lo, hi = index.adj.indptr[a], index.adj.indptr[a + 1]
    cols = index.adj.indices[lo:hi]
    j = int(np.searchsorted(cols, b))
    return int(index.adj_edge[lo + j]) if j < len(cols) and cols[j] == b else None


def _shared_terms(index: RelatedIndex, vector: sp.csr_matrix, d: int, k: int = 4) -> list[str]:
    prod = index.X[d].multiply(vector).tocoo()
    order = np.lexsort((prod.col, -prod.data))[:k]
    return [index.terms[int(prod.col[i])] for i in order if prod.data[i] > 0]


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
    index: RelatedIndex, seeds: list[int], vector: sp.csr_matrix, d: int, parts: dict[str, Any]
) -> tuple[tuple[str, ...], str]:
    out: list[str] = []
    kinds: list[str] = []
    linked = [(s, e) for s in seeds if (e := _edge_between(index, s, d)) is not None]
    for s, e in linked[:2]:  # free text: the links to the first two matches
        prefix = f"with {index.labels[s]}: " if len(seeds) > 1 else ""
        out.extend(prefix + r for r in _edge_reason_lines(index, s, d, e))
        kinds.append(index.edge_kinds[e])
    if vector.nnz and not any("text similarity" in r for r in out):
        cos = float((index.X[d] @ _unit(vector).T).toarray()[0, 0])
        if cos > 0:
            terms = _shared_terms(index, vector, d)
            out.append(f"text cosine {cos:.2f}" + (f" ({', '.join(terms)})" if terms else ""))
    if parts.get("authors") is not None and parts["authors"][d] > 0:
        q = seeds[0]
        a = set(index.authors[q].indices) & set(index.authors[d].indices)
        out.append("shared authors: " + ", ".join(sorted(index.author_keys[i] for i in a)))
    if parts.get("neighbours") is not None and parts["neighbours"][d] > 0:
        out.append(f"shared graph neighbours (cosine {float(parts['neighbours'][d]):.2f})")
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


def _seed_vector(index: RelatedIndex, node: int) -> sp.csr_matrix:
    row = index.X[node]
    if row.nnz or node < index.n_papers:
        return sp.csr_matrix(row)
    # a method/reference node: the papers linked to it, weighted by edge weight
    lo, hi = index.adj.indptr[node], index.adj.indptr[node + 1]
    cols, w = index.adj.indices[lo:hi], index.adj.data[lo:hi]
    keep = cols < index.n_papers
    if not keep.any():
        return sp.csr_matrix((1, index.X.shape[1]), dtype=np.float32)
    W = sp.csr_matrix(
        (w[keep], (np.zeros(int(keep.sum()), int), cols[keep])), shape=(1, index.n_nodes)
    )
    return _unit(W @ index.X)


_INDEXED: weakref.WeakKeyDictionary[nx.Graph, tuple[tuple[int, int], RelatedIndex]] = (
    weakref.WeakKeyDictionary()
)


def _graph_index(G: nx.Graph) -> RelatedIndex:
    """The index of ``G``, built once per graph (again if its node or edge count changed)."""
    shape = (G.number_of_nodes(), G.number_of_edges())
    hit = _INDEXED.get(G)
    if hit is None or hit[0] != shape:
        hit = (shape, build_index(G))
        _INDEXED[G] = hit
    return hit[1]


def related(source: RelatedIndex | nx.Graph, query: str, *, limit: int = 10) -> RelatedResult:
    """The papers most related to ``query`` (a node, or free text), best first, with reasons.

    ``source`` is a loaded :class:`~graphkit.index.RelatedIndex` (what ``build`` writes) or a
    graph (indexed here, slower).  Ties are broken by node order, so answers are deterministic.

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> for i, t in enumerate(["speculative decoding drafts", "draft models for decoding",
    ...                        "graph layouts", "speculative decoding verification"]):
    ...     G.add_node(f"p{i}", kind="paper", title=t)
    >>> res = related(G, "speculative decoding for small models", limit=2)
    >>> res.matched_by, [m.node for m in res.matches][:2]
    ('text', ['p0', 'p3'])
    """
    index = source if isinstance(source, RelatedIndex) else _graph_index(source)
    limit = max(0, int(limit))
    found = resolve(index, query)
    n = index.n_papers
    if found.node >= 0:
        seeds = [found.node]
        vector = _seed_vector(index, found.node)
        matches: tuple[Neighbour, ...] = ()
    else:
        text_scores = _free_text_scores(index, query)
        assert text_scores is not None  # resolve() said "text"
        seeds = _top(text_scores, max(1, min(N_MATCHES, limit or N_MATCHES)), n)
        vector = query_vector(index, query)
        matches = tuple(
            _entry(
                index,
                i,
                text_scores[i],
                (
                    f"text score {text_scores[i]:.2f} ({', '.join(_shared_terms(index, vector, i))})",
                ),
            )
            for i in seeds
        )
    score, parts = fused_scores(index, seeds, vector)
    score = _embedding_rerank(index, seeds, score, parts)
    finite = np.isfinite(score)
    cited = citations_of(index, found.node) if found.node >= 0 else {}
    first = np.array(sorted(c for c in cited if c < n), dtype=np.int64)
    is_cited = np.zeros(n, bool)
    is_cited[first] = True
    cand = np.flatnonzero(finite & ((score > 0) | (parts["edge"] > 0)) & ~is_cited)
    first = first[np.isfinite(score[first])]
    order = np.concatenate(
        [_best(first, score, limit), _best(cand, score, max(0, limit - len(first)))]
    )[:limit]
    neighbours = []
    for d in order:
        reasons, kinds = _reasons(index, seeds, vector, int(d), parts)
        neighbours.append(_entry(index, int(d), score[d], reasons, kinds, parts, cited.get(int(d))))
    linked = []
    for s in seeds:
        lo, hi = index.adj.indptr[s], index.adj.indptr[s + 1]
        for c, w in zip(index.adj.indices[lo:hi], index.adj.data[lo:hi], strict=True):
            if c >= n:
                e = _edge_between(index, s, int(c))
                linked.append((-float(w), int(c), e, s))
    linked_entries = tuple(
        _entry(
            index,
            c,
            -w,
            tuple(_edge_reason_lines(index, s, c, e)),
            index.edge_kinds[e],
            cited=cited.get(c),
        )
        for w, c, e, s in sorted(set(linked))[:N_LINKED]
    )
    node = found.node
    return RelatedResult(
        query=str(query),
        node=index.ids[node] if node >= 0 else "",
        label=index.labels[node] if node >= 0 else str(query),
        title=index.titles[node] if node >= 0 else "",
        matched_by=found.matched_by,
        neighbours=tuple(neighbours),
        matches=matches,
        linked=linked_entries,
    )
