"""The related-work graph as a user would script it without graphkit, timed step by step.

Usage: .venv/bin/python bench/naive.py [--n 10000] [--corpus PATH] [--json-out FILE]

Steps, each with library defaults: read the first N papers (graphkit's reader, so both sides
read the same records); ``TfidfVectorizer(stop_words="english")`` on title + abstract; the dense
N×N ``cosine_similarity`` matrix; the top-k neighbours of each row (k and the threshold are
graphkit's defaults); a networkx graph; ``degree_centrality``, ``pagerank``,
``betweenness_centrality`` (exact; sampled with k=256 like a careful user when exact would take
longer than ``--max-betweenness-s``), the pure-Python ``eigenvector_centrality``;
``louvain_communities(seed=42)`` and its modularity; ``pyvis.Network.from_nx`` on the whole
graph and ``write_html`` into a temporary folder.

The dense matrix needs 8·N² bytes plus the sparse product it is made from: an N whose matrix
would not fit in the memory available now is refused (74,728 papers would need ~45 GB).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402


def _load_common():
    """Import bench/_common.py whether run as a script or loaded by path (bench is no package)."""
    name = "bench_common"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("_common.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


C = _load_common()

__all__ = ["dense_bytes_needed", "top_k_edges", "run_naive", "main"]

#: Bytes per cell needed while making the dense matrix: the float64 result plus the sparse
#: product it is converted from (nearly dense for abstracts: 8 B data + 4 B index per cell).
BYTES_PER_CELL = 20
#: Pure-Python betweenness is timed on this many sampled sources to estimate the exact cost.
PROBE_SOURCES = 32


class TooBig(RuntimeError):
    """The dense N×N matrix would not fit in the memory available."""


def dense_bytes_needed(n: int) -> int:
    """Peak bytes the dense cosine step needs for ``n`` papers (estimate).

    >>> round(dense_bytes_needed(74_728) / 1e9)
    112
    """
    return BYTES_PER_CELL * n * n


def top_k_edges(S: np.ndarray, k: int, min_similarity: float) -> list[tuple[int, int, float]]:
    """Each row's ``k`` most similar other rows with similarity ≥ ``min_similarity``.

    Undirected: a pair found from both ends is listed once, ``(i, j)`` with ``i < j``.

    >>> S = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.5], [0.1, 0.5, 1.0]])
    >>> top_k_edges(S, 1, 0.2)
    [(0, 1, 0.9), (1, 2, 0.5)]
    """
    n = S.shape[0]
    np.fill_diagonal(S, -1.0)
    k = min(k, n - 1)
    if k < 1:
        return []
    idx = np.argpartition(-S, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(n), k)
    cols = idx.ravel()
    vals = S[rows, cols]
    keep = vals >= min_similarity
    pairs: dict[tuple[int, int], float] = {}
    for i, j, v in zip(rows[keep].tolist(), cols[keep].tolist(), vals[keep].tolist(), strict=True):
        pairs[(i, j) if i < j else (j, i)] = v
    return sorted((i, j, v) for (i, j), v in pairs.items())


def _betweenness(G: nx.Graph, max_seconds: float, seed: int) -> tuple[dict, str, float]:
    """Exact betweenness if it fits in ``max_seconds`` (estimated from a probe), else k=256."""
    n = G.number_of_nodes()
    if n <= 4 * PROBE_SOURCES:
        return nx.betweenness_centrality(G), "exact", 0.0
    t = time.perf_counter()
    nx.betweenness_centrality(G, k=PROBE_SOURCES, seed=seed)
    probe = time.perf_counter() - t
    estimate = probe * n / PROBE_SOURCES
    if estimate <= max_seconds:
        return nx.betweenness_centrality(G), f"exact (estimated {estimate:.0f} s)", probe
    k = min(256, n)
    note = f"sampled k={k}: exact estimated {estimate:,.0f} s > {max_seconds:.0f} s"
    return nx.betweenness_centrality(G, k=k, seed=seed), note, probe


def _eigenvector(G: nx.Graph) -> tuple[dict, str]:
    try:
        return nx.eigenvector_centrality(G), "default max_iter=100"
    except nx.PowerIterationFailedConvergence:
        # What a user does next: raise the iteration cap (this time counts too).
        return nx.eigenvector_centrality(G, max_iter=1000, tol=1e-6), "retried with max_iter=1000"


@contextlib.contextmanager
def _cwd(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_naive(
    slice_file: str | Path,
    *,
    top_k: int | None = None,
    min_similarity: float | None = None,
    max_betweenness_s: float = 600.0,
    seed: int = 42,
    echo: bool = True,
) -> dict[str, Any]:
    """Run the naive pipeline on a slice file; return per-step times, peaks and the result."""
    from graphkit.config import Config

    cfg = Config()
    top_k = cfg.top_k if top_k is None else top_k
    min_similarity = cfg.min_similarity if min_similarity is None else min_similarity
    notes: dict[str, str] = {}
    from pyvis.network import Network
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    started = time.perf_counter()  # imports above are not timed, as in bench/build.py
    with C.RssSampler() as sampler:
        rep = C.MeasuringReporter(sampler, echo=echo, prefix="  naive ")
        with rep.step("read") as st:
            papers = C.load_papers(slice_file)
            n = len(papers)
            st.set_note(f"{n:,} papers")
        need, avail = dense_bytes_needed(n), C.available_bytes()
        if need > 0.8 * avail:
            raise TooBig(
                f"{n:,} papers need ~{need / 1e9:.1f} GB for the dense similarity matrix, "
                f"{avail / 1e9:.1f} GB available: refusing (use a smaller --n)"
            )
        with rep.step("tf-idf") as st:
            texts = [f"{p.title}. {p.abstract}" for p in papers]
            X = TfidfVectorizer(stop_words="english").fit_transform(texts)
            del texts
            st.set_note(f"{X.shape[0]:,} × {X.shape[1]:,}")
        with rep.step("cosine-dense") as st:
            S = cosine_similarity(X)
            st.set_note(f"{S.shape[0]:,}² float64 = {S.nbytes / C.MB:,.0f} MB")
        with rep.step("top-k") as st:
            pairs = top_k_edges(S, top_k, min_similarity)
            del S
            st.set_note(f"{len(pairs):,} pairs (k={top_k}, ≥{min_similarity})")
        with rep.step("graph") as st:
            G = nx.Graph()
            ids = [p.id for p in papers]
            for p in papers:
                G.add_node(p.id, title=p.title)
            G.add_weighted_edges_from((ids[i], ids[j], v) for i, j, v in pairs)
            del pairs
            st.set_note(f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
        with rep.step("degree"):
            nx.degree_centrality(G)
        with rep.step("pagerank"):
            nx.pagerank(G)
        with rep.step("betweenness") as st:
            _, notes["betweenness"], probe = _betweenness(G, max_betweenness_s, seed)
            st.set_note(notes["betweenness"])
        with rep.step("eigenvector") as st:
            _, notes["eigenvector"] = _eigenvector(G)
            st.set_note(notes["eigenvector"])
        with rep.step("louvain") as st:
            comms = nx.community.louvain_communities(G, seed=seed)
            modularity = nx.community.modularity(G, comms)
            st.set_note(f"{len(comms):,} communities, modularity {modularity:.3f}")
        # like-for-like: graphkit's community detection on this very graph (not timed)
        from graphkit.analysis import communities as gk_communities

        _, gk_modularity = gk_communities(G, seed=seed)
        notes["graphkit_on_naive_graph"] = f"modularity {gk_modularity:.3f}"
        with tempfile.TemporaryDirectory(prefix="naive-pyvis-") as tmp, rep.step("pyvis") as st:
            net = Network()
            net.from_nx(G)
            with _cwd(Path(tmp)):  # pyvis copies its lib/ folder into the working directory
                net.write_html("graph.html")
            st.set_note(f"{(Path(tmp) / 'graph.html').stat().st_size / C.MB:,.1f} MB html")
    total = time.perf_counter() - started - probe
    return {
        "n_papers": n,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "communities": len(comms),
        "modularity": round(modularity, 4),
        "modularity_graphkit_same_graph": round(gk_modularity, 4),
        "top_k": top_k,
        "min_similarity": min_similarity,
        "stages": rep.rows(),
        "total_s": round(total, 3),
        "betweenness_probe_s": round(probe, 3),
        "notes": notes,
        "peak_mb": round(max(rep.peaks.values()) / C.MB, 1),
        "max_rss_mb": round(C.max_rss_bytes() / C.MB, 1),
    }


def print_result(res: dict[str, Any]) -> None:
    """Print the per-step table and the headline numbers of :func:`run_naive`."""
    rows = [
        (r["stage"], f"{r['time_s']:.2f}", f"{r['peak_mb']:.0f}", r["note"]) for r in res["stages"]
    ]
    print(f"\nnaive pipeline, {res['n_papers']:,} papers")
    print(C.fmt_table(rows, ("step", "time s", "peak MB", "note")))
    print(
        f"total {res['total_s']:.1f} s (betweenness probe {res['betweenness_probe_s']:.1f} s not "
        f"counted), peak RSS {res['max_rss_mb']:.0f} MB, {res['edges']:,} edges, "
        f"{res['communities']} communities, modularity {res['modularity']:.3f}"
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Command line: run the naive pipeline on the first ``--n`` papers and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", default="10000", help="papers: a number, 10k, or all (default 10000)")
    ap.add_argument("--corpus", default=str(C.DEFAULT_CORPUS), help="JSONL(.gz) corpus")
    ap.add_argument("--slice-file", help="an already written slice (skips --n/--corpus)")
    ap.add_argument("--max-betweenness-s", type=float, default=600.0)
    ap.add_argument("--json-out", help="write the result as JSON here")
    ap.add_argument("--quiet", action="store_true", help="no per-step lines on stderr")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="naive-slice-") as tmp:
        if args.slice_file:
            slice_file = Path(args.slice_file)
        else:
            n = C.parse_slice(args.n)
            slice_file, _ = C.write_slice(args.corpus, n, Path(tmp) / "slice.jsonl")
        try:
            res = run_naive(
                slice_file, max_betweenness_s=args.max_betweenness_s, echo=not args.quiet
            )
        except TooBig as exc:
            res = {"refused": str(exc)}
            print(f"naive: {exc}", file=sys.stderr)
    if "refused" not in res:
        print_result(res)
    if args.json_out:
        import orjson

        Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_out).write_bytes(orjson.dumps(res, option=orjson.OPT_INDENT_2))
    return res


if __name__ == "__main__":
    main()
