"""GraphML files of a graph, streamed by :mod:`graphkit.xmlwrite`.

GraphML has typed keys and Gephi's node keys (label, x, y, size, r, g, b).  Colours and sizes
come from the graph, or from :func:`graphkit.render.node_styles` when it has none.
"""

from __future__ import annotations

import networkx as nx

from ..fileio import Target, target_file, written_bytes
from ..xmlwrite import write_graphml_stream
from .view import EDGE_COLUMNS, NODE_COLUMNS, STYLE_KEYS, GraphScan, WriterView, ordered

__all__ = ["graphml_bytes", "write_graphml"]

_COLOR_AT = NODE_COLUMNS.index("color") + 1
#: GraphML node keys come in this order (r, g, b right after color), then the others sorted.
_GRAPHML_NODE_ORDER = NODE_COLUMNS[1:_COLOR_AT] + STYLE_KEYS + NODE_COLUMNS[_COLOR_AT:]


def graphml_bytes(G: nx.Graph) -> bytes:
    """GraphML with typed keys and Gephi's node keys (label, x, y, size, r, g, b).

    >>> import networkx as nx
    >>> b'attr.name="r" attr.type="long"' in graphml_bytes(nx.Graph([(1, 2)]))
    True
    """
    return written_bytes(write_graphml, G)


def write_graphml(G: nx.Graph, target: Target, *, scan: GraphScan | None = None) -> None:
    """Stream GraphML to a path (atomically) or an open binary file.

    ``scan``: a :func:`~graphkit.export.view.scan_graph` of ``G`` shared with other writers.

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
    with target_file(target) as fh:
        write_graphml_stream(
            fh,
            graph=view.graph,
            node_keys=[(k, node_types[k]) for k in node_keys],
            edge_keys=[(k, edge_types[k]) for k in edge_keys],
            node_batches=((list(map(str, ids)), batch) for ids, batch in view.node_batches()),
            edge_batches=(
                (list(map(str, sources)), list(map(str, targets)), batch)
                for sources, targets, batch in view.edge_batches()
            ),
        )
