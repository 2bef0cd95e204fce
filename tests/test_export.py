"""Exports: GraphML (networkx, igraph, graphology), GEXF, JSON, CSV; determinism; hostile text."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import igraph as ig
import networkx as nx
import pytest
from lxml import etree
from shared_data import SHARED

from graphkit.analysis import analyse
from graphkit.errors import ConfigError, GraphFileError
from graphkit.export import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    edges_csv_bytes,
    export_graph,
    gexf_bytes,
    graphml_bytes,
    json_bytes,
    nodes_csv_bytes,
    prepared,
    read_json,
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
)
from graphkit.layout import compute_layout
from graphkit.render import apply_style

DATA = Path(__file__).parent / "data" / "export"
JS = Path(__file__).parent / "js"
HOSTILE = "Evil <img src=x onerror=alert(1)> \"quotes\" & 'apos' 🚀 naïve\x00\x07\x1b end"
HOSTILE_CLEAN = "Evil <img src=x onerror=alert(1)> \"quotes\" & 'apos' 🚀 naïve end"


def make_graph() -> nx.Graph:
    """A small graph following graphkit/schema.py, analysed, laid out and styled."""
    G = nx.Graph(name="sample", n_papers=4, n_methods=1)
    G.add_node(
        "arxiv:2306.03078", kind="paper", label="SpQR", title="SpQR: A Sparse-Quantized Representation",
        abstract="We introduce SpQR.", year=2023, authors="Tim Dettmers; Ruslan Svirschevski",
        n_authors=2, defines="SpQR", mentions="GPTQ; LoRA", keyphrases="quantization; outliers",
    )  # fmt: skip
    G.add_node(
        "arxiv:2210.17323", kind="paper", label="GPTQ", title="GPTQ: Accurate Post-Training Quantization",
        year=2022, defines="GPTQ", keyphrases="post-training quantization; quantization",
    )  # fmt: skip
    G.add_node("t:0123456789ab", kind="paper", label=HOSTILE, title=HOSTILE, upvotes=3,
               keyphrases="speculative decoding", mentions="LoRA")  # fmt: skip
    G.add_node("arxiv:2401.10774", kind="paper", label="Medusa", title="=cmd|' /C calc'!A0",
               year="2024?", keyphrases="speculative decoding; draft heads")  # fmt: skip
    G.add_node("method:LoRA", kind="method", label="LoRA", title="Low-Rank Adaptation",
               method_kind="method", n_mentions=2)  # fmt: skip
    G.add_edge("arxiv:2306.03078", "arxiv:2210.17323", kinds="keyword;mention", weight=2.5,
               w_keyword=1.5, w_mention=1.0, keyword_terms="quantization", mention_names="GPTQ",
               mention_evidence="We compare with GPTQ.", mention_from="arxiv:2306.03078")  # fmt: skip
    G.add_edge("arxiv:2306.03078", "method:LoRA", kinds="mention", weight=1, w_mention=1.0,
               mention_names="LoRA", mention_evidence=HOSTILE, mention_from="arxiv:2306.03078")  # fmt: skip
    G.add_edge("t:0123456789ab", "method:LoRA", kinds="mention", weight=1.0, w_mention=1.0,
               mention_from="t:0123456789ab")  # fmt: skip
    G.add_edge("t:0123456789ab", "arxiv:2401.10774", kinds="similarity", weight=0.4,
               w_similarity=0.4, similarity=0.4, similarity_terms="speculative; decoding")  # fmt: skip
    analyse(G)
    compute_layout(G)
    apply_style(G)
    return G


@pytest.fixture(scope="module")
def G() -> nx.Graph:
    return make_graph()


def test_graphml_read_back_by_networkx_with_types(G):
    H = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
    assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges()
    for node, data in H.nodes(data=True):
        assert type(data["community"]) is int and type(data["label"]) is str
        assert type(data["x"]) is float and type(data["y"]) is float and type(data["size"]) is float
        assert all(type(data[c]) is int and 0 <= data[c] <= 255 for c in "rgb")
        assert data["x"] == G.nodes[node]["x"]
    assert H.nodes["t:0123456789ab"]["label"] == HOSTILE_CLEAN
    # one type per attribute: "2024?" makes year a string everywhere
    assert {type(d["year"]) for _, d in H.nodes(data=True) if "year" in d} == {str}
    assert H.graph["n_communities"] == G.graph["n_communities"]


def test_graphml_read_back_by_igraph(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    g = ig.Graph.Read_GraphML(str(path))
    assert g.vcount() == G.number_of_nodes() and g.ecount() == G.number_of_edges()
    assert set(g.vs["id"]) == set(G)
    assert all(float(c).is_integer() for c in g.vs["community"])
    assert all(isinstance(x, float) for x in g.vs["x"] + g.vs["y"] + g.vs["size"])
    assert all(isinstance(label, str) for label in g.vs["label"])
    keys = etree.fromstring(path.read_bytes()).findall("{http://graphml.graphdrawing.org/xmlns}key")
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert types[("node", "community")] in ("int", "long")
    assert types[("node", "x")] == types[("node", "size")] == "double"
    assert types[("node", "label")] == "string"


def _node_and_module() -> str:
    if not shutil.which("node"):
        pytest.skip("node is not installed: the graphology-graphml check needs Node.js")
    if not (JS / "node_modules" / "graphology-graphml").is_dir():
        if not shutil.which("npm"):
            pytest.skip("npm is not installed: cannot install graphology-graphml")
        done = subprocess.run(
            ["npm", "install", "--offline", "--no-audit", "--no-fund"],
            cwd=JS, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.skip("graphology-graphml not installed: run `npm install` in tests/js")
    return shutil.which("node") or "node"


def test_graphml_read_back_by_graphology(G, tmp_path):
    node = _node_and_module()
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    done = subprocess.run(
        [node, str(JS / "read_graphml.mjs"), str(path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    got = json.loads(done.stdout)
    assert got["order"] == G.number_of_nodes() and got["size"] == G.number_of_edges()
    assert got["type"] == "undirected"
    for key, attrs in got["nodes"].items():
        assert attrs["community"] == G.nodes[key]["community"]
        assert attrs["x"] == G.nodes[key]["x"]
    assert got["nodes"]["t:0123456789ab"]["label"] == HOSTILE_CLEAN


def test_gexf_has_viz_and_reads_back(G):
    data = gexf_bytes(G)
    H = nx.read_gexf(io.BytesIO(data))
    assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges()
    assert H.nodes["t:0123456789ab"]["label"] == HOSTILE_CLEAN
    root = etree.fromstring(data)
    viz = root.nsmap["viz"]
    assert viz.endswith("/viz")
    ns = {"g": root.nsmap[None], "viz": viz}
    nodes = root.findall(".//g:nodes/g:node", ns)
    assert len(nodes) == G.number_of_nodes()
    for el in nodes:
        color = el.find("viz:color", ns)
        assert color is not None and all(0 <= int(color.get(c)) <= 255 for c in "rgb")
        assert float(el.find("viz:size", ns).get("value")) > 0
        pos = el.find("viz:position", ns)
        assert float(pos.get("x")) == G.nodes[el.get("id")]["x"]
    assert b"lastmodifieddate" not in data


def test_json_round_trip_is_exact(G):
    H = read_json(io.BytesIO(json_bytes(G)))
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert {frozenset((u, v)): d for u, v, d in H.edges(data=True)} == {
        frozenset((u, v)): d for u, v, d in G.edges(data=True)
    }
    assert H.graph == G.graph
    assert H.nodes["t:0123456789ab"]["label"] == HOSTILE  # JSON keeps control characters
    assert json_bytes(H) == json_bytes(G)


def test_json_write_to_path(G, tmp_path):
    write_json(G, tmp_path / "g.json")
    assert read_json(tmp_path / "g.json").number_of_nodes() == G.number_of_nodes()


@pytest.mark.parametrize(
    "content, match",
    [
        (b"not json at all", "not valid JSON"),
        (b"[1, 2, 3]", 'no "nodes"'),
        (b'{"nodes": [{"id": "a"}]}', 'no "links"'),
        (b'{"nodes": [{"name": "a"}], "links": []}', 'no "id"'),
        (b'{"nodes": [], "links": [{"source": "a"}]}', '"source" and "target"'),
    ],
)
def test_read_json_rejects_other_files_with_a_hint(content, match):
    with pytest.raises(GraphFileError, match=match) as err:
        read_json(io.BytesIO(content))
    assert "graphkit build" in str(err.value)


def test_read_json_missing_file(tmp_path):
    with pytest.raises(GraphFileError, match="no such file"):
        read_json(tmp_path / "absent.json")


def test_read_json_sample_file():
    G = read_json(DATA / "small_graph.json")
    assert G.number_of_nodes() == 3 and G["a"]["b"]["kinds"] == "keyword"
    with pytest.raises(GraphFileError):
        read_json(DATA / "not_a_graph.json")


def test_csv_read_back(G):
    nodes = list(csv.reader(io.StringIO(nodes_csv_bytes(G).decode("utf-8"), newline="")))
    edges = list(csv.reader(io.StringIO(edges_csv_bytes(G).decode("utf-8"), newline="")))
    assert nodes[0][: len(NODE_COLUMNS)] == list(NODE_COLUMNS)
    assert edges[0][: len(EDGE_COLUMNS)] == list(EDGE_COLUMNS)
    assert len(nodes) == G.number_of_nodes() + 1 and len(edges) == G.number_of_edges() + 1
    rows = {r[0]: dict(zip(nodes[0], r, strict=True)) for r in nodes[1:]}
    assert rows["t:0123456789ab"]["label"] == HOSTILE_CLEAN
    assert rows["arxiv:2306.03078"]["community"] == str(G.nodes["arxiv:2306.03078"]["community"])
    assert rows["arxiv:2401.10774"]["title"].startswith("'=")  # no spreadsheet formula
    ends = {frozenset(r[:2]) for r in edges[1:]}
    assert ends == {frozenset(e) for e in G.edges}


def test_write_csv_and_export_graph(G, tmp_path):
    write_csv(G, tmp_path / "n.csv", tmp_path / "e.csv")
    assert (tmp_path / "n.csv").read_bytes() == nodes_csv_bytes(G)
    paths = export_graph(G, tmp_path / "out.csv", "csv")
    assert [p.name for p in paths] == ["out.nodes.csv", "out.edges.csv"]
    paths = export_graph(G, tmp_path, "csv")
    assert [p.name for p in paths] == ["nodes.csv", "edges.csv"]
    for fmt in ("graphml", "gexf", "json"):
        (path,) = export_graph(G, tmp_path, fmt)
        assert path == tmp_path / f"graph.{fmt}" and path.stat().st_size > 0
        assert export_graph(G, tmp_path / f"x.{fmt}", fmt.upper()) == [tmp_path / f"x.{fmt}"]
    with pytest.raises(ConfigError, match="graphml"):
        export_graph(G, tmp_path / "x", "pdf")


@pytest.mark.parametrize(
    "fn", [graphml_bytes, gexf_bytes, json_bytes, nodes_csv_bytes, edges_csv_bytes]
)
def test_deterministic_and_independent_of_insertion_order(G, fn):
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from((v, u, d) for u, v, d in reversed(list(G.edges(data=True))))
    assert fn(G) == fn(G) == fn(H)


def test_writers_do_not_mutate_the_graph(G):
    before = (dict(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph))
    for fn in (graphml_bytes, gexf_bytes, json_bytes, nodes_csv_bytes, edges_csv_bytes):
        fn(G)
    assert before == (dict(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph))


def test_unstyled_unlaid_graph_still_exports():
    G = nx.Graph([("a", "b")])
    G.nodes["a"]["tags"] = ["x", "y"]  # list → "; "-joined
    G.nodes["b"]["missing"] = None  # omitted
    G.nodes["b"]["score"] = float("nan")  # omitted
    H = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
    assert H.nodes["a"]["tags"] == "x; y" and "missing" not in H.nodes["b"]
    assert "x" not in H.nodes["a"] and "r" in H.nodes["a"]
    assert nx.read_gexf(io.BytesIO(gexf_bytes(G))).number_of_nodes() == 2


def test_hostile_ids_and_lone_surrogates():
    G = nx.Graph()
    G.add_edge("a\x01b", "c", note="bad \ud800 half")
    H = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
    assert set(H) == {"ab", "c"} and H["ab"]["c"]["note"] == "bad \ufffd half"
    J = read_json(io.BytesIO(json_bytes(G)))
    assert set(J) == {"a\x01b", "c"} and J["a\x01b"]["c"]["note"] == "bad \ufffd half"


def test_prepared_unifies_types():
    G = nx.Graph()
    G.add_node(1, year=2023, w=1, flag=True, size=3)
    G.add_node(2, year="2023?", w=0.5, flag=False, size=4)
    H = prepared(G)
    assert (
        H.nodes[1]["year"] == "2023" and H.nodes[1]["w"] == 1.0 and type(H.nodes[1]["w"]) is float
    )
    assert H.nodes[1]["flag"] is True and type(H.nodes[2]["size"]) is float


CORPUS = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_file(), reason=f"shared corpus {CORPUS} absent")
def test_real_abstracts_round_trip_through_every_format():
    """Titles and abstracts from the shared arXiv corpus (LaTeX, unicode) survive every writer."""
    import gzip
    import itertools

    import orjson

    with gzip.open(CORPUS, "rb") as fh:
        records = [orjson.loads(line) for line in itertools.islice(fh, 400)]
    G = nx.Graph()
    for rec in records:
        G.add_node(rec["id"], kind="paper", label=rec["title"], title=rec["title"],
                   abstract=rec["summary"], keyphrases="; ".join(rec.get("categories") or []))  # fmt: skip
    ids = [r["id"] for r in records]
    G.add_edges_from(
        (a, b, {"weight": 1.0, "kinds": "similarity"}) for a, b in itertools.pairwise(ids)
    )
    analyse(G)
    compute_layout(G)
    H = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
    J = read_json(io.BytesIO(json_bytes(G)))
    X = nx.read_gexf(io.BytesIO(gexf_bytes(G)))
    for rec in records:
        clean = rec["title"].translate({c: None for c in range(32) if c not in (9, 10, 13)})
        assert H.nodes[rec["id"]]["title"] == clean
        assert J.nodes[rec["id"]]["abstract"] == rec["summary"]
        assert X.nodes[rec["id"]]["label"] == clean


# --------------------------------------------------------------------------- streaming writers

PATH_WRITERS = [
    write_graphml,
    write_gexf,
    write_json,
    lambda G, path: write_csv(G, path, path.with_name("edges.csv")),
]


@pytest.fixture
def small_chunks(monkeypatch):
    """Flush every ~64 characters (XML), write 2 records at a time (every format), so that
    every test crosses many chunk and batch boundaries."""
    import graphkit.export.csv
    import graphkit.export.json
    import graphkit.export.view
    import graphkit.xmlwrite

    monkeypatch.setattr(graphkit.xmlwrite, "_CHUNK", 64)
    monkeypatch.setattr(graphkit.export.view, "BATCH", 2)
    monkeypatch.setattr(graphkit.export.json, "_JSON_BATCH", 2)
    monkeypatch.setattr(graphkit.export.csv, "_CSV_BATCH", 2)


@pytest.mark.parametrize(
    "fn", [graphml_bytes, gexf_bytes, json_bytes, nodes_csv_bytes, edges_csv_bytes]
)
def test_small_chunks_give_the_same_bytes(G, fn, monkeypatch):
    whole = fn(G)
    import graphkit.export.csv
    import graphkit.export.json
    import graphkit.export.view
    import graphkit.xmlwrite

    monkeypatch.setattr(graphkit.xmlwrite, "_CHUNK", 64)
    monkeypatch.setattr(graphkit.export.view, "BATCH", 2)
    monkeypatch.setattr(graphkit.export.json, "_JSON_BATCH", 2)
    monkeypatch.setattr(graphkit.export.csv, "_CSV_BATCH", 2)
    assert fn(G) == whole


class _FailsOnSecondStr:
    """A value whose text can be read once (the writers' type scan) but not twice."""

    def __init__(self) -> None:
        self.calls = 0

    def __str__(self) -> str:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("disk on fire")
        return "ok"


@pytest.mark.parametrize("writer", PATH_WRITERS, ids=["graphml", "gexf", "json", "csv"])
def test_a_failed_write_leaves_no_partial_file(writer, tmp_path, monkeypatch, small_chunks):
    import contextlib

    import graphkit.fileio
    from graphkit.fileio import atomic_writer

    G = make_graph()
    G.add_node("zzz:last", kind="paper", label="last", note=_FailsOnSecondStr())  # written last
    written = []

    @contextlib.contextmanager
    def spy(path):
        with atomic_writer(path) as fh:
            real_write = fh.write
            fh.write = lambda data: written.append(len(data)) or real_write(data)
            yield fh

    monkeypatch.setattr(graphkit.fileio, "atomic_writer", spy)
    target = tmp_path / "graph.out"
    target.write_bytes(b"the previous run")
    with pytest.raises(RuntimeError, match="disk on fire"):
        writer(G, target)
    assert sum(written) > 0  # the failure came mid-stream, after chunks were on disk
    assert target.read_bytes() == b"the previous run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.out"]  # no temporary left


