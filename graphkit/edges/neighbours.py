"""Top-k cosine neighbours of the rows of a sparse matrix, never holding the cosine matrix.

Rows are taken ``block_size`` at a time, multiplied against the whole (sparse) corpus, and only
each row's best ``top_k`` neighbours are kept.  When the optional ``sparse_dot_topn`` package
is installed the product and the top-k selection run in its C++ kernel instead (same answer,
less memory and time); the pure scipy/numpy path is always there and is the reference.  Above
:data:`AUTO_EXACT_MAX` rows the candidates come from the rarer terms only and are rescored
exactly (:func:`_pruned`).

Ties are broken the same way on every path: by score rounded to :data:`SCORE_DECIMALS`
decimals (highest first), then by row index (corpus order, lowest first).

>>> X = sp.csr_matrix([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]])
>>> [(r, c.tolist()) for r, c, _ in topk_neighbours(X, top_k=1)]
[(0, [1]), (1, [0]), (2, [1])]
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp

from ..errors import GraphkitError
from ._topk import quantized, row_top

__all__ = ["topk_neighbours", "SCORE_DECIMALS", "AUTO_EXACT_MAX", "AUTO_CANDIDATE_DF"]

log = logging.getLogger(__name__)


#: Scores are compared at this precision, so float noise between code paths cannot reorder ties.
SCORE_DECIMALS = 6
#: Extra candidates fetched from the fast kernel so that ties at rank k are resolved by our rule.
_TIE_MARGIN = 5
#: ``candidate_df="auto"``: exact top-k up to this many papers, candidate pruning above.
AUTO_EXACT_MAX = 20_000
#: ``candidate_df="auto"`` above AUTO_EXACT_MAX: candidates from terms in <= 1 % of papers.
#: Recall of the exact top-10 at the build's min_similarity 0 (bench/edges.py; an earlier 99.5 %
#: counted only pairs of cosine >= 0.12): 0.898 at 74,728 arXiv papers with each row's own
#: candidates; sharing them with the other end of each pair (session 3) lifted it from 0.862 to
#: 0.881 on 15,000 papers (0.848 -> 0.868 on 10,000) in 0.9x the CPU time.  2 % gives 0.932 on
#: 10,000 in 1.4x the time; the exact search is ~5x slower than 1 %.
AUTO_CANDIDATE_DF = 0.01
#: Dense scratch budget of one row block (float32 cells).
_BLOCK_CELLS = 16_000_000


def _normalized(X: sp.spmatrix) -> sp.csr_matrix:
    """A float32 CSR copy of ``X`` with L2-normalised rows (zero rows stay zero), sorted indices."""
    X = sp.csr_matrix(X, dtype=np.float32, copy=True)
    X.sum_duplicates()
    X.sort_indices()
    sq = np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel()
    norms = np.sqrt(sq)
    norms[norms == 0] = 1.0
    X.data /= np.repeat(norms, np.diff(X.indptr)).astype(np.float32)
    return X


def _rank_key(scores: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Order of ``cols`` by (score rounded, descending; column ascending)."""
    return np.lexsort((cols, -np.round(scores.astype(np.float64), SCORE_DECIMALS)))


def _select(cols: np.ndarray, scores: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray]:
    order = _rank_key(scores, cols)[:top_k]
    return cols[order], scores[order]


