"""Compressed sparse rows without scipy: what a ``related`` query does with the index's
matrices (the text rows, the authors, the adjacency), in plain numpy.

A loaded index holds :class:`Csr` matrices (three arrays over the memory-mapped file), so a
``graphkit related`` process never imports scipy (a quarter of a second of its start-up); an
index built in memory holds scipy matrices.  The functions below take either: they only read
``data``, ``indices``, ``indptr`` and ``shape`` (column indices sorted within each row).

>>> m = Csr(np.array([1.0, 2.0, 3.0], np.float32), np.array([0, 2, 1]), np.array([0, 2, 2, 3]),
...         (3, 3))
>>> matvec(m, np.array([1.0, 1.0, 10.0], np.float32)).tolist()
[21.0, 0.0, 3.0]
>>> combine_rows(m, np.array([0, 2]), np.array([1.0, 2.0])).tolist()
[1.0, 6.0, 2.0]
>>> row_max(m, [0, 2]).tolist(), row_indices(m, 0).tolist()
([1.0, 3.0, 2.0], [0, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["Csr", "matvec", "row", "row_indices", "combine_rows", "row_max", "positive_cols"]


class Csr:
    """A read-only CSR matrix: ``data``, ``indices``, ``indptr`` and ``shape`` (like scipy's)."""

    __slots__ = ("data", "indices", "indptr", "shape")

    def __init__(self, data: Any, indices: Any, indptr: Any, shape: tuple[int, int]) -> None:
        self.data = np.asarray(data)
        self.indices = np.asarray(indices)
        self.indptr = np.asarray(indptr)
        self.shape = (int(shape[0]), int(shape[1]))
        if len(self.indptr) != self.shape[0] + 1 or len(self.data) != len(self.indices):
            raise ValueError(f"inconsistent CSR arrays for shape {self.shape}")
        if len(self.indptr) and int(self.indptr[-1]) != len(self.data):
            raise ValueError("CSR indptr does not end at the number of entries")

    @property
    def nnz(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Csr(shape={self.shape}, nnz={self.nnz})"


def row(m: Any, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Row ``i`` of ``m`` as (column indices, values)."""
    lo, hi = int(m.indptr[i]), int(m.indptr[i + 1])
    return m.indices[lo:hi], m.data[lo:hi]


def row_indices(m: Any, i: int) -> np.ndarray:
    """The columns of row ``i``'s entries."""
    return row(m, i)[0]


#: Entries multiplied at a time by :func:`matvec` (small blocks stay in the CPU cache).
_BLOCK = 1 << 18


def matvec(m: Any, v: np.ndarray) -> np.ndarray:
    """``m @ v`` for a dense vector ``v`` (float32, one pass over the entries, in blocks of
    whole rows; as fast as numpy allows)."""
    n = m.shape[0]
    out = np.zeros(n, np.float32)
    indptr = np.asarray(m.indptr)
    nnz = int(indptr[-1]) if len(indptr) else 0
    if not nnz:
        return out
    v = np.asarray(v, np.float32)
    buf = np.empty(min(nnz, 2 * _BLOCK), np.float32)
    r0 = 0
    while r0 < n:
        # the rows whose entries end within _BLOCK of this block's start (at least one row)
        r1 = int(np.searchsorted(indptr, int(indptr[r0]) + _BLOCK, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n)
        lo, hi = int(indptr[r0]), int(indptr[r1])
        if hi > lo:
            if hi - lo > len(buf):
                buf = np.empty(hi - lo, np.float32)
            b = buf[: hi - lo]
            np.take(v, m.indices[lo:hi], out=b, mode="clip")
            np.multiply(b, m.data[lo:hi], out=b)
            starts = indptr[r0:r1] - lo
            full = starts < indptr[r0 + 1 : r1 + 1] - lo
            out[r0:r1][full] = np.add.reduceat(b, starts[full])
        r0 = r1
    return out


def _gather(m: Any, rows: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries of ``rows``: (position in ``rows`` of each entry, its column, its value)."""
    rows = np.asarray(rows, np.int64)
    if not len(rows):
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.float32)
    lo = np.asarray(m.indptr[rows], np.int64)
    hi = np.asarray(m.indptr[rows + 1], np.int64)
    lens = hi - lo
    which = np.repeat(np.arange(len(rows)), lens)
    at = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens) + lo[which]
    return which, np.asarray(m.indices[at], np.int64), np.asarray(m.data[at])


def combine_rows(m: Any, rows: Sequence[int] | np.ndarray, weights: Any) -> np.ndarray:
    """``Σ weights[k] · m[rows[k]]`` as a dense float64 vector over the columns."""
    which, cols, vals = _gather(m, rows)
    w = np.asarray(weights, np.float64)[which] * vals
    return np.bincount(cols, weights=w, minlength=m.shape[1]).astype(np.float64)


def row_max(m: Any, rows: Sequence[int] | np.ndarray) -> np.ndarray:
    """The column-wise maximum of ``rows``, absent entries counting as 0 (as scipy's
    ``m[rows].max(axis=0)``), as a dense float64 vector."""
    _, cols, vals = _gather(m, rows)
    best = np.full(m.shape[1], -np.inf)
    np.maximum.at(best, cols, vals)
    counts = np.bincount(cols, minlength=m.shape[1])
    everywhere = counts >= len(rows)  # every row has an entry there (no implicit 0)
    return np.where(counts == 0, 0.0, np.where(everywhere, best, np.maximum(best, 0.0)))


def positive_cols(m: Any, rows: Sequence[int] | np.ndarray) -> np.ndarray:
    """The columns of the positive entries of ``rows`` (with repeats)."""
    _, cols, vals = _gather(m, rows)
    return cols[vals > 0]