TRICKY = "a & b < c > d \"q\" 'a'\ttab\nnew line\r\nCRLF \x00\x0b\ufffe\ud800 ok 🚀"
TRICKY_XML = "a & b < c > d \"q\" 'a'\ttab\nnew line\r\nCRLF \ufffd ok 🚀"


@pytest.mark.parametrize("fn", [graphml_bytes, gexf_bytes])
def test_tricky_text_across_chunks_parses_strictly_and_reads_back(fn, small_chunks):
    G = nx.Graph()
    for i in range(30):
        G.add_node(f"n{i:02}", label=f"{i} {TRICKY}", note=TRICKY * (i % 3))
    G.add_edge("n00", "n01", evidence=TRICKY, weight=1)
    data = fn(G)
    etree.fromstring(data, etree.XMLParser(recover=False))  # strict, like igraph's C parser
    H = (nx.read_graphml if fn is graphml_bytes else nx.read_gexf)(io.BytesIO(data))
    assert H.nodes["n07"]["label"] == f"7 {TRICKY_XML}"
    assert H.nodes["n05"]["note"] == TRICKY_XML * 2
    assert H["n00"]["n01"]["evidence"] == TRICKY_XML
    assert H["n00"]["n01"]["weight"] == 1.0


def test_one_type_per_key_with_odd_values():
    import numpy as np

    G = nx.Graph()
    G.add_node("a", big=2**70, mix=1, flag=True, score=np.float32(0.5), nan=float("nan"),
               tags=("x", "y"), count=np.int64(3))  # fmt: skip
    G.add_node("b", big=5, mix=2.5, flag=False, score=float("inf"), nan=1, count=4)
    G.add_node("c", mix="n/a", nan=float("nan"))
    G.add_edge("a", "b", weight=2, kinds="keyword")
    G.add_edge("b", "c", weight=0.5, kinds="similarity", note=None)
    H = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
    assert H.nodes["a"]["big"] == str(2**70) and H.nodes["b"]["big"] == "5"
    assert [H.nodes[n].get("mix") for n in "abc"] == ["1", "2.5", "n/a"]
    assert H.nodes["a"]["flag"] is True and H.nodes["b"]["flag"] is False
    assert H.nodes["a"]["score"] == 0.5 and "score" not in H.nodes["b"]
    assert "nan" not in H.nodes["a"] and H.nodes["b"]["nan"] == 1 and "nan" not in H.nodes["c"]
    assert H.nodes["a"]["tags"] == "x; y" and H.nodes["a"]["count"] == 3
    assert H["a"]["b"]["weight"] == 2.0 and "note" not in H["b"]["c"]
    root = etree.fromstring(graphml_bytes(G))
    types = {k.get("attr.name"): k.get("attr.type") for k in root.iter("{*}key")}
    assert types["big"] == types["mix"] == "string" and types["nan"] == "long"
    assert types["flag"] == "boolean" and types["score"] == types["weight"] == "double"
    X = nx.read_gexf(io.BytesIO(gexf_bytes(G)))
    assert X["a"]["b"]["weight"] == 2.0 and X.nodes["a"]["big"] == str(2**70)
    assert X.nodes["a"]["flag"] is True and X.nodes["c"]["mix"] == "n/a"


