"""The fused score of :func:`fused_scores` (see :mod:`graphkit.query`'s docstring): text
(Rocchio-expanded TF-IDF cosine), graph edge, shared neighbours, shared authors, the age prior
(newer-paper penalty, older-paper bonus), and the optional embedding re-ranking; plus the top-k
helpers.  The terms whose weight is 0 (two-hop, degree) were measured and lost on citebench's
dev half; they stay as switches for other corpora's measurements."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ..index import RelatedIndex
from ..index.csr import _gather, combine_rows, matvec, positive_cols, row, row_max

__all__ = ["fused_scores", "query_vector"]

#: Weights of the fused score (see the module docstring); measured on citebench.
W_AUTHORS, W_EDGE, W_NEIGHBOURS, W_NEWER = 0.15, 0.05, 0.2, 0.6
#: Rocchio expansion of a query paper's vector by its nearest papers.
EXPAND_K, EXPAND_BETA = 10, 0.5
#: The age prior: a paper newer than the query (by more than NEWER_GRACE years) loses W_NEWER;
#: an older one gains up to W_OLDER, growing with log(1 + years older), flat from OLDER_CAP.
W_OLDER, NEWER_GRACE, OLDER_CAP = 0.2, 0, 5
#: Measured and not kept (0: off): two-hop (graph neighbours of the best text matches) and a
#: degree prior (log of a paper's link count), both below the default on citebench's dev half.
W_TWOHOP, TWOHOP_K = 0.0, 10
W_DEGREE = 0.0
#: The shared-venue prior: a paper of the query's venue gains W_VENUE x the venue's rarity
#: (:func:`venue_rarity`: 0 for a venue every paper shares, 1 for one only two papers share).
W_VENUE = 0.2
#: BM25 in the text score: text = (1 - W_BM25) x Rocchio cosine + W_BM25 x BM25 (both over
#: their best), BM25 of the query's own terms (k1, b as usual; length = distinct terms): single
#: words only (the two-word terms would count a phrase twice), each weighted by its sublinear
#: tf in the query.
W_BM25, BM25_K1, BM25_B = 0.3, 1.2, 0.75
#: BM25 is computed for the papers with the best text scores only (a query stays one pass
#: over the text rows).
BM25_RERANK = 1000
#: The LSA part of the text score (:mod:`graphkit.index.lsa`): text = (1 - W_LSA) x text +
#: W_LSA x the LSA cosine over its best; the papers on the query's topic in other words.
W_LSA = 0.3
#: The popularity prior (:func:`popularity`: log citations per year, where the records
#: carry citation counts; nothing without them).
W_CITED = 0.3
#: Embedding fusion: share of the embedding z-score, and how many top papers are re-ranked.
EMBEDDING_WEIGHT, RERANK = 0.5, 300


def query_vector(index: RelatedIndex, text: str) -> np.ndarray:
    """``text`` as a unit TF-IDF vector (dense, over the index's vocabulary; sublinear tf,
    like papers)."""
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
    out = np.zeros(len(index.terms), np.float32)
    out[np.asarray(cols, np.int64)] = vals
    return out


def _dense(index: RelatedIndex, vector: Any) -> np.ndarray:
    """A query vector (dense, or a scipy sparse row) as a dense float32 vector over the
    vocabulary."""
    if hasattr(vector, "tocsr"):  # a scipy sparse row (a caller's)
        out = np.zeros(index.X.shape[1], np.float32)
        r = vector.tocsr()
        np.add.at(out, r.indices, r.data.astype(np.float32))
        return out
    return np.asarray(vector, np.float32).ravel()


def _text_scores(index: RelatedIndex, v: np.ndarray) -> np.ndarray:
    """Every paper's dot product with dense vector ``v`` (one pass over the text rows; the
    last answer is kept, so a free-text query scores its words once)."""
    nz = np.flatnonzero(v)
    key = (nz.tobytes(), v[nz].tobytes())
    memo = index._memo
    if memo is not None and memo[0] == key:
        return memo[1].copy()
    s = matvec(index.X, v)[: index.n_papers]
    index._memo = (key, s)
    return s.copy()


def _bm25_lengths(index: RelatedIndex) -> np.ndarray:
    """Each paper's length (distinct terms) over the mean (cached on the index)."""
    rel_len = index._bm25
    if rel_len is None:
        n = index.n_papers
        lengths = np.diff(np.asarray(index.X.indptr[: n + 1], np.int64)).astype(np.float32)
        full = lengths > 0
        rel_len = lengths / max(float(lengths[full].mean()) if full.any() else 1.0, 1e-9)
        index._bm25 = rel_len
    return rel_len


