"""How long `graphkit related` takes per query on a large graph (a figure, not a test).

Builds a slice of the shared arXiv corpus (default: all 74,728 papers; ``--out DIR`` reuses an
existing build with its related.npz), then times, each in a fresh process like a user's:

- ``graphkit related`` end to end (interpreter start, imports, loading related.npz, answering)
  for paper IDs, arXiv IDs, a title and free-text queries;
- the baseline in the same run: reading graph.json, which every query did before the index.

Also prints the in-process split (load vs answer).  ``--synthetic N`` builds instead the arXiv
corpus grown to N papers with synthetic references (``bench/citations.py``'s generator: cites
edges, co-citation, coupling, reference nodes), so "a 100k-paper graph" is measured with
citations and the citation-first answers.  ``--baseline REV`` also runs, in child processes on
the same graph, the index writer and the loader + one query of git revision ``REV`` and of this
tree (the writer timed without reading graph.json: build_index + the bytes), side by side.
Usage:

    python bench/related_query.py                 # 74,728 papers
    python bench/related_query.py --papers 10k    # a slice
    python bench/related_query.py --out /tmp/big  # an existing build
    python bench/related_query.py --synthetic 100000 --baseline de1bf68
"""

from __future__ import annotations

import argparse
import json
import os
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


def _build_synthetic(corpus: Path, n: int, out: Path) -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_citations", Path(__file__).with_name("citations.py")
    )
    cit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cit)
    out.mkdir(parents=True, exist_ok=True)
    with_refs, _ = cit.make_scale_file(corpus, n, out)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "graphkit", "-q", "build", str(with_refs), "-o", str(out),
         "--formats", "json,index"],
        check=True,
    )  # fmt: skip
    took = time.perf_counter() - t
    print(f"built {n:,} papers with synthetic references in {took:.1f} s", flush=True)
    return took


#: Run by a child with one revision's graphkit first on sys.path: times its index writer on
#: the graph (graph.json read first, untimed) and its loader and one query on what it wrote.
_CHILD = r"""
import json, sys, time, tempfile
from pathlib import Path
import numpy as np, scipy.sparse as sp
from graphkit.export import read_json
from graphkit import index as gi
from graphkit.query import related
graph_json, text_npz, query = sys.argv[1], sys.argv[2], sys.argv[3]
G = read_json(graph_json)
z = np.load(text_npz, allow_pickle=False)
X = sp.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
text = gi.TextModel(ids=bytes(z["ids"]).decode().split("\0"), X=X,
                    terms=bytes(z["terms"]).decode().split("\0"), idf=z["idf"],
                    options=json.loads(bytes(z["options"]).decode()))
t = time.perf_counter(); idx = gi.build_index(G, text); t1 = time.perf_counter()
data = gi.index_bytes(idx); t2 = time.perf_counter()
del G, idx
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / gi.INDEX_NAME
    path.write_bytes(data)
    t3 = time.perf_counter(); index = gi.load_index(path); t4 = time.perf_counter()
    related(index, query, limit=20); t5 = time.perf_counter()
    related(index, "speculative decoding for small models", limit=20); t6 = time.perf_counter()
print(json.dumps({"build_index_s": t1 - t, "bytes_s": t2 - t1, "write_s": t2 - t,
                  "index_mb": len(data) / 2**20, "load_s": t4 - t3, "paper_query_s": t5 - t4,
                  "text_query_s": t6 - t5}))
"""


def _save_text(index, path: Path) -> None:
    import numpy as np

    n = index.n_papers
    X = index.X  # a loaded index's Csr (not sliceable): the papers' rows by hand
    indptr = np.asarray(X.indptr[: n + 1])
    end = int(indptr[-1])
    np.savez(
        path, data=np.asarray(X.data[:end]), indices=np.asarray(X.indices[:end]), indptr=indptr,
        shape=np.asarray((n, X.shape[1])), idf=np.asarray(index.idf),
        ids=np.frombuffer("\0".join(index.ids[:n]).encode(), np.uint8),
        terms=np.frombuffer("\0".join(list(index.terms)).encode(), np.uint8),
        options=np.frombuffer(json.dumps(index.options).encode(), np.uint8),
    )  # fmt: skip


