"""GEXF 1.2 files of a graph, streamed by :mod:`graphkit.xmlwrite`.

Gephi reads ``viz:color``, ``viz:size`` and ``viz:position``; colours and sizes come from the
graph, or from :func:`graphkit.render.node_styles` when it has none.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import networkx as nx

from .. import __version__
from ..fileio import Target, target_file, written_bytes
from ..schema import Scalar
from ..xmlwrite import Viz, write_gexf_stream
from .view import EDGE_COLUMNS, NODE_COLUMNS, STYLE_KEYS, GraphScan, WriterView, ordered, to_str

__all__ = ["gexf_bytes", "write_gexf"]


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
