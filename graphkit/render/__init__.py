"""Styling and the HTML map: :mod:`.style` (colours, sizes, edge styles), :mod:`.select` (what
the map draws) and :mod:`.page` (the self-contained WebGL page)."""

from .page import html_bytes, page_payload, write_html
from .select import (
    CAP_MESSAGE,
    DEFAULT_MAX_NODES,
    EDGE_CAP_MESSAGE,
    EDGES_PER_NODE,
    choose_nodes,
    edge_levels,
    select_for_html,
)
from .style import (
    EDGE_COLORS,
    MAP_PALETTE,
    METHOD_COLOR,
    PALETTE,
    apply_style,
    community_color,
    edge_kinds,
    map_palette,
    node_styles,
)

__all__ = [
    "PALETTE",
    "MAP_PALETTE",
    "METHOD_COLOR",
    "EDGE_COLORS",
    "community_color",
    "map_palette",
    "edge_kinds",
    "apply_style",
    "node_styles",
    "choose_nodes",
    "edge_levels",
    "select_for_html",
    "html_bytes",
    "page_payload",
    "write_html",
    "CAP_MESSAGE",
    "EDGE_CAP_MESSAGE",
    "EDGES_PER_NODE",
    "DEFAULT_MAX_NODES",
]
