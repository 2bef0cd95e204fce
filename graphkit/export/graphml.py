"""GraphML and GEXF files of a graph, streamed by :mod:`graphkit.xmlwrite`.

GraphML has typed keys and Gephi's node keys (label, x, y, size, r, g, b); GEXF 1.2 has
``viz:color``, ``viz:size`` and ``viz:position``.  Colours and sizes come from the graph, or
from :func:`graphkit.render.node_styles` when it has none.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx

from .. import __version__
from ..xmlwrite import Viz, write_gexf_stream, write_graphml_stream
from .records import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    STYLE_KEYS,
    GraphScan,
    Scalar,
    Target,
    WriterView,
    opened,
    ordered,
    to_bytes,
    to_str,
)

__all__ = ["graphml_bytes", "write_graphml", "gexf_bytes", "write_gexf"]

_COLOR_AT = NODE_COLUMNS.index("color") + 1
#: GraphML node keys come in this order (r, g, b right after color), then the others sorted.
_GRAPHML_NODE_ORDER = NODE_COLUMNS[1:_COLOR_AT] + STYLE_KEYS + NODE_COLUMNS[_COLOR_AT:]


def graphml_bytes(G: nx.Graph) -> bytes:
    """GraphML with typed keys and Gephi's node keys (label, x, y, size, r, g, b).

    >>> import networkx as nx
    >>> b'attr.name="r" attr.type="long"' in graphml_bytes(nx.Graph([(1, 2)]))
    True
    """
    return to_bytes(write_graphml, G)


def write_graphml(G: nx.Graph, target: Target, *, scan: GraphScan | None = None) -> None:
    """Stream GraphML to a path (atomically) or an open binary file.

    ``scan``: a :func:`~graphkit.export.records.scan_graph` of ``G`` shared with other writers.

    >>> import io, networkx as nx
    >>> buf = io.BytesIO()
    >>> write_graphml(nx.Graph([("a", "b")]), buf)
    >>> b'<edge source="a" target="b"/>' in buf.getvalue()
    True
    """
    view = WriterView(G, xml=True, fix_text=False, style=True, scan=scan)
    node_types, edge_types = view.node_types, view.edge_types
    node_keys = ordered(node_types, _GRAPHML_NODE_ORDER)
    edge_keys = ordered(edge_types, EDGE_COLUMNS[2:])
    with opened(target) as fh:
        write_graphml_stream(
            fh,
            graph=view.graph,
            node_keys=[(k, node_types[k]) for k in node_keys],
            edge_keys=[(k, edge_types[k]) for k in edge_keys],
            nodes=((str(n), d) for n, d in view.nodes()),
            edges=((str(u), str(v), d) for u, v, d in view.edges()),
        )


def gexf_bytes(G: nx.Graph) -> bytes:
    """GEXF 1.2 with ``viz:color``, ``viz:size`` and ``viz:position`` (when laid out).

    >>> import networkx as nx
    >>> b"<viz:color" in gexf_bytes(nx.Graph([(1, 2)]))
    True
    """
    return to_bytes(write_gexf, G)


def write_gexf(G: nx.Graph, target: Target, *, scan: GraphScan | None = None) -> None:
    """Stream GEXF to a path (atomically) or an open binary file.

    Node ``label`` becomes the node's label and a numeric edge ``weight`` its weight; the other
    attributes are typed ``<attvalue>``s (``r``, ``g``, ``b`` only as ``viz:color``).
    ``scan``: as for :func:`write_graphml`.

    >>> import io, networkx as nx
    >>> G = nx.Graph([("a", "b")])
    >>> G.nodes["a"]["label"] = "A"
    >>> buf = io.BytesIO()
    >>> write_gexf(G, buf)
    >>> b'<node id="a" label="A">' in buf.getvalue()
    True
    """
    view = WriterView(G, xml=True, fix_text=False, style=True, scan=scan)
    node_types, edge_types = view.node_types, view.edge_types
    weighted = edge_types.get("weight") is float
    node_keys = [k for k in ordered(node_types, NODE_COLUMNS) if k not in ("label", *STYLE_KEYS)]
    edge_keys = [k for k in ordered(edge_types, EDGE_COLUMNS[2:]) if k != "weight" or not weighted]
    with opened(target) as fh:
        write_gexf_stream(
            fh,
            name=to_str(view.graph.get("name", "")),
            creator=f"graphkit {__version__}",
            node_keys=[(k, node_types[k]) for k in node_keys],
            edge_keys=[(k, edge_types[k]) for k in edge_keys],
            nodes=(_gexf_node(n, d) for n, d in view.nodes()),
            edges=(
                (str(u), str(v), d.get("weight") if weighted else None, d)  # type: ignore[misc]
                for u, v, d in view.edges()
            ),
        )


def _gexf_node(
    node: Hashable, data: Mapping[str, Scalar]
) -> tuple[str, str, Viz, Mapping[str, Scalar]]:
    label = data.get("label")
    x, y = data.get("x"), data.get("y")
    if type(x) is not float or type(y) is not float:
        x = y = None
    viz = (data["r"], data["g"], data["b"], data["size"], x, y)
    return str(node), str(node) if label is None else str(label), viz, data  # type: ignore[return-value]
