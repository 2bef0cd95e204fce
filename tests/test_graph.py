"""assemble_graph: one edge per pair merging every kind, plain scalar attributes, determinism."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from tiny_corpus import load_tiny

from graphkit.edges import keyword_edges, mention_edges, similarity_edges
from graphkit.errors import GraphkitError
from graphkit.features.text import TextVectorizer
from graphkit.graph import EVIDENCE_SEP, assemble_graph, short_label
from graphkit.model import EDGE_KINDS, Edge, Paper, PaperFeatures
from graphkit.schema import LIST_SEP

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
    assert "mention" in m["kinds"] and m["w_mention"] == 1.0 and m["mention_from"] == "p5"
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


# --------------------------------------------------------------------------- fast paths


def _merge_simple(edges: Sequence[Edge], mix: Mapping[str, float]) -> dict[str, Any]:
    """The attributes of one node pair from all its edges (the reference for graph._merge)."""
    by_kind: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        by_kind[e.kind].append(e)
    w = {k: max((e.weight for e in by_kind.get(k, ())), default=0.0) for k in EDGE_KINDS}
    kw = max(by_kind.get("keyword", ()), key=lambda e: e.weight, default=None)
    sim = max(by_kind.get("similarity", ()), key=lambda e: e.score or e.weight, default=None)
    mentions = by_kind.get("mention", [])
    names = list(dict.fromkeys(t for e in mentions for t in e.terms))
    sentences = list(dict.fromkeys(e.evidence for e in mentions if e.evidence))
    sources = sorted({e.source for e in mentions})
    return {
        "kinds": ";".join(k for k in EDGE_KINDS if k in by_kind),
        "weight": round(sum(float(mix.get(k, 1.0)) * w[k] for k in EDGE_KINDS), 6),
        "w_keyword": float(w["keyword"]),
        "w_similarity": float(w["similarity"]),
        "w_mention": float(w["mention"]),
        "keyword_terms": LIST_SEP.join(kw.terms) if kw else "",
        "similarity": float(sim.score if sim.score is not None else sim.weight) if sim else 0.0,
        "similarity_terms": LIST_SEP.join(sim.terms) if sim else "",
        "mention_names": LIST_SEP.join(names),
        "mention_evidence": EVIDENCE_SEP.join(sentences),
        "mention_from": LIST_SEP.join(sources),
    }


def _keep_best_simple(merged, papers, k):
    """The per-paper reference of keep_per_paper on merged pairs (partners sorted by
    (-weight, id); a ``cites`` pair always stays)."""
    best = defaultdict(list)
    for u, v, d in merged:
        if u in papers and v in papers and "cites" not in str(d.get("kinds", "")).split(";"):
            w = -float(d.get("weight", 0.0))
            best[u].append((w, v))
            best[v].append((w, u))
    kept = set()
    for u, partners in best.items():
        partners.sort()
        for _, v in partners[:k]:
            kept.add((u, v) if u < v else (v, u))
    return [
        (u, v, d)
        for u, v, d in merged
        if not (u in papers and v in papers)
        or "cites" in str(d.get("kinds", "")).split(";")
        or ((u, v) if u < v else (v, u)) in kept
    ]


def test_keep_per_paper_with_citations_equals_the_per_paper_reference():
    """With citation edges, the pairs assemble_graph keeps (weights first, only kept pairs
    merged) are those the per-paper reference keeps from every pair merged."""
    import random

    from graphkit.edges.citeattrs import merge_citation_attrs
    from graphkit.graph import _merge

    rng = random.Random(3)
    ids = [f"p{i:02d}" for i in range(30)]
    papers = [Paper(id=i, title=i, references=("doi:10.1/x",)) for i in ids]
    nodes = ids + ["method:A", "reference:r"]
    mix = {"keyword": 0.2, "similarity": 1.0, "mention": 0.3}
    factors = (0.2, 1.0, 0.3)
    for k in (1, 2, 5):
        edges = []
        for _ in range(200):
            u, v = rng.sample(nodes, 2)
            if u.startswith(("method:", "reference:")):
                u, v = v, u
            if u.startswith(("method:", "reference:")):
                continue
            w = rng.choice([0.1, 0.2, 0.2, 0.5, 1.0])
            if v.startswith("method:"):
                kind = "mention"
            elif v.startswith("reference:"):
                kind = "cites"
            else:
                kind = rng.choice(["similarity", "keyword", "cites", "coupling", "cocitation"])
            edges.append(Edge(u, v, kind=kind, weight=1.0 if kind == "cites" else w,
                              terms=("t",), score=1.0, directed=kind == "cites"))  # fmt: skip
        G = assemble_graph(papers, [], edges, mix=mix, keep_per_paper=k,
                           reference_nodes={"reference:r": {"label": "r"}})  # fmt: skip
        groups, cited = defaultdict(list), defaultdict(list)
        for e in edges:
            (cited if e.kind in ("cites", "cocitation", "coupling") else groups)[e.pair].append(e)
        merged = []
        for u, v in sorted(groups.keys() | cited.keys()):
            d = _merge(groups[u, v], factors) if (u, v) in groups else {}
            merged.append(
                (u, v, merge_citation_attrs(d, cited[u, v], mix) if (u, v) in cited else d)
            )
        want = _keep_best_simple(merged, set(ids), k)
        assert sorted((u, v) for u, v, _ in want) == sorted(tuple(sorted(e)) for e in G.edges)
        for u, v, d in want:
            assert G.edges[u, v] == d


def test_merge_equals_the_simple_merge():
    """_merge (one pass, pre-cleaned) gives what clean_attrs(_merge_simple(...)) gives."""
    import math
    import random

    from graphkit.graph import _KINDS, _merge, _pair_weight
    from graphkit.model import EDGE_KINDS
    from graphkit.schema import clean_attrs

    assert _KINDS == EDGE_KINDS
    weights = [0.0, -0.0, 0.5, 0.5, 1.0, 2, 0.3, float("nan"), float("inf")]
    scores = [None, 0.0, 0.4, 0.4, float("nan")]
    rng = random.Random(7)
    for _ in range(3000):
        group = [
            Edge(
                rng.choice(["a", "b"]),
                rng.choice(["b", "method:X"]),
                kind=rng.choice(["keyword", "similarity", "mention", "other"]),
                weight=rng.choice(weights),
                terms=tuple(rng.sample(["t1", "t2", "t3"], rng.randint(0, 2))),
                score=rng.choice(scores),
                evidence=rng.choice(["", "s1", "s2"]),
            )
            for _ in range(rng.randint(1, 5))
        ]
        mix = rng.choice([{}, {"keyword": 2.0}, {"similarity": 0.5, "mention": -1}])
        factors = tuple(float(mix.get(k, 1.0)) for k in EDGE_KINDS)
        fast, simple = _merge(group, factors), clean_attrs(_merge_simple(group, mix))
        assert list(fast) == list(simple)
        assert _pair_weight(group, factors) == fast.get("weight", 0.0)
        for key, value in simple.items():
            assert type(fast[key]) is type(value)
            assert fast[key] == value or (math.isnan(value) and math.isnan(fast[key]))


def test_clean_attrs_equals_plain_on_every_value():
    import numpy as np

    from graphkit.schema import clean_attrs, plain

    class Text(str):
        pass

    values = [None, "", "x", Text("t"), 0, -3, 2**70, True, False, 1.5, -0.0, float("nan"),
              float("inf"), np.float32(0.25), np.int64(4), ("a", "b"), ["a", 1], ("a", Text("b")),
              (), [], {"k": 1}, b"raw", {"s"}]  # fmt: skip
    attrs = {f"k{i}": v for i, v in enumerate(values)}
    expected = {k: plain(v) for k, v in attrs.items() if plain(v) is not None}
    got = clean_attrs(attrs)
    assert list(got) == list(expected)
    assert all(type(got[k]) is type(v) and got[k] == v for k, v in expected.items())


def test_assemble_graph_errors_name_the_first_bad_edge():
    papers = [Paper(id="a", title="A"), Paper(id="b", title="B")]
    feats = [PaperFeatures("a"), PaperFeatures("b")]
    loop = Edge("a", "a", kind="keyword", weight=1.0)
    unknown = Edge("a", "zz", kind="mention", weight=1.0)
    with pytest.raises(GraphkitError, match="loops on 'a'"):
        assemble_graph(
            papers, feats, [Edge("a", "method:M", kind="mention", weight=1.0), loop, unknown]
        )
    with pytest.raises(GraphkitError, match="unknown paper 'zz'"):
        assemble_graph(papers, feats, [unknown, loop])
    G = assemble_graph(papers, feats, [Edge("b", "method:M", kind="mention", weight=1.0)])
    assert list(G) == ["a", "b", "method:M"] and G.graph["n_methods"] == 1
