"""Colours, sizes and edge styles: the only place that decides how the graph looks.

``apply_style``/``node_styles`` give every node a ``color`` and ``size`` (GraphML/GEXF carry
them; the map re-uses the sizes).  The map colours communities by rank instead
(:func:`map_palette`: distinct colours for the largest, grey for the small ones), and draws
each edge kind in its own neutral colour and style (:func:`edge_kinds`), never a community's.

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
from collections.abc import Iterable, Mapping
from typing import Any

from ..config import default_of
from ..model import CITATION_KINDS, EDGE_KINDS
from ..schema import METHOD, REFERENCE

__all__ = [
    "PALETTE",
    "MAP_PALETTE",
    "SMALL_COMMUNITY_COLOR",
    "METHOD_COLOR",
    "REFERENCE_COLOR",
    "NODE_KIND_CODES",
    "node_kind_code",
    "EDGE_COLORS",
    "EDGE_LABELS",
    "DIRECTED_KINDS",
    "MIN_SIZE",
    "MAX_SIZE",
    "community_color",
    "map_palette",
    "edge_kinds",
    "node_styles",
    "apply_style",
    "num",
    "as_int",
]

#: The centrality that sizes nodes unless told otherwise: the one default, Config's ``size_by``.
DEFAULT_SIZE_BY: str = default_of("size_by")

#: Stable categorical palette of the graph files (Tableau 10 + 10): community i gets PALETTE[i % 20].
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
#: The map's community colours, largest community first: 16 hues that stay apart from each
#: other (Kelly's list without white, black and grey), so no two large communities look alike.
MAP_PALETTE: tuple[str, ...] = (
    "#1f6fd1", "#f28e1c", "#2ca25f", "#d62728", "#8e44c9", "#00a6a6", "#c7a000", "#e7298a",
    "#7f4f24", "#66a61e", "#4b0082", "#ff6f61", "#1b9e77", "#a6761d", "#6a8fd6", "#b8336a",
)  # fmt: skip
#: Communities past the palette, and papers in none, are drawn in this grey.
SMALL_COMMUNITY_COLOR = "#b5b5b5"
METHOD_COLOR = "#555555"
REFERENCE_COLOR = "#8a7f70"
#: The map's node kinds: papers (0) and the nodes that follow them, methods (1), references (2).
NODE_KIND_CODES: dict[str, int] = {METHOD: 1, REFERENCE: 2}
#: Edge colours: dark neutrals, none of them a community colour (so a link never reads as a group).
EDGE_COLORS: dict[str, str] = {
    "keyword": "#6b6b6b",
    "similarity": "#9aa3ad",
    "mention": "#3b3b3b",
    "cites": "#8a6d3b",
    "cocitation": "#7b8a5e",
    "coupling": "#5e7b8a",
}
_FALLBACK_EDGE_COLORS = ("#707a85", "#85707a", "#7a8570", "#5f5f5f")
#: What the legend calls each kind.
EDGE_LABELS: dict[str, str] = {
    "keyword": "shared terms",
    "similarity": "similar text",
    "mention": "mentions (arrow: A names B)",
    "cites": "cites (arrow: A cites B)",
    "cocitation": "cited together (co-citation)",
    "coupling": "cite the same works (coupling)",
}
#: Kinds drawn with an arrow from the citing/mentioning paper.
DIRECTED_KINDS = frozenset({"mention", "cites"})
MIN_SIZE, MAX_SIZE = 6.0, 40.0


def community_color(community: int) -> str:
    """The graph files' colour of community ``community`` (stable across runs)."""
    return PALETTE[int(community) % len(PALETTE)] if community >= 0 else "#cccccc"


def node_kind_code(data: Mapping[str, Any]) -> int:
    """0 for a paper, else the code of a node that follows its papers (method, reference)."""
    return NODE_KIND_CODES.get(str(data.get("kind") or ""), 0)


def map_palette(sizes: Mapping[int, int]) -> dict[int, str]:
    """The map's colour of each community: distinct colours by size rank, grey past them.

    >>> map_palette({3: 10, 7: 50, -1: 99})
    {7: '#1f6fd1', 3: '#f28e1c', -1: '#b5b5b5'}
    """
    out: dict[int, str] = {}
    ranked = [c for c in sorted(sizes, key=lambda c: (-sizes[c], c)) if c >= 0]
    for rank, cid in enumerate(ranked):
        out[cid] = MAP_PALETTE[rank] if rank < len(MAP_PALETTE) else SMALL_COMMUNITY_COLOR
    if -1 in sizes:
        out[-1] = SMALL_COMMUNITY_COLOR
    return out


def edge_kinds(seen: Iterable[str]) -> list[dict[str, Any]]:
    """Legend entries for the edge kinds in ``seen``: the model's kinds first, unknown ones after.

    An unknown kind gets a fallback colour, its own name as label and a solid line.

    >>> [k["id"] for k in edge_kinds(["similarity", "zz", "cites"])]
    ['similarity', 'cites', 'zz']
    >>> edge_kinds(["cites"])[0]["directed"], edge_kinds(["keyword"])[0]["dashed"]
    (True, False)
    """
    seen = set(seen)
    known = [k for k in (*EDGE_KINDS, *CITATION_KINDS, *EDGE_COLORS) if k in seen]
    order = list(dict.fromkeys(known)) + sorted(seen - set(known))
    out = []
    for i, kind in enumerate(order):
        color = EDGE_COLORS.get(kind, _FALLBACK_EDGE_COLORS[i % len(_FALLBACK_EDGE_COLORS)])
        out.append(
            {
                "id": kind,
                "label": EDGE_LABELS.get(kind, kind),
                "color": color,
                "dashed": kind == "similarity",
                "directed": kind in DIRECTED_KINDS,
            }
        )
    return out


def node_styles(G: Any, *, size_by: str = DEFAULT_SIZE_BY) -> dict[Any, tuple[str, float]]:
    """``{node: (color, size)}`` as :func:`apply_style` would set them, without changing ``G``.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b")])
    >>> G.nodes["a"].update(community=1, pagerank=1.0)
    >>> node_styles(G)["a"]
    ('#f28e2b', 40.0)
    """
    values = [num(d.get(size_by)) for _, d in G.nodes(data=True)]
    top = max(values, default=0.0)
    out: dict[Any, tuple[str, float]] = {}
    for (node, data), v in zip(G.nodes(data=True), values, strict=True):
        if data.get("kind") == METHOD:
            color = METHOD_COLOR
        else:
            color = community_color(as_int(data.get("community"), -1))
        frac = math.sqrt(v / top) if top > 0 else 0.0
        out[node] = (color, round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * frac, 3))
    return out


def apply_style(G: Any, *, size_by: str = DEFAULT_SIZE_BY) -> None:
    """Set ``color`` and ``size`` on every node of ``G`` in place.

    Size grows with the square root of ``size_by`` (scaled to [MIN_SIZE, MAX_SIZE]) so that a
    hub is visible without hiding everyone else.
    """
    for node, (color, size) in node_styles(G, size_by=size_by).items():
        G.nodes[node]["color"] = color
        G.nodes[node]["size"] = size


def num(value: Any, default: float = 0.0) -> float:
    """``value`` as a finite float, else ``default``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


def as_int(value: Any, default: int) -> int:
    """``value`` as an int, else ``default``."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
