"""The HTML map without a browser: self-contained, escaped, deterministic, capped sensibly."""

from __future__ import annotations

import base64
import io
import itertools
import json
import math
import random
import zlib
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import networkx as nx
import pytest
from shared_data import SHARED

from graphkit.errors import OutputError
from graphkit.layout import remove_overlap
from graphkit.render import (
    EDGES_PER_NODE,
    MAP_PALETTE,
    METHOD_COLOR,
    apply_style,
    choose_nodes,
    html_bytes,
    select_for_html,
    write_html,
)
from graphkit.render.payload import _screen_radius

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


def embedded(page: bytes, block_id: str = "gk-data") -> dict:
    """A data block of the page: ``gk-data`` (JSON) or ``gk-details`` (deflated JSON, base64)."""
    doc = lxml.html.fromstring(page)
    (block,) = doc.xpath(f'//script[@id="{block_id}"]')
    if block_id == "gk-details":
        assert block.get("type") == "application/octet-stream"
        assert block.get("data-encoding") == "deflate-base64"
        return json.loads(zlib.decompress(base64.b64decode(block.text, validate=True)))
    assert block.get("type") == "application/json"
    return json.loads(block.text)


def rows(data: dict) -> list[dict]:
    """The node columns of ``gk-data`` as one dict per node."""
    cols = data["nodes"]
    return [dict(zip(cols, values, strict=True)) for values in zip(*cols.values(), strict=True)]


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
    scripts = "\n".join(parser.scripts)
    assert "Te.Sigma=ue()" in scripts and ".graphology=e()" in scripts  # both libraries inlined
    for cdn in (b"cdn.jsdelivr", b"unpkg.com", b"cdnjs.cloudflare", b"fonts.googleapis"):
        assert cdn not in page


def test_no_cdn_in_package_sources() -> None:
    root = Path(__file__).resolve().parents[1] / "graphkit"
    paths = [*sorted((root / "render").glob("*.py")), *sorted((root / "assets").rglob("*.*"))]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs.cloudflare"):
            assert cdn not in text, f"{path} names {cdn}"


