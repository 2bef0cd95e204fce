"""JSON and CSV files of a graph, streamed a node or edge at a time.

JSON is networkx's node-link data (``nodes``/``links``) with every attribute, keys sorted, on
one line; it keeps values exactly (only lone surrogates become U+FFFD), so it round-trips.
CSV is two RFC 4180 tables (UTF-8, CRLF), one row per node and per edge.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
import operator
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import networkx as nx
import orjson

from ..errors import GraphFileError
from .records import (
    EDGE_COLUMNS,
    FORMULA_START,
    NODE_COLUMNS,
    GraphScan,
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
_JSON_BATCH = 1000  # nodes or links per JSON write
_CSV_BATCH = 1000  # rows per CSV write


def json_bytes(G: nx.Graph) -> bytes:
    """Node-link JSON (``nodes``/``links``) with every attribute, keys sorted, one line.

    >>> import networkx as nx
    >>> json_bytes(nx.Graph([("a", "b")]))[:60]
    b'{"directed":false,"graph":{},"graphkit":"graphkit-graph","li'
    """
    return to_bytes(write_json, G)


def write_json(G: nx.Graph, target: Target, *, scan: GraphScan | None = None) -> None:
    """Stream :func:`json_bytes` to a path (atomically) or an open binary file.

    The same bytes as ``orjson.dumps`` of networkx's node-link data with sorted keys, written
    a node or link at a time.  ``scan``: a :func:`~graphkit.export.records.scan_graph` of ``G``
    shared with other writers.
    """
    view = WriterView(G, xml=False, scan=scan)
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
    """Write ``items`` as the comma-separated body of a JSON array, ``_JSON_BATCH`` at a time.

    orjson writes a list as its items joined by commas in brackets, so one ``dumps`` of a
    batch, brackets dropped, is the batch's part of the body.
    """
    dumps, opt = orjson.dumps, orjson.OPT_SORT_KEYS
    it = iter(items)
    sep = b""
    while batch := list(itertools.islice(it, _JSON_BATCH)):
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


# --------------------------------------------------------------------------- CSV


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _write_csv_columns(
    target: Target,
    header: list[str],
    batches: Iterable[list[list[Any]]],
    *,
    check: list[int],
    bools: list[int],
) -> None:
    """Stream an RFC 4180 table (UTF-8, CRLF), given as batches of rows a column at a time.

    A text in a column of ``check`` that starts like a formula gets a leading ``'`` (CSV
    injection: spreadsheets would run it); bools in columns of ``bools`` become true/false.
    The bytes are those of :func:`_csv_rows_simple` (``csv.writer`` a row at a time).
    """
    with opened(target) as fh:
        fh.write(_csv_text([[name] for name in header], [], []).encode("utf-8"))
        for columns in batches:
            fh.write(_csv_text(columns, check, bools).encode("utf-8"))


def _csv_rows_simple(rows: Iterable[list[Any]], check: list[int], bools: list[int]) -> str:
    """``rows`` as ``csv.writer`` writes them, one at a time (the reference for the tests)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        row = list(row)
        for i in check:
            row[i] = _defused(row[i])
        for i in bools:
            if type(row[i]) is bool:
                row[i] = "true" if row[i] else "false"
        writer.writerow(row)
    return buf.getvalue()


def _csv_text(columns: list[list[Any]], check: list[int], bools: list[int]) -> str:
    """What :func:`_csv_rows_simple` makes of the rows whose columns are ``columns``."""
    columns = list(columns)
    for i in check:
        columns[i] = list(map(_defused, columns[i]))
    for i in bools:
        columns[i] = [("true" if v else "false") if type(v) is bool else v for v in columns[i]]
    cells = list(map(_csv_cells, columns))
    if len(cells) == 1:  # csv quotes a row's only field when it is empty
        cells[0] = ['""' if c == "" else c for c in cells[0]]
    lines = list(map(",".join, zip(*cells, strict=True)))
    return "\r\n".join(lines) + "\r\n" if lines else ""


def _defused(value: Any) -> Any:
    """A text starting like a spreadsheet formula (and not a number) gets a leading ``'``."""
    if type(value) is str and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


_NONE = type(None)


def _csv_cells(values: list[Any]) -> list[str]:
    """One column's values as ``csv.writer`` writes them (minimal quoting, ``"`` doubled)."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        texts = values
    elif kinds <= {str, _NONE}:
        texts = ["" if v is None else v for v in values]
    elif kinds <= {float}:
        texts = list(map(repr, values))
    elif kinds <= {float, _NONE}:
        texts = ["" if v is None else repr(v) for v in values]
    else:
        texts = list(map(_csv_cell, values))
    joined = "".join(texts)
    if '"' in joined or "," in joined or "\n" in joined or "\r" in joined:
        texts = [_quoted(t) if _needs_quotes(t) else t for t in texts]
    return texts


def _csv_cell(value: Any) -> str:
    """One value as ``csv.writer`` turns it into text (before quoting)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return repr(value) if isinstance(value, float) else str(value)


def _needs_quotes(text: str) -> bool:
    return '"' in text or "," in text or "\n" in text or "\r" in text


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


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
    batches = (
        [[node for node, _ in batch], *_attr_columns([d for _, d in batch], cols[1:])]
        for batch in _batches(view.nodes())
    )
    _write_csv_columns(target, cols, batches, check=check, bools=bools)


def _write_edges_csv(view: WriterView, target: Target) -> None:
    cols, check, bools = _csv_plan(view, EDGE_COLUMNS, 2, view.edge_plan)
    batches = (
        [
            [u for u, _, _ in batch],
            [v for _, v, _ in batch],
            *_attr_columns([d for _, _, d in batch], cols[2:]),
        ]
        for batch in _batches(view.edges())
    )
    _write_csv_columns(target, cols, batches, check=check, bools=bools)


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    """``items`` in lists of ``_CSV_BATCH``."""
    it = iter(items)
    while batch := list(itertools.islice(it, _CSV_BATCH)):
        yield batch


def _attr_columns(records: list[Mapping[str, Any]], names: list[str]) -> list[list[Any]]:
    """``[record.get(name) for record in records]`` for each of ``names`` (the gets run in C)."""
    return [list(map(operator.methodcaller("get", name), records)) for name in names]


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


def write_csv(
    G: nx.Graph, nodes_target: Target, edges_target: Target, *, scan: GraphScan | None = None
) -> None:
    """Stream the node and edge tables (UTF-8, RFC 4180) to two paths or open binary files.

    ``scan``: as for :func:`write_json`.

    >>> import io, networkx as nx
    >>> nodes, edges = io.BytesIO(), io.BytesIO()
    >>> write_csv(nx.Graph([("a", "b")]), nodes, edges)
    >>> edges.getvalue().split(b"\\r\\n")[1][:3]
    b'a,b'
    """
    view = WriterView(G, xml=True, formula=True, scan=scan)
    _write_nodes_csv(view, nodes_target)
    _write_edges_csv(view, edges_target)
