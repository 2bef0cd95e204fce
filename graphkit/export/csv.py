"""CSV files of a graph: two RFC 4180 tables (UTF-8, CRLF), one row per node and per edge.

Rows are written a batch at a time, a column at a time (the quoting and the spreadsheet
formula guard of :func:`graphkit.schema.defused` run over whole columns).  The bytes are those
of ``csv.writer`` a row at a time (tests/csv_reference.py, the reference the tests compare with).
"""

from __future__ import annotations

import io
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from ..fileio import Target, target_file
from ..schema import defused, looks_like_formula
from .scan import GraphScan
from .view import EDGE_COLUMNS, NODE_COLUMNS, Plan, WriterView

__all__ = ["nodes_csv_bytes", "edges_csv_bytes", "write_csv"]

_CSV_BATCH = 1000  # rows per CSV write


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
    The bytes are those of ``csv.writer`` a row at a time.
    """
    with target_file(target) as fh:
        fh.write(_csv_text([[name] for name in header], [], []).encode("utf-8"))
        for columns in batches:
            fh.write(_csv_text(columns, check, bools).encode("utf-8"))


def _csv_text(columns: list[list[Any]], check: list[int], bools: list[int]) -> str:
    """What ``csv.writer`` makes of the rows whose columns are ``columns`` (see :func:`_write_csv_columns`)."""
    columns = list(columns)
    for i in check:
        columns[i] = list(map(defused, columns[i]))
    for i in bools:
        columns[i] = [("true" if v else "false") if type(v) is bool else v for v in columns[i]]
    cells = list(map(_csv_cells, columns))
    if len(cells) == 1:  # csv quotes a row's only field when it is empty
        cells[0] = ['""' if c == "" else c for c in cells[0]]
    lines = list(map(",".join, zip(*cells, strict=True)))
    return "\r\n".join(lines) + "\r\n" if lines else ""


_NONE = type(None)
_QUOTE = re.compile('[",\r\n]')  # csv.writer's minimal quoting: a cell with one of these


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
    elif kinds <= {int}:
        texts = list(map(str, values))
    elif kinds <= {int, _NONE}:
        texts = ["" if v is None else str(v) for v in values]
    else:
        texts = list(map(_csv_cell, values))
    joined = "".join(texts)
    if '"' in joined or "," in joined or "\n" in joined or "\r" in joined:
        found = map(_QUOTE.search, texts)
        texts = [
            '"' + t.replace('"', '""') + '"' if f else t for t, f in zip(texts, found, strict=True)
        ]
    return texts


def _csv_cell(value: Any) -> str:
    """One value as ``csv.writer`` turns it into text (before quoting)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return repr(value) if isinstance(value, float) else str(value)


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
        [ids, *_attr_columns(batch, cols[1:])] for ids, batch in view.node_batches(_CSV_BATCH)
    )
    _write_csv_columns(target, cols, batches, check=check, bools=bools)


def _write_edges_csv(view: WriterView, target: Target) -> None:
    cols, check, bools = _csv_plan(view, EDGE_COLUMNS, 2, view.edge_plan)
    batches = (
        [sources, targets, *_attr_columns(batch, cols[2:])]
        for sources, targets, batch in view.edge_batches(_CSV_BATCH)
    )
    _write_csv_columns(target, cols, batches, check=check, bools=bools)


def _attr_columns(records: list[Mapping[str, Any]], names: list[str]) -> list[list[Any]]:
    """``[record.get(name) for record in records]`` for each of ``names`` (the gets run in C)."""
    return [list(map(operator.methodcaller("get", name), records)) for name in names]


def nodes_csv_bytes(G: nx.Graph) -> bytes:
    """One row per node: ``NODE_COLUMNS`` first, then any other attribute (sorted).

    >>> import networkx as nx
    >>> nodes_csv_bytes(nx.Graph([("a", "b")])).split(b"\\r\\n")[1][:8]
    b'a,,,,,,,'
    """
    return _table_bytes(_write_nodes_csv, G)


def edges_csv_bytes(G: nx.Graph) -> bytes:
    """One row per edge: ``EDGE_COLUMNS`` first, then any other attribute (sorted).

    >>> import networkx as nx
    >>> edges_csv_bytes(nx.Graph([("b", "a")])).split(b"\\r\\n")[1][:6]
    b'a,b,,,'
    """
    return _table_bytes(_write_edges_csv, G)


def _table_bytes(write: Callable[[WriterView, Target], None], G: nx.Graph) -> bytes:
    buf = io.BytesIO()
    write(WriterView(G, xml=True, formula=True), buf)
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
