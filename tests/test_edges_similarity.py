"""Similarity edges: blockwise sparse top-k equals a dense brute-force reference."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from shared_data import SHARED

from graphkit.edges import similarity_edges, topk_neighbours
from graphkit.edges.similarity import SCORE_DECIMALS
from graphkit.errors import GraphkitError
from graphkit.features.text import TextVectorizer
from graphkit.model import Paper

try:
    import sparse_dot_topn  # noqa: F401

    METHODS = ["scipy", "topn"]
except ImportError:
    METHODS = ["scipy"]

CORPUS = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"


def dense_reference(X, top_k, min_sim):
    """Brute force: full dense cosine matrix, same ranking rule (rounded score desc, index asc)."""
    D = np.asarray(X.todense(), dtype=np.float64)
    norms = np.linalg.norm(D, axis=1)
    norms[norms == 0] = 1.0
    D = D / norms[:, None]
    S = D @ D.T
    out = []
    for i in range(S.shape[0]):
        cand = [
            (-round(float(S[i, j]), SCORE_DECIMALS), j)
            for j in range(S.shape[0])
            if j != i and S[i, j] >= min_sim and S[i, j] > 0
        ]
        out.append([j for _, j in sorted(cand)[:top_k]])
    return out


def random_matrix(seed, n=60, m=40, density=0.1, dups=True):
    rng = np.random.default_rng(seed)
    X = sp.random(n, m, density=density, random_state=rng, format="csr", dtype=np.float64)
    if dups:  # exact duplicates and a zero row create ties and an empty row
        X = sp.vstack([X, X[:5], sp.csr_matrix((1, m))]).tocsr()
        X = X[rng.permutation(X.shape[0])]
    return sp.csr_matrix(X, dtype=np.float32)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("block_size", [1, 7, 64, None])
@pytest.mark.parametrize("method", METHODS)
def test_blockwise_topk_equals_dense(seed, block_size, method):
    X = random_matrix(seed)
    for top_k, min_sim in [(3, 0.0), (10, 0.2)]:
        ref = dense_reference(X, top_k, min_sim)
        got = [
            c.tolist()
            for _, c, _ in topk_neighbours(
                X, top_k=top_k, min_similarity=min_sim, block_size=block_size, method=method
            )
        ]
        assert got == ref


@pytest.mark.parametrize("method", METHODS)
def test_threads_same_answer(method):
    X = random_matrix(5, n=200)
    one = [(r, c.tolist()) for r, c, _ in topk_neighbours(X, block_size=16, method=method)]
    two = [
        (r, c.tolist()) for r, c, _ in topk_neighbours(X, block_size=16, n_jobs=2, method=method)
    ]
    assert one == two


def test_ties_broken_by_corpus_order():
    X = sp.csr_matrix(np.array([[1, 0], [1, 0], [1, 0], [1, 0]], dtype=np.float32))
    for method in METHODS:
        got = {r: c.tolist() for r, c, _ in topk_neighbours(X, top_k=2, method=method)}
        assert got == {0: [1, 2], 1: [0, 2], 2: [0, 1], 3: [0, 1]}


def test_edges_once_per_pair_with_evidence():
    X = random_matrix(3)
    ids = [f"n{i:03d}" for i in range(X.shape[0])]
    names = [f"t{j}" for j in range(X.shape[1])]
    edges = similarity_edges(X, ids, top_k=4, min_similarity=0.1, feature_names=names)
    pairs = [e.pair for e in edges]
    assert len(pairs) == len(set(pairs)) and pairs == sorted(pairs)
    ref = dense_reference(X, 4, 0.1)
    assert set(pairs) == {tuple(sorted((ids[i], ids[j]))) for i, js in enumerate(ref) for j in js}
    Xd = X.toarray()
    for e in edges:
        assert e.kind == "similarity" and e.score == e.weight and 0.1 <= e.score <= 1.0 + 1e-6
        assert e.evidence.startswith(f"cosine {e.score:.2f}")
        assert 1 <= len(e.terms) <= 3 and all(t in e.evidence for t in e.terms)
        i, j = ids.index(e.source), ids.index(e.target)
        prod = Xd[i] * Xd[j]
        assert names[int(np.argmax(prod))] == e.terms[0]  # the top contributing term leads


def test_no_terms_without_feature_names_and_checks():
    X = random_matrix(4)
    ids = [str(i) for i in range(X.shape[0])]
    assert all(e.terms == () for e in similarity_edges(X, ids))
    with pytest.raises(GraphkitError, match="vectors for"):
        similarity_edges(X, ids[:-1])
    with pytest.raises(GraphkitError, match="method"):
        similarity_edges(X, ids, method="magic")
    assert similarity_edges(sp.csr_matrix((1, 3)), ["only"]) == []
    assert similarity_edges(sp.csr_matrix((0, 3)), []) == []


def test_deterministic():
    X = random_matrix(7)
    ids = [str(i) for i in range(X.shape[0])]
    names = [f"t{j}" for j in range(X.shape[1])]
    assert similarity_edges(X, ids, feature_names=names) == similarity_edges(
        X, ids, feature_names=names, method="scipy", n_jobs=2, block_size=5
    )


def test_tfidf_pipeline_links_the_related_papers():
    papers = [
        Paper(
            id="a", title="Speculative decoding with draft models", abstract="Draft tokens fast."
        ),
        Paper(id="b", title="Faster speculative decoding", abstract="Draft models verify tokens."),
        Paper(id="c", title="Force-directed graph layouts", abstract="Layouts of large graphs."),
        Paper(id="d", title="Multilevel graph layouts", abstract="Force-directed placement."),
    ]
    vec = TextVectorizer()
    X = vec.fit_transform(papers)
    edges = similarity_edges(
        X, [p.id for p in papers], top_k=1, min_similarity=0.1, feature_names=vec.feature_names_
    )
    assert [e.pair for e in edges] == [("a", "b"), ("c", "d")]
    assert "speculative decoding" in edges[0].terms or "speculative" in edges[0].terms


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared arXiv corpus not present")
def test_arxiv_slice_paths_agree():
    import gzip

    import orjson

    papers = []
    with gzip.open(CORPUS, "rb") as fh:
        for line in fh:
            r = orjson.loads(line)
            papers.append(Paper(id=r["id"], title=r["title"] or "", abstract=r["summary"] or ""))
            if len(papers) == 1500:
                break
    X = TextVectorizer().fit_transform(papers)
    runs = [
        [(r, c.tolist()) for r, c, _ in topk_neighbours(X, method=m, block_size=256)]
        for m in METHODS
    ]
    assert all(run == runs[0] for run in runs)
    assert sum(len(c) for _, c in runs[0]) > 1500  # most papers find neighbours at 0.15


@pytest.mark.parametrize("method", METHODS)
def test_candidate_pruning_exact_when_candidates_suffice(method):
    X = random_matrix(11, n=120, m=60, density=0.08)
    exact = [(r, c.tolist()) for r, c, _ in topk_neighbours(X, top_k=5, candidate_df=None)]
    pruned = [
        (r, c.tolist())
        for r, c, _ in topk_neighbours(
            X, top_k=5, candidate_df=0.0, n_candidates=X.shape[0], method=method
        )
    ]
    assert pruned == exact  # every column is "rare" below the floor of 50 papers


def test_candidate_pruning_drops_common_terms_keeps_strong_pairs():
    rng = np.random.default_rng(3)
    n = 400
    common = np.ones((n, 1))  # a word every paper has
    rare = np.zeros((n, n // 2))
    rare[np.arange(n), np.arange(n) // 2] = 1.0  # papers 2i and 2i+1 share a rare word
    noise = (rng.random((n, 30)) < 0.05) * rng.random((n, 30)) * 0.3
    X = sp.csr_matrix(np.hstack([common, rare, noise]), dtype=np.float32)
    got = {
        r: c.tolist()
        for r, c, _ in topk_neighbours(X, top_k=1, min_similarity=0.3, candidate_df=0.02)
    }
    assert all(got[r] == [r ^ 1] for r in range(n))
    exact = {r: c.tolist() for r, c, _ in topk_neighbours(X, top_k=1, min_similarity=0.3)}
    assert got == exact


@pytest.mark.parametrize("method", METHODS)
def test_candidate_pruning_scores_are_full_cosines(method):
    """Rescoring adds the common terms' part back: scores are the cosines of the whole rows."""
    rng = np.random.default_rng(5)
    n = 300
    common = (rng.random((n, 6)) < 0.6) * rng.random((n, 6))  # in ~180 papers: above the floor
    rare = (rng.random((n, 200)) < 0.03) * rng.random((n, 200))
    X = sp.csr_matrix(np.hstack([common, rare]), dtype=np.float32)
    dense = X.toarray().astype(np.float64)
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
    cos = dense @ dense.T
    got = list(
        topk_neighbours(
            X, top_k=4, min_similarity=0.0, candidate_df=0.02, n_candidates=n, method=method
        )
    )
    assert sum(c.size for _, c, _ in got) > n
    for r, cols, scores in got:
        np.testing.assert_allclose(scores, cos[r, cols], atol=1e-5)


