"""Smoke tests of the benchmark scripts on a tiny slice: they run and report the right structure.

No timing assertions (speed is what the scripts print).  The slice comes from the shared arXiv
corpus beside the clone; without it these tests skip.
"""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from shared_data import SHARED

REPO = Path(__file__).resolve().parents[1]
CORPUS = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"
needs_corpus = pytest.mark.skipif(not CORPUS.is_file(), reason=f"shared corpus {CORPUS} absent")


def _load(name: str, file: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / file)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


common = _load("bench_common", "_common.py")
naive = _load("bench_naive", "naive.py")
build = _load("bench_build", "build.py")


@pytest.mark.parametrize("mod", [common, naive, build], ids=lambda m: m.__name__)
def test_doctests(mod):
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_top_k_edges_matches_brute_force():
    rng = np.random.default_rng(0)
    X = rng.random((30, 8))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    S = X @ X.T
    got = naive.top_k_edges(S.copy(), 3, 0.5)
    want = set()
    for i in range(30):
        order = sorted((j for j in range(30) if j != i), key=lambda j: -S[i, j])[:3]
        want |= {(min(i, j), max(i, j)) for j in order if S[i, j] >= 0.5}
    assert {(i, j) for i, j, _ in got} == want
    assert all(abs(v - S[i, j]) < 1e-12 for i, j, v in got)


def test_measuring_reporter_records_time_and_peak():
    with common.RssSampler(interval=0.005) as sampler:
        rep = common.MeasuringReporter(sampler)
        with rep.step("alloc"):
            block = bytearray(64 * common.MB)
            block[::4096] = b"x" * len(block[::4096])  # touch every page
        del block
        with rep.step("idle"):
            pass
    rows = rep.rows()
    assert [r["stage"] for r in rows] == ["alloc", "idle"]
    assert rep.peaks["alloc"] - rep.peaks["idle"] >= 32 * common.MB


def test_stage_timed_in_a_worker_has_no_memory_of_its_own():
    from graphkit.progress import Stage

    with common.RssSampler() as sampler:
        rep = common.MeasuringReporter(sampler)
        with rep.step("features"):
            pass
        if hasattr(rep, "record"):
            rep.record("tf-idf", 2.5, "10 × 20")
        else:  # what Reporter.record does: a stage reported after it ran elsewhere
            rep.timings["tf-idf"] = 2.5
            st = Stage("tf-idf")
            st.set_note("10 × 20")
            rep._end(st, 2.5)
    rows = {r["stage"]: r for r in rep.rows()}
    assert rows["tf-idf"]["in_worker"] and rows["tf-idf"]["peak_mb"] is None
    assert rows["tf-idf"]["time_s"] == 2.5 and rows["tf-idf"]["note"] == "10 × 20"
    assert rows["features"]["tree_peak_mb"] >= rows["features"]["peak_mb"] > 0


def test_write_slice_keeps_file_order(tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_text("".join(f'{{"id": "{i}", "title": "T{i}"}}\n' for i in range(5)))
    out, n = common.write_slice(src, 3, tmp_path / "s.jsonl")
    assert n == 3
    assert out.read_text().splitlines() == src.read_text().splitlines()[:3]
    assert common.write_slice(src, None, tmp_path / "all.jsonl")[1] == 5


def test_naive_refuses_a_matrix_that_cannot_fit():
    assert naive.dense_bytes_needed(74_728) > 24 * 1024**3


@pytest.mark.slow
@needs_corpus
def test_naive_runs_on_a_tiny_slice(tmp_path):
    res = naive.main(
        [
            "--n",
            "200",
            "--corpus",
            str(CORPUS),
            "--quiet",
            "--json-out",
            str(tmp_path / "naive.json"),
        ]
    )
    assert (tmp_path / "naive.json").is_file()
    assert res["n_papers"] == 200
    steps = [r["stage"] for r in res["stages"]]
    assert steps[:3] == ["read", "tf-idf", "cosine-dense"] and steps[-1] == "pyvis"
    assert all(r["time_s"] >= 0 and r["peak_mb"] > 0 for r in res["stages"])
    assert 0 < res["edges"] <= 200 * res["top_k"]
    # Similar abstracts cluster: the partition is far better than random.
    assert 0.3 < res["modularity"] <= 1.0
    assert res["notes"]["betweenness"].startswith("exact")


@pytest.mark.slow
@needs_corpus
def test_build_bench_runs_two_tiny_slices(tmp_path):
    summary = build.main(
        [
            "--slices",
            "100,200",
            "--naive-at",
            "200",
            "--corpus",
            str(CORPUS),
            "--results-dir",
            str(tmp_path),
            "--exponent-from",
            "100",
            "--quiet",
        ]
    )
    for name in ("build-100.json", "build-200.json", "naive-200.json", "build-summary.json"):
        assert (tmp_path / name).is_file(), name
    assert [s["n_records"] for s in summary["slices"]] == [100, 200]
    assert not any(s["error"] for s in summary["slices"])
    assert summary["largest"]["n_records"] == 200
    assert summary["largest"]["ratio_total_to_tfidf"] > 1
    assert summary["largest"]["peak_gb"] > 0
    assert summary["exponents"]["n1"] == 100 and summary["exponents"]["n2"] == 200
    assert "tf-idf" in summary["exponents"]["stages"]
    cmp = summary["naive_comparison"]
    assert cmp["n"] == 200 and cmp["speedup"] > 0
    assert 0 < cmp["modularity_naive"] <= 1 and 0 <= cmp["modularity_graphkit"] <= 1
    one = build.orjson.loads((tmp_path / "build-200.json").read_bytes())
    assert {"read", "tf-idf", "similarity", "analysis", "write"} <= {
        r["stage"] for r in one["stages"]
    }
    assert one["output_bytes"]["graph.html"] > 0
    assert one["peak_mb"] >= one["max_rss_mb"] > 0 and one["tree_peak_mb"] > 0


def test_growth_exponent_of_a_quadratic_stage():
    a = {
        "n_records": 10_000,
        "total_s": 1.0,
        "peak_mb": 10.0,
        "stages": [{"stage": "pairs", "time_s": 1.0}],
    }
    b = {
        "n_records": 40_000,
        "total_s": 16.0,
        "peak_mb": 40.0,
        "stages": [{"stage": "pairs", "time_s": 16.0}],
    }
    e = build.growth_exponents(a, b)
    assert e["stages"]["pairs"] == pytest.approx(2.0)
    assert e["peak_memory"] == pytest.approx(1.0)


def test_naive_graph_is_a_plain_networkx_graph():
    # The comparison relies on networkx defaults: weights are plain floats.
    G = nx.Graph()
    G.add_weighted_edges_from(
        (f"p{i}", f"p{j}", v) for i, j, v in naive.top_k_edges(np.eye(3) + 0.3, 2, 0.1)
    )
    assert G.number_of_edges() == 3
    assert all(isinstance(w, float) for _, _, w in G.edges(data="weight"))
