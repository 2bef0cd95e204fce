"""Benchmark the whole ``graphkit build`` on slices of the shared arXiv corpus; print and save figures.

Usage: .venv/bin/python bench/build.py [--slices 1000,10000,30000,all] [--naive-at 10000]
                                       [--naive-result bench/results/naive-10k.json]
                                       [--corpus PATH] [--results-dir bench/results]

Each slice (the first N records in file order) is written once as JSONL into a temporary folder
and built in a fresh Python process (so its peak memory is its own) with every edge kind and
every output, including the capped HTML.  Per stage the child records wall time
(``Reporter.timings``) and peak RSS (see ``bench/_common.py``).  The driver then prints

- a per-stage table per slice (time, share of the total, peak MB);
- total build time ÷ TF-IDF time (target ≤ 3×) and peak memory (target < 4 GB on all 74,728),
  with two denominators: the build's own TF-IDF step (in its second process) and a standalone
  scikit-learn ``TfidfVectorizer`` (1–2-grams, sublinear tf, English stop words, ``min_df=2``)
  fitted on the same texts in a fresh process of its own, right after the build, in the same run;
- each stage's growth exponent between 10k and the largest slice: log(t₂/t₁) / log(n₂/n₁);
- the naive pipeline (``bench/naive.py``) at ``--naive-at`` papers: speed-up (target ≥ 10×)
  and the modularity of both graphs.

Results go to ``<results-dir>/build-<slice>.json``, ``naive-<slice>.json`` and
``build-summary.json``.

``--baseline REV`` also builds every slice with the code of git revision ``REV`` (exported with
``git archive`` into a temporary folder and put first on the child's ``PYTHONPATH``), the two
builds of a slice one after the other in the same run, and prints them side by side (results
in ``baseline-<slice>.json``): the before/after comparison of a refactor on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson


def _load(name: str, file: str):
    """Import a sibling script by path (bench/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


C = _load("bench_common", "_common.py")
naive = _load("bench_naive", "naive.py")

__all__ = ["run_one", "standalone_tfidf", "growth_exponents", "summarise", "main"]

TARGET_RATIO = 3.0
TARGET_PEAK_GB = 4.0
TARGET_SPEEDUP = 10.0
#: A build's headline figures (summary and before/after comparison).
_HEADLINE = (
    "total_s",
    "tfidf_s",
    "ratio_total_to_tfidf",
    "standalone_tfidf_s",
    "ratio_total_to_standalone_tfidf",
    "peak_mb",
)
#: Stages shorter than this (s) at the smaller size get no exponent: timer noise dominates.
MIN_EXPONENT_TIME = 0.05


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


# --------------------------------------------------------------------------- child process


def run_one(
    slice_file: str | Path, label: str, *, echo: bool = True, keep: str | None = None
) -> dict[str, Any]:
    """Build one slice in this process with every edge kind and output; return its figures.
    ``keep``: build into that folder and leave it (for bench/related_query.py --out)."""
    # Heavy third-party imports happen before the clock starts (bench/naive.py does the same).
    import networkx  # noqa: F401
    import scipy.sparse  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401

    from graphkit.config import Config
    from graphkit.pipeline import run_build

    folder = (
        contextlib.nullcontext(keep)
        if keep
        else tempfile.TemporaryDirectory(prefix=f"bench-out-{label}-")
    )
    with folder as out, C.RssSampler() as sampler:
        cfg = Config(paths=(str(slice_file),), out_dir=out, workers=0)  # as the CLI runs it
        rep = C.MeasuringReporter(sampler, echo=echo, prefix=f"  [{label}] ")
        t0 = time.perf_counter()
        result = run_build(cfg, reporter=rep)
        total = time.perf_counter() - t0
        sizes = {p.name: p.stat().st_size for p in result.written}
        manifest = result.manifest
    rows = rep.rows()
    tfidf = rep.timings.get("tf-idf", 0.0)
    for r in rows:
        r["share"] = round(r["time_s"] / total, 4) if total else 0.0
    counts = manifest.get("counts", {})
    own_max = C.max_rss_bytes() / C.MB
    tree_peak = max(rep.tree_peaks.values(), default=0) / C.MB
    return {
        "label": label,
        "n_records": counts.get("records", 0),
        "counts": counts,
        "stages": rows,
        "total_s": round(total, 3),
        "tfidf_s": round(tfidf, 3),
        "ratio_total_to_tfidf": round(total / tfidf, 3) if tfidf else None,
        "peak_mb": round(max(own_max, tree_peak), 1),
        "max_rss_mb": round(own_max, 1),
        "tree_peak_mb": round(tree_peak, 1),
        "workers_max_rss_mb": round(C.children_max_rss_bytes() / C.MB, 1),
        "worker_peaks_mb": rep.worker_peaks_mb(),
        "output_bytes": sizes,
        "options": manifest.get("options", {}),
        "versions": manifest.get("versions", {}),
    }


# --------------------------------------------------------------------------- driver


def standalone_tfidf(slice_file: str | Path) -> dict[str, Any]:
    """Time a plain scikit-learn TF-IDF (1–2-grams, sublinear tf, English stop words,
    ``min_df=2``) over the texts the build vectorises (title twice, then the abstract), in this
    process: the second denominator of the build ratio.  Reading the slice and making the texts
    are not timed."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from graphkit.features.text import paper_text

    texts = [paper_text(p) for p in C.load_papers(slice_file)]
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=2)
    t0 = time.perf_counter()
    X = vec.fit_transform(texts)
    seconds = time.perf_counter() - t0
    return {
        "n_texts": len(texts),
        "seconds": round(seconds, 3),
        "shape": list(X.shape),
        "nnz": X.nnz,
    }


def _with_standalone(res: dict[str, Any], tfidf: dict[str, Any] | None) -> dict[str, Any]:
    """``res`` with the standalone TF-IDF time and the total's ratio to it."""
    seconds = (tfidf or {}).get("seconds")
    res["standalone_tfidf_s"] = seconds
    res["ratio_total_to_standalone_tfidf"] = (
        round(res["total_s"] / seconds, 3) if seconds and "total_s" in res else None
    )
    return res


def _ratios(res: dict[str, Any]) -> str:
    """Both ratios of one build, as printed."""
    own, alone = res.get("ratio_total_to_tfidf"), res.get("ratio_total_to_standalone_tfidf")
    parts = [f"total / in-build tf-idf = {own:.2f}×" if own else "no tf-idf stage"]
    if alone:
        parts.append(
            f"total / standalone tf-idf ({res['standalone_tfidf_s']:.1f} s) = {alone:.2f}×"
        )
    return "; ".join(parts) + f" (target ≤ {TARGET_RATIO:g}×)"


def growth_exponents(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """log(t₂/t₁)/log(n₂/n₁) per stage (and for the total and peak memory) between two runs.

    >>> a = {"n_records": 1000, "total_s": 2.0, "peak_mb": 100,
    ...      "stages": [{"stage": "x", "time_s": 1.0}, {"stage": "y", "time_s": 0.001}]}
    >>> b = {"n_records": 10000, "total_s": 200.0, "peak_mb": 1000,
    ...      "stages": [{"stage": "x", "time_s": 10.0}, {"stage": "y", "time_s": 1.0}]}
    >>> e = growth_exponents(a, b)
    >>> e["stages"], e["total"], e["peak_memory"]
    ({'x': 1.0, 'y': None}, 2.0, 1.0)
    """
    n1, n2 = small["n_records"], large["n_records"]
    out: dict[str, Any] = {"n1": n1, "n2": n2, "stages": {}}
    if n1 <= 0 or n2 <= n1:
        return out
    span = math.log(n2 / n1)

    def exp(t1: float, t2: float) -> float | None:
        if t1 < MIN_EXPONENT_TIME or t2 <= 0:
            return None
        return round(math.log(t2 / t1) / span, 2)

    t_small = {r["stage"]: r["time_s"] for r in small["stages"]}
    for r in large["stages"]:
        if r["stage"] in t_small:
            out["stages"][r["stage"]] = exp(t_small[r["stage"]], r["time_s"])
    out["total"] = exp(small["total_s"], large["total_s"])
    out["peak_memory"] = exp(small["peak_mb"], large["peak_mb"])
    return out


def _mb(value: float | None) -> str:
    return "worker" if value is None else f"{value:.0f}"


def _print_slice(res: dict[str, Any]) -> None:
    c = res["counts"]
    print(
        f"\n== graphkit build, {res['n_records']:,} records ({res['label']}): "
        f"{c.get('nodes', 0):,} nodes, {c.get('edges', 0):,} edges, "
        f"{c.get('communities', 0)} communities, modularity {c.get('modularity', 0):.3f}"
    )
    rows = [
        (
            r["stage"],
            f"{r['time_s']:.2f}",
            f"{100 * r['share']:.1f}",
            _mb(r.get("peak_mb")),
            _mb(r.get("tree_peak_mb")),
            r["note"],
        )
        for r in res["stages"]
    ]
    workers = ", ".join(f"{k} {v:.0f} MB" for k, v in res.get("worker_peaks_mb", {}).items())
    rows.append(
        (
            "TOTAL",
            f"{res['total_s']:.2f}",
            "",
            f"{res['max_rss_mb']:.0f}",
            f"{res.get('tree_peak_mb', 0):.0f}",
            "ru_maxrss; tree = + workers' private memory" + (f" ({workers})" if workers else ""),
        )
    )
    print(C.fmt_table(rows, ("stage", "time s", "%", "own MB", "tree MB", "note")))
    if any(r.get("in_worker") for r in res["stages"]):
        print("'worker': timed in a worker process beside the parent's stages (% overlap)")
    print(_ratios(res))


def summarise(
    builds: list[dict[str, Any]], naive_res: dict[str, Any] | None, *, exponent_from: int
) -> dict[str, Any]:
    """The headline figures: ratios, peak memory, exponents and the naive comparison."""
    ok = sorted((b for b in builds if "error" not in b), key=lambda b: b["n_records"])
    summary: dict[str, Any] = {
        "slices": [
            {
                k: b.get(k)
                for k in (
                    "label",
                    "n_records",
                    *_HEADLINE,
                    "max_rss_mb",
                    "tree_peak_mb",
                    "workers_max_rss_mb",
                    "error",
                )
            }
            | {"modularity": b.get("counts", {}).get("modularity")}
            for b in sorted(builds, key=lambda b: b.get("n_records", 0))
        ],
        "targets": {
            "ratio_total_to_tfidf_max": TARGET_RATIO,
            "peak_gb_max": TARGET_PEAK_GB,
            "speedup_vs_naive_min": TARGET_SPEEDUP,
        },
    }
    if ok:
        largest = ok[-1]
        summary["largest"] = {
            "n_records": largest["n_records"],
            "ratio_total_to_tfidf": largest["ratio_total_to_tfidf"],
            "ratio_ok": bool(largest["ratio_total_to_tfidf"])
            and largest["ratio_total_to_tfidf"] <= TARGET_RATIO,
            "ratio_total_to_standalone_tfidf": largest.get("ratio_total_to_standalone_tfidf"),
            "peak_gb": round(largest["peak_mb"] / 1024, 2),
            "peak_ok": largest["peak_mb"] / 1024 < TARGET_PEAK_GB,
            "dominant_stage": max(largest["stages"], key=lambda r: r["time_s"])["stage"],
        }
    if len(ok) >= 2:
        base = [b for b in ok if b["n_records"] >= exponent_from and b is not ok[-1]]
        small = base[0] if base else ok[0]
        summary["exponents"] = growth_exponents(small, ok[-1])
        summary["exponents_pairwise"] = [
            growth_exponents(a, b) for a, b in zip(ok, ok[1:], strict=False)
        ]
    if naive_res is not None:
        cmp: dict[str, Any] = {"naive": naive_res}
        if "refused" not in naive_res and "error" not in naive_res:
            same = [b for b in ok if b["n_records"] == naive_res["n_papers"]]
            same = same or [b for b in ok if b["counts"].get("papers") == naive_res["n_papers"]]
            if same:
                g = same[0]
                speedup = naive_res["total_s"] / g["total_s"] if g["total_s"] else None
                cmp.update(
                    n=naive_res["n_papers"],
                    graphkit_s=g["total_s"],
                    naive_s=naive_res["total_s"],
                    speedup=round(speedup, 2) if speedup else None,
                    speedup_ok=bool(speedup) and speedup >= TARGET_SPEEDUP,
                    modularity_graphkit=g["counts"].get("modularity"),
                    modularity_naive=naive_res["modularity"],
                    modularity_graphkit_on_naive_graph=naive_res.get(
                        "modularity_graphkit_same_graph"
                    ),
                    # like for like: both community algorithms on the same (naive) graph
                    # (None: a naive result from before bench/naive.py measured it)
                    modularity_ok=None
                    if naive_res.get("modularity_graphkit_same_graph") is None
                    else naive_res["modularity_graphkit_same_graph"]
                    >= naive_res["modularity"] - 1e-9,
                    peak_mb_graphkit=g["peak_mb"],
                    peak_mb_naive=naive_res["max_rss_mb"],
                )
        summary["naive_comparison"] = cmp
    return summary


def _print_summary(summary: dict[str, Any], builds: list[dict[str, Any]]) -> None:
    ok = sorted((b for b in builds if "error" not in b), key=lambda b: b["n_records"])
    print("\n== summary")
    if ok:
        stages = [r["stage"] for r in ok[-1]["stages"]]
        exps = summary.get("exponents", {}).get("stages", {})
        header = ["stage"] + [f"{b['label']} s" for b in ok] + [f"{ok[-1]['label']} MB", "exponent"]
        rows = []
        for s in stages:
            times = [{r["stage"]: r for r in b["stages"]}.get(s) for b in ok]
            e = exps.get(s)
            rows.append(
                [s]
                + [f"{t['time_s']:.2f}" if t else "-" for t in times]
                + [_mb(times[-1].get("tree_peak_mb")) if times[-1] else "-"]
                + ["-" if e is None else f"{e:.2f}"]
            )
        e = summary.get("exponents", {})
        rows.append(
            ["TOTAL"]
            + [f"{b['total_s']:.2f}" for b in ok]
            + [f"{ok[-1]['peak_mb']:.0f}"]
            + ["-" if e.get("total") is None else f"{e['total']:.2f}"]
        )
        print(C.fmt_table(rows, header))
        if e.get("n1"):
            print(f"exponents between n={e['n1']:,} and n={e['n2']:,}: log(t2/t1)/log(n2/n1)")
        lg = summary["largest"]
        alone = lg.get("ratio_total_to_standalone_tfidf")
        print(
            f"at {lg['n_records']:,} records: total / in-build tf-idf = "
            f"{lg['ratio_total_to_tfidf']:.2f}× (target ≤ {TARGET_RATIO:g}×: "
            f"{'ok' if lg['ratio_ok'] else 'MISSED'}); total / standalone tf-idf = "
            + (f"{alone:.2f}×" if alone else "-")
            + f"; peak memory incl. workers {lg['peak_gb']:.2f} GB (target < {TARGET_PEAK_GB:g} GB: "
            f"{'ok' if lg['peak_ok'] else 'MISSED'}); slowest stage: {lg['dominant_stage']}"
        )
    for b in builds:
        if "error" in b:
            print(f"slice {b['label']} FAILED: {b['error']}")
    cmp = summary.get("naive_comparison")
    if cmp:
        nv = cmp["naive"]
        if "refused" in nv or "error" in nv:
            print(f"naive: {nv.get('refused') or nv.get('error')}")
        elif "speedup" in cmp:
            same = cmp.get("modularity_graphkit_on_naive_graph")
            verdict = {None: "not measured", True: "ok", False: "MISSED"}[cmp["modularity_ok"]]
            print(
                f"naive pipeline at {cmp['n']:,} papers: {cmp['naive_s']:.1f} s vs graphkit "
                f"{cmp['graphkit_s']:.1f} s → graphkit {cmp['speedup']:.1f}× faster (target ≥ "
                f"{TARGET_SPEEDUP:g}×: {'ok' if cmp['speedup_ok'] else 'MISSED'}); modularity "
                f"graphkit {cmp['modularity_graphkit']:.3f} on its graph, "
                + (f"{same:.3f}" if same is not None else "-")
                + f" on naive's graph vs naive {cmp['modularity_naive']:.3f} "
                f"(same or better: {verdict}); "
                f"peak memory {cmp['peak_mb_graphkit']:.0f} vs {cmp['peak_mb_naive']:.0f} MB"
            )
            for k, v in nv.get("notes", {}).items():
                print(f"  naive {k}: {v}")


def _child(args: list[str], timeout: float | None, *, src: Path | None = None) -> tuple[int, str]:
    """Run ``args`` in a fresh interpreter; stdout/stderr pass through. Returns (code, error).
    ``src``: a folder whose ``graphkit`` package the child imports instead of this one."""
    env = None
    if src is not None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
        }
    try:
        proc = subprocess.run([sys.executable, *args], timeout=timeout, check=False, env=env)
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout:.0f} s"
    return proc.returncode, "" if proc.returncode == 0 else f"exit code {proc.returncode}"


