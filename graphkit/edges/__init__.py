"""Edge builders: keyword (shared rare terms), similarity (TF-IDF top-k), mention (A names B's method).

Each builder returns a list of :class:`graphkit.model.Edge` in a deterministic order, with
evidence on every edge; :func:`graphkit.graph.assemble_graph` merges them into one graph.
:func:`why_no_edges` says in one sentence why a kind found nothing (small corpora).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Paper, PaperFeatures
from .keyword import keyword_edges
from .mention import mention_edges
from .similarity import similarity_edges, topk_neighbours

__all__ = ["keyword_edges", "similarity_edges", "mention_edges", "topk_neighbours", "why_no_edges"]


def why_no_edges(kind: str, papers: Sequence[Paper], features: Sequence[PaperFeatures]) -> str:
    """Why ``kind`` produced no edges on ``papers``, as a short clause for the build summary.

    >>> why_no_edges("keyword", [Paper(id="a", title="A")], [])
    'fewer than two papers'
    """
    n = len(papers)
    if n < 2:
        return "fewer than two papers"
    with_abstract = sum(1 for p in papers if p.abstract)
    if kind == "similarity":
        return (
            "no two papers share a word (stop words aside); "
            f"{with_abstract} of {n} papers have an abstract"
        )
    if kind == "keyword":
        return "no method name, key phrase or author is shared by two papers"
    if kind == "mention":
        n_mentions = sum(len(f.mentions) for f in features)
        if not n_mentions:
            return "no paper mentions a known method, model or dataset"
        return "no paper names a method another paper introduces (method nodes off?)"
    return "nothing found"
