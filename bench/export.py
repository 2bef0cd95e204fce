"""Benchmark the graph writers: time and memory of GraphML, GEXF, JSON and CSV at two scales.

Usage: python bench/export.py [--graph /tmp/g10000.pkl] [--nodes 74728] [--edges 430000]
       [--baseline REV]

The first graph is a fully analysed graphkit graph: ``--graph`` (a pickle of a networkx graph
or a ``graph.json`` from ``graphkit build``, e.g. of the whole corpus); without it,
``/tmp/g10000.pkl`` when present, else one built from the first 10,000 records of the shared
arXiv corpus with graphkit's defaults.  The second is that graph scaled to the size of the whole
corpus (``--nodes 0``: none): copies of it with relabelled nodes (``<id>~<copy>``) until
``--nodes``, then extra edges (attributes copied from random edges, ``seed=0``) between copies
until ``--edges``, so every paper still carries its abstract and every edge its evidence.

As in ``graphkit build``, the graph is scanned once (row ``scan``: sorting, the edge index and
the attribute scan) and every writer writes a file into a temporary folder with that scan.
Printed and saved per graph and writer: wall time, CPU time of the process (what to compare on
a busy machine), file size, the peak growth of the process's resident memory while it ran
(sampled every 20 ms, exact when the high-water mark rose) and the SHA-256 of what it wrote.

``--baseline REV`` measures the same graphs with the code of git revision ``REV`` too, each
side in a fresh process, back to back (REV first): the before/after of a change in one run,
with a check that both wrote the same bytes.  Results go to ``bench/results/export.json``
(with ``--baseline`` also ``export-baseline.json``), with the machine and its load average.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx  # noqa: E402
from _common import (  # noqa: E402
    DEFAULT_CORPUS,
    MB,
    REPO,
    RESULTS_DIR,
    RssSampler,
    fmt_table,
    load_papers,
    machine_info,
    rss_bytes,
    write_slice,
)

from graphkit.export import (  # noqa: E402
    read_json,
    scan_graph,
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
)

DEFAULT_PICKLE = Path("/tmp/g10000.pkl")


def load_graph(path: Path | None) -> tuple[nx.Graph, str]:
    """The starting graph and where it came from."""
    path = path or (DEFAULT_PICKLE if DEFAULT_PICKLE.is_file() else None)
    if path is not None:
        if path.suffix == ".json":
            return read_json(path), str(path)
        with open(path, "rb") as fh:
            return pickle.load(fh), str(path)
    from graphkit.pipeline import build_graph

    with tempfile.TemporaryDirectory() as tmp:
        slice_path, n = write_slice(DEFAULT_CORPUS, 10_000, Path(tmp) / "slice.jsonl")
        papers = load_papers(slice_path)
    return build_graph(papers).graph, f"built from the first {n} records of {DEFAULT_CORPUS.name}"


def scaled(G: nx.Graph, n_nodes: int, n_edges: int, *, seed: int = 0) -> nx.Graph:
    """Copies of ``G`` (nodes ``<id>~<k>``) up to ``n_nodes``, plus edges up to ``n_edges``.

    >>> H = scaled(nx.path_graph(3), 7, 8)
    >>> H.number_of_nodes(), H.number_of_edges(), sorted(H)[:2]
    (7, 8, ['0~0', '0~1'])
    """
    rng = random.Random(seed)
    H = nx.Graph()
    H.graph.update(G.graph)
    nodes = list(G.nodes(data=True))
    copy = 0
    while H.number_of_nodes() < n_nodes:
        part = nodes[: n_nodes - H.number_of_nodes()]
        H.add_nodes_from((f"{n}~{copy}", dict(d)) for n, d in part)
        kept = {n for n, _ in part}
        H.add_edges_from(
            (f"{u}~{copy}", f"{v}~{copy}", dict(d))
            for u, v, d in G.edges(data=True)
            if u in kept and v in kept
        )
        copy += 1
    ids = list(H)
    edges = list(G.edges(data=True))
    missing = n_edges - H.number_of_edges()  # number_of_edges() is O(n): count here instead
    while missing > 0:
        u, v = rng.choice(ids), rng.choice(ids)
        if u != v and not H.has_edge(u, v):
            H.add_edge(u, v, **dict(rng.choice(edges)[2]))
            missing -= 1
    if missing < 0:
        H.remove_edges_from(list(H.edges)[missing:])
    return H


def _writers(out: Path, G: nx.Graph) -> dict[str, Callable[[], list[Path]]]:
    """``scan`` first, then each writer with that scan, as a build runs them."""
    state: dict = {}

    def scan() -> list[Path]:
        state["scan"] = s = scan_graph(G)
        s.node_columns, s.edge_columns, s.styles  # noqa: B018 -- what the scan computes
        return []

    def one(fn: Callable[..., None], name: str) -> Callable[[], list[Path]]:
        def run() -> list[Path]:
            fn(G, out / name, scan=state["scan"])
            return [out / name]

        return run

    def csv() -> list[Path]:
        write_csv(G, out / "nodes.csv", out / "edges.csv", scan=state["scan"])
        return [out / "nodes.csv", out / "edges.csv"]

    return {
        "scan": scan,
        "graphml": one(write_graphml, "graph.graphml"),
        "gexf": one(write_gexf, "graph.gexf"),
        "json": one(write_json, "graph.json"),
        "csv": csv,
    }


_COLUMNS = ("writer", "seconds", "cpu_s", "size_mb", "rss_growth_mb")


def _line(row: dict) -> str:
    return f"  {row['writer']:<8} " + " ".join(f"{row[k]!s:>14}" for k in _COLUMNS[1:])


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        with path.open("rb") as fh:
            while block := fh.read(1 << 24):
                h.update(block)
    return h.hexdigest()[:16]


def measure(G: nx.Graph, label: str, sampler: RssSampler) -> list[dict]:
    """Scan ``G`` and run every writer on it once; a row per step plus a total."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, run in _writers(Path(tmp), G).items():
            gc.collect()
            base = rss_bytes()
            sampler.reset()
            t0, c0 = time.perf_counter(), time.process_time()
            paths = run()
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            peak = sampler.peak()
            rows.append(
                {
                    "graph": label,
                    "writer": fmt,
                    "seconds": round(seconds, 2),
                    "cpu_s": round(cpu, 2),
                    "size_mb": round(sum(p.stat().st_size for p in paths) / MB, 1),
                    "rss_growth_mb": round(max(0, peak - base) / MB, 1),
                    "sha256": _digest(paths) if paths else "",
                }
            )
            print(_line(rows[-1]), flush=True)
            for path in paths:
                path.unlink()
    rows.append(
        {
            "graph": label,
            "writer": "TOTAL",
            "seconds": round(sum(r["seconds"] for r in rows), 2),
            "cpu_s": round(sum(r["cpu_s"] for r in rows), 2),
            "size_mb": round(sum(r["size_mb"] for r in rows), 1),
            "rss_growth_mb": max(r["rss_growth_mb"] for r in rows),
            "sha256": "",
        }
    )
    return rows


