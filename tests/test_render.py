"""The HTML map without a browser: self-contained, escaped, deterministic, capped sensibly."""

from __future__ import annotations

import io
import itertools
import json
import random
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import networkx as nx
import pytest

from graphkit.errors import OutputError
from graphkit.render import (
    EDGE_COLORS,
    EDGES_PER_NODE,
    METHOD_COLOR,
    PALETTE,
    apply_style,
    html_bytes,
    select_for_html,
    write_html,
)

DATA = Path(__file__).parent / "data" / "render"
XSS = "<img src=x onerror=alert(1)>"


def sample_graph() -> nx.Graph:
    """20 nodes: 17 papers in 3 communities (one with an XSS title), 3 method nodes, every edge kind."""
    data = json.loads((DATA / "sample_graph.json").read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="edges")


def random_graph(n: int, *, communities: int, seed: int = 0) -> nx.Graph:
    """A random clustered graph with communities, pagerank and positions."""
    rng = random.Random(seed)
    sizes = [max(1, int(n * rng.random() ** 2 / 2)) for _ in range(communities)]
    G = nx.random_partition_graph(sizes, 0.2, 0.002, seed=seed)
    H = nx.Graph()
    for node, d in G.nodes(data=True):
        H.add_node(f"p{node}", kind="paper", title=f"Paper {node}", community=d["block"],
                   x=rng.random(), y=rng.random())  # fmt: skip
    H.add_edges_from((f"p{u}", f"p{v}", {"kinds": "similarity", "weight": 0.5}) for u, v in G.edges)
    for node, pr in nx.pagerank(H).items():
        H.nodes[node]["pagerank"] = pr
    H.add_node("method:LoRA", kind="method", label="LoRA", x=0.5, y=0.5)
    top = max(H.nodes, key=lambda v: H.nodes[v].get("pagerank", 0))
    H.add_edge("method:LoRA", top, kinds="mention", weight=1.0, mention_from=top)
    return H


def embedded(page: bytes) -> dict:
    """The graph data embedded in the page's JSON script block."""
    doc = lxml.html.fromstring(page)
    (block,) = doc.xpath('//script[@id="gk-data"]')
    assert block.get("type") == "application/json"
    return json.loads(block.text)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.refs.append((tag, name, value))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_page_is_self_contained() -> None:
    page = html_bytes(sample_graph(), corpus_name="sample")
    parser = _Tags()
    parser.feed(page.decode("utf-8"))
    assert not [r for r in parser.refs if r[2].lower().startswith(("http:", "https:", "//"))]
    doc = lxml.html.fromstring(page)
    assert not doc.xpath("//script[@src]") and not doc.xpath('//link[@rel="stylesheet"]')
    assert any("vis-network" in s for s in parser.scripts)  # the library is inlined
    for cdn in (b"cdn.jsdelivr", b"unpkg.com", b"cdnjs.cloudflare", b"fonts.googleapis"):
        assert cdn not in page


def test_no_cdn_in_package_sources() -> None:
    root = Path(__file__).resolve().parents[1] / "graphkit"
    for path in [root / "render.py", *sorted((root / "assets").iterdir())]:
        text = path.read_text(encoding="utf-8")
        for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs.cloudflare"):
            assert cdn not in text, f"{path} names {cdn}"


def test_embedded_data_matches_graph() -> None:
    G = sample_graph()
    data = embedded(html_bytes(G, corpus_name="sample"))
    assert len(data["nodes"]) == G.number_of_nodes() == 20
    assert len(data["edges"]) == G.number_of_edges() == 23
    meta = data["meta"]
    assert (meta["n_papers"], meta["n_methods"], meta["n_edges"]) == (17, 3, 23)
    assert meta["n_communities"] == 3 and meta["capped"] is False
    kinds = {k for e in data["edges"] for k in e["kinds"]}
    assert kinds == {"keyword", "similarity", "mention"}
    methods = [n for n in data["nodes"] if n["kind"] == "method"]
    assert {n["color"] for n in methods} == {METHOD_COLOR}
    spqr = next(n for n in data["nodes"] if n["id"] == "arxiv:2306.03078")
    assert spqr["color"] == PALETTE[0] and spqr["short_name"] == "SpQR"
    assert data["edge_colors"] == EDGE_COLORS
    # Mention edges carry their direction and evidence.
    eagle = next(
        e for e in data["edges"] if e.get("mention_names") == "Medusa" and "keyword" in e["kinds"]
    )
    assert (
        eagle["mention_from"] == "arxiv:2401.15077"
        and "outperforms Medusa" in eagle["mention_evidence"]
    )