def test_attribute_order_does_not_change_the_bytes(G):
    H = nx.Graph()
    H.graph.update(reversed(list(G.graph.items())))
    H.add_nodes_from((n, dict(reversed(list(d.items())))) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, dict(reversed(list(d.items())))) for u, v, d in G.edges(data=True))
    for fn in (graphml_bytes, gexf_bytes, json_bytes, nodes_csv_bytes, edges_csv_bytes):
        assert fn(H) == fn(G)


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_records_with_other_keys_in_one_batch_read_back_exactly(batch, monkeypatch):
    """The XML writers write a batch's records grouped by their keys: every record still gets
    exactly its own values, in file order, whatever keys its neighbours in the batch have."""
    import random

    import graphkit.export.view

    monkeypatch.setattr(graphkit.export.view, "BATCH", batch)
    rng = random.Random(5)
    keys = {"s": 't<&>"x', "i": 3, "f": 0.25, "flag": True, "e": ""}
    G = nx.Graph()
    for n in range(40):
        chosen = rng.sample(sorted(keys), rng.randint(0, len(keys)))
        G.add_node(f"n{n:02}", **{k: keys[k] if k != "i" else n for k in chosen})
    for n in range(39):
        G.add_edge(f"n{n:02}", f"n{n + 1:02}", **({"w": float(n)} if n % 3 else {}))
    H = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
    X = nx.read_gexf(io.BytesIO(gexf_bytes(G)))
    for n, d in G.nodes(data=True):
        assert {k: H.nodes[n][k] for k in d} == d
        assert {k: X.nodes[n][k] for k in d} == d
        assert set(H.nodes[n]) - set(d) <= {"size", "color", "r", "g", "b"}
    for u, v, d in G.edges(data=True):
        assert H[u][v] == d and {k: X[u][v][k] for k in d} == d


