"""The ``related`` query: resolve a paper, method or free text and rank the related papers.

A query is resolved, in order, as a node id, an old ID of a paper (its title-hash or DOI ID
from before it gained a DOI/arXiv ID), an arXiv id or DOI (with or without prefix, URL or
version), a name (a paper's short or defined names, a method node's label; any case), a title
(exact, or nearly: ratio ≥ :data:`TITLE_RATIO` among the best text hits); anything else is
**free text**, scored against every paper's title and abstract, whose best matches are listed
before the papers related to them.

Ranking (:func:`fused_scores`, the weights chosen on the dev half of citebench's topics and
reported on the check half, see README "related"): for a query paper *q* and every paper *d*,

    score = text + 0.15·min(shared authors, 2) + 0.05·edge + 0.2·neighbours
            + 0.2·venue + 0.3·cited − 0.6·newer + 0.2·older

- *text*: 0.7 x the cosine of *d* with *q*'s TF-IDF vector expanded by its 10 nearest papers
  (Rocchio, β = 0.5; read from *q*'s similarity edges when it has 10), divided by the best
  such cosine (so 1 is the best match in any corpus), + 0.3 x BM25 of *q*'s words (k1 1.2,
  b 0.75, read back from the TF-IDF rows) over the best, for the 1,000 best cosines; that
  sum is then 0.7 x itself + 0.3 x the cosine of the papers' LSA vectors (the corpus's own
  low-rank text model, :mod:`graphkit.index.lsa`; same topic in other words) over the best;
- *edge*: the combined weight of a *q*–*d* edge over *q*'s heaviest edge (0 without one);
- *neighbours*: cosine of the two papers' neighbour sets in the graph;
- *venue*: when *d* appeared in *q*'s venue (journal, conference, source title; compared by
  :func:`~graphkit.index.records.venue_key`), that venue's rarity: log(N / n) / log(N / 2)
  for *n* of the *N* papers with a venue, in [0, 1] -- 0 when every paper shares it, so a
  corpus without venues (or of one journal) ranks as before; the reason reads "same venue: X";
- *cited*: the popularity prior where the records carry citation counts (WoS TC, OpenAlex
  ``cited_by_count``, S2 ``citationCount``, Crossref ``is-referenced-by-count``):
  log(1 + citations per year since publication) over the corpus's best
  (:func:`~graphkit.query.scores.popularity`); nothing in a corpus without counts; the reason
  reads "cited N times (the record's count)";
- *newer*: 1 when *d* appeared after *q* (a paper builds on earlier work);
- *older*: log(1 + years *d* appeared before *q*) / log(6), at most 1 (references are mostly
  a few years older than the citing paper); without a year, neither;
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

import weakref
from typing import TYPE_CHECKING

import numpy as np

from ..index import RelatedIndex, build_index
from ..index.csr import combine_rows, row
from .reasons import (
    _edge_between,
    _edge_reason_lines,
    _entry,
    _reasons,
    _shared_terms,
    citations_of,
)
from .resolve import TITLE_RATIO, Resolved, resolve
from .result import Neighbour, RelatedResult
from .scores import (
    _best,
    _embedding_rerank,
    _free_text_scores,
    _top,
    _unit_dense,
    fused_scores,
    query_vector,
)

if TYPE_CHECKING:  # networkx only for indexing a graph: `related` loads without it
    import networkx as nx

__all__ = [
    "related",
    "resolve",
    "fused_scores",
    "RelatedResult",
    "Neighbour",
    "Resolved",
    "TITLE_RATIO",
]

#: Free text: how many best-matching papers are listed and seed the related papers.
N_MATCHES = 5
#: Method/reference nodes listed after the papers.
N_LINKED = 5


def _seed_vector(index: RelatedIndex, node: int) -> np.ndarray:
    """The text vector of node ``node`` (dense): a paper's row; for a method/reference node
    without text, its linked papers' rows weighted by edge weight (unit length)."""
    cols, vals = row(index.X, node)
    out = np.zeros(index.X.shape[1], np.float32)
    if len(cols) or node < index.n_papers:
        out[cols] = vals
        return out
    nb, w = row(index.adj, node)
    keep = nb < index.n_papers
    if not keep.any():
        return out
    return _unit_dense(combine_rows(index.X, nb[keep], w[keep])).astype(np.float32)


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
    if found.node >= 0:
        seeds = [found.node]
        vector = _seed_vector(index, found.node)
        matches: tuple[Neighbour, ...] = ()
    else:
        seeds, vector, matches = _text_matches(index, query, limit)
    score, parts = fused_scores(index, seeds, vector)
    score = _embedding_rerank(index, seeds, score, parts)
    cited = citations_of(index, found.node) if found.node >= 0 else {}
    neighbours = []
    for d in _ranked(index, score, parts, cited, limit):
        reasons, kinds = _reasons(index, seeds, vector, d, parts)
        neighbours.append(_entry(index, d, score[d], reasons, kinds, parts, cited.get(d)))
    node = found.node
    return RelatedResult(
        query=str(query),
        node=index.ids[node] if node >= 0 else "",
        label=index.labels[node] if node >= 0 else str(query),
        title=index.titles[node] if node >= 0 else "",
        matched_by=found.matched_by,
        neighbours=tuple(neighbours),
        matches=matches,
        linked=_linked(index, seeds, cited),
    )


def _text_matches(
    index: RelatedIndex, query: str, limit: int
) -> tuple[list[int], np.ndarray, tuple[Neighbour, ...]]:
    """Free text: the best-matching papers (the seeds), the query's vector, and the matches
    as listed entries."""
    text_scores = _free_text_scores(index, query)
    assert text_scores is not None  # resolve() said "text"
    seeds = _top(text_scores, max(1, min(N_MATCHES, limit or N_MATCHES)), index.n_papers)
    vector = query_vector(index, query)
    matches = tuple(
        _entry(
            index,
            i,
            text_scores[i],
            (f"text score {text_scores[i]:.2f} ({', '.join(_shared_terms(index, vector, i))})",),
        )
        for i in seeds
    )
    return seeds, vector, matches


def _ranked(
    index: RelatedIndex,
    score: np.ndarray,
    parts: dict[str, np.ndarray],
    cited: dict[int, tuple[str, str]],
    limit: int,
) -> list[int]:
    """The ``limit`` papers listed: the cited and citing ones first, then the rest, each
    group by score."""
    n = index.n_papers
    finite = np.isfinite(score)
    first = np.array(sorted(c for c in cited if c < n), dtype=np.int64)
    is_cited = np.zeros(n, bool)
    is_cited[first] = True
    cand = np.flatnonzero(finite & ((score > 0) | (parts["edge"] > 0)) & ~is_cited)
    first = first[np.isfinite(score[first])]
    order = np.concatenate(
        [_best(first, score, limit), _best(cand, score, max(0, limit - len(first)))]
    )[:limit]
    return [int(d) for d in order]


def _linked(
    index: RelatedIndex, seeds: list[int], cited: dict[int, tuple[str, str]]
) -> tuple[Neighbour, ...]:
    """The method and reference nodes linked to the seeds, heaviest link first."""
    n = index.n_papers
    linked = []
    for s in seeds:
        lo, hi = index.adj.indptr[s], index.adj.indptr[s + 1]
        for c, w in zip(index.adj.indices[lo:hi], index.adj.data[lo:hi], strict=True):
            if c >= n:
                e = _edge_between(index, s, int(c))
                linked.append((-float(w), int(c), e, s))
    return tuple(
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
