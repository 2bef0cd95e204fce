"""The markdown report: structure, top papers, community labels, escaping, determinism."""

from __future__ import annotations

import re

import networkx as nx

from graphkit.analysis import analyse
from graphkit.report import escape_md, report_markdown


def _graph() -> nx.Graph:
    G = nx.Graph()
    hub = "arxiv:hub"
    G.add_node(hub, kind="paper", title="Hub | paper <script>alert(1)</script>", year=2024,
               keyphrases="speculative decoding", mentions="LoRA")  # fmt: skip
    for i in range(5):
        G.add_node(f"a{i}", kind="paper", title=f"Decoding paper {i}",
                   keyphrases="speculative decoding; draft model", mentions="LoRA; Medusa")  # fmt: skip
        G.add_edge(hub, f"a{i}", weight=1.0, kinds="keyword")
        for j in range(i):
            G.add_edge(f"a{j}", f"a{i}", weight=1.0, kinds="keyword")
    for i in range(4):
        G.add_node(f"q{i}", kind="paper", title=f"Quant paper {i}",
                   keyphrases="post-training quantization", mentions="GPTQ")  # fmt: skip
    for i in range(4):
        for j in range(i + 1, 4):
            G.add_edge(f"q{i}", f"q{j}", weight=1.0, kinds="keyword;similarity")
    G.add_edge(hub, "q0", weight=0.5, kinds="similarity")
    G.add_node("method:LoRA", kind="method", label="LoRA", n_mentions=6)
    G.add_edge("method:LoRA", "a0", weight=1.0, kinds="mention")
    return analyse(G)


def test_structure_and_top_paper():
    G = _graph()
    text = report_markdown(G, corpus_summary={"Input files": "seeds/"})
    lines = text.splitlines()
    assert lines[0] == "# Related-work report"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        "## Corpus",
        "## Most central papers (PageRank)",
        "## Bridges between topics (betweenness)",
        "## Communities",
        "## Most-mentioned methods",
    ]
    assert (
        "- Papers: 10" in lines
        and "- Method nodes (named methods no paper here introduces): 1" in lines
    )
    assert "- Input files: seeds/" in lines
    edges_line = next(line for line in lines if line.startswith("- Edges:"))
    assert edges_line == f"- Edges: {G.number_of_edges()} (keyword: 21, similarity: 7, mention: 1)"
    # the hub bridges the two groups: first row of the betweenness table, escaped
    start = lines.index("## Bridges between topics (betweenness)")
    rows = [line for line in lines[start:] if re.match(r"\| 1 \|", line)]
    assert "Hub \\| paper \\<script\\>alert(1)\\</script\\> (2024)" in rows[0]
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", rows[0])[1:-1]]
    assert len(cells) == 6 and cells[3] == "6" and cells[4] == "5 keyword, 1 similarity"
    assert cells[5] == "2"  # neighbours in two communities


def test_pagerank_table_is_sorted():
    G = _graph()
    lines = report_markdown(G).splitlines()
    start = lines.index("## Most central papers (PageRank)")
    stop = lines.index("## Bridges between topics (betweenness)")
    values = [
        float(line.split(" | ")[2]) for line in lines[start:stop] if re.match(r"\| \d+ \|", line)
    ]
    assert len(values) == 10 and values == sorted(values, reverse=True)
    top = max((n for n in G if G.nodes[n]["kind"] == "paper"), key=lambda n: G.nodes[n]["pagerank"])
    first = next(line for line in lines[start:stop] if line.startswith("| 1 |"))
    assert G.nodes[top]["title"] in first


def test_communities_listed_with_labels():
    G = _graph()
    lines = report_markdown(G).splitlines()
    heads = [line for line in lines if line.startswith("### Community ")]
    assert len(heads) == G.graph["n_communities"] == 2
    labels = {d["community"]: d["community_label"] for _, d in G.nodes(data=True)}
    for c, label in labels.items():
        assert f"### Community {c}: {escape_md(label)}" in heads
    assert any("speculative decoding" in h for h in heads)
    assert any(line.startswith("- Methods mentioned most: LoRA") for line in lines)
    assert "- LoRA: 6 papers" in lines


def test_deterministic_and_top_limit():
    G = _graph()
    assert report_markdown(G) == report_markdown(G.copy())
    lines = report_markdown(G, top=3).splitlines()
    start = lines.index("## Most central papers (PageRank)")
    stop = lines.index("## Bridges between topics (betweenness)")
    assert sum(1 for line in lines[start:stop] if re.match(r"\| \d+ \|", line)) == 3


def test_methods_filter_and_empty_graph():
    G = _graph()
    text = report_markdown(G, methods=["GPTQ"])
    assert "- GPTQ: 4 papers" in text and "- LoRA:" not in text
    empty = report_markdown(nx.Graph())
    assert "- Papers: 0" in empty and "_No papers._" in empty


def test_escape_md():
    assert escape_md("a\x00b\nc|d") == "a b c\\|d"
    assert escape_md("x" * 300).endswith("…") and len(escape_md("x" * 300)) == 140
