"""Time graphkit's analysis, layout and exports on synthetic related-work graphs; print figures.

Usage: .venv/bin/python bench/bench_analysis.py [--sizes 10000,75000] [--compare]

The graphs are planted partitions shaped like graphkit's output: community sizes drawn from a
power law, ~6 edges per node inside its community and ~1 across, weights in [0.2, 2], and key
phrases drawn mostly from the community's own vocabulary.  ``--compare`` also runs the networkx
references (Louvain, eigenvector, sampled betweenness) and the sampled-vs-exact betweenness error.
"""

from __future__ import annotations

import argparse  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

from graphkit.analysis import (  # noqa: E402
    analyse,
    betweenness,
    centralities,
    communities,
    community_labels,
)


def planted_graph(n: int, *, seed: int = 0, intra: int = 6, inter: int = 1) -> nx.Graph:
    """A graph of ``n`` paper nodes with planted communities (see the module docstring)."""
    rng = np.random.default_rng(seed)
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(int(min(2000, 10 * (1 + rng.pareto(1.2)))))
    sizes[-1] -= sum(sizes) - n
    sizes = [s for s in sizes if s > 0]
    truth = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    src = np.repeat(np.arange(n), intra)
    lo = starts[truth[src]]
    hi = lo + np.asarray(sizes)[truth[src]]
    dst = lo + (rng.random(len(src)) * (hi - lo)).astype(int)
    src2 = np.repeat(np.arange(n), inter)
    dst2 = rng.integers(0, n, len(src2))
    u = np.concatenate([src, src2])
    v = np.concatenate([dst, dst2])
    w = rng.uniform(0.2, 2.0, len(u)).round(4)
    G = nx.Graph()
    for i in range(n):
        c = int(truth[i])
        own = [f"topic {c} phrase {j}" for j in rng.integers(0, 5, 2)]
        G.add_node(f"p{i:06d}", kind="paper", label=f"Paper {i}", keyphrases="; ".join(own))
    G.add_weighted_edges_from(
        (f"p{a:06d}", f"p{b:06d}", float(x)) for a, b, x in zip(u, v, w, strict=True) if a != b
    )
    return G


def timed(label: str, fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    print(f"  {label:<44} {time.perf_counter() - t:8.2f} s")
    return out


def bench_size(n: int, compare: bool) -> None:
    from graphkit.export import gexf_bytes, graphml_bytes, json_bytes, nodes_csv_bytes
    from graphkit.layout import compute_layout

    G = planted_graph(n)
    print(f"n={G.number_of_nodes()} m={G.number_of_edges()}")
    timed("centralities (exact_max=5000)", centralities, G)
    part, q = timed("communities leiden", communities, G)
    print(f"    leiden: {len(set(part.values()))} communities, Q={q:.4f}")
    part2, q2 = timed("communities louvain (igraph)", communities, G, method="louvain")
    print(f"    louvain(igraph): {len(set(part2.values()))} communities, Q={q2:.4f}")
    timed("community_labels", community_labels, G, part)
    H = timed("analyse (all of the above, once)", analyse, G)
    timed("compute_layout", compute_layout, H)
    for name, fn in [("graphml", graphml_bytes), ("gexf", gexf_bytes), ("json", json_bytes)]:
        data = timed(f"{name}_bytes", fn, H)
        print(f"    {name}: {len(data) / 1e6:.1f} MB")
    timed("nodes_csv_bytes", nodes_csv_bytes, H)
    if compare:
        print("  networkx references:")
        comms = timed(
            "nx.community.louvain_communities", nx.community.louvain_communities, G, seed=42
        )
        print(
            f"    nx louvain: {len(comms)} communities, Q={nx.community.modularity(G, comms):.4f}"
        )
        timed(
            "nx.eigenvector_centrality_numpy", nx.eigenvector_centrality_numpy, G, weight="weight"
        )
        if n <= 10000:
            timed("nx.betweenness_centrality k=256", nx.betweenness_centrality, G, k=256, seed=42)
            timed(
                "nx.eigenvector_centrality (pure Python)",
                nx.eigenvector_centrality,
                G,
                max_iter=1000,
                weight="weight",
            )


def sampled_error(n: int = 3000) -> None:
    G = planted_graph(n, seed=1)
    exact = timed(f"exact betweenness n={n}", betweenness, G, exact_max=n)
    top = sorted(exact, key=exact.get, reverse=True)[:50]
    for k in (128, 256, 512):
        est = timed(f"sampled k={k}", betweenness, G, exact_max=0, samples=k)
        err = np.array([est[x] - exact[x] for x in G])
        rel_top = np.mean([abs(est[x] - exact[x]) / exact[x] for x in top])
        overlap = len(set(top) & set(sorted(est, key=est.get, reverse=True)[:50]))
        rho = np.corrcoef(
            np.argsort(np.argsort([exact[x] for x in G])),
            np.argsort(np.argsort([est[x] for x in G])),
        )[0, 1]
        print(
            f"    k={k}: max abs err {np.abs(err).max():.2e} (max exact {max(exact.values()):.2e}), "
            f"mean rel err top-50 {rel_top:.1%}, top-50 overlap {overlap}/50, Spearman {rho:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,75000")
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--error", action="store_true", help="sampled vs exact betweenness on 3k")
    args = parser.parse_args()
    random.seed(0)
    for n in (int(s) for s in args.sizes.split(",") if s):
        bench_size(n, args.compare)
    if args.error:
        sampled_error()


if __name__ == "__main__":
    main()
