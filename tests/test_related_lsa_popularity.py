"""`related`'s low-rank text model (LSA, graphkit.index.lsa) and its popularity prior (the
records' citation counts): stored in related.npz, read back, fused into the ranking, shown
as reasons, and absent (old behaviour) where a corpus or an old index has none."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import networkx as nx
import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.export import read_json
from graphkit.index import INDEX_NAME, build_index, index_bytes, load_index
from graphkit.index.lsa import lsa_dims, lsa_vectors
from graphkit.query import related
from graphkit.query.scores import popularity

REPO = Path(__file__).resolve().parents[1]
ARXIV = REPO / "tests/data/ingest/arxiv-50.jsonl"  # licence: tests/data/ingest/SOURCE.md
#: 25 real Web of Science records with times-cited (TC) counts and references between them
WOS = REPO / "tests/data/citations/wos_bitpattern_sample.txt"  # licence: .../SOURCE.md


def _build(tmp: Path, *inputs: Path) -> Path:
    r = CliRunner().invoke(
        cli, ["-q", "build", *map(str, inputs), "-o", str(tmp), "--formats", "json,index"],
        catch_exceptions=False,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return tmp


@pytest.fixture(scope="module")
def arxiv_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("lsa"), ARXIV)


def test_lsa_vectors_stored_unit_and_deterministic(arxiv_built: Path, tmp_path: Path) -> None:
    idx = load_index(arxiv_built / INDEX_NAME)
    assert idx.lsa is not None and idx.lsa.dtype == np.float16
    assert idx.lsa.shape == (idx.n_nodes, lsa_dims(idx.n_papers, len(idx.terms)))
    norms = np.linalg.norm(idx.lsa[: idx.n_papers].astype(np.float32), axis=1)
    has_text = np.diff(np.asarray(idx.X.indptr[: idx.n_papers + 1])) > 0
    assert np.allclose(norms[has_text], 1.0, atol=2e-3)
    assert not idx.lsa[idx.n_papers :].any()  # method nodes: zero rows
    again = _build(tmp_path, ARXIV)
    assert (again / INDEX_NAME).read_bytes() == (arxiv_built / INDEX_NAME).read_bytes()


def test_lsa_part_of_the_ranking(arxiv_built: Path) -> None:
    idx = load_index(arxiv_built / INDEX_NAME)
    q = idx.ids[0]
    res = related(idx, q, limit=5)
    parts = [dict(n.scores) for n in res.neighbours]
    assert parts and all(-1.001 <= p["lsa"] <= 1.001 for p in parts)
    Z = idx.lsa[: idx.n_papers].astype(np.float32)
    for n, p in zip(res.neighbours, parts, strict=True):
        d = idx.ids.index(n.node)
        assert p["lsa"] == pytest.approx(float(Z[d] @ Z[0]), abs=1e-3)


def test_same_topic_in_other_words_scores_higher() -> None:
    """Two topics whose papers share few exact words with each other: LSA puts a paper of the
    query's topic (sharing no word with it) above a paper of the other topic."""
    rng = np.random.default_rng(1)
    import scipy.sparse as sp

    X = np.zeros((80, 60), np.float32)
    for i in range(80):
        X[i, rng.choice(30, 4, replace=False) + 30 * (i % 2)] = 1.0
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Z = lsa_vectors(sp.csr_matrix(X), 80, dims=2).astype(np.float32)
    same = [j for j in range(2, 80, 2) if not (X[0] * X[j]).any()]
    assert same
    assert min(Z[0] @ Z[j] for j in same) > max(Z[0] @ Z[j] for j in range(1, 80, 2))


def test_small_corpus_has_no_lsa_and_ranks_as_before() -> None:
    G = nx.Graph()
    for i, t in enumerate(["speculative decoding drafts", "draft models for decoding", "layouts"]):
        G.add_node(f"p{i}", kind="paper", title=t)
    idx = build_index(G)
    assert idx.lsa is None
    assert "lsa" not in dict(related(idx, "p0").neighbours[0].scores)
    assert lsa_dims(49, 1000) == 0


