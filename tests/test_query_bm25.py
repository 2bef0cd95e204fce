"""The BM25 part of `related`'s text score, read back from the index's TF-IDF rows: term
counts recovered exactly, saturation, length normalisation, no BM25 part without shared terms."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graphkit.index import build_index
from graphkit.query import related, scores


def _index(abstracts: list[str]):
    G = nx.Graph()
    for i, a in enumerate(abstracts):
        G.add_node(f"p{i}", kind="paper", title=f"Paper {i}", abstract=a, year=2020)
    return G, build_index(G)


def _term_vector(index, term: str) -> np.ndarray:
    v = np.zeros(len(index.terms), np.float32)
    v[index.terms.index(term)] = 1.0
    return v


def test_term_counts_are_read_back_from_the_tfidf_rows() -> None:
    _, index = _index(["peat peat peat bog", "peat fen", "coral reef bleaching", "peat " * 9])
    inv_norm, _, _ = scores._bm25_stats(index)
    t = index.terms.index("peat")
    counts = []
    for r in (0, 1, 3):
        lo = int(index.X.indptr[r])
        cols = list(index.X.indices[lo : int(index.X.indptr[r + 1])])
        x = float(index.X.data[lo + cols.index(t)])
        counts.append(np.exp(x / float(index.idf[t]) / float(inv_norm[r]) - 1.0))
    assert counts == pytest.approx([3.0, 1.0, 9.0], rel=1e-4)


def test_bm25_saturates_and_normalises_length() -> None:
    _, index = _index(
        [
            "peat bog",  # once, short
            "peat peat peat bog",  # three times
            "peat " * 30 + "bog",  # thirty times: saturated, not ten times the first
            "peat bog " + " ".join(f"word{i}" for i in range(40)),  # once, long
            "coral reef",
        ]
    )
    s = scores._bm25_scores(index, _term_vector(index, "peat"))
    assert s[4] == 0.0
    assert s[1] > s[0] > s[3] > 0
    assert s[2] < 2.5 * s[0]


def test_related_reports_the_bm25_part() -> None:
    G, _ = _index(["peat bog carbon", "peat bog methane", "coral reef bleaching"])
    res = related(G, "p0", limit=2)
    assert res.neighbours[0].node == "p1"
    assert dict(res.neighbours[0].scores).get("bm25", 1.0) == 1.0