def test_header_names_corpus_and_counts() -> None:
    doc = lxml.html.fromstring(html_bytes(sample_graph(), corpus_name="my corpus"))
    assert "my corpus" in doc.findtext(".//title")
    counts = doc.get_element_by_id("gk-counts").text_content()
    assert "17 papers" in counts and "3 methods" in counts and "23 edges" in counts
    assert "3 communities" in counts
    assert not doc.xpath('//*[@id="gk-cap"]')


def test_hostile_text_is_escaped() -> None:
    G = sample_graph()
    page = html_bytes(G, corpus_name="<script>alert('corpus')</script>", title="<b>t</b>")
    doc = lxml.html.fromstring(page)
    # Nothing from the data becomes markup.
    assert not doc.xpath("//img") and not doc.xpath("//b")
    assert len(doc.xpath("//script")) == 3  # data, vis-network, the map
    block = doc.xpath('//script[@id="gk-data"]')[0].text
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\u2028" not in block and "\u2029" not in block
    assert b"<img" not in page and b"alert('corpus')</script>" not in page
    titles = {n["title"] for n in json.loads(block)["nodes"]}
    assert XSS in titles  # ... and the text survives intact
    assert any("\u2028" in t for t in titles)
    assert doc.findtext(".//title").startswith("<script>")  # shown as text


def test_same_graph_same_bytes() -> None:
    first = html_bytes(sample_graph(), corpus_name="sample")
    second = html_bytes(sample_graph(), corpus_name="sample")
    assert first == second
    # Insertion order of nodes and edges does not matter either.
    G = sample_graph()
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(sorted(G.nodes(data=True), reverse=True))
    H.add_edges_from(sorted(G.edges(data=True), reverse=True))
    assert html_bytes(H, corpus_name="sample") == first


def test_write_html_to_path_and_file(tmp_path: Path) -> None:
    G = sample_graph()
    write_html(G, tmp_path / "out" / "graph.html", corpus_name="sample")
    buf = io.BytesIO()
    write_html(G, buf, corpus_name="sample")
    assert (tmp_path / "out" / "graph.html").read_bytes() == buf.getvalue()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["graph.html"]


def test_label_candidates_are_the_central_nodes() -> None:
    G = random_graph(600, communities=8, seed=3)
    data = embedded(html_bytes(G, max_nodes=1000))
    ranked = sorted((n for n in data["nodes"] if "label_rank" in n), key=lambda n: n["label_rank"])
    assert 0 < len(ranked) <= 150
    assert [n["label_rank"] for n in ranked] == list(range(len(ranked)))
    # First the most central paper of every community (so the biggest paper of all), then
    # the most mentioned methods.
    communities = {n["community"] for n in data["nodes"] if n["kind"] == "paper"}
    assert {n["community"] for n in ranked[: len(communities)]} == communities
    top = max(data["nodes"], key=lambda n: n["size"])
    assert top["label_rank"] < len(communities)
    assert ranked[len(communities)]["id"] == "method:LoRA"


def test_select_keeps_every_community_and_the_cap() -> None:
    G = random_graph(3000, communities=12, seed=1)
    papers = [n for n, d in G.nodes(data=True) if d["kind"] == "paper"]
    H, info = select_for_html(G, 300)
    shown = [n for n, d in H.nodes(data=True) if d["kind"] == "paper"]
    assert len(shown) == info["shown"] == 300 and info["total"] == len(papers)
    assert info["capped"] and "Showing 300 of" in info["message"]
    assert {G.nodes[n]["community"] for n in shown} == {G.nodes[n]["community"] for n in papers}
    # Each community keeps its most central papers, roughly in proportion to its size.
    for c in {G.nodes[n]["community"] for n in papers}:
        members = sorted(
            (n for n in papers if G.nodes[n]["community"] == c),
            key=lambda n: -G.nodes[n]["pagerank"],
        )
        kept = [n for n in shown if G.nodes[n]["community"] == c]
        assert set(kept) == set(members[: len(kept)])
        assert len(kept) >= min(3, len(members))
        assert abs(len(kept) - 300 * len(members) / len(papers)) <= 4
    assert "method:LoRA" in H  # linked to the most central paper


