"""Graph files for other tools: GraphML (Gephi, igraph, Cytoscape), GEXF, JSON and CSV.

Every writer comes in two parts, networkx style: ``write_*(G, target)`` streams the file to a
path (atomically: a failed write leaves no partial file) or to an open binary file, and
``*_bytes(G)`` returns the same bytes (written into a ``BytesIO``).  Nothing copies the graph
or holds a whole document: records are made safe one node or edge at a time by a writer-safe
view of ``G`` (:func:`prepared` builds a copy from the same view, for tests and callers that
want one):

- attributes pass through :func:`graphkit.schema.plain` (no lists, None, NaN, numpy);
- strings lose what their format cannot hold: lone surrogates everywhere (→ U+FFFD), and for
  XML and CSV also the control characters XML 1.0 forbids (hostile input must not make an
  unreadable file);
- in GraphML, GEXF and CSV an attribute has one type across all nodes (and across all edges):
  int + float → float, anything + str → str, so a typed key never lies (JSON keeps values as
  they are, so that it round-trips exactly);
- nodes are sorted by id and edges by their (sorted) ends, and attributes are written in a
  fixed key order, so the same graph always gives the same bytes whatever order it was built in.

Each writer sorts and scans ``G`` itself.  To write several formats of one graph, scan it once
with :func:`scan_graph` and pass ``scan=`` to each writer (same bytes, less time); ``G`` must not
change in between.

Gephi reads node ``label``, ``x``, ``y``, ``size`` and ``r``/``g``/``b`` from GraphML data keys and
``viz:*`` elements from GEXF; colours and sizes come from :func:`graphkit.render.node_styles`
when the graph has none.  ``G`` itself is never changed.

Inside: :mod:`~graphkit.export.view` (the writer view of a graph, its scan and
:func:`prepared`), one module per format: :mod:`~graphkit.export.graphml`,
:mod:`~graphkit.export.gexf` (the XML itself is :mod:`graphkit.xmlwrite`, the only owner of XML
escaping), :mod:`~graphkit.export.json` and :mod:`~graphkit.export.csv`.  The value-safety
rules are :mod:`graphkit.schema`'s; "a path or an open file" is :func:`graphkit.fileio.target_file`.

>>> import io, networkx as nx
>>> G = nx.Graph()
>>> G.add_node("a", kind="paper", label="A\\x00 title", community=0, x=1.5, y=-2.0)
>>> G.add_node("b", kind="paper", label="B", community=1, x=0.0, y=3.0)
>>> G.add_edge("a", "b", weight=0.5, kinds="keyword")
>>> H = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
>>> H.nodes["a"]["label"], H.nodes["a"]["r"], H.nodes["a"]["x"]
('A title', 78, 1.5)
>>> read_json(io.BytesIO(json_bytes(G))).nodes["a"]["label"]
'A\\x00 title'
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from ..errors import ConfigError
from .csv import edges_csv_bytes, nodes_csv_bytes, write_csv
from .gexf import gexf_bytes, write_gexf
from .graphml import graphml_bytes, write_graphml
from .json import JSON_FORMAT, JSON_VERSION, json_bytes, read_json, write_json
from .scan import GraphScan, scan_graph
from .view import EDGE_COLUMNS, NODE_COLUMNS, prepared

__all__ = [
    "EXPORT_FORMATS",
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "JSON_FORMAT",
    "JSON_VERSION",
    "prepared",
    "GraphScan",
    "scan_graph",
    "graphml_bytes",
    "write_graphml",
    "gexf_bytes",
    "write_gexf",
    "json_bytes",
    "write_json",
    "read_json",
    "nodes_csv_bytes",
    "edges_csv_bytes",
    "write_csv",
    "export_graph",
]

#: Formats :func:`export_graph` writes, with their file suffix.
EXPORT_FORMATS: dict[str, str] = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "json": ".json",
    "csv": ".csv",
}


def export_graph(G: nx.Graph, target: str | os.PathLike[str], fmt: str) -> list[Path]:
    """Write ``G`` as ``fmt`` (graphml, gexf, json or csv) and return the files written.

    ``target`` is a file path, or an existing folder (then ``graph.<suffix>`` inside it).  CSV
    makes two files beside the target: ``<stem>.nodes.csv`` and ``<stem>.edges.csv`` (in a folder:
    ``nodes.csv`` and ``edges.csv``).

    >>> import tempfile, networkx as nx
    >>> d = tempfile.mkdtemp()
    >>> [p.name for p in export_graph(nx.Graph([(1, 2)]), d + "/g.csv", "csv")]
    ['g.nodes.csv', 'g.edges.csv']
    """
    fmt = fmt.lower().strip()
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(
            f"unknown export format {fmt!r}", hint=f"Choose from {', '.join(EXPORT_FORMATS)}."
        )
    path = Path(target)
    if fmt == "csv":
        if path.is_dir():
            nodes, edges = path / "nodes.csv", path / "edges.csv"
        else:
            stem = path.name[: -len(".csv")] if path.name.lower().endswith(".csv") else path.name
            nodes, edges = path.with_name(f"{stem}.nodes.csv"), path.with_name(f"{stem}.edges.csv")
        write_csv(G, nodes, edges)
        return [nodes, edges]
    if path.is_dir():
        path = path / f"graph{EXPORT_FORMATS[fmt]}"
    writer = {"graphml": write_graphml, "gexf": write_gexf, "json": write_json}[fmt]
    writer(G, path)
    return [path]
