"""Analysis of an assembled graph: centralities, communities and community labels.

:func:`analyse` runs them all and writes the results onto the nodes (plain ints/floats, floats
rounded to 8 significant digits so that output files are byte-stable across platforms).

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

import logging
import time

import networkx as nx

from ._convert import to_igraph
from .centrality import betweenness, centralities, centralities_on, eigenvector, pagerank
from .communities import communities, communities_on, modularity
from .labels import community_labels, node_terms

__all__ = [
    "analyse",
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

log = logging.getLogger(__name__)


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
    (changed in place).
    """
    t0 = time.perf_counter()
    converted = to_igraph(G, weight)  # once, for centralities and communities
    scores = centralities_on(
        G, converted, weight=weight, seed=seed, betweenness_exact_max=betweenness_exact_max
    )
    t1 = time.perf_counter()
    partition, q = communities_on(converted, resolution=resolution, seed=seed, method=method)
    t2 = time.perf_counter()
    labels = community_labels(G, partition)
    t3 = time.perf_counter()
    for node, data in G.nodes(data=True):
        data["degree"] = int(scores["degree"][node])
        for name in ("weighted_degree", "pagerank", "betweenness", "eigenvector"):
            data[name] = round_sig(scores[name][node])
        data["community"] = int(partition[node])
        data["community_label"] = labels[partition[node]]
    G.graph["modularity"] = round_sig(q)
    G.graph["n_communities"] = len(labels)
    G.graph["seed"] = int(seed)
    log.info(
        "analysis of %d nodes: centralities %.2fs, communities %.2fs, labels %.2fs",
        G.number_of_nodes(),
        t1 - t0,
        t2 - t1,
        t3 - t2,
    )
    return G