def test_select_under_the_cap_keeps_everything() -> None:
    G = sample_graph()
    H, info = select_for_html(G, 1500)
    assert H is G and info["shown"] == info["total"] == 17 and not info["capped"]
    with pytest.raises(OutputError):
        select_for_html(G, 0)


def test_capped_page_says_so() -> None:
    G = random_graph(2000, communities=6, seed=2)
    page = html_bytes(G, max_nodes=200)
    data = embedded(page)
    assert sum(n["kind"] == "paper" for n in data["nodes"]) == 200
    doc = lxml.html.fromstring(page)
    cap = doc.get_element_by_id("gk-cap").text_content()
    n_papers = G.number_of_nodes() - 1
    assert cap.startswith(
        f"Showing 200 of {n_papers:,} papers — the most central of each community."
    )
    assert "graph.graphml (Gephi)" in cap and "--max-html-nodes" in cap
    assert f"{n_papers:,} papers" in doc.get_element_by_id("gk-counts").text_content()


def test_edge_budget_keeps_each_nodes_strongest_links() -> None:
    G = nx.gnm_random_graph(200, 3000, seed=4)
    rng = random.Random(4)
    for u, v in sorted(G.edges):
        G.edges[u, v].update(kinds="keyword", weight=round(rng.random(), 4))
    H, info = select_for_html(G, 1000, max_edges=600)
    assert H.number_of_nodes() == 200 and H.number_of_edges() == info["edges_shown"] == 600
    assert info["edges_total"] == 3000 and info["edges_capped"] and not info["capped"]
    assert "600 strongest of 3,000 links" in info["message"]
    for node in G:
        strongest = max(G.edges(node, data="weight"), key=lambda e: e[2])
        assert H.has_edge(*strongest[:2])
    # Default budget: EDGES_PER_NODE per node drawn.
    H, info = select_for_html(G, 1000)
    assert H.number_of_edges() == min(3000, EDGES_PER_NODE * 200)
    page = html_bytes(G, max_edges=600)
    assert len(embedded(page)["edges"]) == 600
    cap = lxml.html.fromstring(page).get_element_by_id("gk-cap").text_content()
    assert "strongest of 3,000 links" in cap and "graph.graphml" in cap


def test_unanalysed_graph_still_renders() -> None:
    G = nx.karate_club_graph()  # no kind, community, positions or centrality
    data = embedded(html_bytes(G))
    assert len(data["nodes"]) == 34 and len(data["edges"]) == 78
    assert len({n["size"] for n in data["nodes"]}) > 1  # sized by degree instead
    assert all(isinstance(n["x"], float) for n in data["nodes"])


def test_apply_style_unchanged() -> None:
    G = sample_graph()
    apply_style(G, size_by="degree")
    lora = G.nodes["method:LoRA"]
    assert lora["color"] == METHOD_COLOR
    assert lora["size"] == max(d["size"] for _, d in G.nodes(data=True))


@pytest.mark.slow
def test_real_abstracts_render() -> None:
    """A slice of the shared arXiv corpus, with its real (odd) titles, renders and escapes."""
    import gzip

    shared = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "arxiv-cs-2025.jsonl.gz"
    if not shared.exists():
        pytest.skip(f"{shared} not found (the shared corpus sits beside the repository)")
    G = nx.Graph()
    with gzip.open(shared, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 400:
                break
            rec = json.loads(line)
            G.add_node(rec["id"], kind="paper", title=rec["title"], abstract=rec["summary"],
                       community=i % 7, pagerank=1.0 / (i + 1), x=float(i % 20), y=float(i // 20))  # fmt: skip
    ids = sorted(G.nodes)
    G.add_edges_from(
        (a, b, {"kinds": "similarity", "weight": 0.3}) for a, b in itertools.pairwise(ids)
    )
    page = html_bytes(G, max_nodes=300, corpus_name="arxiv-cs-2025")
    data = embedded(page)
    assert len(data["nodes"]) == 300
    by_id = {n["id"]: n for n in data["nodes"]}
    for n in by_id:
        assert by_id[n]["abstract"] == G.nodes[n]["abstract"]
