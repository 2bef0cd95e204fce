"""The sparse products behind co-citation and coupling: ``A Aᵀ`` in row blocks, each row's
top-k by Salton's cosine, the document-frequency cap, and the shared works named as evidence.

Split out of :mod:`graphkit.edges.citation` (which reads references and makes the edges).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["topk_pairs", "cosine_topk", "capped", "df_cap", "shared_evidence", "MIN_CAP", "MAX_CAP"]

#: Shared works named on a co-citation/coupling edge (most specific first).
EVIDENCE_WORKS = 3
#: Products ``R Rᵀ`` are computed in row blocks holding at most this many pair entries
#: (estimated as each row's sum of its columns' counts), so memory is bounded whatever the overlap.
_BLOCK_ENTRIES = 8_000_000
#: Row entries of the pairs whose shared works are found by one elementwise product.
_EVIDENCE_ENTRIES = 2_000_000
#: A cited work (coupling) or a citing paper (co-citation) in more than ``max_df`` of the corpus,
#: and more than this many papers, links nothing: like a stop word, it is everywhere (a work cited
#: by most of a corpus would make a dense N × N product).
MIN_CAP = 50
#: ... nor one in more than this many papers, whatever the corpus size: a work cited by 1,000
#: corpus papers says little about which two of them are related, and the fixed ceiling bounds
#: ``R Rᵀ`` by ``MAX_CAP · nnz(R)`` entries, linear in the corpus (a share alone makes it
#: quadratic: 616M pair entries at 100k papers with synthetic Zipf references, 80M with the
#: ceiling; corpora under 20,000 papers are not affected, 5 % of them is less).
MAX_CAP = 1000


def topk_pairs(S: sp.csr_matrix, k: int, row_offset: int = 0) -> tuple[np.ndarray, ...]:
    """Each row's ``k`` largest entries of ``S`` as ``(rows, cols, values)`` (ties: lower
    column first), rows shifted by ``row_offset``; the diagonal (``col == row``) dropped.

    >>> S = sp.csr_matrix(np.array([[0, .5, .2, .5], [.1, 0, 0, 0]]))
    >>> [a.tolist() for a in topk_pairs(S, 2)]
    [[0, 0, 1], [1, 3, 0], [0.5, 0.5, 0.1]]
    """
    S = S.tocsr()
    n = S.shape[0]
    rows = np.repeat(np.arange(n), np.diff(S.indptr)) + row_offset
    cols, vals = S.indices.astype(np.int64), S.data
    keep = (cols != rows) & (vals > 0)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    # each row's k best chosen row by row in linear time (a partition, then the ties at the
    # k-th value by column), so that only the kept entries are sorted: sorting every entry of
    # a block of A Aᵀ was half the citation stage on Zipf-popular references
    counts = np.bincount(rows - row_offset, minlength=n)
    ptr = np.r_[0, np.cumsum(counts)]
    sel = np.ones(len(rows), dtype=bool)
    for i in np.flatnonzero(counts > k).tolist():
        a, b = int(ptr[i]), int(ptr[i + 1])
        v = vals[a:b]
        t = np.partition(v, len(v) - k)[len(v) - k]  # the k-th largest value
        chosen = v >= t
        tied = np.flatnonzero(v == t)
        extra = int(chosen.sum()) - k
        if extra > 0:  # too many at the k-th value: the lower columns stay
            chosen[tied[np.argsort(cols[a:b][tied], kind="stable")[len(tied) - extra :]]] = False
        sel[a:b] = chosen
    rows, cols, vals = rows[sel], cols[sel], vals[sel]
    order = np.lexsort((cols, -vals, rows))
    return rows[order], cols[order], vals[order]


def cosine_topk(A: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``i < j`` among each row's top-k by Salton's cosine of the rows of ``A`` (binary),
    with their shared counts; computed in row blocks of ``A Aᵀ``."""
    n_items = np.asarray(A.sum(axis=1)).ravel()
    norm = np.zeros_like(n_items)
    np.sqrt(n_items, out=norm, where=n_items > 0)
    inv = np.divide(1.0, norm, out=np.zeros_like(norm), where=norm > 0)
    At = A.T.tocsr()
    parts = []
    for start, stop in _blocks(A, At):
        block = A[start:stop]
        if not block.nnz:
            continue
        counts = (block @ At).tocsr()
        cos = sp.csr_matrix(
            counts.multiply(inv[start : start + block.shape[0], None]).multiply(inv[None, :])
        )
        cos.data = np.round(cos.data, 12)  # equal cosines tie exactly, whatever the float path
        r, c, v = topk_pairs(cos, k, row_offset=start)
        parts.append((r, c, v))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), np.zeros(0)
    r = np.concatenate([p[0] for p in parts])
    c = np.concatenate([p[1] for p in parts])
    v = np.concatenate([p[2] for p in parts])
    lo, hi = np.minimum(r, c), np.maximum(r, c)
    key = lo * A.shape[0] + hi
    uniq, first = np.unique(key, return_index=True)
    lo, hi, v = lo[first], hi[first], v[first]
    shared = np.rint(v * norm[lo] * norm[hi])  # binary rows: cosine × norms = shared count
    return lo, hi, v, shared


