"""JSON and CSV files of a graph, streamed a node or edge at a time.

JSON is networkx's node-link data (``nodes``/``links``) with every attribute, keys sorted, on
one line; it keeps values exactly (only lone surrogates become U+FFFD), so it round-trips.
CSV is two RFC 4180 tables (UTF-8, CRLF), one row per node and per edge.
"""

from __future__ import annotations

import csv
import io
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import networkx as nx
import orjson

from ..errors import GraphFileError
from .records import (
    EDGE_COLUMNS,
    FORMULA_START,
    NODE_COLUMNS,
    Plan,
    Target,
    WriterView,
    looks_like_formula,
    opened,
    to_bytes,
)

__all__ = [
    "JSON_FORMAT",
    "JSON_VERSION",
    "json_bytes",
    "write_json",
    "read_json",
    "nodes_csv_bytes",
    "edges_csv_bytes",
    "write_csv",
]

log = logging.getLogger(__name__)

#: The marker and version of graphkit's JSON graph files.
JSON_FORMAT = "graphkit-graph"
JSON_VERSION = 1
_CHUNK = 1 << 20  # bytes (JSON) or characters (CSV) per write


def json_bytes(G: nx.Graph) -> bytes:
    """Node-link JSON (``nodes``/``links``) with every attribute, keys sorted, one line.

    >>> import networkx as nx
    >>> json_bytes(nx.Graph([("a", "b")]))[:60]
    b'{"directed":false,"graph":{},"graphkit":"graphkit-graph","li'
    """
    return to_bytes(write_json, G)


def write_json(G: nx.Graph, target: Target) -> None:
    """Stream :func:`json_bytes` to a path (atomically) or an open binary file.

    The same bytes as ``orjson.dumps`` of networkx's node-link data with sorted keys, written
    a node or link at a time.
    """
    view = WriterView(G, xml=False)
    opt = orjson.OPT_SORT_KEYS
    dumps = orjson.dumps
    with opened(target) as fh:
        fh.write(b'{"directed":' + dumps(False) + b',"graph":' + dumps(view.graph, option=opt))
        fh.write(b',"graphkit":' + dumps(JSON_FORMAT) + b',"links":[')
        _json_items(fh, ({**d, "source": u, "target": v} for u, v, d in view.edges()))
        fh.write(b'],"multigraph":false,"nodes":[')
        _json_items(fh, ({**d, "id": n} for n, d in view.nodes()))
        fh.write(b'],"version":' + dumps(JSON_VERSION) + b"}\n")


def _json_items(fh: IO[bytes], items: Iterable[dict[str, Any]]) -> None:
    """Write ``items`` as the comma-separated body of a JSON array, a chunk at a time."""
    dumps, opt = orjson.dumps, orjson.OPT_SORT_KEYS
    batch: list[bytes] = []
    size = 0
    sep = b""
    for item in items:
        batch.append(dumps(item, option=opt))
        size += len(batch[-1])
        if size >= _CHUNK:
            fh.write(sep + b",".join(batch))
            batch.clear()
            size, sep = 0, b","
    if batch:
        fh.write(sep + b",".join(batch))


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


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _write_csv_rows(
    target: Target,
    header: list[str],
    rows: Iterable[list[Any]],
    *,
    check: list[int],
    bools: list[int],
) -> None:
    """Stream an RFC 4180 table (UTF-8, CRLF) of ``rows``.

    A text in a column of ``check`` that starts like a formula gets a leading ``'`` (CSV
    injection: spreadsheets would run it); bools in columns of ``bools`` become true/false.
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    with opened(target) as fh:
        for row in rows:
            for i in check:
                value = row[i]
                if type(value) is str and value.startswith(FORMULA_START) and not _is_number(value):
                    row[i] = "'" + value
            for i in bools:
                if type(row[i]) is bool:
                    row[i] = "true" if row[i] else "false"
            writer.writerow(row)
            if buf.tell() >= _CHUNK:
                fh.write(buf.getvalue().encode("utf-8"))
                buf.seek(0)
                buf.truncate()
        fh.write(buf.getvalue().encode("utf-8"))


def _csv_plan(
    view: WriterView, fixed: tuple[str, ...], n_ids: int, plan: Plan
) -> tuple[list[str], list[int], list[int]]:
    """Columns (``n_ids`` id columns first), the columns to check for formulas, the bool ones."""
    cols = _columns(fixed, plan.types)
    ids_formula = any(map(looks_like_formula, view.ids))
    ids_bool = any(type(i) is bool for i in view.ids)
    check = [i for i in range(n_ids) if ids_formula]
    bools = [i for i in range(n_ids) if ids_bool]
    for i, col in enumerate(cols[n_ids:], start=n_ids):
        kind = plan.types.get(col)
        if kind is str and col in plan.formula:
            check.append(i)
        elif kind is bool:
            bools.append(i)
    return cols, check, bools


def _columns(fixed: tuple[str, ...], keys: Iterable[str]) -> list[str]:
    return list(fixed) + sorted(set(keys) - set(fixed))


def _write_nodes_csv(view: WriterView, target: Target) -> None:
    cols, check, bools = _csv_plan(view, NODE_COLUMNS, 1, view.node_plan)
    rest = cols[1:]
    rows = ([node, *map(d.get, rest)] for node, d in view.nodes())
    _write_csv_rows(target, cols, rows, check=check, bools=bools)


def _write_edges_csv(view: WriterView, target: Target) -> None:
    cols, check, bools = _csv_plan(view, EDGE_COLUMNS, 2, view.edge_plan)
    rest = cols[2:]
    rows = ([u, v, *map(d.get, rest)] for u, v, d in view.edges())
    _write_csv_rows(target, cols, rows, check=check, bools=bools)


def nodes_csv_bytes(G: nx.Graph) -> bytes:
    """One row per node: ``NODE_COLUMNS`` first, then any other attribute (sorted).

    >>> import networkx as nx
    >>> nodes_csv_bytes(nx.Graph([("a", "b")])).split(b"\\r\\n")[1][:8]
    b'a,,,,,,,'
    """
    buf = io.BytesIO()
    _write_nodes_csv(WriterView(G, xml=True, formula=True), buf)
    return buf.getvalue()


def edges_csv_bytes(G: nx.Graph) -> bytes:
    """One row per edge: ``EDGE_COLUMNS`` first, then any other attribute (sorted).

    >>> import networkx as nx
    >>> edges_csv_bytes(nx.Graph([("b", "a")])).split(b"\\r\\n")[1][:6]
    b'a,b,,,'
    """
    buf = io.BytesIO()
    _write_edges_csv(WriterView(G, xml=True, formula=True), buf)
    return buf.getvalue()


def write_csv(G: nx.Graph, nodes_target: Target, edges_target: Target) -> None:
    """Stream the node and edge tables (UTF-8, RFC 4180) to two paths or open binary files.

    >>> import io, networkx as nx
    >>> nodes, edges = io.BytesIO(), io.BytesIO()
    >>> write_csv(nx.Graph([("a", "b")]), nodes, edges)
    >>> edges.getvalue().split(b"\\r\\n")[1][:3]
    b'a,b'
    """
    view = WriterView(G, xml=True, formula=True)
    _write_nodes_csv(view, nodes_target)
    _write_edges_csv(view, edges_target)
