"""PageRank over the directed citations (``pagerank_cites``): equal to networkx's PageRank of
the cites digraph, written in every output, and absent from a corpus without references."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphkit.analysis.citations import ATTRIBUTE, citation_pagerank
from graphkit.cli import cli
from graphkit.export import read_json

ROOT = Path(__file__).resolve().parents[1]
WOS = (
    ROOT / "tests/data/citations/wos_bitpattern_sample.txt"
)  # licence: tests/data/citations/SOURCE.md


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pagerank-cites")
    r = CliRunner().invoke(
        cli,
        ["-q", "build", str(WOS), "-o", str(out), "--formats", "json,graphml,gexf,csv,report"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    return out


def _cites_digraph(G: nx.Graph) -> nx.DiGraph:
    D = nx.DiGraph()
    D.add_nodes_from(n for n, d in G.nodes(data=True) if d.get("kind") in ("paper", "reference"))
    for u, v, frm in G.edges(data="cites_from", default=""):
        for src in filter(None, str(frm).split("; ")):
            D.add_edge(src, v if src == u else u)
    return D


def test_equals_networkx_pagerank_of_the_cites_digraph(built: Path) -> None:
    G = read_json(built / "graph.json")
    D = _cites_digraph(G)
    assert D.number_of_edges() > 300  # 37 between papers, the rest to reference nodes
    want = nx.pagerank(D, alpha=0.85, tol=1e-14, max_iter=1000)
    got = {n: G.nodes[n][ATTRIBUTE] for n in D}
    assert got == pytest.approx(want, rel=1e-6, abs=1e-10)
    assert all(ATTRIBUTE not in d for _, d in G.nodes(data=True) if d.get("kind") == "method")
    # the most cited paper of the corpus is the most central one
    top = max(got, key=got.get)
    assert top == max(D, key=D.in_degree)


def test_written_in_every_output(built: Path) -> None:
    G = read_json(built / "graph.json")
    want = {n: d[ATTRIBUTE] for n, d in G.nodes(data=True) if ATTRIBUTE in d}
    for H in (nx.read_graphml(built / "graph.graphml"), nx.read_gexf(built / "graph.gexf")):
        assert {n: float(H.nodes[n][ATTRIBUTE]) for n in want} == pytest.approx(want)
    with (built / "nodes.csv").open(newline="", encoding="utf-8") as fh:
        rows = {r["id"]: r[ATTRIBUTE] for r in csv.DictReader(fh)}
    assert {n: float(rows[n]) for n in want} == pytest.approx(want)
    report = (built / "report.md").read_text(encoding="utf-8")
    assert "### Most central works in the citation graph (PageRank over citations)" in report


def test_nothing_written_without_citations() -> None:
    G = nx.Graph()
    G.add_node("a", kind="paper")
    G.add_node("b", kind="paper")
    G.add_edge("a", "b", kinds="similarity", weight=0.5)
    assert citation_pagerank(G) is False
    assert all(ATTRIBUTE not in d for _, d in G.nodes(data=True))


def test_mutual_citation_goes_both_ways() -> None:
    G = nx.Graph()
    for n in "abc":
        G.add_node(n, kind="paper")
    G.add_edge("a", "b", kinds="cites", cites_from="a; b")
    G.add_edge("c", "a", kinds="cites", cites_from="c")
    assert citation_pagerank(G)
    D = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "a")])
    want = nx.pagerank(D, tol=1e-14, max_iter=1000)
    assert {n: G.nodes[n][ATTRIBUTE] for n in "abc"} == pytest.approx(want, rel=1e-6)