def _top_terms(X: sp.csr_matrix, i: int, j: int, scratch: np.ndarray, n_terms: int) -> np.ndarray:
    """Columns with the largest X[i, t] * X[j, t] (scratch holds row i densely): the per-pair
    reference for _pair_top_terms."""
    lo, hi = X.indptr[j], X.indptr[j + 1]
    cols = X.indices[lo:hi]
    prod = scratch[cols] * X.data[lo:hi]
    nz = prod > 0
    cols, prod = cols[nz], prod[nz]
    order = np.lexsort((cols, -prod))[:n_terms]
    return cols[order]


def test_pair_top_terms_equals_the_per_pair_reference():
    from graphkit.edges.similarity import _normalized, _pair_top_terms

    X = _normalized(random_matrix(21, n=80, m=40, density=0.2))
    pairs = sorted({(i, j) for i in range(80) for j in range(i + 1, 80) if (i * 7 + j) % 5 == 0})
    scratch = np.zeros(X.shape[1], dtype=np.float32)
    expected = []
    for i, j in pairs:
        scratch[:] = 0.0
        scratch[X.indices[X.indptr[i] : X.indptr[i + 1]]] = X.data[X.indptr[i] : X.indptr[i + 1]]
        expected.append(_top_terms(X, i, j, scratch, 3).tolist())
    a, b = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
    starts, cols = _pair_top_terms(X, a, b, 3, chunk=17)
    got = [cols[lo:hi].tolist() for lo, hi in zip(starts[:-1], starts[1:], strict=True)]
    assert got == expected
    assert any(len(t) == 3 for t in expected) and any(len(t) < 3 for t in expected)


