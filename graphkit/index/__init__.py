"""The compact index ``graphkit related`` reads instead of graph.json.

``build`` writes ``related.npz`` beside graph.json: one uncompressed zip of ``.npy`` arrays
(what :func:`numpy.load` reads), with fixed member timestamps so identical builds give
identical bytes.  It holds, per node (papers first, then method/reference nodes):

- ``ids``, ``labels``, ``titles``, ``kinds``, ``years``, ``dois``, ``arxiv`` and ``names``
  (short names, defined names, method labels, old title-hash IDs) — what a query is resolved
  against;
- the text matrix of the build (one row per node, the similarity stage's TF-IDF rows; empty for
  method nodes), its vocabulary (sorted, as scikit-learn numbers it), idf and analyser options,
  so free text is vectorised the way papers were;
- an author incidence matrix (normalised "surname initial" keys);
- the weighted adjacency (CSR, combined edge weight) with each entry's edge number and the
  reasons of every edge, rendered once at build time;
- the citations: the edges that carry ``cites``, which end cites which, and the reference key
  as the citing record wrote it (so ``related`` can say "cites" / "cited by" from the query's
  side);
- each paper's LSA vector (:mod:`graphkit.index.lsa`, float16; absent below 50 papers) and,
  where the records give them, the papers' citation counts (``cited_by``, -1 for none);
- optionally, unit-length sentence embeddings of the papers (``--embeddings``).

Strings are stored as one UTF-8 blob plus offsets; the reasons are decoded only for the edges
a query shows.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("a", kind="paper", title="Speculative decoding", abstract="Draft then verify.")
>>> G.add_node("b", kind="paper", title="Draft models", abstract="Speculative decoding drafts.")
>>> G.add_edge("a", "b", weight=0.5, kinds="similarity", similarity=0.5)
>>> idx = build_index(G)
>>> idx.ids, idx.n_papers, idx.edge_reasons(0)
(['a', 'b'], 2, ('text similarity 0.50',))
"""

from __future__ import annotations

from .build import build_index
from .records import RelatedIndex, TextModel, author_key, lookup_key
from .store import (
    FORMAT_VERSION,
    INDEX_NAME,
    Strings,
    index_bytes,
    index_path_for,
    load_index,
    open_index,
    write_index,
    write_related_index,
)

__all__ = [
    "INDEX_NAME",
    "FORMAT_VERSION",
    "TextModel",
    "RelatedIndex",
    "Strings",
    "build_index",
    "index_bytes",
    "write_index",
    "write_related_index",
    "load_index",
    "index_path_for",
    "open_index",
    "author_key",
    "lookup_key",
]