def test_ids_that_look_alike_in_xml_are_refused():
    G = nx.Graph([(1, "1")])
    for fn in (graphml_bytes, gexf_bytes):
        with pytest.raises(GraphFileError, match="same"):
            fn(G)
    assert set(read_json(io.BytesIO(json_bytes(G)))) == {1, "1"}  # JSON keeps the types


def test_directed_graph_written_as_undirected():
    D = nx.DiGraph([("a", "b"), ("b", "c")])
    H = nx.read_graphml(io.BytesIO(graphml_bytes(D)))
    assert not H.is_directed() and sorted(map(sorted, H.edges)) == [["a", "b"], ["b", "c"]]


def test_unstyled_graph_gets_styles_and_gexf_viz():
    G = nx.Graph([("a", "b")])
    G.nodes["a"].update(community=1, pagerank=0.9, color="#123456", size="big")  # unusable size
    H = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
    assert H.nodes["a"]["color"] == "#f28e2b" and type(H.nodes["a"]["size"]) is float
    root = etree.fromstring(gexf_bytes(G))
    viz = {"viz": root.nsmap["viz"]}
    assert root.find(".//{*}node[@id='a']/viz:color", viz).get("r") == "242"
    assert root.find(".//{*}node[@id='a']/viz:position", viz) is None  # not laid out