def _blocks(A: sp.csr_matrix, At: sp.csr_matrix) -> list[tuple[int, int]]:
    """Row ranges of ``A`` whose rows of ``A Aᵀ`` hold about :data:`_BLOCK_ENTRIES` entries."""
    n = A.shape[0]
    if not A.nnz:
        return []
    col_counts = np.diff(At.indptr).astype(np.float64)
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    cost = np.bincount(rows, weights=col_counts[A.indices], minlength=n)
    ids = (np.cumsum(cost) // _BLOCK_ENTRIES).astype(np.int64)
    bounds = [0, *(np.flatnonzero(np.diff(ids)) + 1).tolist(), n]
    return list(zip(bounds[:-1], bounds[1:], strict=False))


def df_cap(n: int, max_df: float) -> int:
    """The most rows a column of ``n`` may be in and still link: ``max_df`` of them, at least
    :data:`MIN_CAP`, at most :data:`MAX_CAP`.

    >>> df_cap(9_000, 0.05), df_cap(100_000, 0.05), df_cap(300, 0.05)
    (450, 1000, 50)
    """
    return max(MIN_CAP, min(int(max_df * n), MAX_CAP))


def capped(A: sp.csr_matrix, max_df: float) -> sp.csr_matrix:
    """``A`` without the columns in more than ``df_cap(rows, max_df)`` rows."""
    cap = df_cap(A.shape[0], max_df)
    counts = np.diff(A.tocsc().indptr)
    if counts.max(initial=0) <= cap:
        return A
    keep = sp.diags((counts <= cap).astype(np.float64))
    out = (A @ keep).tocsr()
    out.eliminate_zeros()
    return out


def shared_evidence(
    A: sp.csr_matrix, lo: np.ndarray, hi: np.ndarray, popularity: np.ndarray
) -> list[list[int]]:
    """For each pair ``(lo[k], hi[k])``, the columns both rows of ``A`` hold, most specific
    (fewest rows) first, then by column: at most :data:`EVIDENCE_WORKS`.  One elementwise
    product of the pairs' rows per chunk of about :data:`_EVIDENCE_ENTRIES` row entries (no
    loop over pairs; a chunk is bounded by entries, not pairs, as a co-cited paper's row holds
    all its citers)."""
    out: list[list[int]] = []
    if not len(lo):
        return out
    lengths = np.diff(A.indptr)
    cost = np.cumsum(lengths[lo] + lengths[hi])
    ids = cost // _EVIDENCE_ENTRIES
    bounds = [0, *(np.flatnonzero(np.diff(ids)) + 1).tolist(), len(lo)]
    for s, e in zip(bounds[:-1], bounds[1:], strict=True):
        both = A[lo[s:e]].multiply(A[hi[s:e]]).tocsr()
        both.eliminate_zeros()
        counts = np.diff(both.indptr)
        rows = np.repeat(np.arange(both.shape[0]), counts)
        cols = both.indices.astype(np.int64)
        order = np.lexsort((cols, popularity[cols], rows))
        place = np.arange(len(rows)) - np.repeat(both.indptr[:-1], counts)
        chosen = cols[order][place < EVIDENCE_WORKS]
        cut = np.cumsum(np.minimum(counts, EVIDENCE_WORKS))[:-1]
        out.extend(part.tolist() for part in np.split(chosen, cut))
    return out
