"""Styling and rendering of the graph: the only module that decides colours, sizes and shapes.

``apply_style`` writes ``color`` and ``size`` onto nodes (used by the GraphML/GEXF writers and
the HTML page alike), from ``community`` and a centrality.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("a", kind="paper", community=0, pagerank=0.7)
>>> G.add_node("method:LoRA", kind="method", community=0, pagerank=0.3)
>>> apply_style(G)
>>> G.nodes["a"]["color"], G.nodes["method:LoRA"]["color"]
('#4e79a7', '#555555')
>>> G.nodes["a"]["size"] > G.nodes["method:LoRA"]["size"]
True
"""

from __future__ import annotations

import math

import networkx as nx

__all__ = [
    "PALETTE",
    "METHOD_COLOR",
    "EDGE_COLORS",
    "community_color",
    "apply_style",
]

#: Stable categorical palette (Tableau 10 + 10 more), community i gets PALETTE[i % len].
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
METHOD_COLOR = "#555555"
EDGE_COLORS: dict[str, str] = {
    "keyword": "#59a14f",
    "similarity": "#9aa7b8",
    "mention": "#e15759",
}
MIN_SIZE, MAX_SIZE = 6.0, 40.0


def community_color(community: int) -> str:
    """The colour of community ``community`` (stable across runs)."""
    return PALETTE[int(community) % len(PALETTE)] if community >= 0 else "#cccccc"


def apply_style(G: nx.Graph, *, size_by: str = "pagerank") -> None:
    """Set ``color`` and ``size`` on every node of ``G`` in place.

    Size grows with the square root of ``size_by`` (scaled to [MIN_SIZE, MAX_SIZE]) so that a
    hub is visible without hiding everyone else.
    """
    values = [float(d.get(size_by, 0.0) or 0.0) for _, d in G.nodes(data=True)]
    top = max(values, default=0.0)
    for _, data in G.nodes(data=True):
        if data.get("kind") == "method":
            data["color"] = METHOD_COLOR
        else:
            data["color"] = community_color(int(data.get("community", -1)))
        v = float(data.get(size_by, 0.0) or 0.0)
        frac = math.sqrt(v / top) if top > 0 else 0.0
        data["size"] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * frac, 3)