def test_writers_take_an_open_binary_file(G, tmp_path):
    with open(tmp_path / "g.graphml", "wb") as fh:
        fh.write(b"")
        write_graphml(G, fh)
    assert (tmp_path / "g.graphml").read_bytes() == graphml_bytes(G)


def test_csv_formulas_hidden_behind_control_characters_are_still_made_text():
    G = nx.Graph()
    G.add_node("a", title="\x00=HYPERLINK(1)", note="-5", other="safe")
    G.add_node("=b", title="ok", note="+cmd", other="@x")
    G.add_edge("a", "=b", evidence="\x07-2+3 =x")
    nodes = list(csv.reader(io.StringIO(nodes_csv_bytes(G).decode("utf-8"), newline="")))
    rows = {r[0]: dict(zip(nodes[0], r, strict=True)) for r in nodes[1:]}
    assert rows["a"]["title"] == "'=HYPERLINK(1)" and rows["a"]["note"] == "-5"
    assert rows["'=b"]["note"] == "'+cmd" and rows["'=b"]["other"] == "'@x"
    edges = list(csv.reader(io.StringIO(edges_csv_bytes(G).decode("utf-8"), newline="")))
    row = dict(zip(edges[0], edges[1], strict=True))
    assert {row["source"], row["target"]} == {"a", "'=b"} and row["evidence"] == "'-2+3 =x"


