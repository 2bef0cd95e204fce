"""Analysis of an assembled graph: centralities, communities and community labels.

:func:`analyse` runs them all and writes the results onto the nodes (plain ints/floats, floats
rounded to 8 significant digits so that output files are byte-stable across platforms).  Its
parts are pure functions a caller may run apart (the pipeline runs the global centralities in
a second process): :func:`global_centralities` and :func:`find_communities` compute, only
:func:`write_analysis` writes onto the graph.

>>> import networkx as nx
>>> G = nx.barbell_graph(4, 0)
>>> nx.set_node_attributes(G, "paper", "kind")
>>> G = analyse(G)
>>> G.graph["n_communities"], G.nodes[0]["community"] != G.nodes[7]["community"]
(2, True)
>>> sorted(G.nodes[3])
['betweenness', 'community', 'community_label', 'degree', 'eigenvector', 'kind', 'pagerank', 'weighted_degree']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import networkx as nx

from ._convert import Converted, to_igraph
from .centrality import (
    betweenness,
    betweenness_on,
    centralities,
    eigenvector,
    eigenvector_on,
    pagerank,
    pagerank_on,
    strength_on,
)
from .citations import citation_pagerank
from .communities import communities, communities_on, modularity
from .labels import community_labels, node_terms

__all__ = [
    "analyse",
    "global_centralities",
    "find_communities",
    "write_analysis",
    "Communities",
    "GLOBAL",
    "to_igraph",
    "centralities",
    "pagerank",
    "betweenness",
    "eigenvector",
    "communities",
    "modularity",
    "community_labels",
    "node_terms",
    "round_sig",
]


def round_sig(value: float, digits: int = 8) -> float:
    """``value`` rounded to ``digits`` significant digits, as a plain float.

    >>> round_sig(0.123456789123), round_sig(-0.0)
    (0.12345679, 0.0)
    """
    v = float(f"{float(value):.{digits}g}")
    return v + 0.0  # no negative zero


def analyse(
    G: nx.Graph,
    *,
    weight: str = "weight",
    seed: int = 42,
    resolution: float = 1.0,
    betweenness_exact_max: int = 5000,
    method: str = "leiden",
) -> nx.Graph:
    """Write centralities, ``community`` and ``community_label`` onto every node of ``G``.

    Also sets ``G.graph["modularity"]``, ``["n_communities"]`` and ``["seed"]``.  Returns ``G``
    (changed in place).  The same as :func:`write_analysis` of :func:`global_centralities` and
    :func:`find_communities`, which a caller may run at different times (the pipeline runs the
    centralities in a second process meanwhile).
    """
    converted = to_igraph(G, weight)
    scores = global_centralities(converted, seed=seed, exact_max=betweenness_exact_max)
    found = find_communities(G, converted, resolution=resolution, seed=seed, method=method)
    return write_analysis(G, converted, found, scores, seed=seed)


#: The centralities :func:`global_centralities` computes (spectral / path based: about 60 % of
#: the analysis time at 75k nodes).
GLOBAL = ("pagerank", "betweenness", "eigenvector")


def global_centralities(
    converted: Converted, *, seed: int = 42, exact_max: int = 5000
) -> dict[str, list[float]]:
    """PageRank, betweenness (hops; sampled above ``exact_max`` nodes) and eigenvector
    centrality of a :func:`~graphkit.analysis._convert.to_igraph` conversion, in vertex order.

    >>> G = nx.path_graph(3)
    >>> global_centralities(to_igraph(G))["betweenness"]
    [0.0, 1.0, 0.0]
    """
    g, _, w = converted
    return {
        "pagerank": pagerank_on(g, w),
        "betweenness": betweenness_on(g, None, seed=seed, exact_max=exact_max),
        "eigenvector": eigenvector_on(g, w),
    }


@dataclass(frozen=True)
class Communities:
    """A partition of the nodes, its modularity and a label per community."""

    partition: dict[Hashable, int]
    modularity: float
    labels: dict[int, str]


def find_communities(
    G: nx.Graph,
    converted: Converted,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    method: str = "leiden",
) -> Communities:
    """Communities of ``G`` (given as its conversion ``converted``) with their labels.

    >>> G = nx.barbell_graph(4, 0)
    >>> found = find_communities(G, to_igraph(G))
    >>> len(found.labels), found.partition[0] != found.partition[7]
    (2, True)
    """
    partition, q = communities_on(converted, resolution=resolution, seed=seed, method=method)
    return Communities(partition, q, community_labels(G, partition))


def write_analysis(
    G: nx.Graph,
    converted: Converted,
    found: Communities,
    scores: Mapping[str, list[float]],
    *,
    seed: int = 42,
) -> nx.Graph:
    """Write degrees, the :data:`GLOBAL` ``scores``, ``community`` and ``community_label``
    onto the nodes (floats rounded by :func:`round_sig`), and ``modularity``,
    ``n_communities`` and ``seed`` onto the graph; returns ``G``."""
    g, nodes, w = converted
    degree = dict(G.degree())
    strength = dict(zip(nodes, strength_on(g, w), strict=True))
    index = {node: i for i, node in enumerate(nodes)}
    columns = [scores[name] for name in GLOBAL]
    partition, labels = found.partition, found.labels
    for node, data in G.nodes(data=True):
        i = index[node]
        data["degree"] = int(degree[node])
        data["weighted_degree"] = round_sig(strength[node])
        for name, column in zip(GLOBAL, columns, strict=True):
            data[name] = round_sig(column[i])
        data["community"] = int(partition[node])
        data["community_label"] = labels[partition[node]]
    G.graph["modularity"] = round_sig(found.modularity)
    G.graph["n_communities"] = len(labels)
    G.graph["seed"] = int(seed)
    citation_pagerank(G)  # PageRank over the directed citations (only with cites edges)
    return G
