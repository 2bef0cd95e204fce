"""Graph files for other tools: GraphML (Gephi, igraph, Cytoscape), GEXF, JSON and CSV.

Every writer comes in two parts, networkx style: ``*_bytes(G)`` builds the file in memory and
``write_*(G, target)`` writes it to a path (atomically) or an open binary file.  All of them go
through :func:`prepared`, the one place where a graph is made safe for writers:

- attributes pass through :func:`graphkit.schema.clean_attrs` (no lists, None, NaN, numpy);
- strings lose what their format cannot hold: lone surrogates everywhere (→ U+FFFD), and for
  XML and CSV also the control characters XML 1.0 forbids (hostile input must not make an
  unreadable file);
- in GraphML, GEXF and CSV an attribute has one type across all nodes (and across all edges):
  int + float → float, anything + str → str, so a typed key never lies (JSON keeps values as
  they are, so that it round-trips exactly);
- nodes are sorted by id and edges by their (sorted) ends, so the same graph always gives the
  same bytes whatever order it was built in.

Gephi reads node ``label``, ``x``, ``y``, ``size`` and ``r``/``g``/``b`` from GraphML data keys and
``viz:*`` elements from GEXF; colours and sizes come from :func:`graphkit.render.apply_style`
(applied to a copy when the graph has none).  ``G`` itself is never changed.

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

import csv
import io
import logging
import os
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import networkx as nx
import orjson

from .errors import ConfigError, GraphFileError
from .fileio import write_target
from .render import apply_style
from .schema import clean_attrs

__all__ = [
    "EXPORT_FORMATS",
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "prepared",
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

log = logging.getLogger(__name__)

Target = str | os.PathLike[str] | IO[bytes]
Scalar = str | int | float | bool

#: Formats :func:`export_graph` writes, with their file suffix.
EXPORT_FORMATS: dict[str, str] = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "json": ".json",
    "csv": ".csv",
}
#: First columns of the node CSV, always present in this order; other attributes follow sorted.
NODE_COLUMNS: tuple[str, ...] = (
    "id", "kind", "label", "title", "short_name", "year", "date", "authors", "n_authors",
    "organization", "url", "arxiv_id", "doi", "categories", "community", "community_label",
    "degree", "weighted_degree", "pagerank", "betweenness", "eigenvector", "x", "y", "size",
    "color", "method_kind", "reference", "n_mentions", "defines", "mentions", "keyphrases",
    "abstract",
)  # fmt: skip
#: First columns of the edge CSV, always present in this order; other attributes follow sorted.
EDGE_COLUMNS: tuple[str, ...] = (
    "source", "target", "kinds", "weight", "w_keyword", "w_similarity", "w_mention",
    "similarity", "keyword_terms", "similarity_terms", "mention_names", "mention_from",
    "mention_evidence",
)  # fmt: skip
#: The marker and version of graphkit's JSON graph files.
JSON_FORMAT = "graphkit-graph"
JSON_VERSION = 1

_SURROGATES = re.compile("[\ud800-\udfff]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_GEXF_DATE = re.compile(rb'\s+lastmodifieddate="[^"]*"')
_FLOAT_KEYS = ("x", "y", "size", "weight")
_INT_KEYS = ("r", "g", "b", "community", "degree")


# --------------------------------------------------------------------------- preparation


def prepared(G: nx.Graph, *, xml: bool = True) -> nx.Graph:
    """A writer-safe copy of ``G`` (see the module docstring).

    ``xml=True`` (GraphML, GEXF, CSV) also strips control characters and gives each attribute
    one type; ``xml=False`` (JSON) keeps values exactly, so JSON round-trips.

    >>> import networkx as nx
    >>> G = nx.Graph([(2, 1)])
    >>> G.nodes[1]["year"], G.nodes[2]["year"] = 2023, "2024?"
    >>> H = prepared(G)
    >>> list(H.nodes(data="year")), list(H.edges)
    ([(1, '2023'), (2, '2024?')], [(1, 2)])
    """
    fix = _xml_text if xml else _json_text
    H = nx.Graph()
    H.graph.update(_clean(G.graph, fix))
    nodes = sorted(G.nodes(data=True), key=lambda nd: _key(nd[0]))
    ids = {node: _node_id(node, fix) for node, _ in nodes}
    if len(set(ids.values())) != len(ids):
        raise GraphFileError(
            "two node ids become the same once made safe for the file",
            hint="Remove control characters from node ids before exporting.",
        )
    H.add_nodes_from((ids[node], _clean(data, fix)) for node, data in nodes)
    edges = []
    for u, v, data in G.edges(data=True):
        a, b = sorted((u, v), key=_key)
        edges.append((_key(a), _key(b), ids[a], ids[b], _clean(data, fix)))
    edges.sort(key=lambda e: (e[0], e[1]))
    H.add_edges_from((a, b, data) for _, _, a, b, data in edges)
    if xml:
        _unify_types(data for _, data in H.nodes(data=True))
        _unify_types(data for _, _, data in H.edges(data=True))
    return H


def _key(node: Hashable) -> tuple[str, str]:
    return (type(node).__name__, str(node))


def _node_id(node: Hashable, fix) -> Hashable:
    return fix(node) if isinstance(node, str) else node


def _json_text(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text)


def _xml_text(text: str) -> str:
    return _XML_FORBIDDEN.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


def _clean(attrs: Mapping[str, Any], fix) -> dict[str, Scalar]:
    out: dict[str, Scalar] = {}
    for key, value in clean_attrs(attrs).items():
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
            value = str(value)  # no 64-bit type in GraphML/GEXF/orjson can hold it
        out[fix(str(key))] = fix(value) if isinstance(value, str) else value
    return out


def _unify_types(records: Iterable[dict[str, Scalar]]) -> None:
    """Give every attribute one type across ``records`` (in place)."""
    records = list(records)
    types: dict[str, set[type]] = defaultdict(set)
    for data in records:
        for key, value in data.items():
            types[key].add(type(value))
    target: dict[str, type] = {}
    for key, seen in types.items():
        if len(seen) > 1:
            target[key] = float if seen <= {int, float} else int if seen <= {bool, int} else str
    for key in _FLOAT_KEYS:
        if types.get(key, set()) <= {int, float, bool} and types.get(key):
            target[key] = float
    for key in _INT_KEYS:
        if types.get(key) and types[key] <= {bool, int}:
            target[key] = int
    if not target:
        return
    for data in records:
        for key, kind in target.items():
            if key in data and type(data[key]) is not kind:
                value = data[key]
                data[key] = _to_str(value) if kind is str else kind(value)


def _to_str(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _styled(G: nx.Graph, *, xml: bool = True) -> nx.Graph:
    """The prepared copy with ``color``/``size`` (render.apply_style when missing) and r, g, b."""
    H = prepared(G, xml=xml)
    if any("color" not in d or "size" not in d for _, d in H.nodes(data=True)):
        apply_style(H)
    for _, data in H.nodes(data=True):
        data["size"] = float(data["size"])
        r, g, b = _rgb(str(data.get("color", "")))
        data["r"], data["g"], data["b"] = r, g, b
    return H


def _rgb(color: str) -> tuple[int, int, int]:
    """``"#4e79a7"`` → (78, 121, 167); anything unreadable → grey."""
    text = color.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        return 204, 204, 204


# --------------------------------------------------------------------------- GraphML / GEXF


def graphml_bytes(G: nx.Graph) -> bytes:
    """GraphML with typed keys and Gephi's node keys (label, x, y, size, r, g, b).

    >>> import networkx as nx
    >>> b'attr.name="r" attr.type="long"' in graphml_bytes(nx.Graph([(1, 2)]))
    True
    """
    H = _styled(G)
    buf = io.BytesIO()
    nx.write_graphml_lxml(H, buf, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    return buf.getvalue()


def write_graphml(G: nx.Graph, target: Target) -> None:
    """Write :func:`graphml_bytes` to a path (atomically) or an open binary file."""
    write_target(target, graphml_bytes(G))


def gexf_bytes(G: nx.Graph) -> bytes:
    """GEXF 1.2 with ``viz:color``, ``viz:size`` and ``viz:position`` (when laid out).

    >>> import networkx as nx
    >>> b"<viz:color" in gexf_bytes(nx.Graph([(1, 2)]))
    True
    """
    H = _styled(G)
    for _, data in H.nodes(data=True):
        viz: dict[str, Any] = {
            "color": {"r": data["r"], "g": data["g"], "b": data["b"], "a": 1.0},
            "size": data["size"],
        }
        if "x" in data and "y" in data:
            viz["position"] = {"x": float(data["x"]), "y": float(data["y"]), "z": 0.0}
        for key in ("r", "g", "b"):
            del data[key]
        data["viz"] = viz
    buf = io.BytesIO()
    nx.write_gexf(H, buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    # the writer stamps today's date: drop it so identical graphs give identical files
    return _GEXF_DATE.sub(b"", buf.getvalue(), count=1)


def write_gexf(G: nx.Graph, target: Target) -> None:
    """Write :func:`gexf_bytes` to a path (atomically) or an open binary file."""
    write_target(target, gexf_bytes(G))


# --------------------------------------------------------------------------- JSON


def json_bytes(G: nx.Graph) -> bytes:
    """Node-link JSON (``nodes``/``links``) with every attribute, keys sorted, one line.

    >>> import networkx as nx
    >>> json_bytes(nx.Graph([("a", "b")]))[:60]
    b'{"directed":false,"graph":{},"graphkit":"graphkit-graph","li'
    """
    H = prepared(G, xml=False)
    data = nx.node_link_data(H, edges="links")
    data["graphkit"] = JSON_FORMAT
    data["version"] = JSON_VERSION
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def write_json(G: nx.Graph, target: Target) -> None:
    """Write :func:`json_bytes` to a path (atomically) or an open binary file."""
    write_target(target, json_bytes(G))


def read_json(source: str | os.PathLike[str] | IO[bytes]) -> nx.Graph:
    """Read a graph written by :func:`write_json` (or any networkx node-link JSON).

    >>> import io
    >>> read_json(io.BytesIO(b'{"nodes": []}'))
    Traceback (most recent call last):
    ...
    graphkit.errors.GraphFileError: <stream>: not a graph JSON file: no "links" list. ...
    """
    name = str(getattr(source, "name", "<stream>")) if hasattr(source, "read") else str(source)
    hint = "Give the graph.json that `graphkit build` writes (or `graphkit export --format json`)."
    try:
        raw = source.read() if hasattr(source, "read") else Path(source).read_bytes()  # type: ignore[union-attr, arg-type]
    except FileNotFoundError as exc:
        raise GraphFileError(f"{name}: no such file", hint=hint) from exc
    except OSError as exc:
        raise GraphFileError(f"{name}: cannot read: {exc.strerror or exc}", hint=hint) from exc
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise GraphFileError(f"{name}: not valid JSON ({exc})", hint=hint) from exc
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise GraphFileError(f'{name}: not a graph JSON file: no "nodes" list', hint=hint)
    edges_key = "links" if "links" in data else "edges"
    if not isinstance(data.get(edges_key), list):
        raise GraphFileError(f'{name}: not a graph JSON file: no "links" list', hint=hint)
    for i, node in enumerate(data["nodes"]):
        if not isinstance(node, dict) or "id" not in node:
            raise GraphFileError(f'{name}: node #{i} has no "id"', hint=hint)
    for i, link in enumerate(data[edges_key]):
        if not isinstance(link, dict) or "source" not in link or "target" not in link:
            raise GraphFileError(f'{name}: link #{i} needs "source" and "target"', hint=hint)
    data.pop("graphkit", None)
    data.pop("version", None)
    try:
        G = nx.node_link_graph(data, edges=edges_key)
    except (nx.NetworkXError, TypeError, KeyError) as exc:
        raise GraphFileError(f"{name}: not a usable graph ({exc})", hint=hint) from exc
    if G.is_directed() or G.is_multigraph():
        log.warning("%s: directed or multi-graph read as a simple undirected graph", name)
        G = nx.Graph(G)
    return G


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_bytes(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    # a cell starting like a formula runs in spreadsheets (CSV injection): make it text
    if isinstance(value, str) and text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _columns(fixed: tuple[str, ...], records: Iterable[Mapping[str, Any]]) -> list[str]:
    extra = sorted({k for data in records for k in data} - set(fixed))
    return list(fixed) + extra


def nodes_csv_bytes(G: nx.Graph) -> bytes:
    """One row per node: ``NODE_COLUMNS`` first, then any other attribute (sorted).

    >>> import networkx as nx
    >>> nodes_csv_bytes(nx.Graph([("a", "b")])).split(b"\\r\\n")[1][:8]
    b'a,,,,,,,'
    """
    H = prepared(G, xml=True)
    cols = _columns(NODE_COLUMNS, (d for _, d in H.nodes(data=True)))
    rows = ([node if c == "id" else data.get(c) for c in cols] for node, data in H.nodes(data=True))
    return _csv_bytes(cols, rows)


def edges_csv_bytes(G: nx.Graph) -> bytes:
    """One row per edge: ``EDGE_COLUMNS`` first, then any other attribute (sorted)."""
    H = prepared(G, xml=True)
    cols = _columns(EDGE_COLUMNS, (d for _, _, d in H.edges(data=True)))
    ends = {"source": 0, "target": 1}
    rows = (
        [(u, v)[ends[c]] if c in ends else data.get(c) for c in cols]
        for u, v, data in H.edges(data=True)
    )
    return _csv_bytes(cols, rows)


def write_csv(G: nx.Graph, nodes_target: Target, edges_target: Target) -> None:
    """Write the node and edge tables (UTF-8, RFC 4180) to two paths or open binary files."""
    write_target(nodes_target, nodes_csv_bytes(G))
    write_target(edges_target, edges_csv_bytes(G))


# --------------------------------------------------------------------------- dispatch


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
