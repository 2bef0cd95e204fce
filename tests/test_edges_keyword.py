"""Keyword edges: shared rare terms link papers; very common terms are capped."""

from __future__ import annotations

import pytest
from tiny_corpus import load_tiny

from graphkit.edges import keyword_edges
from graphkit.edges.keyword import term_cap
from graphkit.errors import GraphkitError
from graphkit.model import Mention, Paper, PaperFeatures


def test_tiny_corpus_known_pairs_and_terms():
    papers, feats = load_tiny()
    edges = keyword_edges(papers, feats)
    got = {(e.source, e.target): e.terms for e in edges}
    assert got == {
        ("p1", "p2"): ("GPTQ", "post-training quantization", "SpQR"),
        ("p3", "p4"): ("PEARL", "speculative decoding"),
        ("p3", "p5"): ("draft length", "PEARL", "speculative decoding"),
        ("p4", "p5"): ("LoRA", "PEARL", "speculative decoding"),
    }
    for e in edges:
        assert e.kind == "keyword" and not e.directed
        assert 0.0 < e.weight <= 1.0
        assert e.evidence.startswith("shared terms: ") and e.terms[0] in e.evidence
        assert e.extra["n_shared"] == len(e.terms)


def test_weight_grows_with_rarity_and_number():
    papers, feats = load_tiny()
    w = {(e.source, e.target): e.weight for e in keyword_edges(papers, feats)}
    # three terms in 2 papers each beats two terms in 3 papers each
    assert w[("p1", "p2")] > w[("p3", "p5")] > w[("p3", "p4")]


def test_rarest_terms_first_and_max_terms():
    papers, feats = load_tiny()
    edges = keyword_edges(papers, feats, max_terms=1)
    e = next(e for e in edges if (e.source, e.target) == ("p3", "p5"))
    assert e.terms == ("draft length",)  # in 2 papers; PEARL/speculative decoding are in 3
    assert "(+2 more)" in e.evidence and e.extra["n_shared"] == 3


def test_min_shared():
    papers, feats = load_tiny()
    pairs = [(e.source, e.target) for e in keyword_edges(papers, feats, min_shared=3)]
    assert pairs == [("p1", "p2"), ("p3", "p5"), ("p4", "p5")]


def test_common_terms_are_capped():
    n = 200
    papers = [Paper(id=f"q{i:03d}", title=f"paper {i}") for i in range(n)]
    feats = [
        PaperFeatures(p.id, keyphrases=("large language models", f"topic {i // 2}"))
        for i, p in enumerate(papers)
    ]
    assert term_cap(n, 0.05) == 20
    edges = keyword_edges(papers, feats, max_term_df=0.05)
    # only the pairs sharing a rare topic, never the 19,900 pairs of the common phrase
    assert len(edges) == n // 2
    assert all(e.terms == (f"topic {int(e.source[1:]) // 2}",) for e in edges)
    # a cap above the common term's frequency lets it link everyone
    assert len(keyword_edges(papers, feats, max_term_df=1.0, top_k=None)) == n * (n - 1) // 2
    # ... unless each paper keeps only its top_k partners: at most top_k * n edges
    edges = keyword_edges(papers, feats, max_term_df=1.0, top_k=3)
    assert n // 2 <= len(edges) <= 3 * n
    partners = {e.pair for e in edges}
    assert all(tuple(sorted((f"q{i:03d}", f"q{i ^ 1:03d}"))) in partners for i in range(n))


def test_tiny_corpus_never_capped():
    papers = [Paper(id=str(i), title=str(i)) for i in range(5)]
    feats = [PaperFeatures(str(i), keyphrases=("shared",) if i < 3 else ()) for i in range(5)]
    assert len(keyword_edges(papers, feats, max_term_df=0.05)) == 3


def test_case_insensitive_terms_names_shown_first():
    papers = [Paper(id="a", title="a"), Paper(id="b", title="b")]
    feats = [
        PaperFeatures("a", keyphrases=("lora",)),
        PaperFeatures("b", mentions=(Mention("LoRA", "LoRA", "We use LoRA."),)),
    ]
    (e,) = keyword_edges(papers, feats)
    assert e.terms == ("LoRA",)


