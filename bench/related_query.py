"""How long `graphkit related` takes per query on a large graph (a figure, not a test).

Builds a slice of the shared arXiv corpus (default: all 74,728 papers; ``--out DIR`` reuses an
existing build with its related.npz), then times, each in a fresh process like a user's:

- ``graphkit related`` end to end (interpreter start, imports, loading related.npz, answering)
  for paper IDs, arXiv IDs, a title and free-text queries;
- the baseline in the same run: reading graph.json, which every query did before the index.

Also prints the in-process split (load vs answer).  Usage:

    python bench/related_query.py                 # 74,728 papers
    python bench/related_query.py --papers 10k    # a slice
    python bench/related_query.py --out /tmp/big  # an existing build
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    DEFAULT_CORPUS,
    RESULTS_DIR,
    fmt_table,
    machine_info,
    parse_slice,
    slice_label,
    write_slice,
)

FREE_TEXT = (
    "speculative decoding for small models",
    "pruning large language models without retraining",
    "graph neural networks for molecule property prediction",
)


def _build(corpus: Path, n: int | None, out: Path) -> float:
    src, count = write_slice(corpus, n, out / "input.jsonl")
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "graphkit", "-q", "build", str(src), "-o", str(out),
         "--formats", "json,index"],
        check=True,
    )  # fmt: skip
    print(f"built {count:,} papers in {time.perf_counter() - t:.1f} s", flush=True)
    return time.perf_counter() - t


def _cli(graph_json: Path, query: str) -> float:
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "graphkit", "related", query, "-g", str(graph_json), "-n", "20",
         "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"related {query!r} failed: {proc.stderr.strip()}")
    return time.perf_counter() - t


def _baseline(graph_json: Path) -> float:
    code = "from graphkit.export import read_json; import sys; read_json(sys.argv[1])"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(graph_json)], check=True)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--papers", default="all", help="slice size (1k, 10k, all)")
    ap.add_argument("--out", help="an existing build folder (skips the build)")
    ap.add_argument("--no-save", action="store_true", help="do not write bench/results")
    args = ap.parse_args(argv)

    if args.out:
        out = Path(args.out)
    else:
        if not Path(args.corpus).is_file():
            print(f"skipped: no corpus at {args.corpus}")
            return 0
        out = Path(tempfile.mkdtemp(prefix="graphkit-related-bench-"))
        _build(Path(args.corpus), parse_slice(args.papers), out)
    graph_json = out / "graph.json"

    from graphkit.index import INDEX_NAME, load_index
    from graphkit.query import related

    t = time.perf_counter()
    index = load_index(out / INDEX_NAME)
    load_s = time.perf_counter() - t
    step = max(1, index.n_papers // 4)
    papers = [index.ids[i] for i in range(0, index.n_papers, step)][:3]
    queries = [("paper id", q) for q in papers]
    queries += [
        ("arXiv id", index.arxiv[i]) for i in range(0, index.n_papers, step) if index.arxiv[i]
    ][:2]
    queries += [("title", index.titles[step])]
    queries += [("free text", q) for q in FREE_TEXT]

    rows, results = [], []
    for kind, q in queries:
        t = time.perf_counter()
        related(index, q, limit=20)
        answer_s = time.perf_counter() - t
        cli_s = _cli(graph_json, q)
        rows.append([kind, q[:48], f"{answer_s * 1000:.0f}", f"{cli_s:.2f}"])
        results.append({"kind": kind, "query": q, "answer_s": answer_s, "cli_s": cli_s})
    base = _baseline(graph_json)
    print(f"\n{index.n_papers:,} papers, {index.n_nodes:,} nodes, index "
          f"{(out / INDEX_NAME).stat().st_size / 2**20:.0f} MB, loads in {load_s:.2f} s")  # fmt: skip
    print(fmt_table(rows, ["query", "text", "answer (ms, in process)", "graphkit related (s)"]))
    cli = [r["cli_s"] for r in results]
    print(f"\ngraphkit related: median {sorted(cli)[len(cli) // 2]:.2f} s, max {max(cli):.2f} s per "
          f"query; baseline (reading graph.json, as before the index): {base:.2f} s")  # fmt: skip
    if not args.no_save:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        label = slice_label(index.n_papers if not args.out else None)
        (RESULTS_DIR / f"related-query-{label}.json").write_text(
            json.dumps(
                {
                    "papers": index.n_papers,
                    "nodes": index.n_nodes,
                    "index_mb": (out / INDEX_NAME).stat().st_size / 2**20,
                    "load_s": load_s,
                    "queries": results,
                    "baseline_read_graph_json_s": base,
                    "machine": machine_info(),
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
