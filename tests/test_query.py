"""`related`: resolving a query (id, alias, arXiv id, DOI, name, title, free text) and ranking
related papers from the index `build` writes, on the seed papers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import networkx as nx
import orjson
import pytest
import scipy.sparse as sp
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.errors import GraphkitError
from graphkit.export import read_json
from graphkit.index import (
    INDEX_NAME,
    build_index,
    index_bytes,
    load_index,
    lookup_key,
    open_index,
)
from graphkit.index.csr import Csr
from graphkit.query import related, resolve

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
#: the seed listings plus real arXiv (arXiv IDs) and OpenAlex (DOIs) records
INPUTS = (
    SEEDS,
    REPO / "tests/data/ingest/arxiv-50.jsonl",
    REPO / "tests/data/ingest/openalex.json",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("related")
    r = CliRunner().invoke(
        cli,
        ["-q", "build", *map(str, INPUTS), "-o", str(out), "--formats", "json,index"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def graph(built: Path) -> nx.Graph:
    return read_json(built / "graph.json")


@pytest.fixture(scope="module")
def index(built: Path):
    return load_index(built / INDEX_NAME)


def _paper(G: nx.Graph, **want: object) -> str:
    return next(
        n
        for n, d in sorted(G.nodes(data=True))
        if d.get("kind") == "paper" and all(d.get(k) for k in want)
    )


def _scipy(m: Csr) -> sp.csr_matrix:
    return sp.csr_matrix((m.data, m.indices, m.indptr), shape=m.shape)


def test_index_round_trip_is_exact_and_deterministic(built: Path, graph: nx.Graph, index) -> None:
    again = build_index(graph)  # text fitted from graph.json: the same vectoriser settings
    assert again.ids == index.ids and again.titles == index.titles
    assert (
        again.n_papers
        == index.n_papers
        == sum(1 for _, k in graph.nodes(data="kind") if k == "paper")
    )
    assert isinstance(index.adj, Csr) and isinstance(index.X, Csr)  # loaded: numpy only
    assert (again.adj != _scipy(index.adj)).nnz == 0
    assert again.terms == index.terms
    assert abs(again.X - _scipy(index.X)).max() < 1e-6
    data = (built / INDEX_NAME).read_bytes()
    assert index_bytes(load_index(built / INDEX_NAME)) == data  # load → write: same bytes
    with zipfile.ZipFile(built / INDEX_NAME) as zf:  # fixed timestamps: builds are repeatable
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    for q in ("speculative decoding", index.ids[3]):
        assert related(again, q, limit=8) == related(index, q, limit=8)


def test_resolve_by_id_alias_arxiv_doi_title(graph: nx.Graph, index) -> None:
    arx = _paper(graph, arxiv_id=True)
    aid = graph.nodes[arx]["arxiv_id"]
    for q in (arx, aid, f"{aid}v3", f"https://arxiv.org/abs/{aid}v1", f"arXiv:{aid}"):
        found = resolve(index, q)
        assert index.ids[found.node] == arx, q
    title = graph.nodes[arx]["title"]
    assert index.ids[resolve(index, title.upper()).node] == arx
    assert resolve(index, title.upper()).matched_by == "title"
    near = title[:-1] if len(title) > 30 else title  # a typo'd title still finds the paper
    assert index.ids[resolve(index, near).node] == arx
    # the ID a paper had before it gained an arXiv ID (hash of its title) is an alias
    from graphkit.ingest.normalise import paper_id

    old = paper_id(title=title)
    assert (index.ids[resolve(index, old).node], resolve(index, old).matched_by) == (arx, "alias")
    doi_nodes = [n for n, d in graph.nodes(data=True) if d.get("doi")]
    if doi_nodes:
        doi = graph.nodes[doi_nodes[0]]["doi"]
        assert index.ids[resolve(index, f"https://doi.org/{doi.upper()}").node] == doi_nodes[0]


def test_resolve_names_and_methods(graph: nx.Graph, index) -> None:
    named = _paper(graph, short_name=True)
    short = graph.nodes[named]["short_name"]
    assert {index.ids[i] for i in index.lookup(lookup_key(short))} >= {named}
    method = next(n for n, d in sorted(graph.nodes(data=True)) if d.get("kind") == "method")
    found = resolve(index, graph.nodes[method]["label"].lower())
    assert (index.ids[found.node], found.matched_by) == (method, "name")


def test_free_text_lists_matches_then_their_related_papers(index) -> None:
    res = related(index, "speculative decoding for small models", limit=10)
    assert res.matched_by == "text" and res.node == ""
    assert 1 <= len(res.matches) <= 5
    for m in res.matches:
        text = (m.title + " " + " ".join(m.reasons)).lower()
        assert "speculative" in text or "decoding" in text
    assert res.neighbours and not {n.node for n in res.neighbours} & {m.node for m in res.matches}
    assert all(n.kind == "paper" for n in res.neighbours)
    scores = [n.weight for n in res.neighbours]
    assert scores == sorted(scores, reverse=True)
    assert "papers matching 'speculative decoding for small models'" in res.to_text()


def test_a_topic_query_does_not_snap_to_one_title(index) -> None:
    res = related(index, "pruning large language models without retraining")
    assert res.matched_by == "text"
    assert any("prun" in m.title.lower() for m in res.matches)


def test_method_nodes_never_outrank_papers(graph: nx.Graph, index) -> None:
    # the paper with the heaviest edge to a method node
    best = max(
        (
            (float(d.get("weight", 0)), u if graph.nodes[u]["kind"] == "paper" else v)
            for u, v, d in graph.edges(data=True)
            if {graph.nodes[u]["kind"], graph.nodes[v]["kind"]} == {"paper", "method"}
        ),
    )[1]
    res = related(index, best, limit=50)
    assert res.neighbours and all(n.kind == "paper" for n in res.neighbours)
    assert res.linked and all(n.kind != "paper" for n in res.linked)
    # a method node's query lists the papers linked to it first
    method = res.linked[0].node
    mres = related(index, method, limit=5)
    linked = set(graph[method])
    assert mres.neighbours[0].node in linked and all(n.kind == "paper" for n in mres.neighbours)


def test_near_duplicate_ranks_first_with_reasons(graph: nx.Graph) -> None:
    G = graph.copy()
    src = _paper(G, abstract=True, arxiv_id=True)
    d = dict(G.nodes[src])
    G.add_node("t:dup", **{**d, "title": d["title"] + " (extended version)", "arxiv_id": ""})
    res = related(G, src, limit=5)
    top = res.neighbours[0]
    assert top.node == "t:dup"
    assert any(r.startswith("text cosine 0.9") or "text similarity" in r for r in top.reasons)
    assert dict(top.scores)["text"] == 1.0


def test_json_shape_is_stable(index) -> None:
    res = related(index, "speculative decoding", limit=3).to_dict()
    assert list(res) == [
        "query",
        "node",
        "label",
        "title",
        "matched_by",
        "matches",
        "neighbours",
        "linked",
    ]
    entry = res["neighbours"][0]
    assert list(entry) == [
        "node", "label", "title", "year", "kind", "weight", "kinds", "reasons", "scores",
        "citation", "reference",
    ]  # fmt: skip
    assert set(entry["scores"]) >= {"text", "edge", "neighbours"}
    orjson.dumps(res)


def test_errors_are_clear(index, tmp_path: Path) -> None:
    with pytest.raises(GraphkitError, match="empty query"):
        related(index, "  ")
    with pytest.raises(GraphkitError, match="nothing in the index matches 'zzzz qqqq'"):
        related(index, "zzzz qqqq")
    bad = tmp_path / INDEX_NAME
    bad.write_bytes(b"not a zip")
    with pytest.raises(GraphkitError, match="not a readable related index"):
        load_index(bad)


def test_cli_uses_the_index_and_falls_back_with_a_note(built: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    g = str(built / "graph.json")
    r = runner.invoke(cli, ["related", "speculative decoding", "-g", g, "--json", "-n", "3"])
    assert r.exit_code == 0, r.output
    assert len(orjson.loads(r.output)["neighbours"]) == 3
    old = tmp_path / "old"
    old.mkdir()
    (old / "graph.json").write_bytes((built / "graph.json").read_bytes())  # no index beside it
    r = runner.invoke(cli, ["related", "speculative decoding", "-g", str(old / "graph.json")])
    assert r.exit_code == 0
    assert "no related.npz beside" in r.output and "Rebuild with `graphkit build`" in r.output
    r = runner.invoke(cli, ["related", "zzzz qqqq", "-g", g])
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "nothing in the index matches" in r.output
    index, note = open_index(g)
    assert note == "" and index.n_papers > 331


def test_small_hand_made_graph_without_text() -> None:
    G = nx.Graph()
    G.add_node("a", kind="paper", title="Alpha", label="Alpha")
    G.add_node("b", kind="paper", title="Beta", label="Beta")
    G.add_node("method:X", kind="method", label="X", title="X")
    G.add_edge("a", "b", weight=0.4, kinds="similarity", similarity=0.4)
    G.add_edge("a", "method:X", weight=3.0, kinds="mention", mention_names="X", mention_from="a")
    res = related(G, "a")
    assert [n.node for n in res.neighbours] == ["b"]
    assert res.neighbours[0].reasons[0] == "text similarity 0.40"
    assert [n.node for n in res.linked] == ["method:X"]
    assert res.linked[0].reasons == ("Alpha mentions X",)


def test_age_prior_earlier_work_first_with_its_reason() -> None:
    """Two papers equally similar to the query: the earlier one ranks first and says how much
    earlier it appeared; the later one loses the newer-paper penalty; no year, no prior."""
    G = nx.Graph()
    text = "sparse attention kernels for long context transformers on small devices"
    G.add_node("q", kind="paper", title="Query paper", abstract=text, year=2020)
    G.add_node("later", kind="paper", title="Later paper", abstract=text, year=2021)
    G.add_node("earlier", kind="paper", title="Earlier paper", abstract=text, year=2017)
    G.add_node("undated", kind="paper", title="Undated paper", abstract=text)
    G.add_node("other", kind="paper", title="Other", abstract="soil bacteria and legume roots")
    res = related(G, "q", limit=3)
    assert [n.node for n in res.neighbours] == ["earlier", "undated", "later"]
    first = res.neighbours[0]
    assert "published 3 years earlier (2017)" in first.reasons
    parts = {n.node: dict(n.scores) for n in res.neighbours}
    assert parts["later"]["newer"] == 1.0 and parts["later"]["older"] == 0.0
    assert parts["undated"]["older"] == 0.0 and parts["undated"]["newer"] == 0.0
    assert 0 < parts["earlier"]["older"] < 1  # log(1 + 3) / log(1 + 5)
    assert not any("earlier" in r for r in res.neighbours[1].reasons)


# ---------------------------------------------------------------------------------------------
# citations first: a real Web of Science export (25 records, 37 citations between them)
# ---------------------------------------------------------------------------------------------

WOS = (
    REPO / "tests/data/citations/wos_bitpattern_sample.txt"
)  # licence: tests/data/citations/SOURCE.md


@pytest.fixture(scope="module")
def wos_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("related-wos")
    r = CliRunner().invoke(
        cli, ["-q", "build", str(WOS), "-o", str(out), "--formats", "json,index"],
        catch_exceptions=False,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return out


def _citations_in(G: nx.Graph) -> dict[str, dict[str, str]]:
    """paper -> {other paper: 'cites' | 'cited by'}, from graph.json's cites_from."""
    out: dict[str, dict[str, str]] = {}
    for u, v, d in G.edges(data=True):
        if "cites" not in str(d.get("kinds", "")).split(";"):
            continue
        if G.nodes[u].get("kind") != "paper" or G.nodes[v].get("kind") != "paper":
            continue
        for src in str(d["cites_from"]).split("; "):
            dst = v if src == u else u
            out.setdefault(src, {})[dst] = "cites"
            out.setdefault(dst, {})[src] = "cited by"
    return out


