"""Which node pairs the graph keeps, and in what order: each pair's combined weight without
making its attributes, the per-paper cut (``keep_per_paper``), and the pairs sorted by their
ends.  Split out of :mod:`graphkit.graph`, which merges the kept pairs' attributes.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .edges.citeattrs import weight_with_citations
from .model import Edge

__all__ = ["pair_weight", "kept", "sorted_pairs", "cited_weight", "has_cites", "KINDS"]

#: ``EDGE_KINDS`` in order, spelled out for :func:`graphkit.graph._merge` (a test checks they
#: agree).
KINDS = ("keyword", "similarity", "mention")
#: Position of each of ``KINDS`` (:func:`pair_weight`).
_KIND_INDEX = {k: i for i, k in enumerate(KINDS)}


def pair_weight(edges: Sequence[Edge], factors: tuple[float, ...]) -> float:
    """The combined ``weight`` :func:`graphkit.graph._merge` gives the pair (0.0 when it is not
    finite, which the cleaned attributes leave out) without making its attributes."""
    w = [0.0, 0.0, 0.0]
    seen = [False, False, False]
    for e in edges:
        i = _KIND_INDEX.get(e.kind)
        if i is not None and (not seen[i] or e.weight > w[i]):
            w[i], seen[i] = e.weight, True
    weight = float(round(sum((factors[0] * w[0], factors[1] * w[1], factors[2] * w[2])), 6))
    return weight if weight - weight == 0.0 else 0.0


def kept(
    pairs: Sequence[tuple[str, str]],
    weights: Sequence[float],
    ranked: Sequence[bool],
    papers: set[str],
    k: int,
) -> list[bool]:
    """Which of ``pairs`` to keep: a ``ranked`` paper–paper pair only when it is among the ``k``
    heaviest ranked pairs of one of its papers (ties: the other paper's id); all others.

    One sort of both directions of every ranked pair (paper ids as ranks in string order)."""
    keep = [True] * len(pairs)
    idx = list(itertools.compress(range(len(pairs)), ranked))
    if not idx:
        return keep
    rank = {p: r for r, p in enumerate(sorted(papers))}
    chosen_pairs = list(map(pairs.__getitem__, idx))  # C-level maps: no Python frame per pair
    first_end, second_end = operator.itemgetter(0), operator.itemgetter(1)
    u = np.fromiter(map(rank.__getitem__, map(first_end, chosen_pairs)), np.int64, len(idx))
    v = np.fromiter(map(rank.__getitem__, map(second_end, chosen_pairs)), np.int64, len(idx))
    w = -np.fromiter(map(weights.__getitem__, idx), np.float64, len(idx))
    src, dst, ww = np.r_[u, v], np.r_[v, u], np.r_[w, w]
    which = np.r_[np.arange(len(idx)), np.arange(len(idx))]
    order = np.lexsort((dst, ww, src))
    src = src[order]
    first = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
    place = np.arange(src.size) - np.repeat(first, np.diff(np.r_[first, src.size]))
    chosen = np.zeros(len(idx), dtype=bool)
    chosen[which[order][place < k]] = True
    for i, c in zip(idx, chosen.tolist(), strict=True):
        keep[i] = c
    return keep


def sorted_pairs(pairs: Iterable[tuple[str, str]], nodes: Iterable[str]) -> list[tuple[str, str]]:
    """``sorted(pairs)`` (node pairs of ``nodes``), by one integer sort: the ends' ranks in
    string order stand for the strings (a sort of ~1M tuples of ids took seconds).

    >>> sorted_pairs({("b", "c"), ("a", "c"), ("a", "b")}, "cab")
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    pairs = list(pairs)
    rank = {n: i for i, n in enumerate(sorted(nodes))}
    first, second = operator.itemgetter(0), operator.itemgetter(1)
    u = np.fromiter(map(rank.__getitem__, map(first, pairs)), np.int64, len(pairs))
    v = np.fromiter(map(rank.__getitem__, map(second, pairs)), np.int64, len(pairs))
    return list(map(pairs.__getitem__, np.argsort(u * len(rank) + v, kind="stable").tolist()))


def cited_weight(
    groups: Mapping[tuple[str, str], Sequence[Edge]],
    cited: Mapping[tuple[str, str], Sequence[Edge]],
    pair: tuple[str, str],
    factors: tuple[float, ...],
    cfactors: tuple[float, ...],
) -> float:
    """The combined ``weight`` of ``pair`` once merged (text kinds, then citation kinds)."""
    base = pair_weight(groups[pair], factors) if pair in groups else 0.0
    edges = cited.get(pair)
    return weight_with_citations(base, edges, cfactors) if edges is not None else base


def has_cites(edges: Iterable[Edge]) -> bool:
    return any(e.kind == "cites" for e in edges)
