"""bench/citations.py on tiny inputs: the hidden/visible split and the synthetic 100k file."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]


def _load():
    name = "bench_citations"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "citations.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


bench = _load()


def test_split_hides_pairs_and_never_shows_them():
    recs = [
        {"id": f"WOS:{i:015d}", "title": f"Paper {i}", "abstract": f"text {i}",
         "references": [f"WOS:{j:015d}" for j in range(i)]}
        for i in range(8)
    ]  # fmt: skip
    papers, relevant, sharing, known = bench.make_split(recs, 0.5)
    assert len(papers) == 8
    visible = {(p.id, r) for p in papers for r in p.references}
    for q, hidden in relevant.items():
        for b in hidden:
            key = "wos:" + b.removeprefix("WOS:")
            assert (q, key) not in visible  # a hidden citation is never a visible reference
            assert b not in known[q]
    assert sharing <= set(relevant)
    assert relevant  # with 28 links, some are hidden


def test_scale_file_has_synthetic_references(tmp_path):
    src = tmp_path / "arxiv.jsonl.gz"
    rows = [
        {"id": f"2501.{i:05d}", "title": f"T{i}", "summary": f"abstract {i}"} for i in range(30)
    ]
    src.write_bytes(gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in rows)))
    with_refs, without = bench.make_scale_file(src, 40, tmp_path)
    a = [orjson.loads(x) for x in with_refs.read_bytes().splitlines()]
    b = [orjson.loads(x) for x in without.read_bytes().splitlines()]
    assert len(a) == len(b) == 40 and all(len(r["references"]) + 1 >= 5 for r in a)
    assert all("references" not in r for r in b)
    assert a[35]["abstract"].startswith("abstract")
    keys = {f"arxiv:{r['id']}" for r in a[:30]} | {r["id"] for r in a[30:]}
    inside = [k for r in a for k in r["references"] if not k.startswith("doi:10.9999/")]
    assert inside and set(inside) <= keys