# --------------------------------------------------------------------------- fast paths


def _odd_graph() -> nx.Graph:
    import numpy as np

    G = nx.Graph(name="odd\x00")
    G.add_node("a", big=2**70, mix=1, flag=True, score=np.float32(0.5), nan=float("nan"),
               tags=("x", "y"), label="=1+1", note=TRICKY)  # fmt: skip
    G.add_node("b\x01", mix=2.5, flag=False, score=float("inf"), note="-5", label="@b")
    G.add_node("c", mix="n/a", nan=float("nan"), note="half \ud800")
    G.add_edge("a", "b\x01", weight=2, kinds="keyword", evidence=TRICKY)
    G.add_edge("b\x01", "c", weight=0.5, kinds="+x", note=None)
    return G


@pytest.mark.parametrize("graph", [make_graph, _odd_graph, lambda: nx.DiGraph([(2, 1)])])
def test_a_shared_scan_gives_the_same_bytes(graph):
    from graphkit.export import scan_graph

    G = graph()
    scan = scan_graph(G)
    for write, simple in [
        (write_graphml, graphml_bytes),
        (write_gexf, gexf_bytes),
        (write_json, json_bytes),
    ]:
        buf = io.BytesIO()
        write(G, buf, scan=scan)
        assert buf.getvalue() == simple(G)
    nodes, edges = io.BytesIO(), io.BytesIO()
    write_csv(G, nodes, edges, scan=scan)
    assert nodes.getvalue() == nodes_csv_bytes(G) and edges.getvalue() == edges_csv_bytes(G)