def _bm25_scores(index: RelatedIndex, v: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """BM25 of papers ``cand`` for the terms of dense vector ``v`` (a paper's row or a
    query's vector), read back from the TF-IDF rows: a row's entry is ``(1 + ln tf) x idf``
    over the row's norm, so ``x / idf`` over the row's smallest such value (a term seen once)
    is ``1 + ln tf``; the BM25 idf comes from the document frequency the smooth idf was made
    of; the query's terms are weighted by their own ``1 + ln tf``.  0 outside ``cand``."""
    n = index.n_papers
    out = np.zeros(n, np.float32)
    qcols = np.flatnonzero(v > 0)
    if len(qcols):
        qcols = qcols[[" " not in index.terms[int(c)] for c in qcols]]
    if not len(qcols) or not len(cand):
        return out
    idf = np.asarray(index.idf, np.float32)
    qtf = v[qcols] / idf[qcols]
    qw = np.zeros(len(v), np.float32)
    qw[qcols] = qtf / qtf.min()
    which, cols, vals = _gather(index.X, cand)
    if not len(cols):
        return out
    ratio = np.asarray(vals, np.float32) / idf[cols]
    lens = np.bincount(which, minlength=len(cand))
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    smallest = np.ones(len(cand), np.float32)
    full = lens > 0
    smallest[full] = np.minimum.reduceat(ratio, starts[full])
    hit = qw[cols] > 0
    which, cols, ratio = which[hit], cols[hit], ratio[hit]
    tf = np.exp(np.maximum(ratio / smallest[which] - 1.0, 0.0))
    docs = max(n, 1)
    df = np.clip((1.0 + docs) / np.exp(idf[cols].astype(np.float64) - 1.0) - 1.0, 0.0, docs)
    bm25_idf = np.log1p((docs - df + 0.5) / (df + 0.5))
    k = BM25_K1 * (1.0 - BM25_B + BM25_B * _bm25_lengths(index)[cand[which]])
    w = qw[cols] * bm25_idf * tf * (BM25_K1 + 1.0) / (tf + k)
    out[cand] = np.bincount(which, weights=w, minlength=len(cand))
    return out


def _free_text_scores(index: RelatedIndex, text: str) -> np.ndarray | None:
    if not len(index.terms):
        return None
    v = query_vector(index, text)
    if not v.any():
        return None
    s = _text_scores(index, v)
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
    cols = positive_cols(adj, nb)
    return np.bincount(cols, minlength=adj.shape[0])[:n].astype(np.float64)


def _nearest_by_edges(
    index: RelatedIndex, seeds: list[int]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """A query paper's :data:`EXPAND_K` nearest texts and their cosines from its similarity
    edges (the build's top-k cosines over the same text rows), without a pass over every
    paper; ``(None, None)`` when they cannot tell (not one paper, an index without edge
    cosines, or fewer similarity partners than :data:`EXPAND_K`)."""
    sims = index.edge_sim
    if sims is None or EXPAND_K <= 0 or len(seeds) != 1 or seeds[0] >= index.n_papers:
        return None, None
    cols, _ = row(index.adj, seeds[0])
    lo = int(index.adj.indptr[seeds[0]])
    cos = np.asarray(sims)[np.asarray(index.adj_edge[lo : lo + len(cols)])]
    keep = (cols < index.n_papers) & (cos > 0)
    if int(keep.sum()) < EXPAND_K:
        return None, None
    cols, cos = cols[keep], cos[keep]
    order = np.lexsort((cols, -cos))[:EXPAND_K]
    return cols[order].astype(np.int64), cos[order].astype(np.float32)


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
        q0 = q
        near, near_w = _nearest_by_edges(index, seeds)
        if near is None:
            s = _text_scores(index, q)
            near = _top(s, EXPAND_K, n, exclude)
            near_w = s[near]
        if len(near):
            expansion = combine_rows(index.X, near, near_w).astype(np.float32)
            q = _unit_dense(q) + EXPAND_BETA * _unit_dense(expansion)
            s = _text_scores(index, q)
        s[list(exclude & set(range(n)))] = 0.0
        best = float(s.max()) if len(s) else 0.0
        if best > 0:
            text = (s / best).astype(np.float32)
        if W_BM25:
            bm = _bm25_scores(index, q0, np.asarray(_top(s, BM25_RERANK, n, exclude), np.int64))
            top = float(bm.max()) if len(bm) else 0.0
            if top > 0:
                parts["bm25"] = bm / top
                text = ((1.0 - W_BM25) * text + W_BM25 * parts["bm25"]).astype(np.float32)
    lsa = _lsa_scores(index, seeds) if W_LSA else None
    if lsa is not None:
        parts["lsa"] = lsa
        text = _fuse_lsa(text, lsa)
    parts["text"] = text
    score = text.copy()
    if W_TWOHOP and text.any():
        top = _top(text, TWOHOP_K, n, exclude)
        w = combine_rows(index.adj, top, text[top])[:n]
        if w.max() > 0:
            parts["twohop"] = w / w.max()
            score += W_TWOHOP * parts["twohop"]
    if W_DEGREE:
        deg = _positive_degree(index)[:n]
        parts["degree"] = np.log1p(deg) / max(np.log1p(deg).max(), 1e-9)
        score += W_DEGREE * parts["degree"]

    adj = index.adj
    edge = row_max(adj, seeds)[:n] if seeds else np.zeros(n)
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
            cols, vals = row(index.authors, q_paper)
            qa = np.zeros(index.authors.shape[1], np.float32)
            qa[cols] = vals
            shared_a = matvec(index.authors, qa)[:n]
            parts["authors"] = np.minimum(shared_a, 2.0)
            score += W_AUTHORS * parts["authors"]
        pop = popularity(index) if W_CITED else None
        if pop is not None:
            parts["cited"] = pop
            score += W_CITED * pop
        venue = _venue_prior(index, q_paper) if W_VENUE else None
        if venue is not None:
            parts["venue"] = venue
            score += W_VENUE * venue
        yq, years = int(index.years[q_paper]), index.years[:n]
        if yq > 0:
            parts["newer"] = ((years > yq + NEWER_GRACE) & (years > 0)).astype(np.float32)
            score -= W_NEWER * parts["newer"]
            if W_OLDER:
                gap = np.where(years > 0, yq - years, 0).clip(0, OLDER_CAP)
                parts["older"] = (np.log1p(gap) / np.log1p(OLDER_CAP)).astype(np.float32)
                score += W_OLDER * parts["older"]
    score[list(exclude & set(range(n)))] = -np.inf
    return score, parts


def _lsa_scores(index: RelatedIndex, seeds: list[int]) -> np.ndarray | None:
    """Every paper's LSA cosine with the query (the mean LSA vector of the seed papers: the
    query paper, or a free-text query's best matches); None without LSA vectors in the
    index or a seed paper with text."""
    Z = index.lsa
    papers = [s for s in seeds if s < index.n_papers]
    if Z is None or not papers or not len(Z):
        return None
    q = np.asarray(Z[papers], np.float32).mean(axis=0)
    if not q.any():
        return None
    # einsum, not BLAS: a threaded gemv spins on a busy machine for a 100k x 96 product
    s = np.einsum("ij,j->i", _lsa_rows(index), q)
    s[papers] = 0.0
    return s


def _lsa_rows(index: RelatedIndex) -> np.ndarray:
    """The papers' LSA vectors as float32 (converted once per loaded index)."""
    rows = index._lsa32
    if rows is None:
        rows = index._lsa32 = np.asarray(index.lsa[: index.n_papers], np.float32)
    return rows


def _fuse_lsa(text: np.ndarray, lsa: np.ndarray) -> np.ndarray:
    """``(1 - W_LSA) x text + W_LSA x`` the LSA cosine over its best (negatives as 0)."""
    best = float(lsa.max())
    if best <= 0:
        return text
    return ((1.0 - W_LSA) * text + W_LSA * (np.maximum(lsa, 0.0) / best)).astype(np.float32)


def popularity(index: RelatedIndex) -> np.ndarray | None:
    """Each paper's popularity prior in [0, 1]: ``log(1 + c / age)`` over the corpus's
    highest, for a paper with citation count *c* (as its record gives it) published *age*
    years before the corpus's newest year, plus one (so an old paper's count is not taken for
    a popular one's); a paper without a count gets the corpus's median, one without a year
    the median age.  None when no paper has a count (cached on the index)."""
    pop = index._popularity
    if pop is None:
        n = index.n_papers
        c = np.asarray(index.cited_by[:n], np.float64)
        known = c >= 0
        if not len(c) or not known.any():
            return None
        years = np.asarray(index.years[:n], np.float64)
        dated = years > 0
        age = np.zeros(n)
        if dated.any():
            age[dated] = years[dated].max() - years[dated]
            age[~dated] = np.median(age[dated])
        v = np.zeros(n)
        v[known] = np.log1p(c[known] / (age[known] + 1.0))
        v[~known] = np.median(v[known])
        top = float(v.max())
        index._popularity = pop = (v / top if top > 0 else v).astype(np.float32)
    return pop


def venue_rarity(index: RelatedIndex) -> np.ndarray:
    """Each venue's rarity among the papers that name one, IDF-like: with *N* such papers
    and *n* of them in the venue, ``log(N / n) / log(N / 2)``, clipped to [0, 1] -- 0 when
    every paper has the same venue, 1 for a venue two papers share (cached on the index)."""
    rarity = index._venue_rarity
    if rarity is None:
        ids = np.asarray(index.venue_ids[: index.n_papers])
        ids = ids[ids >= 0]
        counts = np.bincount(ids, minlength=len(index.venues)).astype(np.float64)
        total = float(len(ids))
        rarity = np.zeros(len(counts))
        if total > 2:
            seen = counts > 0
            rarity[seen] = np.log(total / counts[seen]) / np.log(total / 2)
        index._venue_rarity = rarity = rarity.clip(0.0, 1.0)
    return rarity


def _venue_prior(index: RelatedIndex, q: int) -> np.ndarray | None:
    """The rarity of paper ``q``'s venue for every paper of that venue, 0 elsewhere; None
    when ``q`` has no venue (or the corpus none)."""
    if not len(index.venues):
        return None
    v = int(index.venue_ids[q])
    if v < 0:
        return None
    same = np.asarray(index.venue_ids[: index.n_papers]) == v
    return (same * venue_rarity(index)[v]).astype(np.float32)


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
