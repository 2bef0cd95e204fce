"""A low-rank text model of the corpus itself (LSA): each paper's TF-IDF row projected on the
corpus's leading singular directions, so two papers on one topic written in different words
still meet (``related`` fuses its cosine into the text score, see :mod:`graphkit.query.scores`).

The model is fitted at build time on the build's own TF-IDF rows (no data from elsewhere):
a seeded randomized truncated SVD (:func:`sklearn.utils.extmath.randomized_svd`) of the
papers' rows restricted to the :data:`MAX_TERMS` most widespread terms (rare terms carry no
topic structure and would make the term side of the SVD as large as the vocabulary), with
:data:`DIMS` dimensions (fewer in a small corpus), fitted on at most :data:`SAMPLE` papers.
A paper's vector is its row projected on the singular directions (``X · V``, which is
``U · Σ`` for the papers of the fit), unit length, stored as float16 (papers without text
get a zero row).

>>> import scipy.sparse as sp
>>> rng = np.random.default_rng(0)   # 60 papers on two topics: words 0-19 and words 20-39
>>> X = np.zeros((60, 40), np.float32)
>>> for i in range(60):
...     X[i, rng.choice(20, 5, replace=False) + 20 * (i % 2)] = 1.0
>>> Z = lsa_vectors(sp.csr_matrix(X), 60, dims=4)
>>> Z.dtype.name, Z.shape
('float16', (60, 4))
>>> cos = Z.astype(np.float32) @ Z.astype(np.float32).T
>>> bool(cos[0, 2::2].mean() > 0.5 > cos[0, 1::2].mean())   # same topic vs the other topic
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["DIMS", "MAX_TERMS", "MIN_PAPERS", "SAMPLE", "lsa_vectors", "lsa_dims"]

#: Dimensions of the model (a corpus of fewer papers gets at most a tenth of its papers).
DIMS = 96
#: The model is fitted on this many terms at most: the ones in the most papers.
MAX_TERMS = 1 << 15
#: Power iterations of the randomized SVD (enough for ranking; each is two passes over X).
N_ITER = 2
#: The singular directions are fitted on this many papers at most (then every paper is
#: projected on them: one pass over X).
SAMPLE = 20_000
#: Papers projected at a time.
BLOCK = 8192
#: Below this many papers with text there is no model (too few to learn topics from).
MIN_PAPERS = 50


def lsa_dims(n_papers: int, n_terms: int, dims: int = DIMS) -> int:
    """How many dimensions a corpus of ``n_papers`` (with text) over ``n_terms`` terms gets:
    :data:`DIMS`, at most a tenth of the papers, fewer than the terms; 0 (no model) below
    :data:`MIN_PAPERS` papers.

    >>> lsa_dims(9000, 50000), lsa_dims(300, 5000), lsa_dims(20, 500)
    (96, 30, 0)
    """
    if n_papers < MIN_PAPERS:
        return 0
    return max(0, min(int(dims), n_papers // 10, n_terms - 1))


def lsa_vectors(
    X: Any,
    n_papers: int,
    *,
    dims: int = DIMS,
    max_terms: int = MAX_TERMS,
    sample: int = SAMPLE,
    seed: int = 0,
) -> np.ndarray | None:
    """Unit LSA vectors (float16, one row per row of ``X``) of the first ``n_papers`` rows of
    the TF-IDF matrix ``X`` (scipy CSR); the other rows are zero.  The singular directions
    are fitted on at most ``sample`` papers with text (evenly spaced in paper order), every
    paper is projected on them.  None when the corpus is too small for a model
    (:func:`lsa_dims`)."""
    import scipy.sparse as sp  # noqa: PLC0415
    from sklearn.utils.extmath import randomized_svd  # noqa: PLC0415
    from threadpoolctl import threadpool_limits  # noqa: PLC0415

    X = sp.csr_matrix(X, dtype=np.float32)
    stop = int(X.indptr[n_papers])  # the papers' rows as views (a 74k matrix is ~100 MB)
    P = sp.csr_matrix(
        (X.data[:stop], X.indices[:stop], X.indptr[: n_papers + 1]),
        shape=(n_papers, X.shape[1]),
        copy=False,
    )
    df = np.bincount(P.indices, minlength=P.shape[1])
    keep = None
    if P.shape[1] > max_terms:  # the most widespread terms, ties by column (deterministic)
        keep = np.sort(np.lexsort((np.arange(len(df)), -df))[:max_terms])

    def cut(M: Any) -> Any:  # rows of P restricted to the kept terms (a copy of those only)
        return M if keep is None else M[:, keep]

    rows = np.flatnonzero(np.diff(P.indptr))  # the papers with text
    k = lsa_dims(len(rows), P.shape[1] if keep is None else len(keep), dims)
    if k <= 0:
        return None
    if len(rows) > sample:
        rows = rows[np.linspace(0, len(rows) - 1, sample).round().astype(np.int64)]
    # one BLAS thread: the other core is busy with the build, and one thread's sums are the
    # same on every machine (byte-identical indexes)
    with threadpool_limits(limits=1, user_api="blas"):
        _, _, Vt = randomized_svd(cut(P[rows]), k, n_iter=N_ITER, random_state=seed, flip_sign=True)
        V = np.ascontiguousarray(Vt.T, np.float32)
        Z = np.zeros((n_papers, k), np.float32)
        for lo in range(0, n_papers, BLOCK):  # projected in blocks: no copy of all rows
            Z[lo : lo + BLOCK] = cut(P[lo : lo + BLOCK]) @ V
    norm = np.linalg.norm(Z, axis=1, keepdims=True)
    np.divide(Z, norm, out=Z, where=norm > 0)
    out = np.zeros((X.shape[0], k), np.float16)
    out[:n_papers] = Z
    return out
