"""Citation benchmarks: what co-citation and coupling add to relatedness, and the cost at 100k.

Usage: python bench/citations.py [--only recall,scale] [--corpus FILE.jsonl] [--papers 100000]
                                 [--arxiv PATH.jsonl.gz] [--hide 0.5]

``recall`` (citebench, ``../shared/fixtures/citebench/wos_coreofscience_all.jsonl``): every
in-corpus citation A → B of the JSONL is put, by a hash of the pair, either in the *visible*
references the build reads or in the *hidden* answer key (``--hide``, default half).  A query
is a paper with an abstract and at least one hidden cited paper with an abstract that does not
cite it back visibly: a pair that, in what the build sees, "shares references without citing
each other" at best.  For each query the paper neighbours in the built graph by edge weight
(``bench/relatedness.py``'s ``graph`` ranking) are scored with R@10, R@20 and MRR against the
hidden cited papers, leaving out of every ranking the papers a visible citation already links to
the query (they are known; counting them would only measure the visible references), for four
builds in the same run:

* ``text``: keyword, similarity, mention (references stripped: today's graph);
* ``text+cites``: plus ``cites`` over the visible references (never a hidden pair);
* ``text+all``: plus co-citation and bibliographic coupling (the default build);
* ``citations``: cites, co-citation and coupling alone.

Printed for all queries and for the *sharing* subset: queries with a hidden paper that shares a
visible reference or a visible citer with them (where co-citation/coupling can help at all).

``scale``: the shared arXiv corpus (74,728 papers) grown to ``--papers`` (default 100,000) by
adding records that pair one paper's title with another's abstract, each given synthetic
references (a Zipf draw of 5-35 works: 40 % corpus papers, 60 % outside works from a pool of
300,000 with Zipf popularity, so that many are cited by two or more papers and become reference
nodes).  The same file with and without its references is built in fresh processes by
``bench/build.py --one`` (every edge kind, every output, as the CLI runs); printed: total time,
TF-IDF time, their ratio (target <= 3x) and peak memory (target < 4 GB), with the citation
stage's own time.

Results go to ``bench/results/citations.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import gzip  # noqa: E402
import hashlib  # noqa: E402
import importlib.util  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import orjson  # noqa: E402

from graphkit.config import Config  # noqa: E402
from graphkit.model import CITATION_KINDS, EDGE_KINDS, Paper  # noqa: E402


def _load(name: str, file: str):
    """Import a sibling script by path (bench/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, _HERE / file)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


REL = _load("bench_relatedness", "relatedness.py")
DEFAULT_CORPUS = ROOT.parent / "shared" / "fixtures" / "citebench" / "wos_coreofscience_all.jsonl"
DEFAULT_ARXIV = ROOT.parent / "shared" / "corpora" / "arxiv-cs-2025.jsonl.gz"
RESULTS = ROOT / "bench" / "results" / "citations.json"
BUILDS = {
    "text": EDGE_KINDS,
    "text+cites": (*EDGE_KINDS, "cites"),
    "text+all": EDGE_KINDS + CITATION_KINDS,
    "citations": CITATION_KINDS,
}


def _hidden(src: str, dst: str, share: float) -> bool:
    h = int.from_bytes(hashlib.blake2b(f"{src}>{dst}".encode(), digest_size=8).digest(), "big")
    return h / 2**64 < share


def _wos_key(rid: str) -> str:
    from graphkit.ingest.refs import reference_key

    return reference_key(rid) or rid


