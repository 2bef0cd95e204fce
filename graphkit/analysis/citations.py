"""Centrality on the directed citation graph: PageRank over ``cites`` edges.

The combined graph is undirected (one edge per pair, its kinds and evidence on it), but a
citation has a direction: ``cites_from`` names the citing end.  PageRank over those directed
links (rank flows from the citing paper to the cited work, ``cited ← citing``) ranks works the
way a reader follows reference lists: a paper cited by well-cited papers scores high, however
many papers merely resemble it.  Every citation counts once (no weights); the nodes are the
corpus papers and the reference nodes (outside works cited by several corpus papers); a node
citing nothing spreads its rank uniformly (networkx's definition of dangling nodes); damping
0.85.  Written as ``pagerank_cites`` on those nodes, and only in a graph with ``cites`` edges,
so a corpus without references keeps its bytes.

>>> import networkx as nx
>>> G = nx.Graph()
>>> for n in "abc":
...     G.add_node(n, kind="paper")
>>> G.add_edge("a", "c", kinds="cites", cites_from="a")
>>> G.add_edge("b", "c", kinds="similarity;cites", cites_from="b")
>>> G.add_edge("a", "b", kinds="similarity")
>>> citation_pagerank(G)
True
>>> max("abc", key=lambda n: G.nodes[n]["pagerank_cites"])
'c'
>>> round(sum(G.nodes[n]["pagerank_cites"] for n in "abc"), 6)
1.0
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ..schema import LIST_SEP, PAPER, REFERENCE
from .centrality import pagerank_matrix

__all__ = ["citation_pagerank", "ATTRIBUTE"]

#: The node attribute :func:`citation_pagerank` writes.
ATTRIBUTE = "pagerank_cites"


def citation_pagerank(
    G: nx.Graph, *, alpha: float = 0.85, tol: float = 1e-13, max_iter: int = 1000
) -> bool:
    """Write :data:`ATTRIBUTE` onto every paper and reference node of ``G`` when it has
    ``cites`` edges (the module docstring says how); returns whether it wrote anything."""
    from . import round_sig  # noqa: PLC0415  (the package imports this module's caller)

    nodes = [n for n, k in G.nodes(data="kind", default=PAPER) if k in (PAPER, REFERENCE)]
    pos = {n: i for i, n in enumerate(nodes)}
    src: list[int] = []
    dst: list[int] = []
    for u, v, frm in G.edges(data="cites_from", default=""):
        if not frm or u not in pos or v not in pos:
            continue
        for s in str(frm).split(LIST_SEP):
            s = s.strip()
            if s == str(u) or s == str(v):
                a, b = (u, v) if s == str(u) else (v, u)
                src.append(pos[a])
                dst.append(pos[b])
    if not src:
        return False
    n = len(nodes)
    A = sp.csr_matrix((np.ones(len(src)), (np.array(src), np.array(dst))), shape=(n, n))
    x = pagerank_matrix(A, alpha, tol, max_iter)
    for node, value in zip(nodes, x.tolist(), strict=True):
        G.nodes[node][ATTRIBUTE] = round_sig(value)
    return True
