"""Benchmark of the corpus stage: time and peak memory to load the seeds and the 74,728-paper
shared arXiv corpus with :func:`graphkit.ingest.load_corpus`.

Usage::

    .venv/bin/python bench/ingest.py                 # seeds + the shared corpus
    .venv/bin/python bench/ingest.py --corpus x.jsonl.gz --repeat 3

Each workload runs in a fresh Python process (so ``ru_maxrss`` is its own): once plain for
wall time (best of ``--repeat``) split into reading and merging, and once under
``tracemalloc`` for the peak of Python allocations.  Prints a table and writes
``bench/results/ingest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "ingest.json"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "arxiv-cs-2025.jsonl.gz"
MB = 1024 * 1024

_CHILD = r"""
import json, resource, sys, time, tracemalloc
sys.path.insert(0, {repo!r})
from graphkit.ingest import list_files, read_file
from graphkit.ingest.merge import merge_papers

paths, mode = {paths!r}, {mode!r}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
if mode == "tracemalloc":
    tracemalloc.start()
t0 = time.perf_counter()
records, formats = [], {{}}
for path, name in list_files(paths):
    papers, report = read_file(path, name=name)
    records.extend(papers)
    formats[report.format] = formats.get(report.format, 0) + 1
t1 = time.perf_counter()
papers, n_merged = merge_papers(records)
t2 = time.perf_counter()
out = {{"read_s": t1 - t0, "merge_s": t2 - t1, "total_s": t2 - t0, "records": len(records),
       "papers": len(papers), "merged": n_merged, "formats": formats,
       "maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
       "baseline_rss_bytes": base}}
if mode == "tracemalloc":
    out["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
print(json.dumps(out))
"""


def run_child(paths: list[str], mode: str) -> dict:
    """Load ``paths`` in a fresh interpreter and return its measurements."""
    code = _CHILD.format(repo=str(REPO), paths=paths, mode=mode)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench(label: str, paths: list[str], repeat: int) -> dict:
    """Best-of-``repeat`` timing plus one tracemalloc run."""
    runs = [run_child(paths, "plain") for _ in range(repeat)]
    best = min(runs, key=lambda r: r["total_s"])
    traced = run_child(paths, "tracemalloc")
    return {
        "workload": label,
        "paths": paths,
        "records": best["records"],
        "papers": best["papers"],
        "merged": best["merged"],
        "formats": best["formats"],
        "read_s": round(best["read_s"], 3),
        "merge_s": round(best["merge_s"], 3),
        "total_s": round(best["total_s"], 3),
        "records_per_s": round(best["records"] / best["total_s"]) if best["total_s"] else None,
        "all_totals_s": [round(r["total_s"], 3) for r in runs],
        "peak_rss_mb": round(max(r["maxrss_bytes"] for r in runs) / MB, 1),
        "rss_increase_mb": round(
            max(r["maxrss_bytes"] - r["baseline_rss_bytes"] for r in runs) / MB, 1
        ),
        "tracemalloc_peak_mb": round(traced["tracemalloc_peak_bytes"] / MB, 1),
        "tracemalloc_total_s": round(traced["total_s"], 3),
    }


def table(rows: list[dict]) -> str:
    """A plain-text table of the results."""
    head = (
        "workload",
        "records",
        "papers",
        "merged",
        "read s",
        "merge s",
        "total s",
        "rec/s",
        "peak RSS MB",
        "+RSS MB",
        "py peak MB",
    )
    body = [
        (
            r["workload"],
            f"{r['records']:,}",
            f"{r['papers']:,}",
            f"{r['merged']:,}",
            f"{r['read_s']:.2f}",
            f"{r['merge_s']:.2f}",
            f"{r['total_s']:.2f}",
            f"{r['records_per_s']:,}",
            f"{r['peak_rss_mb']:.0f}",
            f"{r['rss_increase_mb']:.0f}",
            f"{r['tracemalloc_peak_mb']:.0f}",
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    lines = [
        "  ".join(str(x).rjust(w) for x, w in zip(row, widths, strict=True))
        for row in (head, *body)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write bench/results/ingest.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="JSONL(.gz) corpus to load")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per workload (best kept)")
    parser.add_argument("--out", default=str(RESULTS), help="where to write the JSON results")
    args = parser.parse_args(argv)

    workloads = [("seeds", [str(REPO / "seeds")])]
    if Path(args.corpus).is_file():
        workloads.append((Path(args.corpus).name, [args.corpus]))
    else:
        print(f"note: {args.corpus} not found; benchmarking the seeds only", file=sys.stderr)
    rows = []
    for label, paths in workloads:
        print(f"… {label}", file=sys.stderr, flush=True)
        rows.append(bench(label, paths, max(1, args.repeat)))
    print(table(rows))

    from graphkit.fileio import atomic_write_bytes

    result = {
        "benchmark": "ingest",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
            "self_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        },
        "notes": "times are best of --repeat fresh-process runs; peak RSS is ru_maxrss of the "
        "child; py peak is tracemalloc's peak of Python allocations (a separate, slower run)",
        "results": rows,
    }
    atomic_write_bytes(args.out, (json.dumps(result, indent=2, sort_keys=True) + "\n").encode())
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
