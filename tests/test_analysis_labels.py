"""Community labels: distinctive terms, determinism, fallbacks."""

from __future__ import annotations

import networkx as nx

from graphkit.analysis.labels import LABEL_SEP, community_labels, node_terms


def _graph() -> nx.Graph:
    G = nx.Graph()
    spec = [
        ("a", 0, "speculative decoding; draft model; large language models", "Medusa", ""),
        ("b", 0, "speculative decoding; draft model; large language models", "", "Medusa"),
        ("c", 0, "speculative decoding; tree attention; large language models", "EAGLE", "Medusa"),
        ("d", 1, "post-training quantization; large language models", "GPTQ", ""),
        ("e", 1, "post-training quantization; outliers; large language models", "", "GPTQ"),
        ("f", 1, "weight quantization; large language models", "AWQ", "GPTQ"),
    ]
    for node, c, kp, defines, mentions in spec:
        G.add_node(node, kind="paper", keyphrases=kp, defines=defines, mentions=mentions, truth=c)
    G.add_node("method:LoRA", kind="method", label="LoRA")
    return G


def test_labels_pick_distinctive_terms():
    G = _graph()
    part = {n: d.get("truth", 1) for n, d in G.nodes(data=True)}
    labels = community_labels(G, part)
    terms0 = labels[0].split(LABEL_SEP)
    terms1 = labels[1].split(LABEL_SEP)
    assert set(terms0) == {"speculative decoding", "Medusa", "draft model"}
    assert "GPTQ" in terms1 and "post-training quantization" in terms1
    # a term every community shares is not distinctive
    assert all("large language models" not in t for t in terms0 + terms1)
    assert len(terms0) == 3


def test_labels_deterministic_and_order_independent():
    G = _graph()
    part = {n: d.get("truth", 1) for n, d in G.nodes(data=True)}
    H = nx.Graph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    assert community_labels(G, part) == community_labels(H, dict(reversed(part.items())))


def test_fallback_without_terms_uses_a_member_label():
    G = nx.Graph()
    G.add_node("x", kind="paper", label="A paper with no terms")
    assert community_labels(G, {"x": 0}) == {0: "A paper with no terms"}
    assert community_labels(nx.Graph(), {}) == {}


def test_node_terms_dedupes_case_insensitively_and_skips_long_junk():
    data = {"keyphrases": "LoRA; " + "x" * 200, "mentions": "lora;  GPT-4 ", "defines": ""}
    assert node_terms(data) == ["LoRA", "GPT-4"]


def test_overlap_is_word_based():
    G = nx.Graph()
    G.add_node("a", keyphrases="exploration; lora")
    G.add_node("b", keyphrases="exploration; lora")
    assert set(community_labels(G, {"a": 0, "b": 0})[0].split(LABEL_SEP)) == {"exploration", "lora"}


def test_many_nested_terms_still_pick_the_best_non_overlapping_ones():
    """Past the first few dozen candidates (all "speculative …" variants, skipped as nested
    in the first), the choice continues down the full ranking."""
    G = nx.Graph()
    nested = "; ".join(["speculative"] + [f"speculative w{i}" for i in range(60)])
    for i in range(3):
        G.add_node(f"a{i}", keyphrases=nested + ("; draft tree" if i < 2 else ""))
    G.add_node("b", keyphrases="graph layout; w1")
    labels = community_labels(G, {"a0": 0, "a1": 0, "a2": 0, "b": 1})
    assert labels[0].split(LABEL_SEP) == ["speculative", "draft tree"]