def test_vendored_libraries_are_recorded() -> None:
    import hashlib

    vendor = Path(__file__).resolve().parents[1] / "graphkit" / "assets" / "vendor"
    records = json.loads((vendor / "VENDORED.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in records} == {"sigma", "graphology"}
    for r in records:
        data = (vendor / r["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha256"], r["file"]
        assert r["license"] == "MIT" and "MIT" in (vendor / r["license_file"]).read_text()
        assert r["version"] and r["integrity"].startswith("sha512-")


def test_embedded_data_matches_graph() -> None:
    G = sample_graph()
    page = html_bytes(G, corpus_name="sample")
    data, details = embedded(page), embedded(page, "gk-details")
    nodes = rows(data)
    assert len(nodes) == len(details["nodes"]) == G.number_of_nodes() == 20
    assert len(data["edges"]["s"]) == len(details["edges"]) == G.number_of_edges() == 23
    meta = data["meta"]
    assert (meta["n_papers"], meta["n_methods"], meta["n_edges"]) == (17, 3, 23)
    assert meta["n_communities"] == 3 and meta["capped"] is False
    assert [k["id"] for k in data["kinds"]] == ["keyword", "similarity", "mention"]
    assert all(n["drawn"] == 1 for n in nodes)
    assert {n["color"] for n in nodes if n["kind"] == 1} == {METHOD_COLOR}
    # Communities coloured by size rank; link colours are never community colours.
    largest = data["communities"][0]
    assert largest["color"] == MAP_PALETTE[0] and largest["size"] >= data["communities"][1]["size"]
    assert not {k["color"] for k in data["kinds"]} & set(MAP_PALETTE)
    spqr = next(n for n in nodes if n["id"] == "arxiv:2306.03078")
    assert spqr["label"] == "SpQR" and "SpQR" in spqr["names"] and spqr["year"] == 2023
    # Mention edges carry their direction and evidence (in the lazily read details).
    ids = data["nodes"]["id"]
    eagle, medusa = ids.index("arxiv:2401.15077"), ids.index("arxiv:2401.10774")
    e = next(
        i
        for i, (s, t) in enumerate(zip(data["edges"]["s"], data["edges"]["t"], strict=True))
        if {s, t} == {eagle, medusa}
    )
    assert data["edges"]["dir"][e] == (1 if data["edges"]["s"][e] == eagle else 2)
    assert "outperforms Medusa" in details["edges"][e]["mention_evidence"]
    assert details["nodes"][ids.index("arxiv:2306.03078")]["abstract"].startswith(
        G.nodes["arxiv:2306.03078"]["abstract"][:40]
    )


def test_header_names_corpus_and_counts() -> None:
    doc = lxml.html.fromstring(html_bytes(sample_graph(), corpus_name="my corpus"))
    assert "my corpus" in doc.findtext(".//title")
    counts = doc.get_element_by_id("gk-counts").text_content()
    assert "17 papers" in counts and "3 methods" in counts and "23 edges" in counts
    assert "3 communities" in counts
    assert not doc.xpath('//*[@id="gk-cap"]')
    # No corpus name given: the graph's own name, never a made-up default.
    G = sample_graph()
    G.graph["name"] = "from the graph"
    assert "from the graph" in lxml.html.fromstring(html_bytes(G)).findtext(".//title")


def test_hostile_text_is_escaped() -> None:
    G = sample_graph()
    page = html_bytes(G, corpus_name="<script>alert('corpus')</script>", title="<b>t</b>")
    doc = lxml.html.fromstring(page)
    # Nothing from the data becomes markup.
    assert not doc.xpath("//img") and not doc.xpath("//b")
    assert len(doc.xpath("//script")) == 4  # data, details, libraries, the map
    for block_id in ("gk-data", "gk-details"):
        block = doc.xpath(f'//script[@id="{block_id}"]')[0].text
        assert "<" not in block and ">" not in block and "&" not in block
        assert "\u2028" not in block and "\u2029" not in block
    assert b"<img" not in page and b"alert('corpus')</script>" not in page
    titles = set(embedded(page)["nodes"]["title"])
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


def test_select_keeps_every_community_and_the_cap() -> None:
    G = random_graph(3000, communities=12, seed=1)
    papers = [n for n, d in G.nodes(data=True) if d["kind"] == "paper"]
    H, info = select_for_html(G, 300)
    shown = [n for n, d in H.nodes(data=True) if d["kind"] == "paper"]
    assert len(shown) == info["shown"] == 300 and info["total"] == len(papers)
    assert info["capped"] and "Drawing 300 of" in info["message"]
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
    nodes, info = choose_nodes(G, 1500)
    assert set(nodes) == set(G) and info["shown"] == info["total"] == 17 and not info["capped"]
    with pytest.raises(OutputError):
        choose_nodes(G, 0)


def test_capped_page_carries_every_paper_and_says_so() -> None:
    G = random_graph(2000, communities=6, seed=2)
    page = html_bytes(G, max_nodes=200)
    nodes = rows(embedded(page))
    n_papers = G.number_of_nodes() - 1
    assert len(nodes) == G.number_of_nodes()  # every paper is in the page (list, search)
    assert sum(n["drawn"] for n in nodes if n["kind"] == 0) == 200
    doc = lxml.html.fromstring(page)
    cap = doc.get_element_by_id("gk-cap").text_content()
    assert cap.startswith(
        f"Drawing 200 of {n_papers:,} papers — the most central of each community"
    )
    assert "--max-html-nodes" in cap and "list and the search" in cap
    assert f"{n_papers:,} papers" in doc.get_element_by_id("gk-counts").text_content()
    # Links between papers not drawn are in the page, marked as not drawn (level -1).
    edges = embedded(page)["edges"]
    assert len(edges["s"]) == G.number_of_edges() and -1 in edges["level"]


def test_edge_levels_strongest_first_within_the_budget() -> None:
    G = nx.gnm_random_graph(200, 3000, seed=4)
    rng = random.Random(4)
    for u, v in sorted(G.edges):
        G.edges[u, v].update(kinds="keyword", weight=round(rng.random(), 4))
    H, info = select_for_html(G, 1000, max_edges=600)
    assert H.number_of_nodes() == 200 and H.number_of_edges() == info["edges_shown"] == 600
    assert info["edges_total"] == 3000 and info["edges_capped"] and not info["capped"]
    assert "600 strongest of 3,000 links" in info["message"]
    for node in G:
        # Each node's strongest link is drawn, at the overview level.
        top = max(w for *_, w in G.edges(node, data="weight"))
        assert any(
            H.edges[u, v]["level"] == 0 for u, v, w in G.edges(node, data="weight") if w == top
        )
    levels = [d["level"] for *_, d in H.edges(data=True)]
    assert set(levels) <= {0, 1, 2, 3} and 0 in levels
    # Weaker links get higher levels (drawn as you zoom in): mean weight falls with the level.
    weights = {
        lv: [d["weight"] for *_, d in H.edges(data=True) if d["level"] == lv] for lv in set(levels)
    }
    lo, hi = min(weights), max(weights)
    assert sum(weights[lo]) / len(weights[lo]) > sum(weights[hi]) / len(weights[hi])
    # Default budget: EDGES_PER_NODE per node drawn.
    H, info = select_for_html(G, 1000)
    assert H.number_of_edges() == min(3000, EDGES_PER_NODE * 200)
    page = html_bytes(G, max_edges=600)
    assert sum(lv >= 0 for lv in embedded(page)["edges"]["level"]) == 600
    cap = lxml.html.fromstring(page).get_element_by_id("gk-cap").text_content()
    assert "strongest of 3,000 links" in cap


def test_unanalysed_graph_still_renders() -> None:
    G = nx.karate_club_graph()  # no kind, community, positions or centrality
    nodes = rows(embedded(html_bytes(G)))
    assert len(nodes) == 34
    assert len({n["size"] for n in nodes}) > 1  # sized by degree instead
    assert all(isinstance(n["x"], float) for n in nodes)
    assert "x" not in G.nodes[0]  # the caller's graph is left alone


def overlapping(xy: list[tuple[float, float]], r: list[float], at_least: float) -> list[float]:
    """Overlap (fraction of the radii's sum) of every pair overlapping by more than ``at_least``."""
    from scipy.spatial import cKDTree

    pairs = cKDTree(xy).query_pairs(2 * max(r))
    fracs = ((r[i] + r[j] - math.dist(xy[i], xy[j])) / (r[i] + r[j]) for i, j in pairs)
    return [f for f in fracs if f > at_least]


def test_drawn_nodes_are_nudged_apart() -> None:
    G = random_graph(1500, communities=5, seed=9)
    for n in G:  # squeeze the layout so that many nodes overlap before the pass
        G.nodes[n]["x"] = round(G.nodes[n]["x"] * 0.5, 4)
    nodes = [n for n in rows(embedded(html_bytes(G))) if n["drawn"]]
    r = [_screen_radius(n["size"], len(nodes)) for n in nodes]
    ids = [n["id"] for n in nodes]
    span = max(G.nodes[n]["y"] for n in ids) - min(G.nodes[n]["y"] for n in ids)
    before = overlapping(
        [(G.nodes[n]["x"] * 1000 / span, G.nodes[n]["y"] * 1000 / span) for n in ids], r, 0.01
    )
    after = overlapping([(n["x"], n["y"]) for n in nodes], r, 0.01)
    assert len(after) < len(before) / 4 and max(after, default=0) < 0.35


def test_remove_overlap_is_deterministic_and_separates() -> None:
    rng = random.Random(0)
    pts = [(rng.random(), rng.random()) for _ in range(300)] + [(0.5, 0.5)] * 3
    radii = [0.015] * len(pts)
    out = remove_overlap(pts, radii)
    assert out == remove_overlap(pts, radii)
    assert min(math.dist(a, b) for a, b in itertools.combinations(out, 2)) > 0.0299


def test_unknown_and_directed_edge_kinds() -> None:
    G = nx.Graph()
    G.add_node("a", kind="paper", title="A", community=0, x=0.0, y=0.0, date="Mar 13, 2024")
    G.add_node("b", kind="paper", title="B", community=0, x=1.0, y=0.0, iso_date="2024-05-01")
    G.add_node("c", kind="paper", title="C", community=1, x=0.0, y=1.0)
    G.add_edge("a", "b", kinds="cites", weight=1.0, cites_from="b")
    G.add_edge("a", "c", kinds="zz;keyword", weight=0.5, zz_terms="x")
    data = embedded(html_bytes(G))
    kinds = {k["id"]: k for k in data["kinds"]}
    assert set(kinds) == {"keyword", "cites", "zz"} and kinds["cites"]["directed"]
    assert kinds["zz"]["label"] == "zz" and not kinds["zz"]["directed"]
    e = data["edges"]
    assert e["dir"][0] == 2  # b -> a: (a, b) stored as s=a, t=b
    assert e["k"][1] == kinds_bits(data, "zz", "keyword")
    assert data["nodes"]["month"] == [202403, 202405, 0]
    assert data["nodes"]["cited"] == [1, 0, 0]


def kinds_bits(data: dict, *names: str) -> int:
    return sum(1 << i for i, k in enumerate(data["kinds"]) if k["id"] in names)


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

    shared = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"
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
    data, details = embedded(page), embedded(page, "gk-details")
    assert len(data["nodes"]["id"]) == 400 and sum(data["nodes"]["drawn"]) == 300
    for n, drawn, d in zip(
        data["nodes"]["id"], data["nodes"]["drawn"], details["nodes"], strict=True
    ):
        # Drawn papers carry their abstract; above the cap the others keep metadata only.
        assert d.get("abstract") == (G.nodes[n]["abstract"] if drawn else None)


def test_citation_kinds_and_reference_nodes() -> None:
    """The cite stage's kinds and reference nodes: arrows for cites, references follow papers."""
    G = nx.Graph()
    for i, pid in enumerate(("p1", "p2", "p3")):
        G.add_node(pid, kind="paper", title=f"Paper {i}", community=0, x=float(i), y=0.0)
    G.add_node(
        "reference:doi:10.1/x",
        kind="reference",
        label="Smith 2001",
        title="X",
        n_citing=2,
        x=1.0,
        y=1.0,
    )
    G.add_edge("p1", "p2", kinds="cites;coupling", weight=1.5, w_cites=1.0, cites_from="p2",
               w_coupling=0.5, coupling_shared=1, coupling_evidence="doi:10.1/x")  # fmt: skip
    G.add_edge("p2", "p3", kinds="cocitation", weight=0.4, w_cocitation=0.4, cocitation_shared=1)
    G.add_edge("p1", "reference:doi:10.1/x", kinds="cites", weight=1.0, cites_from="p1")
    page = html_bytes(G)
    data = embedded(page)
    assert [k["id"] for k in data["kinds"]] == ["cites", "cocitation", "coupling"]
    assert [k["directed"] for k in data["kinds"]] == [True, False, False]
    assert data["meta"]["n_papers"] == 3 and data["meta"]["n_references"] == 1
    assert data["nodes"]["kind"] == [1 * 0, 0, 0, 2]  # sorted ids: p1, p2, p3, reference:...
    assert data["nodes"]["cited"][0] == 1 and data["nodes"]["cited"][3] == 2
    assert (
        "1 cited works" in lxml.html.fromstring(page).get_element_by_id("gk-counts").text_content()
    )