def test_related_lists_cited_and_citing_papers_first(wos_built: Path) -> None:
    G = read_json(wos_built / "graph.json")
    index = load_index(wos_built / INDEX_NAME)
    expected = _citations_in(G)
    assert sum(len(v) for v in expected.values()) == 2 * 37  # each citation seen from both ends
    for q, cited in sorted(expected.items()):
        res = related(index, q, limit=50)
        head = res.neighbours[: len(cited)]
        assert {n.node: n.citation for n in head} == cited, q
        assert all(n.citation == "" for n in res.neighbours[len(cited) :])
        assert [n.weight for n in head] == sorted((n.weight for n in head), reverse=True)
        label = G.nodes[q]["label"]
        for n in head:
            d = G.edges[q, n.node]
            assert n.reference and n.reference in d["cites_evidence"]
            want = "cited by" if n.citation == "cites" else "cites"
            assert n.reasons[0] == f"{want} {label} (reference {n.reference})"
            assert "cites" in n.kinds.split(";")


def test_citations_first_cli_json_and_text(wos_built: Path) -> None:
    G = read_json(wos_built / "graph.json")
    q, cited = max(_citations_in(G).items(), key=lambda kv: (len(kv[1]), kv[0]))
    g = str(wos_built / "graph.json")
    r = CliRunner().invoke(cli, ["related", q, "-g", g, "-n", "3", "--json"])
    assert r.exit_code == 0, r.output
    data = orjson.loads(r.output)
    assert [n["citation"] for n in data["neighbours"]] == [
        cited[n["node"]] for n in data["neighbours"]
    ]
    r = CliRunner().invoke(cli, ["related", q, "-g", g, "-n", "1"])
    assert r.exit_code == 0 and f"{G.nodes[q]['label']} (reference " in r.output
    # reference nodes list their citers with the citation too
    ref = next(n for n, d in G.nodes(data=True) if d.get("kind") == "reference")
    res = related(load_index(wos_built / INDEX_NAME), ref, limit=5)
    citers = sorted(n for n in G[ref] if G.nodes[n].get("kind") == "paper")
    assert len(citers) == G.nodes[ref]["n_citing"] >= 2
    head = res.neighbours[: len(citers)]
    assert sorted(n.node for n in head) == citers
    assert all(n.citation == "cited by" for n in head)
    assert all(n.citation == "" for n in res.neighbours[len(citers) :])


