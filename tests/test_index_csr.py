"""graphkit.index.csr (the numpy-only CSR a loaded index queries with) against scipy."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp

import graphkit.index.csr as C
from graphkit.index.csr import Csr, combine_rows, matvec, positive_cols, row, row_max


def _pair(seed: int) -> tuple[sp.csr_matrix, Csr]:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 40)), int(rng.integers(1, 30))
    M = sp.random(n, m, density=float(rng.random()), format="csr", dtype=np.float32,
                  random_state=seed)  # fmt: skip
    M.data -= 0.3  # some negative entries, as scipy keeps them
    M.sort_indices()
    return M, Csr(M.data, M.indices, M.indptr, M.shape)


@pytest.mark.parametrize("seed", range(25))
def test_operations_equal_scipy(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "_BLOCK", 1 + seed % 7)  # blocks of whole rows, any size
    M, c = _pair(seed)
    rng = np.random.default_rng(100 + seed)
    v = rng.random(M.shape[1]).astype(np.float32)
    assert np.allclose(matvec(c, v), M @ v, atol=1e-5)
    assert np.array_equal(matvec(M, v), matvec(c, v))  # takes scipy matrices too
    rows = rng.choice(M.shape[0], size=min(3, M.shape[0]), replace=False)
    w = rng.random(len(rows))
    assert np.allclose(combine_rows(c, rows, w), np.asarray(M[rows].T @ w).ravel())
    assert np.allclose(row_max(c, rows), np.asarray(M[rows].max(axis=0).todense()).ravel())
    sub = M[rows]
    assert sorted(positive_cols(c, rows).tolist()) == sorted(sub.indices[sub.data > 0].tolist())
    cols, vals = row(c, int(rows[0]))
    assert cols.tolist() == M[int(rows[0])].indices.tolist()
    assert np.array_equal(vals, M[int(rows[0])].data)


def test_empty_and_inconsistent() -> None:
    empty = Csr(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(4, np.int32), (3, 5))
    assert matvec(empty, np.ones(5, np.float32)).tolist() == [0.0, 0.0, 0.0]
    assert combine_rows(empty, [], []).tolist() == [0.0] * 5
    assert row_max(empty, [1]).tolist() == [0.0] * 5
    with pytest.raises(ValueError):
        Csr(np.zeros(2), np.zeros(2, int), np.array([0, 1]), (1, 3))  # indptr ends at 1, not 2


def test_querying_a_loaded_index_does_not_import_scipy(tmp_path) -> None:
    import networkx as nx

    from graphkit.index import build_index, write_index

    G = nx.Graph()
    for i, t in enumerate(["speculative decoding drafts", "draft models for decoding",
                           "graph layouts", "speculative decoding verification"]):  # fmt: skip
        G.add_node(f"p{i}", kind="paper", title=t, year=2020)
    G.add_edge("p0", "p3", weight=0.5, kinds="similarity", similarity=0.5)
    write_index(build_index(G), tmp_path / "related.npz")
    code = (
        "import sys\n"
        "from graphkit.index import load_index\n"
        "from graphkit.query import related\n"
        f"idx = load_index({str(tmp_path / 'related.npz')!r})\n"
        "print([n.node for n in related(idx, 'p0').neighbours],"
        " [m.node for m in related(idx, 'speculative decoding').matches][:2])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy')[:3] or False)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "['p3', 'p1'] ['p0', 'p3']" and lines[1] == "False"
