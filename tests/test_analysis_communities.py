"""Communities: known structures, partition properties, modularity, determinism."""

from __future__ import annotations

import networkx as nx
import pytest

from graphkit.analysis import analyse
from graphkit.analysis.communities import communities, modularity


def _as_sets(partition):
    groups: dict[int, set] = {}
    for node, c in partition.items():
        groups.setdefault(c, set()).add(node)
    return [groups[c] for c in sorted(groups)]


@pytest.mark.parametrize("method", ["leiden", "louvain"])
def test_two_cliques_joined_by_a_bridge(method):
    G = nx.barbell_graph(6, 0)
    part, q = communities(G, method=method)
    assert sorted(map(sorted, _as_sets(part))) == [list(range(6)), list(range(6, 12))]
    assert q == pytest.approx(nx.community.modularity(G, _as_sets(part)))


@pytest.mark.parametrize("method", ["leiden", "louvain"])
@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_partition_covers_nodes_and_modularity_matches_networkx(method, resolution):
    G = nx.les_miserables_graph()
    part, q = communities(G, method=method, resolution=resolution, seed=3)
    assert set(part) == set(G)
    ids = sorted(set(part.values()))
    assert ids == list(range(len(ids)))
    sets = _as_sets(part)
    assert sum(len(s) for s in sets) == G.number_of_nodes()
    ref = nx.community.modularity(G, sets, weight="weight", resolution=resolution)
    assert q == pytest.approx(ref, abs=1e-9)
    assert modularity(G, part, resolution=resolution) == pytest.approx(ref, abs=1e-9)


def test_ids_are_renumbered_largest_first_then_smallest_member():
    G = nx.disjoint_union_all([nx.complete_graph(3), nx.complete_graph(5), nx.complete_graph(3)])
    G = nx.relabel_nodes(G, {n: f"n{n:02d}" for n in G})
    part, _ = communities(G)
    assert part["n03"] == 0  # the 5-clique
    assert part["n00"] == 1 and part["n08"] == 2  # equal sizes: smallest member id first


def test_seeded_and_deterministic():
    G = nx.les_miserables_graph()
    assert communities(G, seed=5) == communities(G, seed=5)
    assert communities(G, method="louvain", seed=5) == communities(G, method="louvain", seed=5)


def test_isolated_nodes_get_their_own_community():
    G = nx.barbell_graph(4, 0)
    G.add_nodes_from(["lonely", "alone"])
    part, _ = communities(G)
    assert part["lonely"] != part["alone"]
    assert part["lonely"] >= 2 and part["alone"] >= 2
    assert min(part.values()) >= 0


def test_empty_and_edgeless():
    assert communities(nx.Graph()) == ({}, 0.0)
    part, q = communities(nx.empty_graph(3))
    assert sorted(part.values()) == [0, 1, 2] and q == 0.0


def test_bad_options():
    with pytest.raises(ValueError, match="leiden"):
        communities(nx.path_graph(3), method="girvan")
    with pytest.raises(ValueError):
        communities(nx.path_graph(3), resolution=0)


def test_analyse_writes_plain_attributes():
    G = nx.les_miserables_graph()
    analyse(G, seed=1)
    for _, data in G.nodes(data=True):
        assert type(data["degree"]) is int and type(data["community"]) is int
        for name in ("weighted_degree", "pagerank", "betweenness", "eigenvector"):
            assert type(data[name]) is float
            assert data[name] == float(f"{data[name]:.8g}")
        assert isinstance(data["community_label"], str) and data["community_label"]
    assert G.graph["n_communities"] == len({d["community"] for _, d in G.nodes(data=True)})
    assert G.graph["seed"] == 1 and isinstance(G.graph["modularity"], float)


def test_analyse_empty_graph():
    G = analyse(nx.Graph())
    assert G.graph["n_communities"] == 0 and G.graph["modularity"] == 0.0
