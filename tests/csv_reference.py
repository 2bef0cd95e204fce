"""The reference for graphkit.export.csv's column-at-a-time tables: ``csv.writer``, a row at a time."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from graphkit.schema import defused


def csv_rows_simple(rows: Iterable[list[Any]], check: list[int], bools: list[int]) -> str:
    """``rows`` as ``csv.writer`` writes them, one at a time: cells of ``check`` defused
    (:func:`graphkit.schema.defused`), bools of ``bools`` as true/false."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        row = list(row)
        for i in check:
            row[i] = defused(row[i])
        for i in bools:
            if type(row[i]) is bool:
                row[i] = "true" if row[i] else "false"
        writer.writerow(row)
    return buf.getvalue()
