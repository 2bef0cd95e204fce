"""Similarity edges: each paper's top-k most cosine-similar papers, computed sparsely.

The neighbours come from :mod:`graphkit.edges.neighbours` (top-k cosines, computed sparsely);
this module makes them edges: one per pair, with the terms contributing most to its cosine.

>>> import scipy.sparse as sp
>>> X = sp.csr_matrix([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.0, 0.0, 1.0]])
>>> [(e.source, e.target, round(e.score, 2)) for e in similarity_edges(X, ["a", "b", "c"])]
[('a', 'b', 0.8)]
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ..errors import GraphkitError
from ..model import Edge
from ._topk import row_top
from .neighbours import SCORE_DECIMALS, _normalized, _topk_arrays, topk_neighbours

__all__ = ["similarity_edges", "topk_neighbours", "SCORE_DECIMALS"]

log = logging.getLogger(__name__)


def _pair_top_terms(
    X: sp.csr_matrix, a: np.ndarray, b: np.ndarray, n_terms: int, *, chunk: int = 20_000
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair ``(a[p], b[p])``, the ``n_terms`` columns with the largest
    ``X[a, t] * X[b, t]`` (ties: lower column first), for all pairs at once, in chunks (the
    tests hold a per-pair reference): ``(starts, cols)``, pair ``p``'s columns best first in
    ``cols[starts[p]:starts[p + 1]]``.

    A positive float32's bits, read as an integer, order like its value, so each chunk's
    winners are found by :func:`row_top`'s passes of a per-pair maximum (no sort of every
    product)."""
    counts: list[np.ndarray] = []
    picked: list[np.ndarray] = []
    for start in range(0, a.size, chunk):
        ia, ib = a[start : start + chunk], b[start : start + chunk]
        P = X[ia].multiply(X[ib]).tocsr()
        P.sort_indices()
        rows = np.repeat(np.arange(ia.size), np.diff(P.indptr))
        cols = P.indices.astype(np.int64)
        prod = np.asarray(P.data, dtype=np.float32)
        nz = prod > 0
        rows, cols, prod = rows[nz], cols[nz], prod[nz]
        q = prod.view(np.int32).astype(np.float64)  # same order as the values (all > 0)
        sel = row_top(rows, q, cols, n_terms)
        picked.append(cols[sel])
        counts.append(np.bincount(rows[sel], minlength=ia.size))
    if not counts:
        return np.zeros(1, np.int64), np.empty(0, np.int64)
    return np.r_[0, np.cumsum(np.concatenate(counts))], np.concatenate(picked)


def _unique_pairs(
    rows: np.ndarray, cols: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One entry per pair ``(a, b)``, ``a < b``, with the larger score when both ends chose it,
    in corpus order of the pairs: ``(a, b, score)`` arrays."""
    a, b = np.minimum(rows, cols), np.maximum(rows, cols)
    order = np.lexsort((-scores.astype(np.float64), b, a))
    a, b, scores = a[order], b[order], scores[order]
    first = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])] if a.size else a.astype(bool)
    return a[first], b[first], scores[first]


def _similarity_records(
    Xn: sp.csr_matrix,
    best: tuple[np.ndarray, np.ndarray, np.ndarray],
    ids: Sequence[str],
    names: list[str] | None,
    n_terms: int,
) -> list[Edge]:
    """The edges of the pairs ``best`` (``(a, b, cosine)`` arrays), with their top terms."""
    a, b, cosine = best
    if names is not None and n_terms > 0:
        starts, top = _pair_top_terms(Xn, a, b, n_terms)
        words = [str(names[t]) for t in top.tolist()]
    else:
        starts, words = np.zeros(a.size + 1, np.int64), []
    edges: list[Edge] = []
    append = edges.append
    for i, j, cos, lo, hi in zip(
        a.tolist(), b.tolist(), cosine.tolist(), starts[:-1].tolist(), starts[1:].tolist(),
        strict=True,
    ):  # fmt: skip
        score = min(1.0, round(cos, SCORE_DECIMALS))
        terms = tuple(words[lo:hi])
        evidence = (
            f"cosine {score:.2f}; top terms: {', '.join(terms)}" if terms else f"cosine {score:.2f}"
        )
        # positional: source, target, kind, weight, terms, score, evidence
        append(Edge(ids[i], ids[j], "similarity", score, terms, score, evidence))
    return edges


def similarity_edges(
    X: sp.spmatrix,
    ids: Sequence[str],
    *,
    top_k: int = 10,
    min_similarity: float = 0.0,
    block_size: int | None = None,
    n_terms: int = 3,
    feature_names: Sequence[str] | None = None,
    n_jobs: int | None = None,
    method: str = "auto",
    candidate_df: float | str | None = "auto",
) -> list[Edge]:
    """Edges from each paper to its ``top_k`` most similar papers with cosine ≥ ``min_similarity``.

    The default ``min_similarity=0`` sets no absolute cut: every paper that shares a term with
    another keeps its ``top_k`` best partners (a fixed cosine floor leaves the papers of a
    sparse field, or a short abstract, with no similarity neighbour at all).

    ``X`` is the paper × term matrix (rows in the order of ``ids``; TF-IDF from
    :class:`graphkit.features.text.TextVectorizer`).  A pair chosen from both ends appears once,
    with the larger score.  ``weight`` and ``score`` are the cosine; ``terms`` are the
    ``n_terms`` terms contributing most to it (needs ``feature_names``); ``evidence`` says both.
    Edges are ordered by the corpus position of (source, target), source first in the corpus.
    ``block_size``, ``n_jobs``, ``method`` and ``candidate_df`` are as in
    :func:`topk_neighbours` (exact up to 20,000 papers by default, candidate pruning above).

    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix([[1.0, 1.0, 0.0], [1.0, 0.9, 0.1], [0.0, 0.2, 1.0]])
    >>> edges = similarity_edges(X, ["a", "b", "c"], top_k=1, feature_names=["x", "y", "z"])
    >>> [(e.source, e.target, e.terms) for e in edges]  # each paper's best partner, however weak
    [('a', 'b', ('x', 'y')), ('b', 'c', ('y', 'z'))]
    """
    if X.shape[0] != len(ids):
        raise GraphkitError(
            f"similarity_edges got {X.shape[0]} vectors for {len(ids)} papers",
            hint="Pass the TF-IDF matrix built from the same papers, in the same order.",
        )
    if len(set(ids)) != len(ids):
        raise GraphkitError(
            "similarity_edges got duplicate paper ids", hint="Merge duplicates first."
        )
    Xn = _normalized(X)
    rows, cols, scores = _topk_arrays(
        Xn,
        top_k=top_k,
        min_similarity=min_similarity,
        block_size=block_size,
        n_jobs=n_jobs,
        method=method,
        candidate_df=candidate_df,
        n_candidates=None,
        normalized=True,
    )
    best = _unique_pairs(rows, cols, scores)
    names = list(feature_names) if feature_names is not None else None
    edges = _similarity_records(Xn, best, ids, names, n_terms)
    log.info(
        "similarity: %d edges among %d papers (top_k=%d, min=%.2f)",
        len(edges),
        len(ids),
        top_k,
        min_similarity,
    )
    return edges
