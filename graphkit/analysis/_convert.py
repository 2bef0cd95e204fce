"""Private helpers shared by the analysis modules: one conversion of a networkx graph to igraph.

>>> import networkx as nx
>>> G = nx.Graph([("b", "a", {"weight": 2.0}), ("a", "c")])
>>> g, nodes, w = to_igraph(G)
>>> nodes, w
(['b', 'a', 'c'], [2.0, 1.0])
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable

import igraph as ig
import networkx as nx

__all__ = ["to_igraph", "edge_weights", "MIN_WEIGHT", "Converted"]

log = logging.getLogger(__name__)

#: Weights below this (zero, negative, NaN) are raised to it, so every algorithm gets a positive one.
MIN_WEIGHT = 1e-9


def _clamp(raw: object) -> tuple[float, bool]:
    """``raw`` as a usable weight and whether it had to be clamped."""
    try:
        w = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        w = math.nan
    if not w > MIN_WEIGHT or math.isinf(w):
        return (1.0 if math.isinf(w) or math.isnan(w) else MIN_WEIGHT), True
    return w, False


def _weights_of(data_iter, weight: str | None) -> list[float]:
    out: list[float] = []
    append = out.append
    bad = 0
    inf = math.inf
    for data in data_iter:
        raw = data.get(weight, 1.0) if weight is not None else 1.0
        if type(raw) is float and raw > MIN_WEIGHT and raw != inf:  # fast path
            append(raw)
            continue
        w, clamped = _clamp(raw)
        bad += clamped
        append(w)
    if bad:
        log.warning("%d edges had a missing, non-positive or non-finite %r; clamped", bad, weight)
    return out


def edge_weights(G: nx.Graph, weight: str | None = "weight") -> list[float]:
    """Edge weights of ``G`` in ``G.edges`` order; missing → 1.0, non-positive → MIN_WEIGHT."""
    return _weights_of((data for _, _, data in G.edges(data=True)), weight)


#: A graph converted for igraph: the igraph graph, its nodes (vertex i = nodes[i]), edge weights.
Converted = tuple[ig.Graph, list[Hashable], list[float]]


def to_igraph(G: nx.Graph, weight: str | None = "weight") -> Converted:
    """``G`` as an undirected igraph graph, the node list (vertex i = nodes[i]) and edge weights."""
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    pairs: list[tuple[int, int]] = []
    datas: list[dict] = []
    add_pair, add_data = pairs.append, datas.append
    for u, v, data in G.edges(data=True):
        add_pair((index[u], index[v]))
        add_data(data)
    g = ig.Graph(n=len(nodes), edges=pairs, directed=False)
    weights = _weights_of(datas, weight)
    return g, nodes, weights
