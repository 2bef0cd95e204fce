"""One scan of a graph shared by every writer: ids sorted, edges in file order, attributes read.

Writing several formats of one graph needs its sorted ids, its edges in file order and what
its attributes hold (types, values to clean, text to fix) once, not once per format::

    scan = scan_graph(G)
    write_graphml(G, "g.graphml", scan=scan)
    write_json(G, "g.json", scan=scan)

What the attributes hold is found by :func:`graphkit.schema.scan_records`.
"""

from __future__ import annotations

import array
import bisect
import logging
from collections.abc import Hashable, Mapping
from functools import cached_property
from typing import Any

import networkx as nx

from ..render import node_styles
from ..schema import ALL_CHECKS, Column, plain, scalar, scan_records

__all__ = ["GraphScan", "scan_graph"]

log = logging.getLogger(__name__)


def _key(node: Hashable) -> tuple[str, str]:
    return (type(node).__name__, str(node))


class GraphScan:
    """The writer-independent part of writing ``G``: sorted ids, edges in file order, and one
    scan of every attribute.  Each writer makes its own unless given one (``scan=``), so that
    writing several formats of one graph scans it once::

        scan = scan_graph(G)
        write_graphml(G, "g.graphml", scan=scan)
        write_json(G, "g.json", scan=scan)

    ``G`` must not change between the scan and the writes.  ``checks`` (see
    :data:`ALL_CHECKS`) are what text is checked for; :func:`scan_graph` checks everything.
    """

    def __init__(self, G: nx.Graph, *, checks: frozenset[str] = ALL_CHECKS) -> None:
        self.source = G
        self.n_nodes = G.number_of_nodes()
        if G.is_directed() or G.is_multigraph():
            log.debug("directed or multi-graph written as a simple undirected graph")
            G = nx.Graph(G)
        self.G = G
        self.checks = checks
        self.order = sorted(G, key=_key)
        self.rank = {node: i for i, node in enumerate(self.order)}

    def complete(self) -> GraphScan:
        """Make every part of the scan now (before forking writers that share it: each would
        otherwise make the parts it needs on its own); returns ``self``."""
        for part in ("edge_index", "node_columns", "edge_columns", "styles"):
            getattr(self, part)
        return self

    @cached_property
    def edge_index(self) -> tuple[array.array[int], array.array[int], list[Mapping[Any, Any]]]:
        """The edges in file order: ranks of their ends (compact arrays) and attribute dicts."""
        adj = self.G._adj
        rank = self.rank
        order = self.order
        sources, targets = array.array("q"), array.array("q")
        records: list[Mapping[Any, Any]] = []
        for i, u in enumerate(order):
            nbrs = adj[u]
            later = sorted(map(rank.__getitem__, nbrs))
            later = later[bisect.bisect_left(later, i) :]
            if later:
                sources.extend([i] * len(later))
                targets.extend(later)
                records.extend(map(nbrs.__getitem__, map(order.__getitem__, later)))
        return sources, targets, records

    @cached_property
    def node_records(self) -> list[Mapping[Any, Any]]:
        """The node attribute dicts in id order."""
        node_data = self.G._node
        return [node_data[n] for n in self.order]

    @cached_property
    def node_columns(self) -> dict[Any, Column]:
        """The scan of the node attributes."""
        return scan_records(self.node_records, self.checks)

    @cached_property
    def edge_columns(self) -> dict[Any, Column]:
        """The scan of the edge attributes."""
        return scan_records(self.edge_index[2], self.checks)

    @cached_property
    def styles(self) -> dict[Any, tuple[str, float]]:
        """:func:`graphkit.render.node_styles` when some node has no style of its own, else {}."""
        if all(map(_has_style, self.node_records)):
            return {}
        return node_styles(self.G)


def scan_graph(G: nx.Graph) -> GraphScan:
    """A :class:`GraphScan` of ``G`` for every writer (pass it as ``scan=``).

    >>> import io, networkx as nx
    >>> from graphkit.export import graphml_bytes, write_graphml
    >>> G = nx.Graph([("a", "b")])
    >>> buf = io.BytesIO()
    >>> write_graphml(G, buf, scan=scan_graph(G))
    >>> buf.getvalue() == graphml_bytes(G)
    True
    """
    return GraphScan(G)


def _has_style(attrs: Mapping[str, Any]) -> bool:
    """Whether a node has a colour and a numeric size of its own."""
    size = attrs.get("size")
    if type(size) not in (int, float):
        size = scalar(size)
    return (
        plain(attrs.get("color")) is not None and type(size) in (int, float) and size - size == 0.0  # type: ignore[operator]
    )
