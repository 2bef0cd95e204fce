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

import igraph as ig
import networkx as nx

from ..parallel import Forked
from ._convert import to_igraph
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
from .communities import communities, communities_on, modularity
from .labels import community_labels, node_terms

__all__ = [
    "analyse",
    "start_analysis",
    "PendingAnalysis",
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
    (changed in place).  ``start_analysis(...).finish()`` is the same, with the option to run
    betweenness in a second process meanwhile.
    """
    return start_analysis(
        G,
        weight=weight,
        seed=seed,
        resolution=resolution,
        betweenness_exact_max=betweenness_exact_max,
        method=method,
    ).finish()


#: The centralities a :class:`PendingAnalysis` may still be computing (spectral / path based).
DEFERRED = ("pagerank", "betweenness", "eigenvector")


def _deferred_centralities(
    g: ig.Graph, w: list[float], *, seed: int, exact_max: int
) -> dict[str, list[float]]:
    """PageRank, betweenness (hops) and eigenvector centrality of ``g``, in vertex order."""
    return {
        "pagerank": pagerank_on(g, w),
        "betweenness": betweenness_on(g, None, seed=seed, exact_max=exact_max),
        "eigenvector": eigenvector_on(g, w),
    }


class PendingAnalysis:
    """An analysis whose PageRank, betweenness and eigenvector centrality may still be
    running; :meth:`finish` completes it."""

    def __init__(self, G: nx.Graph, nodes: list, job: Forked) -> None:
        self.graph = G
        self._nodes = nodes
        self._job = job

    def finish(self) -> nx.Graph:
        """Wait for the deferred centralities and write them onto the nodes; returns the graph."""
        if self._job is not None:
            scores = self._job.result()
            self._job = None
            nodes = self.graph.nodes
            for name in DEFERRED:
                for node, value in zip(self._nodes, scores[name], strict=True):
                    nodes[node][name] = round_sig(value)
        return self.graph

    def cancel(self) -> None:
        """Stop a job that is no longer wanted."""
        if self._job is not None:
            self._job.cancel()
            self._job = None


def start_analysis(
    G: nx.Graph,
    *,
    weight: str = "weight",
    seed: int = 42,
    resolution: float = 1.0,
    betweenness_exact_max: int = 5000,
    method: str = "leiden",
    parallel: bool = False,
) -> PendingAnalysis:
    """Everything :func:`analyse` does; PageRank, betweenness and eigenvector centrality (the
    :data:`DEFERRED` ones, about 60 % of the time at 75k nodes) are written by ``finish()`` on
    the returned :class:`PendingAnalysis`.

    With ``parallel=True`` they run in a forked child (:mod:`graphkit.parallel`) while this
    process finds communities and labels and does whatever the caller does before
    ``finish()`` (the layout) -- the values are the same either way.  Until ``finish()`` they
    are 0.0 on every node.

    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, "paper", "kind")
    >>> pending = start_analysis(G, parallel=True)
    >>> pending.finish().nodes[1]["betweenness"]
    1.0
    """
    t0 = time.perf_counter()
    converted = to_igraph(G, weight)  # once, for centralities and communities
    g, nodes, w = converted
    job = Forked(
        _deferred_centralities,
        g,
        w,
        seed=seed,
        exact_max=betweenness_exact_max,
        fork=parallel and g.vcount() > 2,
    )
    degree = dict(G.degree())
    strength = dict(zip(nodes, strength_on(g, w), strict=True))
    t1 = time.perf_counter()
    partition, q = communities_on(converted, resolution=resolution, seed=seed, method=method)
    t2 = time.perf_counter()
    labels = community_labels(G, partition)
    t3 = time.perf_counter()
    for node, data in G.nodes(data=True):
        data["degree"] = int(degree[node])
        data["weighted_degree"] = round_sig(strength[node])
        for name in DEFERRED:  # placeholders, in the attribute order of the outputs
            data[name] = 0.0
        data["community"] = int(partition[node])
        data["community_label"] = labels[partition[node]]
    G.graph["modularity"] = round_sig(q)
    G.graph["n_communities"] = len(labels)
    G.graph["seed"] = int(seed)
    log.info(
        "analysis of %d nodes: degrees %.2fs, communities %.2fs, labels %.2fs",
        G.number_of_nodes(),
        t1 - t0,
        t2 - t1,
        t3 - t2,
    )
    return PendingAnalysis(G, nodes, job)
