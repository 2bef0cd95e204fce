"""Keyword pairs: which papers :mod:`graphkit.edges.keyword` links, from the binary paper ×
term matrix ``B`` and each term's ``log(1 - p_t)``: a pair's weight is
``1 - Π (1 - p_t)`` over its shared terms, and each paper keeps its ``top_k`` heaviest
partners (ties by rounded weight, then corpus order).  Two ways with the same answer (tested):
sparse_dot_topn's kernel keeps each row's best as it multiplies (:func:`_top_pairs`), the
reference computes every pair of a row block (:func:`_block_pairs`)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._topk import quantized, row_top

#: Rows of ``B @ B.T`` computed at once.
_BLOCK_ROWS = 1024


def _linked_pairs(
    B: sp.csr_matrix, logq: np.ndarray, *, min_shared: int, top_k: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs ``(a < b)`` to link, in (a, b) order, and their weights: pairs sharing
    ``min_shared`` terms, among the ``top_k`` heaviest of one of their papers.

    Each paper's ``top_k`` come from :func:`_top_pairs` (the product and the selection in
    sparse_dot_topn's kernel) when ``min_shared`` is 1; otherwise, or without the kernel, from
    :func:`_block_pairs` (every pair of a row block, then the selection), the reference.
    """
    if top_k is not None and min_shared <= 1 and _have_topn():
        pr, pc, pw = _top_pairs(B, logq, top_k)
    else:
        pr, pc, pw = _block_pairs(B, logq, min_shared=min_shared, top_k=top_k)
    return _unique(pr, pc, pw, B.shape[0])


def _have_topn() -> bool:
    try:
        import sparse_dot_topn  # noqa: F401
    except ImportError:
        return False
    return True


#: Partners fetched per paper beyond ``top_k`` (and itself) from the kernel, so that ties at
#: rank ``top_k`` can be seen; a paper whose fetched list ends in such a tie is redone exactly.
_TIE_MARGIN = 4


def _top_pairs(
    B: sp.csr_matrix, logq: np.ndarray, top_k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each paper's ``top_k`` partners (rows ascending, best first) without materialising
    every pair of a row: ``-Σ log(1 - p_t)`` over shared terms, top-n per row in the kernel.

    The kernel accumulates each pair's sum over the row's terms in column order, as
    ``csr_matmat`` does (the same bits; tested).  It keeps the ``top_k + 1 + margin`` largest
    (a paper is its own best partner), breaking ties its own way; when the last one kept ties
    with the ``top_k``-th best by our rule (rounded weight, then corpus order), a partner left
    out could have won the tie, so that paper is redone by :func:`_block_pairs`.
    """
    from sparse_dot_topn import sp_matmul_topn

    n = B.shape[0]
    V = sp.csr_matrix((-logq[B.indices], B.indices, B.indptr), shape=B.shape)  # > 0
    BT = sp.csr_matrix(B.T, dtype=np.float64).tocsr()
    top_n = min(n, top_k + 1 + _TIE_MARGIN)
    C = sp_matmul_topn(V, BT, top_n=top_n).tocsr()
    counts = np.diff(C.indptr)
    r = np.repeat(np.arange(n), counts)
    c = C.indices.astype(np.int64)
    w = 1.0 - np.exp(-C.data.astype(np.float64))
    q = quantized(w, 9)
    keep = c != r
    # the last one kept per full row: a partner left out weighs at most this much
    full = counts >= top_n
    low = np.full(n, np.inf)
    if full.any():
        np.minimum.at(low, r, np.where(keep, q, np.inf))
    r, c, w, q = r[keep], c[keep], w[keep], q[keep]
    sel = row_top(r, q, c, top_k)
    r, c, w, q = r[sel], c[sel], w[sel], q[sel]
    kth = np.full(n, -1.0)  # the top_k-th rounded weight of each full row (-1: fewer)
    last = np.r_[r[1:] != r[:-1], True] if r.size else np.zeros(0, bool)
    rank = np.bincount(r, minlength=n)
    kth[r[last]] = np.where(rank[r[last]] >= top_k, q[last], -1.0)
    redo = np.flatnonzero(full & (low >= kth) & (kth >= 0) | full & (rank < top_k))
    if redo.size:
        drop = np.isin(r, redo)
        r, c, w = r[~drop], c[~drop], w[~drop]
        er, ec, ew = _block_pairs(B, logq, min_shared=1, top_k=top_k, rows=redo, ordered=False)
        order = np.argsort(np.r_[r, er], kind="stable")
        r, c, w = np.r_[r, er][order], np.r_[c, ec][order], np.r_[w, ew][order]
    return np.minimum(r, c), np.maximum(r, c), w


def _unique(
    pr: np.ndarray, pc: np.ndarray, pw: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique pairs in (source, target) order; a pair found from both ends keeps the last
    weight (the two are the same sum of the same terms in the same order)."""
    pkey = pr.astype(np.int64) * n + pc
    uniq, last = np.unique(pkey[::-1], return_index=True)
    sel = pkey.size - 1 - last
    return uniq // n, uniq % n, pw[sel]


def _block_pairs(
    B: sp.csr_matrix,
    logq: np.ndarray,
    *,
    min_shared: int,
    top_k: int | None,
    rows: np.ndarray | None = None,
    ordered: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of each row block of ``B @ B.T`` (only ``rows``, ascending, if given), then
    each row's ``top_k`` (all pairs ``a < b`` if None), as ``(min, max, weight)`` arrays;
    ``ordered=False`` leaves ``(row, partner, weight)``."""
    n = B.shape[0]
    BT = B.T.tocsr()
    W = B.multiply(logq[None, :]).tocsr()  # same pattern, log(1 - p_t) as values
    parts_r: list[np.ndarray] = []
    parts_c: list[np.ndarray] = []
    parts_w: list[np.ndarray] = []
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    for start in range(0, rows.size, _BLOCK_ROWS):
        stop = min(rows.size, start + _BLOCK_ROWS)
        block = rows[start:stop]
        L = (W[block] @ BT).tocsr()  # Σ log(1 - p_t) over shared terms
        r = np.repeat(block, np.diff(L.indptr))
        c = L.indices.astype(np.int64)
        logs = L.data
        if min_shared <= 1:  # every stored pair shares a term: its Σ log(1 - p_t) is < 0
            keep = c != r
        else:  # count shared terms too; same pattern, so csr_matmat lays it out identically
            C = (B[block] @ BT).tocsr()
            if np.array_equal(C.indptr, L.indptr) and np.array_equal(C.indices, L.indices):
                counts = C.data
            else:  # never expected: fall back to looking every pair up
                counts = np.asarray(C[np.searchsorted(block, r), c]).ravel()
            keep = (counts >= min_shared) & (c != r)
        if top_k is None:
            keep &= c > r
        r, c = r[keep], c[keep]
        w = 1.0 - np.exp(logs[keep].astype(np.float64))
        if top_k is not None:  # each paper's top_k partners (weight desc, then corpus order)
            sel = row_top(r, quantized(w, 9), c, top_k)
            r, c, w = r[sel], c[sel], w[sel]
            if ordered:
                r, c = np.minimum(r, c), np.maximum(r, c)
        parts_r.append(r)
        parts_c.append(c)
        parts_w.append(w)
    if not parts_r:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64)
    return tuple(np.concatenate(x) for x in (parts_r, parts_c, parts_w))
