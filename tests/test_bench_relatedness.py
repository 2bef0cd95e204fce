"""The relatedness benchmark runs on a tiny corpus with references and scores what it should.

No figures are asserted beyond what the tiny corpus forces (a cited near-duplicate is found).
"""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import orjson
import pytest

REPO = Path(__file__).resolve().parents[1]


def _load():
    name = "bench_relatedness"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "relatedness.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


rel = _load()

TOPICS = [
    ("soil bacteria nitrogen fixation", "legume roots nodules rhizobia nitrogen soil"),
    ("graph layout algorithms", "force directed layout of large graphs with many nodes"),
    ("maize haploid induction", "haploid inducer lines maize breeding doubled haploids"),
]


def _records() -> list[dict]:
    recs = []
    for t, (title, words) in enumerate(TOPICS):
        for i in range(4):
            recs.append(
                {
                    "id": f"r{t}{i}",
                    "title": f"{title} study {i}",
                    "abstract": f"We study {words}. Variant {i} of the {title} problem is measured.",
                    "year": 2000 + i,
                    "references": [f"r{t}{j}" for j in range(i)],
                }
            )
    return recs


def test_doctests():
    assert doctest.testmod(rel, optionflags=doctest.ELLIPSIS).failed == 0


def test_run_bench_scores_every_method():
    bench = rel.make_bench("tiny", _records())
    assert all(not hasattr(p, "references") or not p.references for p in bench.papers)
    assert len(bench.relevant) == 9  # papers 1-3 of each topic cite earlier ones
    row = rel.run_bench(bench, rel.Config())
    assert set(row["methods"]) == {"graph", "related", "tfidf", "bm25"}
    for name, m in row["methods"].items():
        if "skipped" in m:
            assert name == "bm25"
            continue
        assert 0.0 <= m["R@10"] <= m["R@20"] <= 1.0
        assert m["queries"] == 9
    # every cited paper is in the same 4-paper topic: top-10 of a text ranking finds them all
    assert row["methods"]["tfidf"]["R@10"] == 1.0
    assert row["shape"]["mean_paper_degree"] > 0


def test_main_skips_without_corpus(tmp_path, capsys):
    assert rel.main(["--corpus", str(tmp_path / "absent.jsonl")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_main_writes_results(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b"\n".join(orjson.dumps(r) for r in _records()))
    out = tmp_path / "r.json"
    assert rel.main(["--corpus", str(corpus), "--only", "all,1k", "--slice", "8",
                     "--out", str(out)]) == 0  # fmt: skip
    rows = orjson.loads(out.read_bytes())["rows"]
    assert [r["papers"] for r in rows] == [12, 8]
    assert "R@10" in capsys.readouterr().out


@pytest.mark.parametrize("missing", ["bm25s"])
def test_bm25_says_why_when_absent(monkeypatch, missing):
    monkeypatch.setitem(sys.modules, missing, None)
    bench = rel.make_bench("tiny", _records())
    assert "not installed" in rel.rank_bm25(bench.papers, sorted(bench.relevant))