def test_top_k_keeps_each_papers_best():
    papers, feats = load_tiny()
    pairs = [(e.source, e.target) for e in keyword_edges(papers, feats, top_k=1)]
    # p3 and p4 both pick p5; p5 picks p4 (a shared name, LoRA, beats a shared phrase)
    assert pairs == [("p1", "p2"), ("p3", "p5"), ("p4", "p5")]


def test_features_aligned_by_id_and_checked():
    papers, feats = load_tiny()
    assert keyword_edges(papers, list(reversed(feats))) == keyword_edges(papers, feats)
    with pytest.raises(GraphkitError, match="unknown paper"):
        keyword_edges(papers[:2], feats)
    with pytest.raises(GraphkitError, match="duplicate"):
        keyword_edges(papers + papers[:1], feats)


def test_deterministic_and_empty():
    papers, feats = load_tiny()
    assert keyword_edges(papers, feats) == keyword_edges(papers, feats)
    assert keyword_edges([], []) == []
    assert keyword_edges(papers[:1], feats[:1]) == []


@pytest.mark.parametrize("k", [1, 3, 9])
def test_row_top_equals_the_full_sort(k):
    """Repeated per-row maxima pick what the packed sort ranks first (ties: lower column), and
    the packed sort is the plain lexsort."""
    import numpy as np

    from graphkit.edges._topk import first_k, quantized, row_order, row_top

    rng = np.random.default_rng(k)
    n = 400
    r = np.sort(rng.integers(0, 60, 5000))
    c = rng.integers(0, n, 5000)
    pairs = np.unique(np.stack([r, c], 1), axis=0)  # distinct columns within a row
    r, c = pairs[:, 0], pairs[:, 1]
    w = rng.choice([0.1, 0.25, 0.2500000001, 0.5, 0.999999999, 1.0, 0.0], r.size)
    q = quantized(w, 9)
    reference = np.lexsort((c, -np.round(w, 9), r))
    assert row_order(r, q, c).tolist() == reference.tolist()
    want = first_k(r, reference, k)
    assert row_top(r, q, c, k).tolist() == want.tolist()
    shuffled = rng.permutation(r.size)  # rows not grouped: the sort path, same picks
    got = row_top(r[shuffled], q[shuffled], c[shuffled], k)
    assert shuffled[got].tolist() == want.tolist()


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("top_k", [1, 3, 10])
def test_kernel_top_pairs_equal_every_pair_of_the_blocks(seed, top_k):
    """The kernel's per-paper top-k (sparse_dot_topn) picks the pairs and weight bits of the
    reference that ranks every pair of a block, ties at rank k included (few distinct term
    weights and duplicate papers make many)."""
    import numpy as np
    import scipy.sparse as sp

    from graphkit.edges import keyword_pairs as K

    pytest.importorskip("sparse_dot_topn")
    rng = np.random.default_rng(seed)
    n, m = 300, 80
    dense = rng.random((n, m)) < rng.choice([0.02, 0.05, 0.15], m)  # rare and common terms
    dense[rng.integers(0, n, 40)] = dense[rng.integers(0, n, 40)]  # duplicate papers: ties
    B = sp.csr_matrix(dense.astype(np.int32))
    B.sort_indices()
    logq = np.log1p(-rng.choice([0.6, 0.4, 0.15, 0.01, 0.0005], m))
    got = K._top_pairs(B, logq, top_k)
    want = K._block_pairs(B, logq, min_shared=1, top_k=top_k)
    got, want = K._unique(*got, n), K._unique(*want, n)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)
    assert got[0].size > n // 2


def test_keyword_edges_same_without_the_kernel(monkeypatch):
    from graphkit.edges import keyword_pairs as K

    papers, feats = load_tiny()
    fast = keyword_edges(papers, feats, top_k=1)
    monkeypatch.setattr(K, "_have_topn", lambda: False)
    assert keyword_edges(papers, feats, top_k=1) == fast
