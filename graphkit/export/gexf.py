"""GEXF 1.2 files of a graph, streamed by :mod:`graphkit.xmlwrite`.

Gephi reads ``viz:color``, ``viz:size`` and ``viz:position``; colours and sizes come from the
graph, or from :func:`graphkit.render.node_styles` when it has none.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import IO

import networkx as nx

from .. import __version__
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
    escape_text,
    record_bodies,
    xml_type,
)
from .scan import GraphScan
from .view import EDGE_COLUMNS, NODE_COLUMNS, STYLE_KEYS, WriterView, ordered, to_str

__all__ = ["GEXF_NS", "GEXF_VIZ_NS", "Viz", "gexf_bytes", "write_gexf", "write_gexf_stream"]

#: GEXF 1.2 as networkx, Gephi and graphology read it (networkx only knows the "draft" URIs).
GEXF_NS = "http://www.gexf.net/1.2draft"
GEXF_VIZ_NS = "http://www.gexf.net/1.2draft/viz"


def gexf_bytes(G: nx.Graph) -> bytes:
    """GEXF 1.2 with ``viz:color``, ``viz:size`` and ``viz:position`` (when laid out).

    >>> import networkx as nx
    >>> b"<viz:color" in gexf_bytes(nx.Graph([(1, 2)]))
    True
    """
    return written_bytes(write_gexf, G)


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
    with target_file(target) as fh:
        write_gexf_stream(
            fh,
            name=to_str(view.graph.get("name", "")),
            creator=f"graphkit {__version__}",
            node_keys=[(k, node_types[k]) for k in node_keys],
            edge_keys=[(k, edge_types[k]) for k in edge_keys],
            node_batches=(_gexf_nodes(ids, batch) for ids, batch in view.node_batches()),
            edge_batches=(
                (
                    list(map(str, sources)),
                    list(map(str, targets)),
                    [d.get("weight") for d in batch] if weighted else [None] * len(batch),
                    batch,
                )
                for sources, targets, batch in view.edge_batches()
            ),
        )


def _gexf_nodes(
    ids: Sequence[Hashable], batch: Sequence[Mapping[str, Scalar]]
) -> tuple[list[str], list[str], list[Viz], Sequence[Mapping[str, Scalar]]]:
    """A batch of nodes as the GEXF stream takes it: ids, labels, viz data, records."""
    names = list(map(str, ids))
    labels = [
        name if (label := data.get("label")) is None else str(label)
        for name, data in zip(names, batch, strict=True)
    ]
    vizs: list[Viz] = []
    for data in batch:
        x, y = data.get("x"), data.get("y")
        if type(x) is not float or type(y) is not float:
            x = y = None
        vizs.append((data["r"], data["g"], data["b"], data["size"], x, y))  # type: ignore[arg-type]
    return names, labels, vizs, batch


#: A node's viz data: r, g, b (0-255), size, and x, y (None when not laid out).
Viz = tuple[int, int, int, float, float | None, float | None]


def write_gexf_stream(
    fh: IO[bytes],
    *,
    name: str,
    creator: str,
    node_keys: Sequence[KeySpec],
    edge_keys: Sequence[KeySpec],
    node_batches: Iterable[
        tuple[Sequence[str], Sequence[str], Sequence[Viz], Sequence[Mapping[str, Scalar]]]
    ],
    edge_batches: Iterable[
        tuple[Sequence[str], Sequence[str], Sequence[float | None], Sequence[Mapping[str, Scalar]]]
    ],
    chunk: int | None = None,
) -> None:
    """Write an undirected, static GEXF 1.2 document with viz data to ``fh``.

    Nodes come in batches ``(ids, labels, vizs, records)`` and edges in batches ``(sources,
    targets, weights, records)``; edges get ids 0, 1, 2… in the order given.

    >>> import io
    >>> buf = io.BytesIO()
    >>> write_gexf_stream(buf, name="", creator="me", node_keys=[], edge_keys=[],
    ...                   node_batches=[(["a"], ["A"], [(1, 2, 3, 6.0, None, None)], [{}])],
    ...                   edge_batches=[])
    >>> b'<viz:color r="1" g="2" b="3" a="1.0"/>' in buf.getvalue()
    True
    """
    out = ChunkWriter(fh, chunk=chunk)
    head = [
        XML_DECL,
        f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{GEXF_VIZ_NS}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.2">\n',
        f"  <meta>\n    <creator>{escape_text(creator)}</creator>\n  </meta>\n",
        '  <graph defaultedgetype="undirected" mode="static"'
        + (f' name="{escape_attr(name)}">\n' if name else ">\n"),
    ]

    def declare(kind: str, specs: Sequence[KeySpec], first: int) -> list[Declared]:
        if not specs:
            return []
        head.append(f'    <attributes class="{kind}" mode="static">\n')
        declared = []
        for i, (key, typ) in enumerate(specs, start=first):
            head.append(
                f'      <attribute id="{i}" title="{escape_attr(key)}" type="{xml_type(typ)}"/>\n'
            )
            declared.append((key, f'          <attvalue for="{i}" value="', typ))
        head.append("    </attributes>\n")
        return declared

    node_decl = declare("node", node_keys, 0)
    edge_decl = declare("edge", edge_keys, len(node_keys))
    head.append("    <nodes>\n")
    out.write("".join(head))

    for ids, labels, vizs, records in node_batches:
        bodies = record_bodies(records, node_decl, '"/>\n', True)
        rows = zip(attr_texts(ids), attr_texts(labels), vizs, bodies, strict=True)
        out.write("".join([_gexf_node(*row) for row in rows]))
    out.write("    </nodes>\n    <edges>\n")
    n_edges = 0
    for sources, targets, weights, records in edge_batches:
        bodies = record_bodies(records, edge_decl, '"/>\n', True)
        rows = zip(attr_texts(sources), attr_texts(targets), weights, bodies, strict=True)
        out.write("".join([_gexf_edge(i, *row) for i, row in enumerate(rows, start=n_edges)]))
        n_edges += len(records)
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    out.close()


def _gexf_node(node_id: str, label: str, viz: Viz, body: str) -> str:
    r, g, b, size, x, y = viz
    text = (
        f'      <node id="{node_id}" label="{label}">\n'
        f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0"/>\n'
        f'        <viz:size value="{size!r}"/>\n'
    )
    if x is not None and y is not None:
        text += f'        <viz:position x="{x!r}" y="{y!r}" z="0.0"/>\n'
    if body:
        text += f"        <attvalues>\n{body}        </attvalues>\n"
    return text + "      </node>\n"


def _gexf_edge(i: int, source: str, target: str, weight: float | None, body: str) -> str:
    w = "" if weight is None else f' weight="{weight!r}"'
    head = f'      <edge id="{i}" source="{source}" target="{target}"{w}'
    if body:
        return f"{head}>\n        <attvalues>\n{body}        </attvalues>\n      </edge>\n"
    return head + "/>\n"
