"""GraphML files of a graph, streamed by :mod:`graphkit.xmlwrite`.

GraphML has typed keys and Gephi's node keys (label, x, y, size, r, g, b).  Colours and sizes
come from the graph, or from :func:`graphkit.render.node_styles` when it has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import IO

import networkx as nx

from ..fileio import Target, target_file, written_bytes
from ..schema import Scalar
from ..xmlwrite import (
    XML_DECL,
    XSI,
    ChunkWriter,
    Declared,
    KeySpec,
    attr_texts,
    escape_attr,
    record_bodies,
    xml_type,
    xml_value,
)
from .scan import GraphScan
from .view import EDGE_COLUMNS, NODE_COLUMNS, STYLE_KEYS, WriterView, ordered

__all__ = ["GRAPHML_NS", "graphml_bytes", "write_graphml", "write_graphml_stream"]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

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


def write_graphml_stream(
    fh: IO[bytes],
    *,
    graph: Mapping[str, Scalar],
    node_keys: Sequence[KeySpec],
    edge_keys: Sequence[KeySpec],
    node_batches: Iterable[tuple[Sequence[str], Sequence[Mapping[str, Scalar]]]],
    edge_batches: Iterable[tuple[Sequence[str], Sequence[str], Sequence[Mapping[str, Scalar]]]],
    chunk: int | None = None,
) -> None:
    """Write an undirected GraphML document to ``fh`` (see the module docstring).

    ``node_keys``/``edge_keys`` declare ``(name, type)`` in the order data is written; graph
    attributes get keys of their values' types.  Nodes come in batches ``(ids, records)``,
    edges in batches ``(sources, targets, records)``; ids are strings.
    """
    out = ChunkWriter(fh, chunk=chunk)
    head = [
        XML_DECL,
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">\n',
    ]
    n_keys = 0

    def declare(kind: str, specs: Iterable[KeySpec]) -> list[Declared]:
        nonlocal n_keys
        declared = []
        for name, typ in specs:
            kid = f"d{n_keys}"
            n_keys += 1
            head.append(
                f'<key id="{kid}" for="{kind}" attr.name="{escape_attr(name)}" '
                f'attr.type="{xml_type(typ)}"/>\n'
            )
            declared.append((name, f'  <data key="{kid}">', typ))
        return declared

    graph_keys = declare("graph", ((k, type(v)) for k, v in graph.items()))
    node_decl = declare("node", node_keys)
    edge_decl = declare("edge", edge_keys)
    head.append('<graph edgedefault="undirected">\n')
    for name, open_, _ in graph_keys:
        head.append(f"{open_[2:]}{xml_value(graph[name])}</data>\n")
    out.write("".join(head))

    for ids, records in node_batches:
        bodies = record_bodies(records, node_decl, "</data>\n", False)
        out.write(
            "".join(
                [
                    f'<node id="{i}">\n{body}</node>\n' if body else f'<node id="{i}"/>\n'
                    for i, body in zip(attr_texts(ids), bodies, strict=True)
                ]
            )
        )
    for sources, targets, records in edge_batches:
        bodies = record_bodies(records, edge_decl, "</data>\n", False)
        ends = zip(attr_texts(sources), attr_texts(targets), bodies, strict=True)
        out.write(
            "".join(
                [
                    f'<edge source="{u}" target="{v}">\n{body}</edge>\n'
                    if body
                    else f'<edge source="{u}" target="{v}"/>\n'
                    for u, v, body in ends
                ]
            )
        )
    out.write("</graph>\n</graphml>\n")
    out.close()