def _block_topk(
    X: sp.csr_matrix, XT: sp.csr_matrix, rows: np.ndarray, top_k: int, min_sim: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Top-k (columns, scores) of ``rows`` of X @ X.T, self excluded."""
    S = (X[rows] @ XT).toarray()
    local = np.arange(rows.size)
    S[local, rows] = -np.inf  # never your own neighbour
    k = min(top_k, S.shape[1] - 1)
    out: list[tuple[np.ndarray, np.ndarray]] = []
    if k <= 0:
        return [(np.empty(0, np.int64), np.empty(0, np.float32)) for _ in local]
    part = np.argpartition(-S, k - 1, axis=1)[:, :k]
    kth = S[local[:, None], part].min(axis=1)
    tol = 10.0 ** (-SCORE_DECIMALS)
    for r in local:
        floor = max(float(kth[r]) - tol, min_sim)
        row = S[r]
        cols = np.flatnonzero(row >= floor)
        scores = row[cols]
        keep = (scores >= min_sim) & (scores > 0)
        out.append(_select(cols[keep], scores[keep], k))
    return out


def _have_topn() -> bool:
    try:
        import sparse_dot_topn  # noqa: F401
    except ImportError:
        return False
    return True


def topk_neighbours(
    X: sp.spmatrix,
    *,
    top_k: int = 10,
    min_similarity: float = 0.0,
    block_size: int | None = None,
    n_jobs: int | None = None,
    method: str = "auto",
    candidate_df: float | str | None = "auto",
    n_candidates: int | None = None,
    normalized: bool = False,
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield ``(row, neighbour_rows, scores)`` for each row of ``X``: its best ``top_k``.

    ``X`` rows are L2-normalised here, so scores are cosines.  Scores below ``min_similarity``
    (and zero scores) are dropped.  ``method`` is "scipy" (row blocks, pure scipy/numpy),
    "topn" (``sparse_dot_topn``) or "auto" (topn when installed).  ``n_jobs`` threads are used
    (scipy's sparse product releases the GIL); ``-1`` means every core; ``None`` means every
    core for topn and one thread for scipy (threads did not speed the scipy path up here).

    ``candidate_df`` trades exactness for speed on large corpora: when it is a number, each
    row's ``n_candidates`` (default ``4·top_k``) best candidates are found using only the terms
    in at most ``max(candidate_df·N, 50)`` papers (the product's cost is dominated by the few
    hundred commonest terms), then their cosines are computed exactly on the full vectors.
    ``None`` is always exact; "auto" is exact up to :data:`AUTO_EXACT_MAX` rows and uses
    :data:`AUTO_CANDIDATE_DF` above.  Rows made only of common terms are computed exactly.

    >>> X = sp.csr_matrix([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]])
    >>> [(r, c.tolist()) for r, c, _ in topk_neighbours(X, top_k=1, min_similarity=0.0)]
    [(0, [1]), (1, [0]), (2, [1])]
    """
    n = X.shape[0]
    rows, cols, scores = _topk_arrays(
        X,
        top_k=top_k,
        min_similarity=min_similarity,
        block_size=block_size,
        n_jobs=n_jobs,
        method=method,
        candidate_df=candidate_df,
        n_candidates=n_candidates,
        normalized=normalized,
    )
    starts = np.searchsorted(rows, np.arange(n + 1))
    for r in range(n):
        lo, hi = starts[r], starts[r + 1]
        yield r, cols[lo:hi], scores[lo:hi]


_EMPTY = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32))


