"""assemble_graph: one edge per pair merging every kind, plain scalar attributes, determinism."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from tiny_corpus import load_tiny

from graphkit.edges import keyword_edges, mention_edges, similarity_edges
from graphkit.errors import GraphkitError
from graphkit.features.text import TextVectorizer
from graphkit.graph import assemble_graph, short_label
from graphkit.model import Edge, Paper

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PLAIN = (str, int, float, bool)


def build(papers, feats, **kw):
    vec = TextVectorizer()
    X = vec.fit_transform(papers)
    ids = [p.id for p in papers]
    edges = keyword_edges(papers, feats)
    edges += similarity_edges(X, ids, min_similarity=0.1, feature_names=vec.feature_names_)
    medges, nodes = mention_edges(papers, feats)
    return assemble_graph(papers, feats, edges + medges, method_nodes=nodes, name="tiny", **kw)


def assert_plain(G: nx.Graph) -> None:
    for key, value in G.graph.items():
        assert type(value) in PLAIN, (key, value)
    for node, data in G.nodes(data=True):
        for key, value in data.items():
            assert type(value) in PLAIN, (node, key, value)
    for u, v, data in G.edges(data=True):
        for key, value in data.items():
            assert type(value) in PLAIN, (u, v, key, value)


def test_nodes_and_graph_attrs():
    papers, feats = load_tiny()
    G = build(papers, feats)
    assert list(G.nodes)[:6] == [p.id for p in papers]
    assert list(G.nodes)[6:] == ["method:GPTQ", "method:LoRA"]
    assert G.graph == {"name": "tiny", "n_papers": 6, "n_methods": 2}
    p1 = G.nodes["p1"]
    assert p1["kind"] == "paper" and p1["label"] == "SpQR" and p1["short_name"] == "SpQR"
    assert p1["url"] == "https://arxiv.org/abs/2306.03078" and p1["year"] == 2023
    assert p1["authors"] == "Tim Dettmers; Ruslan Svirschevski" and p1["n_authors"] == 2
    assert p1["keyphrases"] == "post-training quantization; weight compression"
    assert p1["mentions"] == "GPTQ"
    assert "upvotes" not in p1  # unknown values are omitted, never None
    assert G.nodes["p5"]["label"] == "Draft models for speculative decoding"
    assert G.nodes["p6"]["label"] == "Force-directed layouts of very large…"
    lora = G.nodes["method:LoRA"]
    assert lora["kind"] == "method" and lora["label"] == "LoRA" and lora["n_mentions"] == 2
    assert_plain(G)


def test_one_edge_per_pair_merging_kinds():
    papers, feats = load_tiny()
    G = build(papers, feats)
    d = G.edges["p1", "p2"]
    assert d["kinds"] == "keyword;similarity;mention"
    assert d["keyword_terms"] == "GPTQ; post-training quantization; SpQR"
    assert d["mention_names"] == "SpQR" and d["mention_from"] == "p2"
    assert d["mention_evidence"].startswith("Unlike SpQR")
    assert d["w_mention"] == 1.0 and d["similarity"] == d["w_similarity"] > 0
    assert d["weight"] == pytest.approx(d["w_keyword"] + d["w_similarity"] + d["w_mention"])
    m = G.edges["p5", "p3"]
    assert "mention" in m["kinds"] and m["w_mention"] == 0.5 and m["mention_from"] == "p5"
    lora = G.edges["p4", "method:LoRA"]
    assert lora["kinds"] == "mention" and lora["w_keyword"] == 0.0 and lora["keyword_terms"] == ""
    keys = {frozenset(d) for *_, d in G.edges(data=True)}
    assert len(keys) == 1  # every edge carries the same attribute names


def test_mix_and_two_way_mentions():
    papers = [Paper(id="a", title="A"), Paper(id="b", title="B")]
    edges = [
        Edge("a", "b", "mention", 1.0, ("X",), evidence="a names X", directed=True),
        Edge("b", "a", "mention", 1.0, ("Y",), evidence="b names Y", directed=True),
        Edge("a", "b", "keyword", 0.5, ("x",), evidence="shared terms: x"),
    ]
    G = assemble_graph(papers, [], edges, mix={"keyword": 2.0, "mention": 0.5})
    d = G.edges["a", "b"]
    assert d["weight"] == pytest.approx(2.0 * 0.5 + 0.5 * 1.0)
    assert d["mention_from"] == "a; b" and d["mention_names"] == "X; Y"
    assert d["mention_evidence"] == "a names X | b names Y"
    assert G.number_of_edges() == 1


def test_errors_and_implicit_method_nodes():
    papers = [Paper(id="a", title="A")]
    with pytest.raises(GraphkitError, match="unknown paper"):
        assemble_graph(papers, [], [Edge("a", "zz", "keyword", 0.5)])
    with pytest.raises(GraphkitError, match="duplicate"):
        assemble_graph(papers + papers, [], [])
    G = assemble_graph(
        papers, [], [Edge("a", "method:Foo", "mention", 1.0, ("Foo",), evidence="s")]
    )
    assert G.nodes["method:Foo"]["label"] == "Foo" and G.graph["n_methods"] == 1


def test_short_label():
    assert short_label("x" * 60).endswith("…") and len(short_label("x" * 60)) == 41
    assert short_label("  Spaces   inside  ") == "Spaces inside"


def test_deterministic():
    papers, feats = load_tiny()
    a, b = build(papers, feats), build(papers, feats)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))


def test_seed_papers_whole_chain():
    ingest = pytest.importorskip("graphkit.ingest")
    features = pytest.importorskip("graphkit.features")
    if not hasattr(ingest, "load_corpus") or not hasattr(features, "FeatureExtractor"):
        pytest.skip("ingest/features stages not available")
    papers = list(ingest.load_corpus([str(SEEDS)]).papers)
    feats = features.FeatureExtractor().fit_transform(papers)
    G = build(papers, feats)
    assert G.graph["n_papers"] == len(papers) > 100
    assert_plain(G)
    kinds = {k for *_, d in G.edges(data=True) for k in d["kinds"].split(";")}
    assert kinds == {"keyword", "similarity", "mention"}
    for u, v, d in G.edges(data=True):
        assert d["weight"] > 0
        if "mention" in d["kinds"]:
            assert d["mention_evidence"]
            assert set(d["mention_from"].split("; ")) <= {u, v}
    spqr = [n for n, d in G.nodes(data=True) if d.get("short_name") == "SpQR"]
    assert spqr, "the seeds contain the SpQR paper"
