"""Benchmark the feature stage: time and peak memory over slices of the shared arXiv corpus.

Usage: python bench/features.py [--corpus ../shared/corpora/arxiv-cs-2025.jsonl.gz]
                                [--sizes 1000,10000,74728] [--top 50] [--baseline REV]
                                [--gc off|on] [--processes 1|2] [--repeat N]

``--baseline REV`` (e.g. ``--baseline main``) also times the feature stage of git revision REV
in the same run: REV's ``graphkit/`` is extracted with ``git archive`` into a temporary folder
and measured by this script in a child process, slice by slice, alternating with the current
code (baseline first), so both see the same machine load; the table then has a row per code
and slice, and ``features.json`` a ``baseline`` list.  ``--repeat N`` measures each code N times
per slice, alternating (baseline, this, baseline, this, ...), every run in a fresh child process
so both codes start alike, and reports for each the run of least CPU (``cpu_runs`` lists all):
on a loaded machine the minimum is the figure to compare.

Prints a table (papers, seconds of ``fit_transform`` -- what the build runs --, papers/s, peak MiB, names,
candidates, mentions) and the most mentioned names of the largest slice; writes
bench/results/features.json.  Times are wall seconds (``cpu_seconds``: process CPU time, which a
busy machine disturbs less).  Peak memory is the tracemalloc peak of the Python heap during
fit + transform (the corpus itself is loaded before); tracemalloc slows Python code down, so
``--no-memory`` gives cleaner timings.  ``--processes 2`` times the stage with its per-paper work shared with a
forked child, as a build on two cores runs it (``cpu_seconds`` then counts both processes).
``--gc off`` (the default: what the build does, which
pauses Python's cyclic garbage collector around its stages) times ``fit_transform`` with
``gc.disable()``; ``--gc on`` with the collector running (a quarter of the stage's CPU at 74k).
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
# --code-root DIR (used by --baseline): import graphkit from another checkout
_CODE = Path(sys.argv[sys.argv.index("--code-root") + 1]) if "--code-root" in sys.argv else ROOT
sys.path.insert(0, str(_CODE))

import argparse  # noqa: E402
import gc  # noqa: E402
import gzip  # noqa: E402
import io  # noqa: E402
import subprocess  # noqa: E402
import tarfile  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections import Counter  # noqa: E402

import orjson  # noqa: E402

from graphkit.features import FeatureExtractor, load_lexicon, method_table  # noqa: E402
from graphkit.model import Paper  # noqa: E402


def load_jsonl(path: Path, limit: int | None = None) -> list[Paper]:
    """id, title, summary from the shared JSONL corpus (gzip + orjson)."""
    out: list[Paper] = []
    with gzip.open(path, "rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = orjson.loads(line)
            out.append(
                Paper(
                    id=f"arxiv:{r['id']}",
                    title=" ".join((r.get("title") or "").split()),
                    abstract=" ".join((r.get("summary") or "").split()),
                )
            )
            if limit and len(out) >= limit:
                break
    return out


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (a forked feature worker)."""
    import resource

    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run(
    papers: list[Paper], *, memory: bool = True, gc_on: bool = False, processes: int = 1
) -> tuple[dict, list]:
    load_lexicon()  # cached; not part of the per-corpus cost
    if memory:
        tracemalloc.start()
    was_on = gc.isenabled()
    gc.collect()
    if not gc_on:
        gc.disable()  # as the build runs its stages
    try:
        t0, c0 = time.perf_counter(), _cpu()
        # what the build runs (processes > 1: the per-paper work shared with a forked child)
        try:
            fx = FeatureExtractor(processes=processes)
        except TypeError:  # a --baseline revision from before the option: inline
            fx, processes = FeatureExtractor(), 1
        feats = fx.fit_transform(papers)
        secs, cpu = time.perf_counter() - t0, _cpu() - c0
    finally:
        if was_on:
            gc.enable()
    peak = tracemalloc.get_traced_memory()[1] if memory else 0
    if memory:
        tracemalloc.stop()
    n_m = sum(len(f.mentions) for f in feats)
    row = {
        "papers": len(papers),
        "gc": "on" if gc_on else "off",
        "processes": processes,
        "seconds": round(secs, 2),
        "cpu_seconds": round(cpu, 2),
        "papers_per_s": round(len(papers) / secs, 1),
        "peak_mib": round(peak / 2**20, 1) if memory else None,
        "corpus_names": len(fx.names_),
        "candidates": len(fx.candidates_),
        "mentions": n_m,
        "defines": sum(len(f.defines) for f in feats),
        "with_keyphrases": sum(bool(f.keyphrases) for f in feats),
    }
    return row, feats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "arxiv-cs-2025.jsonl.gz"
    )
    ap.add_argument("--sizes", default="1000,10000,74728")
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--no-memory", action="store_true", help="skip tracemalloc (faster, cleaner)")
    ap.add_argument("--baseline", default="", help="git revision to time in the same run")
    ap.add_argument(
        "--gc",
        choices=("off", "on"),
        default="off",
        help="Python's cyclic GC during fit_transform (default off: as the build runs it)",
    )
    ap.add_argument(
        "--processes",
        type=int,
        default=1,
        help="FeatureExtractor(processes=N): 2 shares the per-paper work with a forked child "
        "(cpu s then counts both); default 1, the isolated stage's CPU",
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per code and slice, alternating, each in a child process; the least CPU "
        "is reported (default 1: this code in-process)",
    )
    ap.add_argument("--code-root", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--row-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.row_only is not None:  # child of --baseline: one slice, one JSON row
        papers = load_jsonl(args.corpus, int(args.sizes))
        row, _ = run(
            papers, memory=not args.no_memory, gc_on=args.gc == "on", processes=args.processes
        )
        args.row_only.write_bytes(orjson.dumps(row))
        return 0
    if not args.corpus.exists():
        sys.stderr.write(f"corpus not found: {args.corpus}\n")
        return 2
    sizes = [int(s) for s in args.sizes.split(",")]
    allp = load_jsonl(args.corpus, max(sizes))
    rows = []
    base_rows = []
    feats: list = []
    papers: list[Paper] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            _extract(args.baseline, Path(tmp))
        for n in sizes:
            papers = allp[:n]
            if args.repeat > 1:
                runs: dict[str, list[dict]] = {"base": [], "this": []}
                for _ in range(args.repeat):
                    if args.baseline:
                        runs["base"].append(_child_row(Path(tmp), n, args))
                    runs["this"].append(_child_row(ROOT, n, args, Path(tmp)))
                if args.baseline:
                    base_rows.append({"code": args.baseline, **_least_cpu(runs["base"])})
                rows.append({"code": "this", **_least_cpu(runs["this"])})
                if args.top > 0:  # the table of names needs this code's features
                    _, feats = run(papers, memory=False, gc_on=args.gc == "on")
                continue
            if args.baseline:
                base_rows.append({"code": args.baseline, **_child_row(Path(tmp), n, args)})
            row, feats = run(
                papers, memory=not args.no_memory, gc_on=args.gc == "on", processes=args.processes
            )
            rows.append({"code": "this", **row})
    hdr = (
        f"{'papers':>8} {'sec':>7} {'cpu s':>7} {'pap/s':>8} "
        f"{'peakMiB':>8} {'names':>7} {'cands':>6} {'mentions':>9}"
    )
    print(f"gc {args.gc} during fit_transform")
    print(f"{'code':>10} " + hdr)
    for r in (
        [x for pair in zip(base_rows, rows, strict=False) for x in pair] if base_rows else rows
    ):
        print(f"{r['code'][:10]:>10} ", end="")
        print(
            f"{r['papers']:>8} {r['seconds']:>7} {r['cpu_seconds']:>7} {r['papers_per_s']:>8} "
            f"{r['peak_mib'] if r['peak_mib'] is not None else '-':>8} "
            f"{r['corpus_names']:>7} {r['candidates']:>6} {r['mentions']:>9}"
            + (f"   cpu runs {r['cpu_runs']}" if "cpu_runs" in r else "")
        )
    table = method_table(papers, feats)
    top = [
        {"name": t.name, "kind": t.kind, "papers": t.n_mentions, "source": _source(feats, t.name)}
        for t in table[: args.top]
    ]
    print(f"\nTop {args.top} mentioned names ({len(papers)} papers):")
    for i, t in enumerate(top, 1):
        print(f"{i:>3}. {t['name']} ({t['kind']}, {t['source']}): {t['papers']}")
    by_source = Counter(m.source for f in feats for m in f.mentions)
    out = {
        "rows": rows,
        "baseline": base_rows,
        "top_mentions": top,
        "mentions_by_source": dict(sorted(by_source.items())),
    }
    res = ROOT / "bench" / "results" / "features.json"
    res.parent.mkdir(parents=True, exist_ok=True)
    res.write_bytes(orjson.dumps(out, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    print(f"\nwrote {res.relative_to(ROOT)}")
    return 0


def _extract(rev: str, dest: Path) -> None:
    """``git archive rev graphkit`` unpacked into ``dest``."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "graphkit"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def _child_row(code: Path, n: int, args: argparse.Namespace, scratch: Path | None = None) -> dict:
    """One slice measured by this script in a child process importing graphkit from ``code``
    (its row written to ``scratch``, default ``code``)."""
    out = (scratch or code) / f"row-{n}-{code.name}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--code-root", str(code)]
    cmd += ["--corpus", str(args.corpus), "--sizes", str(n), "--row-only", str(out)]
    cmd += ["--gc", args.gc, "--processes", str(args.processes)]
    if args.no_memory:
        cmd.append("--no-memory")
    subprocess.run(cmd, check=True)
    return orjson.loads(out.read_bytes())


def _least_cpu(runs: list[dict]) -> dict:
    """The run of least CPU, with every run's CPU seconds (``cpu_runs``)."""
    best = min(runs, key=lambda r: r["cpu_seconds"])
    return {**best, "cpu_runs": [r["cpu_seconds"] for r in runs]}


def _source(feats: list, name: str) -> str:
    for f in feats:
        for m in f.mentions:
            if m.name == name:
                return m.source
    return ""


if __name__ == "__main__":
    raise SystemExit(main())