def make_split(records: Sequence[dict[str, Any]], share: float):
    """Papers with their visible references, the hidden answer key, and the sharing subset."""
    from graphkit.ingest.jsonfmt import paper_fields
    from graphkit.ingest.record import ReadContext, make_paper

    ctx = ReadContext(path="citebench")
    ids = {str(r["id"]) for r in records}
    papers: list[Paper] = []
    visible: dict[str, set[str]] = {}
    hidden: dict[str, set[str]] = {}
    seen: set[str] = set()
    for number, rec in enumerate(records, start=1):
        rid = str(rec["id"])
        if rid in seen:
            continue
        seen.add(rid)
        refs = [r for r in rec.get("references") or () if r in ids and r != rid]
        vis = [r for r in refs if not _hidden(rid, r, share)]
        hidden[rid] = {r for r in refs if _hidden(rid, r, share)}
        visible[rid] = set(vis)
        d = {k: v for k, v in rec.items() if k not in ("references", "id")}
        fields = paper_fields(d)
        title = fields.pop("title") or ""
        fields["references"] = [_wos_key(r) for r in vis]
        fields["ids"] = [_wos_key(rid)]
        paper = make_paper(ctx, f"citebench#{number}", title=title, **fields)
        papers.append(dataclasses.replace(paper, id=rid))
    with_abstract = {p.id for p in papers if p.abstract}
    citers: dict[str, set[str]] = {}
    for a, refs in visible.items():
        for b in refs:
            citers.setdefault(b, set()).add(a)
    relevant: dict[str, frozenset[str]] = {}
    sharing: set[str] = set()
    for a, refs in hidden.items():
        if a not in with_abstract:
            continue
        keep = frozenset(b for b in refs if b in with_abstract and a not in visible.get(b, ()))
        if keep:
            relevant[a] = keep
            if any(visible[a] & visible.get(b, set()) or citers.get(a, set()) & citers.get(b, set())
                   for b in keep):  # fmt: skip
                sharing.add(a)
    known = {a: set(refs) | citers.get(a, set()) for a, refs in visible.items()}
    return papers, relevant, sharing, known


def rank_unseen(G, queries, known: dict[str, set[str]]) -> dict[str, list[str]]:
    """``bench/relatedness.py``'s graph ranking (paper neighbours by edge weight, ties by id)
    without the papers a visible citation already links to the query: what a user is shown
    beyond what the references say, and the same for every build."""
    out: dict[str, list[str]] = {}
    for q in queries:
        skip = known.get(q, set())
        nbrs = sorted(
            (-float(d.get("weight", 0.0) or 0.0), str(v))
            for v, d in G[q].items()
            if G.nodes[v].get("kind") == "paper" and v not in skip
        )
        out[q] = [v for _, v in nbrs[: REL.DEPTH]]
    return out


def run_recall(corpus: Path, share: float) -> dict[str, Any]:
    from graphkit.pipeline import build_graph

    records = REL.read_records(corpus)
    papers, relevant, sharing, known = make_split(records, share)
    queries = sorted(relevant)
    sub = {q: relevant[q] for q in queries if q in sharing}
    n_vis = sum(len(p.references) for p in papers)
    print(f"recall: {len(papers):,} papers, {n_vis:,} visible citations, {len(queries):,} queries "
          f"({len(sub):,} sharing a visible reference/citer with a hidden cited paper)")  # fmt: skip
    out: dict[str, Any] = {"papers": len(papers), "visible_citations": n_vis,
                           "queries": len(queries), "sharing_queries": len(sub), "builds": {}}  # fmt: skip
    for name, kinds in BUILDS.items():
        cfg = Config(edges=kinds)
        use = papers if any(k in CITATION_KINDS for k in kinds) else [
            dataclasses.replace(p, references=()) for p in papers]  # fmt: skip
        t0 = time.perf_counter()
        G = build_graph(use, cfg).graph
        took = time.perf_counter() - t0
        ranked = rank_unseen(G, queries, known)
        row = {"all": REL.score(ranked, relevant), "sharing": REL.score(ranked, sub),
               "build_s": round(took, 1), "edges": G.number_of_edges()}  # fmt: skip
        out["builds"][name] = row
        a, s = row["all"], row["sharing"]
        print(f"  {name:<11} all R@10 {a['R@10']:.3f} R@20 {a['R@20']:.3f} MRR {a['MRR']:.3f} | "
              f"sharing R@10 {s['R@10']:.3f} R@20 {s['R@20']:.3f} MRR {s['MRR']:.3f} | "
              f"{G.number_of_edges():,} edges, {took:.0f} s")  # fmt: skip
    base, full = out["builds"]["text+cites"], out["builds"]["text+all"]
    for part in ("all", "sharing"):
        d = full[part]["R@20"] - base[part]["R@20"]
        print(f"  co-citation + coupling change R@20 ({part}): {d:+.3f}")
    return out