def test_mutual_citation_names_each_direction_key() -> None:
    G = nx.Graph()
    G.add_node("a", kind="paper", label="A", title="Alpha", doi="10.1/a")
    G.add_node("b", kind="paper", label="B", title="Beta", doi="10.1/b")
    G.add_node("c", kind="paper", label="C", title="Gamma")
    G.add_edge("a", "b", kinds="cites", weight=2.0, w_cites=1.0, cites_from="a; b",
               cites_evidence="doi:10.1/b; doi:10.1/a")  # fmt: skip
    G.add_edge("a", "c", kinds="similarity", weight=0.9, similarity=0.9)
    index = build_index(G)
    res = related(index, "a")
    assert [(n.node, n.citation, n.reference) for n in res.neighbours] == [
        ("b", "cites; cited by", "doi:10.1/b; doi:10.1/a"),
        ("c", "", ""),
    ]
    assert (
        res.neighbours[0].reasons[0] == "cites and is cited by A (reference doi:10.1/b; doi:10.1/a)"
    )
    assert index.citation(1, 0, 0) == ("cites; cited by", "doi:10.1/a; doi:10.1/b")
    back = load_index_bytes(index)
    assert back.citation(1, 0, 0) == index.citation(1, 0, 0)


def load_index_bytes(index):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / INDEX_NAME
        path.write_bytes(index_bytes(index))
        return load_index(path)