def test_a_scan_of_another_graph_is_refused(G):
    from graphkit.export import scan_graph
    from graphkit.export.scan import GraphScan

    with pytest.raises(ValueError, match="another graph"):
        write_json(G, io.BytesIO(), scan=scan_graph(nx.Graph([(1, 2)])))
    with pytest.raises(ValueError, match="lacks the checks"):
        write_csv(G, io.BytesIO(), io.BytesIO(), scan=GraphScan(G, checks=frozenset({"json"})))


def test_csv_columns_equal_csv_writer_rows():
    """The column-at-a-time CSV text is what csv.writer writes a row at a time."""
    import random

    from csv_reference import csv_rows_simple

    from graphkit.export.csv import _csv_text

    alphabet = ["a", " ", ",", '"', "\r", "\n", "\t", "'", "=", "-", "+", "@", "1", ".", "é", "🚀"]
    values = [None, True, False, 0, -7, 1.5, -0.0, 1e300, 2**70, "", "-1.5", "+3", "=x", "@"]
    rng = random.Random(3)
    for _ in range(500):
        width = rng.randint(1, 4)
        rows = [
            [
                rng.choice(values)
                if rng.random() < 0.4
                else "".join(rng.choices(alphabet, k=rng.randint(0, 6)))
                for _ in range(width)
            ]
            for _ in range(rng.randint(1, 5))
        ]
        check = [i for i in range(width) if rng.random() < 0.5]
        bools = [i for i in range(width) if rng.random() < 0.5]
        columns = [list(column) for column in zip(*rows, strict=True)]
        assert _csv_text(columns, check, bools) == csv_rows_simple(rows, check, bools)


def test_formula_scan_equals_looks_like_formula():
    from graphkit.schema import FORMULA_START, any_formula, looks_like_formula

    assert all(len(start) == 1 for start in FORMULA_START)
    for texts in (["a", "b=", ""], ["", "=x"], ["ok", "\tx"], ["\r"], [], ["x\x00=y"]):
        assert any_formula(texts) == any(map(looks_like_formula, texts))


def test_noncharacters_are_forbidden_in_xml():
    from graphkit.xmlwrite import has_forbidden

    assert has_forbidden("a\ufffe") and has_forbidden("\uffffb") and not has_forbidden("\ufffd")
