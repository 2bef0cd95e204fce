"""Centralities on graphs with known answers, and the fast paths against networkx."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graphkit.analysis.centrality import betweenness, centralities, eigenvector, pagerank

NAMES = {"degree", "weighted_degree", "pagerank", "betweenness", "eigenvector"}


def _weighted(G: nx.Graph, seed: int = 0) -> nx.Graph:
    rng = random.Random(seed)
    for u, v in G.edges:
        G[u][v]["weight"] = rng.uniform(0.2, 3.0)
    return G


def test_star_centre_is_max_on_every_centrality():
    G = nx.relabel_nodes(nx.star_graph(6), lambda n: f"p{n}")
    c = centralities(G)
    assert set(c) == NAMES
    for name, values in c.items():
        assert max(values, key=values.get) == "p0", name
        assert all(values["p0"] > values[n] for n in G if n != "p0"), name


def test_bridge_endpoints_have_max_betweenness():
    G = nx.barbell_graph(5, 0)  # cliques 0-4 and 5-9 joined by the edge 4-5
    b = betweenness(G)
    top = sorted(b, key=b.get, reverse=True)[:2]
    assert sorted(top) == [4, 5]


def test_types_are_plain():
    c = centralities(_weighted(nx.karate_club_graph()))
    assert all(type(v) is int for v in c["degree"].values())
    for name in NAMES - {"degree"}:
        assert all(type(v) is float for v in c[name].values()), name


def test_fast_paths_match_networkx():
    G = _weighted(nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=3))
    pr, ref = pagerank(G), nx.pagerank(G, tol=1e-12)
    assert max(abs(pr[n] - ref[n]) for n in G) < 1e-6
    ev, ref = eigenvector(G), nx.eigenvector_centrality_numpy(G, weight="weight")
    assert max(abs(ev[n] - ref[n]) for n in G) < 1e-6
    bw = betweenness(G, weight="weight")
    ref = nx.betweenness_centrality(G, weight=lambda u, v, d: 1.0 / d["weight"])
    assert max(abs(bw[n] - ref[n]) for n in G) < 1e-9
    assert betweenness(G) == pytest.approx(nx.betweenness_centrality(G), abs=1e-12)  # hops
    c = centralities(G, betweenness_weight="weight")
    assert c["betweenness"] == pytest.approx(bw, abs=1e-12)
    wd = centralities(G)["weighted_degree"]
    assert wd == pytest.approx(dict(G.degree(weight="weight")))


def test_unweighted_betweenness_matches_networkx():
    G = nx.karate_club_graph()
    for u, v in G.edges:
        del G[u][v]["weight"]
    b = betweenness(G, weight=None)
    ref = nx.betweenness_centrality(G)
    assert b == pytest.approx(ref, abs=1e-12)


def test_sampled_betweenness_close_to_exact():
    G = _weighted(nx.connected_watts_strogatz_graph(600, 8, 0.1, seed=1))
    exact = betweenness(G, exact_max=10_000)
    sampled = betweenness(G, exact_max=100, samples=300, seed=7)
    assert sampled == betweenness(G, exact_max=100, samples=300, seed=7)  # seeded
    assert sampled != betweenness(G, exact_max=100, samples=300, seed=8)
    assert sum(sampled.values()) == pytest.approx(sum(exact.values()), rel=0.05)
    top_exact = set(sorted(exact, key=exact.get, reverse=True)[:20])
    top_sampled = set(sorted(sampled, key=sampled.get, reverse=True)[:20])
    assert len(top_exact & top_sampled) >= 12
    assert max(abs(sampled[n] - exact[n]) for n in G) < 0.5 * max(exact.values())


@pytest.mark.parametrize(
    "G",
    [nx.Graph(), nx.empty_graph(4), nx.Graph([(0, 1)]), nx.Graph([(0, 0)])],
    ids=["empty", "edgeless", "one-edge", "self-loop"],
)
def test_degenerate_graphs_do_not_crash(G):
    c = centralities(G)
    assert all(set(values) == set(G) for values in c.values())
    assert all(v == v for values in c.values() for v in values.values())  # no NaN


def test_disconnected_graph_eigenvector_is_finite_and_deterministic():
    G = nx.disjoint_union_all([nx.complete_graph(5), nx.path_graph(4), nx.empty_graph(2)])
    e = eigenvector(G)
    assert e == eigenvector(G)
    assert max(e, key=e.get) in range(5)
    assert e[9] == 0.0 and e[10] == 0.0  # isolated nodes
    assert abs(sum(v * v for v in e.values()) - 1.0) < 1e-9


def test_bad_weights_are_clamped_not_fatal():
    G = nx.path_graph(4)
    G[0][1]["weight"] = 0.0
    G[1][2]["weight"] = float("nan")
    G[2][3]["weight"] = "heavy"
    c = centralities(G)
    assert all(v == v for v in c["pagerank"].values())