def _without(data: bytes, *members: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as out:
        for info in src.infolist():
            if info.filename not in members:
                out.writestr(info, src.read(info))
    return buf.getvalue()


def test_index_without_lsa_or_counts_still_loads_and_answers(
    arxiv_built: Path, tmp_path: Path
) -> None:
    """An index written before the LSA rows existed (or with them removed) loads, and
    related ranks by the other parts."""
    old = tmp_path / INDEX_NAME
    old.write_bytes(_without((arxiv_built / INDEX_NAME).read_bytes(), "lsa.npy"))
    idx = load_index(old)
    assert idx.lsa is None and not len(idx.cited_by)
    res = related(idx, idx.ids[0], limit=3)
    assert res.neighbours and "lsa" not in dict(res.neighbours[0].scores)


def test_bad_lsa_rows_are_refused(arxiv_built: Path, tmp_path: Path) -> None:
    from graphkit.errors import GraphFileError

    idx = load_index(arxiv_built / INDEX_NAME)
    idx.lsa = idx.lsa[:3]
    bad = tmp_path / INDEX_NAME
    bad.write_bytes(index_bytes(idx))
    with pytest.raises(GraphFileError, match="LSA rows do not match"):
        load_index(bad)


# ---------------------------------------------------------------------------------------------
# the popularity prior
# ---------------------------------------------------------------------------------------------


def test_popularity_from_real_wos_counts(tmp_path: Path) -> None:
    """The WoS TC counts reach the index; the prior is log citations per year over the
    corpus's best; a listed paper with a count says so."""
    out = _build(tmp_path, WOS)
    G = read_json(out / "graph.json")
    idx = load_index(out / INDEX_NAME)
    counts = {n: d.get("cited_by_count") for n, d in G.nodes(data=True) if d.get("kind") == "paper"}
    assert any(counts.values())
    for i in range(idx.n_papers):
        c = counts[idx.ids[i]]
        assert int(idx.cited_by[i]) == (-1 if c is None else int(c))
    pop = popularity(idx)
    years = idx.years[: idx.n_papers]
    c = np.maximum(idx.cited_by[: idx.n_papers], 0)
    v = np.log1p(c / (years.max() - years + 1.0))
    assert np.allclose(pop, v / v.max(), atol=1e-6)
    shown = [
        (n, r)
        for p in idx.ids[: idx.n_papers]
        for n in related(idx, p, limit=10).neighbours
        for r in n.reasons
        if r.startswith("cited ") and "record's count" in r
    ]
    assert shown
    for n, r in shown:
        c = int(idx.cited_by[idx.ids.index(n.node)])
        assert r == f"cited {c:,} time{'s' if c != 1 else ''} (the record's count)"


def _twins(counts: dict[str, int | None], years: dict[str, int] | None = None) -> nx.Graph:
    G = nx.Graph()
    text = "nitrogen fixation by rhizobia in legume root nodules under drought"
    G.add_node("q", kind="paper", title="Query", abstract=text, year=2020)
    for name, c in counts.items():
        attrs = {"kind": "paper", "title": f"Paper {name}", "abstract": text}
        attrs["year"] = (years or {}).get(name, 2018)
        if c is not None:
            attrs["cited_by_count"] = c
        G.add_node(name, **attrs)
    G.add_node("far", kind="paper", title="Far", abstract="graph layout with force models")
    return G


def test_more_cited_twin_ranks_first_and_old_counts_are_per_year() -> None:
    res = related(_twins({"a": 3, "b": 300}), "q", limit=2)
    assert [n.node for n in res.neighbours] == ["b", "a"]
    assert "cited 300 times (the record's count)" in res.neighbours[0].reasons
    # 40 citations over 21 years are fewer per year than 12 over 2
    G = _twins({"old": 40, "new": 12}, years={"old": 1999, "new": 2018})
    idx = build_index(G)
    pop = dict(zip(idx.ids, popularity(idx), strict=False))
    assert pop["new"] > pop["old"]


def test_no_counts_no_prior_and_unknown_counts_get_the_median() -> None:
    idx = build_index(_twins({"a": None, "b": None}))
    assert not len(idx.cited_by) and popularity(idx) is None
    assert "cited" not in dict(related(idx, "q").neighbours[0].scores)
    idx = build_index(_twins({"a": 10, "b": None, "c": 0}))
    pop = dict(zip(idx.ids, popularity(idx), strict=False))
    assert pop["c"] <= pop["b"] <= pop["a"]


def test_counts_kept_without_references(tmp_path: Path) -> None:
    """A corpus with citation counts but no references (an OpenAlex/S2 export with the
    references left out) keeps the counts on its nodes and in the index."""
    recs = [
        {
            "id": f"W{i}",
            "title": f"Legume nodule study {i}",
            "year": 2010 + i,
            "abstract": "Rhizobia fix nitrogen in legume root nodules; drought reduces fixation.",
            "cited_by_count": 5 * i,
        }  # fmt: skip
        for i in range(6)
    ]
    src = tmp_path / "works.jsonl"
    src.write_bytes(b"\n".join(orjson.dumps(r) for r in recs))
    out = _build(tmp_path / "out", src)
    G = read_json(out / "graph.json")
    got = sorted(d.get("cited_by_count") for _, d in G.nodes(data=True) if d.get("kind") == "paper")
    assert got == [0, 5, 10, 15, 20, 25]
    idx = load_index(out / INDEX_NAME)
    assert sorted(idx.cited_by[: idx.n_papers].tolist()) == got


@pytest.mark.parametrize(
    "key", ["cited_by_count", "citationCount", "is-referenced-by-count", "n_citation",
            "citation_count", "times_cited", "timesCited"],
)  # fmt: skip
def test_json_citation_count_spellings(key: str) -> None:
    from graphkit.ingest.jsonfmt import paper_fields

    assert paper_fields({"title": "A", key: 7})["cited_by_count"] == 7
    assert paper_fields({"title": "A", "n_cited_refs": 80}).get("cited_by_count") is None