@pytest.mark.parametrize("ascending", [True, False])
def test_pair_dots_bit_identical_to_sparse_multiply(monkeypatch, ascending):
    """The dense-block candidate rescoring gives the bits of the plain sparse product."""
    from graphkit.edges import neighbours as S

    monkeypatch.setattr(S, "_DOT_BLOCK_ROWS", 16)  # many blocks on a small matrix
    X = S._normalized(random_matrix(4, n=200, m=30, density=0.15))
    X = sp.vstack([X, sp.csr_matrix((3, 30), dtype=np.float32)]).tocsr()  # empty rows too
    rng = np.random.default_rng(2)
    rows = rng.integers(0, X.shape[0], 3000)
    if ascending:
        rows.sort()
    cols = rng.integers(0, X.shape[0], 3000)
    want = np.asarray(X[rows].multiply(X[cols]).sum(axis=1), np.float32).ravel()
    got = S._pair_dots(X, rows, cols)
    assert got.dtype == np.float32 and np.array_equal(got, want)
    assert (want == 0).any() and (want > 0).any()
    assert S._pair_dots(X, rows[:0], cols[:0]).size == 0


def test_packed_row_score_order_equals_lexsort():
    from graphkit.edges._topk import quantized, row_order
    from graphkit.edges.similarity import SCORE_DECIMALS

    def _row_score_order(rows, cols, scores):
        return row_order(rows, quantized(scores, SCORE_DECIMALS), cols)

    rng = np.random.default_rng(9)
    n = 5000
    rows = rng.integers(0, 300, n)
    cols = rng.integers(0, 70_000, n)
    scores = rng.choice(np.float32([0.1, 0.25, 0.2500001, 0.9999999, 1.0, 0.3333333]), n)
    scores = np.where(rng.random(n) < 0.5, rng.random(n).astype(np.float32), scores)
    reference = np.lexsort((cols, -np.round(scores.astype(np.float64), SCORE_DECIMALS), rows))
    assert np.array_equal(_row_score_order(rows, cols, scores), reference)
    # negative scores (never produced by cosines) take the lexsort path, same order
    neg = scores - 0.5
    reference = np.lexsort((cols, -np.round(neg.astype(np.float64), SCORE_DECIMALS), rows))
    assert np.array_equal(_row_score_order(rows, cols, neg), reference)


def test_candidates_found_from_either_end():
    """Paper 0's best partner (1) shares little rare vocabulary with it, but much common
    vocabulary: 0's own rare-term candidates are papers 2-11; 1's include 0, and that is
    enough to rescore the pair and rank it first for 0 too."""
    n = 120
    m = 7 + n
    D = np.zeros((n, m), dtype=np.float32)
    D[:, 7:] = np.eye(n) * 0.05  # a unique word each (df 1)
    D[[0, 1], 0:3] = 1.0  # three common words, heavy in papers 0 and 1 ...
    D[60:, 0:3] = 0.01  # ... and in 60 other papers (df 62 > the 50-paper floor)
    D[0, 5] = 0.5
    D[2:12, 5] = 1.0  # rare word 5: paper 0 and papers 2-11
    D[[0, 1], 6] = 0.1  # rare word 6: only papers 0 and 1
    X = sp.csr_matrix(D)
    exact = {r: c.tolist() for r, c, _ in topk_neighbours(X, top_k=1, candidate_df=None)}
    assert exact[0] == [1]
    got = {
        r: c.tolist() for r, c, _ in topk_neighbours(X, top_k=1, candidate_df=0.0, n_candidates=3)
    }
    assert got[0] == [1] and got[1] == [0]  # (papers 2-11 tie among themselves)
