"""What the map draws: which papers (the cap) and which links at which zoom level.

Every paper and link of the graph goes into the page (the list, search and panel cover them
all); this module decides which of them the renderer draws.  Above ``max_nodes`` papers, every
community keeps its most central papers in proportion to its size.  Links between drawn nodes
get a *level*: 0 for each node's strongest link (drawn at the overview), higher levels for
weaker links (drawn as you zoom in); past the edge budget a link is not drawn at all.

>>> import networkx as nx
>>> G = nx.path_graph(10)
>>> nx.set_node_attributes(G, {n: n % 2 for n in G}, "community")
>>> H, info = select_for_html(G, 4)
>>> info["shown"], info["total"], info["capped"], sorted({H.nodes[n]["community"] for n in H})
(4, 10, True, [0, 1])
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from ..config import default_of
from ..errors import OutputError
from .style import as_int, node_kind_code, num

__all__ = [
    "DEFAULT_MAX_NODES",
    "EDGES_PER_NODE",
    "CAP_MESSAGE",
    "EDGE_CAP_MESSAGE",
    "choose_nodes",
    "edge_levels",
    "select_for_html",
]

#: Papers the map draws by default (every paper stays in the list and search above it): the one
#: default, Config's ``max_html_nodes``.
DEFAULT_MAX_NODES: int = default_of("max_html_nodes")
#: Default edge budget of the map, per node drawn (half that above ``_DENSE_ABOVE`` drawn
#: nodes: every redraw and highlight in software WebGL pays for every link in the buffers).
EDGES_PER_NODE = 8
_DENSE_ABOVE = 10_000
#: What the page says when it draws only part of the graph (``{shown}``/``{total}`` filled in).
CAP_MESSAGE = (
    "Drawing {shown} of {total} papers — the most central of each community; every paper is "
    "in the list and the search. To draw more, raise --max-html-nodes (graphkit build) or "
    "--max-nodes (graphkit html)."
)
#: What the page adds when it draws only the strongest links.
EDGE_CAP_MESSAGE = (
    "Drawing the {shown} strongest of {total} links; the panel lists every link of a paper."
)
_MIN_PER_COMMUNITY = 3
#: A link's level from how many stronger links its less-linked end already has.
_LEVEL_BOUNDS = (1, 3, 6)


def _is_method(d: dict[str, Any]) -> bool:
    """A node that follows its papers (method or reference node)."""
    return node_kind_code(d) != 0


def choose_nodes(G: nx.Graph, max_nodes: int) -> tuple[list[Any], dict[str, Any]]:
    """The nodes the map draws (at most ``max_nodes`` papers plus method nodes) and ``info``."""
    if max_nodes < 1:
        raise OutputError(
            f"max_nodes must be at least 1, not {max_nodes}",
            hint=f"Use --max-html-nodes {DEFAULT_MAX_NODES}.",
        )
    papers = [n for n, d in G.nodes(data=True) if not _is_method(d)]
    methods = [n for n, d in G.nodes(data=True) if _is_method(d)]
    groups: dict[int, list[Any]] = {}
    for n in papers:
        groups.setdefault(as_int(G.nodes[n].get("community"), -1), []).append(n)
    info: dict[str, Any] = {
        "shown": len(papers),
        "total": len(papers),
        "methods_shown": len(methods),
        "methods_total": len(methods),
        "communities_shown": len(groups),
        "communities_total": len(groups),
        "capped": False,
        "message": "",
    }
    if len(papers) <= max_nodes:
        return list(G.nodes), info

    def rank_of(n: Any) -> tuple[float, float, str]:
        d = G.nodes[n]
        degree = d["degree"] if "degree" in d else G.degree(n)
        return (-num(d.get("pagerank")), -num(degree), str(n))

    rank_key = {n: rank_of(n) for n in papers}.__getitem__
    picks: list[tuple[tuple[Any, ...], Any]] = []
    for cid, members in groups.items():
        size = len(members)
        for j, n in enumerate(sorted(members, key=rank_key)):
            # The first few of every community come first (largest communities first), then
            # the rest in proportion to community size: j/size is the share already taken.
            key: tuple[Any, ...] = (
                (0, j, -size, cid) if j < _MIN_PER_COMMUNITY else (1, j / size, -size, cid)
            )
            picks.append((key, n))
    picks.sort(key=lambda p: (p[0], rank_key(p[1])))
    kept = [n for _, n in picks[:max_nodes]]
    kept_set = set(kept)
    method_budget = max(10, max_nodes // 10)
    scored = []
    for m in methods:
        links = sum(1 for nb in G.adj[m] if nb in kept_set)
        if links:
            scored.append((-links, -num(G.nodes[m].get("pagerank")), str(m), m))
    scored.sort(key=lambda t: t[:3])
    kept_methods = [t[3] for t in scored[:method_budget]]
    info.update(
        shown=len(kept),
        methods_shown=len(kept_methods),
        communities_shown=len({as_int(G.nodes[n].get("community"), -1) for n in kept}),
        capped=True,
        message=CAP_MESSAGE.format(shown=f"{len(kept):,}", total=f"{len(papers):,}"),
    )
    return kept + kept_methods, info


def edge_levels(
    G: nx.Graph,
    drawn: set[Any],
    info: dict[str, Any],
    max_edges: int | None,
    *,
    order: dict[Any, int] | None = None,
    edges: list[tuple[Any, Any, dict[str, Any]]] | None = None,
) -> dict[tuple[Any, Any], int]:
    """``{(u, v): level}`` of the links the map draws, ``u``/``v`` as ``G.edges`` yields them.

    Links are taken strongest first (ties by the ends' names); a link's level is 0 when one of
    its ends has no stronger link yet, then 1, 2, 3 as both ends already have 1, 3, 6 stronger
    ones.  At most ``max_edges`` links (default ``EDGES_PER_NODE`` per drawn node, half above
    10k) are kept, lowest level first.  ``order`` (node → rank of ``str(node)``, if the caller
    has it) saves sorting names, ``edges`` (``list(G.edges(data=True))``) a pass over ``G``.  Updates ``info`` with the counts and the page's note.
    """
    if order is None:
        order = {n: i for i, n in enumerate(sorted(G.nodes, key=str))}
    if edges is None:
        edges = list(G.edges(data=True))
    ends = [(u, v, d.get("weight")) for u, v, d in edges if u in drawn and v in drawn]
    total = len(ends)
    per_node = EDGES_PER_NODE if len(drawn) <= _DENSE_ABOVE else EDGES_PER_NODE // 2
    budget = per_node * len(drawn) if max_edges is None else max_edges
    a = np.fromiter((order[u] for u, _, _ in ends), dtype=np.int64, count=total)
    b = np.fromiter((order[v] for _, v, _ in ends), dtype=np.int64, count=total)
    w = np.fromiter((num(x) for _, _, x in ends), dtype=np.float64, count=total)
    rank = np.lexsort((b, a, -w))  # strongest first, then by the names of u and v
    # How many stronger links each end already has: a running count per node, in rank order.
    seen = [0] * len(order)
    have = []
    for x, y in zip(a[rank].tolist(), b[rank].tolist(), strict=True):
        cx, cy = seen[x], seen[y]
        have.append(cx if cx < cy else cy)
        seen[x] = cx + 1
        seen[y] = cy + 1
    level = np.searchsorted(
        np.asarray(_LEVEL_BOUNDS), np.asarray(have, dtype=np.int64), side="right"
    )
    keep = np.arange(total)
    if total > budget:
        keep = np.lexsort((keep, level))[:budget]
    info.update(edges_shown=len(keep), edges_total=total, edges_capped=total > budget)
    if total > budget:
        note = EDGE_CAP_MESSAGE.format(shown=f"{len(keep):,}", total=f"{total:,}")
        info["message"] = f"{info['message']} {note}".strip()
    levels = level.tolist()
    out = {}
    for j in keep.tolist():
        u, v, _ = ends[rank[j]]
        out[(u, v)] = levels[j]
    return out


def select_for_html(
    G: nx.Graph, max_nodes: int, *, max_edges: int | None = None
) -> tuple[nx.Graph, dict[str, Any]]:
    """The drawn part of ``G`` as a graph (nodes of :func:`choose_nodes`, links of
    :func:`edge_levels` with a ``level`` attribute), and ``info``."""
    nodes, info = choose_nodes(G, max_nodes)
    levels = edge_levels(G, set(nodes), info, max_edges)
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in nodes)
    H.add_edges_from((u, v, {**G.edges[u, v], "level": lvl}) for (u, v), lvl in levels.items())
    return H, info
