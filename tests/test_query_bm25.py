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


def test_term_counts_are_read_back_from_the_tfidf_rows(monkeypatch) -> None:
    """Without length normalisation (b = 0) a paper's BM25 for one word is
    idf x tf (k1 + 1) / (tf + k1): the ratio of two papers' scores gives their counts back."""
    _, index = _index(["peat bog", "peat peat peat bog moss", "peat " * 9 + "fen", "coral reef"])
    monkeypatch.setattr(scores, "BM25_B", 0.0)
    s = scores._bm25_scores(index, _term_vector(index, "peat"), np.arange(4))
    k1 = scores.BM25_K1

    def f(tf: float) -> float:
        return tf * (k1 + 1) / (tf + k1)

    assert s[1] / s[0] == pytest.approx(f(3) / f(1), rel=1e-4)
    assert s[2] / s[0] == pytest.approx(f(9) / f(1), rel=1e-4)
    assert s[3] == 0.0


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
    s = scores._bm25_scores(index, _term_vector(index, "peat"), np.arange(5))
    assert s[4] == 0.0
    assert s[1] > s[0] > s[3] > 0
    assert s[2] < 2.5 * s[0]
    only = scores._bm25_scores(index, _term_vector(index, "peat"), np.array([1, 3]))
    assert only[[0, 2, 4]].tolist() == [0.0, 0.0, 0.0] and only[1] == s[1] and only[3] == s[3]


def test_related_reports_the_bm25_part(monkeypatch) -> None:
    monkeypatch.setattr(scores, "W_BM25", 0.3)
    G, _ = _index(["peat bog carbon", "peat bog methane", "coral reef bleaching"])
    res = related(G, "p0", limit=2)
    assert res.neighbours[0].node == "p1"
    assert dict(res.neighbours[0].scores)["bm25"] == 1.0