def make_scale_file(arxiv: Path, n: int, target: Path, *, seed: int = 7) -> tuple[Path, Path]:
    """The arXiv corpus grown to ``n`` records with synthetic references; also a copy without."""
    with gzip.open(arxiv, "rb") as fh:
        base = [orjson.loads(line) for line in fh if line.strip()]
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    rows.extend(dict(rec) for rec in base[:n])
    extra = n - len(rows)
    a = rng.integers(0, len(base), size=max(extra, 0))
    b = rng.integers(0, len(base), size=max(extra, 0))
    for k in range(max(extra, 0)):
        rows.append({"id": f"doi:10.5555/synthetic.{k}", "doi": f"10.5555/synthetic.{k}",
                     "title": f"{base[a[k]]['title']} (variant {k})",
                     "abstract": base[b[k]].get("summary") or base[b[k]].get("abstract", ""),
                     "authors": base[b[k]].get("authors", [])})  # fmt: skip
    keys = [
        f"arxiv:{r['id']}" if not str(r["id"]).startswith("doi:") else str(r["id"]) for r in rows
    ]
    popularity = rng.permutation(len(rows))  # which papers are the popular ones
    for i, r in enumerate(rows):
        m = int(rng.integers(5, 36))
        inside = rng.random(m) < 0.4
        corpus = np.minimum(rng.zipf(1.4, size=m) - 1, len(rows) - 1)
        outside = np.minimum(rng.zipf(1.3, size=m) - 1, 299_999)
        refs = []
        for j in range(m):
            if inside[j]:
                t = int(popularity[corpus[j]])
                if t != i:
                    refs.append(keys[t])
            else:
                refs.append(f"doi:10.9999/outside.{int(outside[j])}")
        r["references"] = refs
    with_refs, without = target / f"scale-{n}.jsonl", target / f"scale-{n}-norefs.jsonl"
    with with_refs.open("wb") as f1, without.open("wb") as f2:
        for r in rows:
            f1.write(orjson.dumps(r) + b"\n")
            f2.write(orjson.dumps({k: v for k, v in r.items() if k != "references"}) + b"\n")
    return with_refs, without


def _child_build(path: Path, label: str, tmp: Path) -> dict[str, Any]:
    out = tmp / f"{label}.json"
    cmd = [sys.executable, str(_HERE / "build.py"), "--one", str(path), "--label", label,
           "--json-out", str(out), "--quiet"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"build of {path} failed:\n{proc.stderr[-2000:]}")
    return orjson.loads(out.read_bytes())


def run_scale(arxiv: Path, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-citations-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        with_refs, without = make_scale_file(arxiv, n, tmp)
        print(f"scale: {n:,} papers written in {time.perf_counter() - t0:.0f} s")
        rows = {}
        for label, path in (("without references", without), ("with references", with_refs)):
            res = _child_build(path, label.replace(" ", "-"), tmp)
            stages = {s["stage"]: s for s in res["stages"]}
            cit = stages.get("citation", {}).get("time_s")
            cit_peak = stages.get("citation", {}).get("tree_peak_mb")
            rows[label] = {"total_s": res["total_s"], "tfidf_s": res["tfidf_s"],
                           "ratio": res["ratio_total_to_tfidf"], "peak_mb": res["peak_mb"],
                           "citation_s": cit, "citation_peak_mb": cit_peak,
                           "stages": res["stages"], "counts": res["counts"]}  # fmt: skip
            print(f"  {label:<19} total {res['total_s']:.1f} s, tf-idf {res['tfidf_s']:.1f} s, "
                  f"ratio {res['ratio_total_to_tfidf']:.2f}x (target <= 3x), peak "
                  f"{res['peak_mb'] / 1024:.2f} GB (target < 4 GB)"
                  + (f", citation stage {cit:.1f} s ({cit / res['tfidf_s']:.2f}x the TF-IDF step)"
                     if cit is not None and res["tfidf_s"] else "")
                  + (f" peak {cit_peak / 1024:.2f} GB" if cit_peak else "")
                  + f"; {res['counts'].get('edges', 0):,} edges, {res['counts'].get('nodes', 0):,} nodes")  # fmt: skip
        return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="recall,scale")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--arxiv", default=str(DEFAULT_ARXIV))
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--hide", type=float, default=0.5)
    args = ap.parse_args(argv)
    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    results: dict[str, Any] = {}
    if "recall" in wanted:
        if Path(args.corpus).exists():
            results["recall"] = run_recall(Path(args.corpus), args.hide)
        else:
            print(f"recall: {args.corpus} not found; skipped")
    if "scale" in wanted:
        if Path(args.arxiv).exists():
            results["scale"] = run_scale(Path(args.arxiv), args.papers)
        else:
            print(f"scale: {args.arxiv} not found; skipped")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if RESULTS.exists():  # a run of one part keeps the other part's last figures
        results = {**orjson.loads(RESULTS.read_bytes()), **results}
    RESULTS.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
