"""JSON files of a graph: networkx's node-link data, streamed a batch of nodes or links at a time.

Every attribute, keys sorted, on one line; values are kept exactly (only lone surrogates
become U+FFFD), so the file round-trips.  :func:`read_json` reads it (or any node-link JSON).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import networkx as nx
import orjson

from ..errors import GraphFileError
from ..fileio import Target, target_file, written_bytes
from .scan import GraphScan
from .view import WriterView

__all__ = ["JSON_FORMAT", "JSON_VERSION", "json_bytes", "write_json", "read_json"]

log = logging.getLogger(__name__)

#: The marker and version of graphkit's JSON graph files.
JSON_FORMAT = "graphkit-graph"
JSON_VERSION = 1
_JSON_BATCH = 1000  # nodes or links per JSON write


def json_bytes(G: nx.Graph) -> bytes:
    """Node-link JSON (``nodes``/``links``) with every attribute, keys sorted, one line.

    >>> import networkx as nx
    >>> json_bytes(nx.Graph([("a", "b")]))[:60]
    b'{"directed":false,"graph":{},"graphkit":"graphkit-graph","li'
    """
    return written_bytes(write_json, G)


def write_json(G: nx.Graph, target: Target, *, scan: GraphScan | None = None) -> None:
    """Stream :func:`json_bytes` to a path (atomically) or an open binary file.

    The same bytes as ``orjson.dumps`` of networkx's node-link data with sorted keys, written
    a node or link at a time.  ``scan``: a :func:`~graphkit.export.view.scan_graph` of ``G``
    shared with other writers.
    """
    view = WriterView(G, xml=False, scan=scan)
    opt = orjson.OPT_SORT_KEYS
    dumps = orjson.dumps
    with target_file(target) as fh:
        fh.write(b'{"directed":' + dumps(False) + b',"graph":' + dumps(view.graph, option=opt))
        fh.write(b',"graphkit":' + dumps(JSON_FORMAT) + b',"links":[')
        _json_items(
            fh,
            (
                [{**d, "source": u, "target": v} for u, v, d in zip(*batch, strict=True)]
                for batch in view.edge_batches(_JSON_BATCH)
            ),
        )
        fh.write(b'],"multigraph":false,"nodes":[')
        _json_items(
            fh,
            (
                [{**d, "id": n} for n, d in zip(*batch, strict=True)]
                for batch in view.node_batches(_JSON_BATCH)
            ),
        )
        fh.write(b'],"version":' + dumps(JSON_VERSION) + b"}\n")


def _json_items(fh: IO[bytes], batches: Iterable[list[dict[str, Any]]]) -> None:
    """Write ``batches`` of items as the comma-separated body of a JSON array.

    orjson writes a list as its items joined by commas in brackets, so one ``dumps`` of a
    batch, brackets dropped, is the batch's part of the body.
    """
    dumps, opt = orjson.dumps, orjson.OPT_SORT_KEYS
    sep = b""
    for batch in batches:
        if batch:
            data = dumps(batch, option=opt)
            fh.write(sep)
            fh.write(data[1:-1])
            sep = b","


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
