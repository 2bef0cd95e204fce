"""The pipeline: inline and two-process builds agree; stages are timed."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit import parallel, pipeline
from graphkit.config import Config
from graphkit.ingest import load_corpus
from graphkit.progress import Reporter

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def papers():
    return load_corpus([SEEDS]).papers


def _edge_view(G):
    return sorted((u, v, tuple(sorted(d.items()))) for u, v, d in G.edges(data=True))


def test_background_similarity_gives_the_same_graph(papers, monkeypatch) -> None:
    inline = pipeline.build_graph(papers, Config(workers=1))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAPERS", 1)
    rep = Reporter()
    forked = pipeline.build_graph(papers, Config(workers=2), reporter=rep)
    assert "wait similarity" in rep.timings, "the similarity stage did not run in a second process"
    assert {"tf-idf", "similarity"} <= set(rep.timings)
    assert list(forked.graph.nodes(data=True)) == list(inline.graph.nodes(data=True))
    assert _edge_view(forked.graph) == _edge_view(inline.graph)


def test_every_stage_is_timed(papers) -> None:
    rep = Reporter()
    pipeline.build_graph(papers, Config(workers=1), reporter=rep)
    expected = {
        "features",
        "keyword",
        "tf-idf",
        "similarity",
        "mention",
        "graph",
        "analysis",
        "layout",
    }
    assert expected <= set(rep.timings)
    assert all(t >= 0 for t in rep.timings.values())


def test_without_similarity_no_tfidf_runs(papers) -> None:
    rep = Reporter()
    res = pipeline.build_graph(papers, Config(edges=("keyword",)), reporter=rep)
    assert "tf-idf" not in rep.timings
    assert {d["kinds"] for _, _, d in res.graph.edges(data=True)} == {"keyword"}
