"""Layout: deterministic, bounded, rounded, and communities come out grouped."""

from __future__ import annotations

import math

import networkx as nx

from graphkit.analysis import analyse
from graphkit.layout import compute_layout


def _planted(k: int = 4, size: int = 30, seed: int = 0) -> nx.Graph:
    G = nx.planted_partition_graph(k, size, 0.3, 0.005, seed=seed)
    return nx.relabel_nodes(G, {n: f"p{n:03d}" for n in G})


def test_deterministic_and_written_onto_nodes():
    G = analyse(_planted())
    pos = compute_layout(G, seed=7)
    assert pos == compute_layout(G.copy(), seed=7)
    for node, (x, y) in pos.items():
        assert G.nodes[node]["x"] == x and G.nodes[node]["y"] == y
        assert type(x) is float and round(x, 2) == x and round(y, 2) == y


def test_bounded_by_scale_and_centred():
    G = analyse(_planted())
    pos = compute_layout(G, scale=500)
    reach = max(math.hypot(x, y) for x, y in pos.values())
    assert 499 <= reach <= 500.01
    assert abs(sum(x for x, _ in pos.values()) / len(pos)) < 1.0


def test_communities_are_grouped():
    G = analyse(_planted(k=5, size=40))
    pos = compute_layout(G)
    groups: dict[int, list] = {}
    for node, data in G.nodes(data=True):
        groups.setdefault(data["community"], []).append(pos[node])
    centres = {
        c: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps))
        for c, ps in groups.items()
    }
    hits = 0
    for node, data in G.nodes(data=True):
        x, y = pos[node]
        nearest = min(centres, key=lambda c: (math.hypot(x - centres[c][0], y - centres[c][1]), c))
        hits += nearest == data["community"]
    assert hits / G.number_of_nodes() > 0.9


def test_without_communities_and_degenerate_graphs():
    assert compute_layout(nx.Graph()) == {}
    assert compute_layout(nx.empty_graph(1)) == {0: (0.0, 0.0)}
    pos = compute_layout(nx.empty_graph(5))
    assert len(set(pos.values())) == 5
    G = nx.karate_club_graph()
    pos = compute_layout(G)
    assert len(pos) == 34 and all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