def _standalone(slice_file: Path, results: Path, label: str) -> dict[str, Any] | None:
    """The standalone TF-IDF of ``slice_file`` in a fresh process (None if it failed)."""
    out = results / f"tfidf-{label}.json"
    print(f"-- standalone scikit-learn TF-IDF of {label} in a fresh process", flush=True)
    code, err = _child([__file__, "--tfidf-one", str(slice_file), "--json-out", str(out)], None)
    if code != 0 or not out.is_file():
        print(f"standalone TF-IDF of {label} failed: {err or 'no result written'}")
        return None
    return orjson.loads(out.read_bytes())


def _export_revision(rev: str, tmp: Path) -> Path:
    """The ``graphkit`` package of git revision ``rev``, exported into ``tmp/baseline-src``."""
    root = Path(__file__).resolve().parents[1]
    dest = tmp / "baseline-src"
    dest.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", rev, "graphkit"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def _print_comparison(before: dict[str, Any], after: dict[str, Any], rev: str) -> None:
    """Per-stage times of two builds of one slice side by side (before = ``rev``)."""
    print(f"\n{before.get('label')}: {rev} (before) vs this tree (after), same run")
    t_before = {r["stage"]: r["time_s"] for r in before.get("stages", [])}
    t_after = {r["stage"]: r["time_s"] for r in after.get("stages", [])}
    for stage in dict.fromkeys([*t_before, *t_after]):
        b, a = t_before.get(stage), t_after.get(stage)
        print(f"  {stage:<22} {_s(b):>9} {_s(a):>9}")
    for key in _HEADLINE:
        print(f"  {key:<22} {before.get(key)!s:>9} {after.get(key)!s:>9}")


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Command line (see the module docstring). Returns the summary it writes."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--slices", default="1000,10000,30000,all", help="comma-separated sizes or 'all'"
    )
    ap.add_argument("--naive-at", default="10000", help="papers for the naive comparison; 0 = skip")
    ap.add_argument(
        "--naive-result",
        metavar="JSON",
        help="compare with a naive result saved by an earlier run (e.g. bench/results/"
        "naive-10k.json) instead of rerunning the naive pipeline (10-20 minutes at 10k)",
    )
    ap.add_argument(
        "--reuse-builds",
        action="store_true",
        help="summarise the build-<slice>.json already in --results-dir instead of building",
    )
    ap.add_argument("--corpus", default=str(C.DEFAULT_CORPUS), help="JSONL(.gz) corpus")
    ap.add_argument("--results-dir", default=str(C.RESULTS_DIR))
    ap.add_argument("--exponent-from", type=int, default=10000, help="smaller size for exponents")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per child process")
    ap.add_argument("--max-betweenness-s", type=float, default=600.0, help="passed to naive.py")
    ap.add_argument("--quiet", action="store_true", help="no per-stage lines from the children")
    ap.add_argument(
        "--baseline",
        metavar="REV",
        help="also build each slice with git revision REV, in the same run, and compare",
    )
    ap.add_argument(
        "--no-standalone-tfidf",
        action="store_true",
        help="skip the standalone scikit-learn TF-IDF (the second denominator)",
    )
    ap.add_argument("--one", metavar="SLICE_FILE", help=argparse.SUPPRESS)
    ap.add_argument("--tfidf-one", metavar="SLICE_FILE", help=argparse.SUPPRESS)
    ap.add_argument("--label", help=argparse.SUPPRESS)
    ap.add_argument("--json-out", help=argparse.SUPPRESS)
    ap.add_argument("--keep", metavar="DIR", help=argparse.SUPPRESS)  # with --one
    args = ap.parse_args(argv)

    if args.tfidf_one:  # child: the standalone TF-IDF in this fresh process
        res = standalone_tfidf(args.tfidf_one)
        if args.json_out:
            _dump(Path(args.json_out), res)
        return res
    if args.one:  # child: one build in this fresh process
        label = args.label or Path(args.one).stem
        res = run_one(args.one, label, echo=not args.quiet, keep=args.keep)
        if args.json_out:
            _dump(Path(args.json_out), res)
        return res

    results = Path(args.results_dir)
    corpus = Path(args.corpus)
    if not corpus.is_file():
        ap.error(f"corpus {corpus} not found; pass --corpus PATH")
    sizes = [C.parse_slice(s) for s in args.slices.split(",") if s.strip()]
    naive_n = C.parse_slice(args.naive_at) if args.naive_at not in ("0", "") else 0
    saved_naive: dict[str, Any] | None = None
    if args.naive_result:
        saved_naive = orjson.loads(Path(args.naive_result).read_bytes())
        naive_n = 0  # not rerun; its size must be among the slices for the comparison
        if saved_naive.get("n_papers") not in sizes:
            sizes.append(saved_naive.get("n_papers"))
    if naive_n and naive_n not in sizes:
        sizes.append(naive_n)  # the comparison needs graphkit's figures at the same size
    machine = C.machine_info()
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, "
        f"Python {machine['python']}, load {machine['loadavg_at_start']}"
    )
    quiet = ["--quiet"] if args.quiet else []
    builds: list[dict[str, Any]] = []
    naive_res: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory(prefix="bench-slices-") as tmp:
        base_src = _export_revision(args.baseline, Path(tmp)) if args.baseline else None
        files: dict[int | None, Path] = {}
        for n in sorted(sizes, key=lambda x: math.inf if x is None else x):
            label = C.slice_label(n)
            files[n], count = C.write_slice(corpus, n, Path(tmp) / f"slice-{label}.jsonl")
            if n is not None and count < n:
                print(f"note: corpus has only {count:,} records; slice {label} holds {count:,}")
            out = results / f"build-{label}.json"
            if args.reuse_builds and out.is_file():
                builds.append(orjson.loads(out.read_bytes()))
                continue
            print(f"\n-- building {label} ({count:,} records) in a fresh process", flush=True)
            code, err = _child(
                [
                    __file__,
                    "--one",
                    str(files[n]),
                    "--label",
                    label,
                    "--json-out",
                    str(out),
                    *quiet,
                ],
                args.timeout,
            )
            tfidf = None
            if code == 0 and out.is_file():
                tfidf = None if args.no_standalone_tfidf else _standalone(files[n], results, label)
                res = _with_standalone(orjson.loads(out.read_bytes()), tfidf)
                _dump(out, res)
                _print_slice(res)
            else:
                res = {"label": label, "n_records": count, "error": err or "no result written"}
                print(f"slice {label} failed: {res['error']}")
            builds.append(res)
            if base_src is not None:
                base_out = results / f"baseline-{label}.json"
                print(f"\n-- building {label} with {args.baseline} in a fresh process", flush=True)
                one = [__file__, "--one", str(files[n]), "--label", label, "--json-out"]
                code, err = _child([*one, str(base_out), *quiet], args.timeout, src=base_src)
                if code == 0 and base_out.is_file():
                    before = _with_standalone(orjson.loads(base_out.read_bytes()), tfidf)
                    _print_comparison(before, res, args.baseline)
                else:
                    print(f"baseline build of {label} failed: {err or 'no result written'}")
        if naive_n:
            label = C.slice_label(naive_n)
            out = results / f"naive-{label}.json"
            print(f"\n-- naive pipeline at {label} in a fresh process", flush=True)
            code, err = _child(
                [
                    naive.__file__,
                    "--slice-file",
                    str(files[naive_n]),
                    "--json-out",
                    str(out),
                    "--max-betweenness-s",
                    str(args.max_betweenness_s),
                    *quiet,
                ],
                args.timeout,
            )
            if code == 0 and out.is_file():
                naive_res = orjson.loads(out.read_bytes())
            else:
                naive_res = {"error": err or "no result written"}
    if saved_naive is not None:
        naive_res = {**saved_naive, "reused_from": str(args.naive_result)}
    summary = summarise(builds, naive_res, exponent_from=args.exponent_from)
    summary["machine"] = machine
    summary["corpus"] = str(corpus)
    _print_summary(summary, builds)
    _dump(results / "build-summary.json", summary)
    print(f"\nresults written to {results}/")
    return summary


if __name__ == "__main__":
    main()