def _topk_arrays(
    X: sp.spmatrix,
    *,
    top_k: int,
    min_similarity: float,
    block_size: int | None,
    n_jobs: int | None,
    method: str,
    candidate_df: float | str | None,
    n_candidates: int | None,
    normalized: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`topk_neighbours` as flat arrays ``(rows, cols, scores)``: rows ascending, each
    row's neighbours best first."""
    if not normalized:
        X = _normalized(X)
    n = X.shape[0]
    if n == 0 or X.shape[1] == 0 or X.nnz == 0:
        return _EMPTY
    use_topn = method == "topn" or (method == "auto" and _have_topn())
    if n_jobs is None:  # the C++ kernel scales with threads; scipy blocks did not (measured)
        n_jobs = (os.cpu_count() or 1) if use_topn else 1
    if n_jobs == 0:
        n_jobs = 1
    if n_jobs < 0:
        n_jobs = max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    if method not in ("auto", "scipy", "topn"):
        raise GraphkitError(
            f"unknown similarity method {method!r}", hint="Use 'auto', 'scipy' or 'topn'."
        )
    if method == "topn" and not _have_topn():
        raise GraphkitError(
            "method='topn' needs the sparse_dot_topn package",
            hint="pip install sparse_dot_topn, or use method='scipy'.",
        )
    if candidate_df == "auto":
        candidate_df = AUTO_CANDIDATE_DF if n > AUTO_EXACT_MAX else None
    if candidate_df is not None and not isinstance(candidate_df, int | float):
        raise GraphkitError(
            f"candidate_df must be a number, None or 'auto', not {candidate_df!r}",
            hint="Use candidate_df=0.01, for example.",
        )

    def exact(M: sp.csr_matrix, k: int, floor: float, rows: np.ndarray | None = None):
        if use_topn:
            return _topn_path(M, k, floor, n_jobs, rows)
        return _flat(_scipy_path(M, k, floor, block_size, n_jobs, rows))

    if candidate_df is None:
        return exact(X, top_k, min_similarity)
    return _pruned(X, top_k, min_similarity, float(candidate_df), n_candidates, exact)


def _flat(
    per_row: Iterator[tuple[int, np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-row results (rows ascending) as flat ``(rows, cols, scores)`` arrays."""
    rows, cols, scores = [], [], []
    for r, c, sc in per_row:
        rows.append(np.full(c.size, r, dtype=np.int64))
        cols.append(c.astype(np.int64, copy=False))
        scores.append(sc.astype(np.float32, copy=False))
    if not rows:
        return _EMPTY
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(scores)


def _top_per_row(
    rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, top_k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's best ``top_k`` entries, rows ascending: :func:`_select` on every row at once
    (rounded score descending, then column)."""
    if rows.size == 0:
        return rows, cols, scores
    keep = row_top(rows, quantized(scores, SCORE_DECIMALS), cols, top_k)
    return rows[keep], cols[keep], scores[keep]


def _scipy_path(
    X: sp.csr_matrix,
    top_k: int,
    min_sim: float,
    block_size: int | None,
    n_jobs: int,
    rows: np.ndarray | None = None,
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Row blocks of X @ X.T (only ``rows`` if given), top-k kept per row."""
    n = X.shape[0]
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    if block_size is None:
        block_size = max(1, min(n, _BLOCK_CELLS // max(n, 1)))
    XT = X.T.tocsr()
    starts = list(range(0, rows.size, block_size))

    def work(start: int) -> list[tuple[np.ndarray, np.ndarray]]:
        return _block_topk(X, XT, rows[start : start + block_size], top_k, min_sim)

    if n_jobs > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            # results come back in block order (each is only k indices per row)
            for start, res in zip(starts, pool.map(work, starts), strict=True):
                for off, (cols, scores) in enumerate(res):
                    yield int(rows[start + off]), cols, scores
    else:
        for start in starts:
            for off, (cols, scores) in enumerate(work(start)):
                yield int(rows[start + off]), cols, scores


def _pruned(
    X: sp.csr_matrix,
    top_k: int,
    min_sim: float,
    candidate_df: float,
    n_candidates: int | None,
    exact,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates from the rarer terms, exact cosines on the full rows.

    Each row's ``n_candidates`` best by the rare terms' part of the cosine are candidates, and
    so is every row that found it (the part is symmetric: a pair in ``j``'s list but not in
    ``i``'s is one ``i`` ranked low on rare terms alone; its common terms may still lift it).
    Each candidate pair is rescored once.  A cosine is the sum of its rare-term part (what the
    candidate search already computed) and its common-term part, so only the common terms'
    columns are multiplied here: 44 % of the non-zeros on arXiv abstracts at a 1 % cut (36 %
    at 2 %), which makes rescoring 2-3x cheaper than taking whole rows.
    """
    n = X.shape[0]
    df = np.bincount(X.indices, minlength=X.shape[1])
    limit = max(candidate_df * n, 50.0)
    rare = df <= limit
    Xc = X[:, np.flatnonzero(rare)].tocsr()
    Xm = X[:, np.flatnonzero(~rare)].tocsr()
    M = int(n_candidates or 4 * top_k)
    log.info(
        "similarity: candidates from %d of %d terms (in <= %d papers), %d per paper",
        Xc.shape[1], X.shape[1], int(limit), M,
    )  # fmt: skip
    lonely = np.flatnonzero((np.diff(Xc.indptr) == 0) & (np.diff(X.indptr) > 0))
    rows, cols, part = exact(Xc, M, 0.0)  # a lonely row has no candidates: its Xc row is empty
    # a pair either end found is a candidate of both ends, rescored once
    a, b = np.minimum(rows, cols), np.maximum(rows, cols)
    key, first = np.unique(a * n + b, return_index=True)
    a, b = key // n, key % n
    scores = part[first].astype(np.float32, copy=True)
    if Xm.shape[1]:
        scores += _pair_dots(Xm, a, b)
    rows, cols, scores = np.r_[a, b], np.r_[b, a], np.r_[scores, scores]
    order = np.argsort(rows, kind="stable")
    rows, cols, scores = rows[order], cols[order], scores[order]
    ok = (scores >= min_sim) & (scores > 0)
    rows, cols, scores = _top_per_row(rows[ok], cols[ok], scores[ok], top_k)
    if lonely.size:  # rows made only of common terms: exact, on the full rows
        fr, fc, fs = exact(X, top_k, min_sim, lonely)
        rows, cols, scores = (np.concatenate(x) for x in ((rows, fr), (cols, fc), (scores, fs)))
        order = np.argsort(rows, kind="stable")
        rows, cols, scores = rows[order], cols[order], scores[order]
    return rows, cols, scores


#: Dense scratch of :func:`_pair_dots`: at most this many rows, and this many cells.
_DOT_BLOCK_ROWS = 512
_DOT_BLOCK_CELLS = 4_000_000


def _pair_dots(M: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``M[rows[p]] · M[cols[p]]`` for every pair ``p``, in float32 (fastest with ``rows``
    ascending and few columns in ``M``).

    Bit-identical to ``M[rows].multiply(M[cols]).sum(axis=1)`` (the reference in the tests):
    the non-zero products of each pair, in column order, summed by ``np.add.reduceat``.  But
    a block of up to :data:`_DOT_BLOCK_ROWS` consecutive rows is made dense once and each
    candidate's sparse row is looked up in it, instead of copying both sparse rows of every
    pair and intersecting them: ~4x faster on 3M candidate pairs of arXiv abstracts.
    """
    out = np.zeros(rows.size, np.float32)
    if rows.size == 0 or M.nnz == 0:
        return out
    if not M.has_sorted_indices:
        M = M.sorted_indices()
    width = M.shape[1]
    step = max(1, min(_DOT_BLOCK_ROWS, _DOT_BLOCK_CELLS // max(width, 1)))
    bounds = np.r_[0, np.flatnonzero(np.diff(rows // step)) + 1, rows.size]
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        r, c = rows[a:b], cols[a:b]
        base = int(r.min())
        dense = M[base : int(r.max()) + 1].toarray().ravel()
        R = M[c]
        counts = np.diff(R.indptr)
        prod = R.data * dense[np.repeat((r - base) * width, counts) + R.indices]
        nz = prod != 0
        if not nz.any():
            continue
        seen = np.r_[0, np.cumsum(nz)]
        per = seen[R.indptr[1:]] - seen[R.indptr[:-1]]  # non-zero products of each pair
        has = per > 0
        starts = (np.cumsum(per) - per)[has]
        out[a:b][has] = np.add.reduceat(prod[nz], starts)
    return out


def _topn_path(
    X: sp.csr_matrix, top_k: int, min_sim: float, n_jobs: int, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The product and top-n selection in sparse_dot_topn's kernel (only ``rows`` if given),
    as flat arrays (rows ascending, best first)."""
    from sparse_dot_topn import sp_matmul_topn

    n = X.shape[0]
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    top_n = min(n, top_k + 1 + _TIE_MARGIN)
    # the kernel keeps values > threshold; ours keeps >= min_sim, so nudge it down
    threshold = max(0.0, min_sim - 10.0 ** (-SCORE_DECIMALS)) if min_sim > 0 else None
    C = sp_matmul_topn(
        X[rows],
        X.T.tocsr(),
        top_n=top_n,
        threshold=threshold,
        n_threads=n_jobs if n_jobs > 1 else None,
    ).tocsr()
    src = rows[np.repeat(np.arange(rows.size), np.diff(C.indptr))]
    cols = C.indices.astype(np.int64)
    scores = C.data
    keep = (cols != src) & (scores >= min_sim) & (scores > 0)
    return _top_per_row(src[keep], cols[keep], scores[keep], top_k)