def measure_all(graphs: list[tuple[str, nx.Graph]]) -> list[dict]:
    rows: list[dict] = []
    with RssSampler(interval=0.02, children_every=1 << 30) as sampler:
        for label, graph in graphs:
            print(f"\n{label}  (RSS before: {rss_bytes() / MB:.0f} MB)", flush=True)
            print(_line({k: k for k in _COLUMNS}))
            rows += measure(graph, label, sampler)
    return rows


def _labelled(G: nx.Graph) -> tuple[str, nx.Graph]:
    return f"{G.number_of_nodes():,} nodes / {G.number_of_edges():,} edges", G


def _side(src: Path, pickles: list[Path], out: Path) -> list[dict]:
    """Measure the pickled graphs in a fresh process importing graphkit from ``src``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(REPO / "bench")])}
    cmd = [sys.executable, __file__, "--measure", *map(str, pickles), "--out", str(out)]
    subprocess.run(cmd, env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))["rows"]


def _compare(before: list[dict], after: list[dict], rev: str) -> None:
    print(f"\n{rev} (before) vs this tree (after), same run; CPU seconds (wall in brackets)")
    old = {(r["graph"], r["writer"]): r for r in before}
    for r in after:
        b = old.get((r["graph"], r["writer"]), {})
        same = (
            ""
            if not r["sha256"]
            else ("same bytes" if b.get("sha256") == r["sha256"] else "DIFFERENT BYTES")
        )
        print(
            f"  {r['graph'][:28]:<28} {r['writer']:<8} {b.get('cpu_s', '–')!s:>7} ({b.get('seconds', '–')})"
            f" -> {r['cpu_s']!s:>7} ({r['seconds']})  rss +{b.get('rss_growth_mb', '–')} -> +{r['rss_growth_mb']} MB  {same}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, help="pickled networkx graph or graph.json")
    parser.add_argument("--nodes", type=int, default=74_728, help="nodes of the scaled graph")
    parser.add_argument("--edges", type=int, default=430_000, help="edges of the scaled graph")
    parser.add_argument("--baseline", metavar="REV", help="also measure git revision REV")
    parser.add_argument("--measure", nargs="+", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "export.json")
    args = parser.parse_args(argv)

    if args.measure:  # one side of --baseline: pickled graphs in, rows out
        graphs = []
        for path in args.measure:
            with path.open("rb") as fh:
                graphs.append(_labelled(pickle.load(fh)))
        args.out.write_text(json.dumps({"rows": measure_all(graphs)}) + "\n", encoding="utf-8")
        return 0

    G, source = load_graph(args.graph)
    graphs = [_labelled(G)]
    if args.nodes > 0:
        t0 = time.perf_counter()
        big = scaled(G, args.nodes, args.edges)
        print(f"scaled graph built in {time.perf_counter() - t0:.1f} s", flush=True)
        graphs.append(_labelled(big))
    result: dict = {"source": source, "machine": machine_info()}
    if args.baseline:
        from build import _export_revision  # the package of a revision, as bench/build.py does

        with tempfile.TemporaryDirectory() as tmp:
            pickles = []
            for i, (_, graph) in enumerate(graphs):
                pickles.append(Path(tmp) / f"graph{i}.pkl")
                with pickles[-1].open("wb") as fh:
                    pickle.dump(graph, fh, protocol=pickle.HIGHEST_PROTOCOL)
            del G, graphs, graph
            gc.collect()
            base_src = _export_revision(args.baseline, Path(tmp))
            print(f"\n-- {args.baseline} (before), in a fresh process", flush=True)
            before = _side(base_src, pickles, Path(tmp) / "before.json")
            print("\n-- this tree (after), in a fresh process", flush=True)
            rows = _side(REPO, pickles, Path(tmp) / "after.json")
        _compare(before, rows, args.baseline)
        result["baseline"] = {"rev": args.baseline, "rows": before}
    else:
        rows = measure_all(graphs)
    print()
    print(fmt_table([[r[k] for k in ("graph", *_COLUMNS)] for r in rows], ("graph", *_COLUMNS)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["rows"] = rows
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"\nsaved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
