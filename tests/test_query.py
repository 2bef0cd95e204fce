"""related(): resolve a query (id, arXiv id, DOI, method name, title) and explain neighbours."""

from __future__ import annotations

import networkx as nx
import pytest

from graphkit.errors import GraphkitError
from graphkit.query import related, resolve


def small_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_node(
        "arxiv:2306.03078", kind="paper", label="SpQR", short_name="SpQR", defines="SpQR",
        title="SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression",
        arxiv_id="2306.03078",
    )  # fmt: skip
    G.add_node(
        "doi:10.1609/aaai.v38i12.29237", kind="paper", label="OWQ", short_name="OWQ",
        defines="OWQ; Outlier-aware weight quantization",
        title="OWQ: Outlier-Aware Weight Quantization for Efficient Fine-Tuning",
        doi="10.1609/aaai.v38i12.29237",
    )  # fmt: skip
    G.add_node(
        "t:abc", kind="paper", label="Draft models for speculative…",
        title="Draft models for speculative decoding",
    )  # fmt: skip
    G.add_node("method:GPTQ", kind="method", label="GPTQ", title="GPTQ", n_mentions=2)
    G.add_edge(
        "arxiv:2306.03078", "doi:10.1609/aaai.v38i12.29237",
        kinds="keyword;similarity;mention", weight=2.1, w_keyword=0.8, w_similarity=0.3,
        w_mention=1.0, keyword_terms="GPTQ; post-training quantization", similarity=0.3,
        similarity_terms="quantization; outlier", mention_names="SpQR",
        mention_evidence="Unlike SpQR, OWQ keeps weak columns.",
        mention_from="doi:10.1609/aaai.v38i12.29237",
    )  # fmt: skip
    G.add_edge(
        "arxiv:2306.03078", "method:GPTQ", kinds="mention", weight=1.0, w_mention=1.0,
        mention_names="GPTQ", mention_evidence="It improves on GPTQ.",
        mention_from="arxiv:2306.03078",
    )  # fmt: skip
    G.add_edge(
        "arxiv:2306.03078", "t:abc", kinds="similarity", weight=0.2, similarity=0.2,
        w_similarity=0.2, similarity_terms="llm",
    )  # fmt: skip
    G.add_edge("doi:10.1609/aaai.v38i12.29237", "method:GPTQ", kinds="mention", weight=1.0)
    return G


@pytest.mark.parametrize(
    "query, node, how",
    [
        ("arxiv:2306.03078", "arxiv:2306.03078", "id"),
        ("2306.03078", "arxiv:2306.03078", "arxiv"),
        ("2306.03078v2", "arxiv:2306.03078", "arxiv"),
        ("https://arxiv.org/abs/2306.03078v1", "arxiv:2306.03078", "arxiv"),
        ("10.1609/AAAI.V38I12.29237", "doi:10.1609/aaai.v38i12.29237", "doi"),
        ("https://doi.org/10.1609/aaai.v38i12.29237", "doi:10.1609/aaai.v38i12.29237", "doi"),
        ("spqr", "arxiv:2306.03078", "name"),
        ("outlier-aware weight quantization", "doi:10.1609/aaai.v38i12.29237", "name"),
        ("gptq", "method:GPTQ", "name"),
        ("Draft models for speculative decoding", "t:abc", "title"),
        ("draft model speculative decoding", "t:abc", "title"),
        (
            "sparse quantized representation near lossless weight compression",
            "arxiv:2306.03078",
            "title",
        ),
    ],
)
def test_resolve(query, node, how):
    assert resolve(small_graph(), query) == (node, how)


def test_neighbours_ranked_with_reasons():
    res = related(small_graph(), "SpQR")
    assert [n.node for n in res.neighbours] == [
        "doi:10.1609/aaai.v38i12.29237",
        "method:GPTQ",
        "t:abc",
    ]
    owq = res.neighbours[0]
    assert owq.weight == 2.1 and owq.kinds == "keyword;similarity;mention"
    assert owq.reasons == (
        "shared terms: GPTQ, post-training quantization",
        "text similarity 0.30 (quantization, outlier)",
        'OWQ mentions SpQR: "Unlike SpQR, OWQ keeps weak columns."',
    )
    assert res.neighbours[1].reasons == ('this one mentions GPTQ: "It improves on GPTQ."',)
    text = res.to_text()
    assert "SpQR [arxiv:2306.03078] (matched by name)" in text and "OWQ mentions SpQR" in text
    assert res.to_dict()["neighbours"][2]["reasons"] == ["text similarity 0.20 (llm)"]


def test_limit_and_method_node_query():
    G = small_graph()
    assert len(related(G, "SpQR", limit=1).neighbours) == 1
    res = related(G, "GPTQ")
    assert res.node == "method:GPTQ"
    assert [n.node for n in res.neighbours] == ["arxiv:2306.03078", "doi:10.1609/aaai.v38i12.29237"]
    assert res.neighbours[1].reasons == ("linked (mention)",)


def test_nothing_matches_suggests_titles():
    with pytest.raises(GraphkitError) as info:
        related(small_graph(), "weight quantisation outliers")
    assert str(info.value).startswith(
        "nothing in the graph matches 'weight quantisation outliers'. Did you mean: "
        "'OWQ: Outlier-Aware Weight Quantization for Efficient Fine-Tuning'"
    )
    with pytest.raises(GraphkitError, match="nothing in the graph matches 'zzzz qqqq'"):
        related(small_graph(), "zzzz qqqq")
    with pytest.raises(GraphkitError, match="empty query"):
        related(small_graph(), "  ")


def test_isolated_node():
    G = small_graph()
    G.add_node("t:lonely", kind="paper", title="A lonely paper")
    res = related(G, "t:lonely")
    assert res.neighbours == () and "no related nodes" in res.to_text()