def _writer_baseline(rev: str, old: Path, graph_json: Path, index, query: str) -> dict[str, dict]:
    """The index writer, loader and a query of revision ``rev`` (its tree at ``old``) and of
    this tree, each in a child process on the same graph and text model."""
    repo = Path(__file__).resolve().parents[1]
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="related-baseline-") as tmp:
        text = Path(tmp) / "text.npz"
        _save_text(index, text)
        for label, root in ((rev, old), ("this tree", repo)):
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, str(graph_json), str(text), query],
                capture_output=True, text=True, check=False, cwd=str(root),
                env={**__import__("os").environ, "PYTHONPATH": str(root)},
            )  # fmt: skip
            if proc.returncode != 0:
                raise SystemExit(f"baseline child ({label}) failed: {proc.stderr[-1500:]}")
            out[label] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _cli(graph_json: Path, query: str, root: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one ``graphkit related`` process (CPU is what a busy shared
    machine does not inflate); ``root``: the source tree of another revision to run instead."""
    env = {**os.environ, "PYTHONPATH": str(root)} if root else None
    t, c = time.perf_counter(), _cpu()
    proc = subprocess.run(
        [sys.executable, "-m", "graphkit", "related", query, "-g", str(graph_json), "-n", "20",
         "--json"],
        capture_output=True, text=True, check=False, env=env, cwd=str(root) if root else None,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"related {query!r} failed: {proc.stderr.strip()}")
    return time.perf_counter() - t, _cpu() - c


def _medians(results: list[dict], wall: str, cpu: str) -> str:
    w = sorted(r[wall] for r in results)
    c = sorted(r[cpu] for r in results)
    return (f"median {w[len(w) // 2]:.2f} s, max {w[-1]:.2f} s per query (CPU median "
            f"{c[len(c) // 2]:.2f} s, max {c[-1]:.2f} s)")  # fmt: skip


class _Tree:
    """The source tree of git revision ``rev``, extracted into a temporary folder."""

    def __init__(self, rev: str) -> None:
        repo = Path(__file__).resolve().parents[1]
        self._tmp = tempfile.TemporaryDirectory(prefix="related-baseline-tree-")
        self.root = Path(self._tmp.name)
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", rev], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(self.root)], input=archive.stdout, check=True)

    def cleanup(self) -> None:
        self._tmp.cleanup()


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
    ap.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="build the corpus grown to N papers with synthetic references",
    )
    ap.add_argument(
        "--baseline",
        default="",
        metavar="REV",
        help="also time REV's index writer, loader and a query on the same graph",
    )
    ap.add_argument("--no-save", action="store_true", help="do not write bench/results")
    args = ap.parse_args(argv)

    if args.out:
        out = Path(args.out)
    else:
        if not Path(args.corpus).is_file():
            print(f"skipped: no corpus at {args.corpus}")
            return 0
        out = Path(tempfile.mkdtemp(prefix="graphkit-related-bench-"))
        if args.synthetic:
            _build_synthetic(Path(args.corpus), args.synthetic, out)
        else:
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
    import numpy as np

    rows = np.repeat(np.arange(index.n_nodes), np.diff(index.adj.indptr))
    with_cites = rows[np.isin(index.adj_edge, index.cite_edges)]
    cited = sorted({int(i) for i in with_cites if i < index.n_papers})
    queries += [
        ("paper with citations", index.ids[i]) for i in cited[:: max(1, len(cited) // 2)][:2]
    ]
    queries += [("free text", q) for q in FREE_TEXT]

    old_tree = _Tree(args.baseline) if args.baseline else None
    rows, results = [], []
    for kind, q in queries:
        t = time.perf_counter()
        related(index, q, limit=20)
        answer_s = time.perf_counter() - t
        cli_s, cpu_s = _cli(graph_json, q)
        row = [kind, q[:48], f"{answer_s * 1000:.0f}", f"{cli_s:.2f}", f"{cpu_s:.2f}"]
        result = {"kind": kind, "query": q, "answer_s": answer_s, "cli_s": cli_s,
                  "cli_cpu_s": cpu_s}  # fmt: skip
        if old_tree is not None:  # the same query by the baseline revision, right after
            old_s, old_cpu = _cli(graph_json, q, old_tree.root)
            row += [f"{old_s:.2f}", f"{old_cpu:.2f}"]
            result.update(baseline_cli_s=old_s, baseline_cli_cpu_s=old_cpu)
        rows.append(row)
        results.append(result)
    base = _baseline(graph_json)
    side = (_writer_baseline(args.baseline, old_tree.root, graph_json, index, papers[0])
            if old_tree is not None else {})  # fmt: skip
    print(f"\n{index.n_papers:,} papers, {index.n_nodes:,} nodes, index "
          f"{(out / INDEX_NAME).stat().st_size / 2**20:.0f} MB, loads in {load_s:.2f} s")  # fmt: skip
    head = ["query", "text", "answer (ms, in process)", "graphkit related (s)", "its CPU (s)"]
    if old_tree is not None:
        head += [f"{args.baseline} (s)", f"{args.baseline} CPU (s)"]
    print(fmt_table(rows, head))
    print("\ngraphkit related: " + _medians(results, "cli_s", "cli_cpu_s")
          + f"; baseline (reading graph.json, as before the index): {base:.2f} s")  # fmt: skip
    if old_tree is not None:
        print(f"{args.baseline}'s graphkit related, same queries, same run: "
              + _medians(results, "baseline_cli_s", "baseline_cli_cpu_s"))  # fmt: skip
        old_tree.cleanup()
    if side:
        keys = ["write_s", "build_index_s", "bytes_s", "index_mb", "load_s", "paper_query_s",
                "text_query_s"]  # fmt: skip
        print("\nsame graph, child processes (index writer, loader, one paper / free-text query):")
        print(fmt_table([[label, *(f"{v[k]:.2f}" for k in keys)] for label, v in side.items()],
                        ["code", *keys]))  # fmt: skip
    if not args.no_save:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        label = slice_label(index.n_papers if not args.out else None)
        if args.synthetic:
            label = f"synthetic-{args.synthetic}"
        (RESULTS_DIR / f"related-query-{label}.json").write_text(
            json.dumps(
                {
                    "papers": index.n_papers,
                    "nodes": index.n_nodes,
                    "index_mb": (out / INDEX_NAME).stat().st_size / 2**20,
                    "load_s": load_s,
                    "queries": results,
                    "baseline_read_graph_json_s": base,
                    "same_graph_old_vs_new": side,
                    "machine": machine_info(),
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
