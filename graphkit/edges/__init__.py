"""Edge builders: keyword (shared rare terms), similarity (TF-IDF top-k), mention (A names B's method).

Each builder returns a list of :class:`graphkit.model.Edge` in a deterministic order, with
evidence on every edge; :func:`graphkit.graph.assemble_graph` merges them into one graph.
"""

from __future__ import annotations

from .keyword import keyword_edges
from .mention import mention_edges
from .similarity import similarity_edges, topk_neighbours

__all__ = ["keyword_edges", "similarity_edges", "mention_edges", "topk_neighbours"]
