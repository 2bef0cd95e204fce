"""Benchmark baseline only: graphkit's previous HTML map (vis-network 2D canvas, from pyvis).

Kept verbatim from graphkit/render.py as it was before the WebGL map (commit a7f6675), with its
page assets in bench/vis_baseline/, so that bench/html_map.py measures both pages of the same
graph in the same run.  Not part of the library; needs pyvis (the ``test`` extra).

The original docstring follows.

Styling and rendering of the graph: the only module that decides colours, sizes and shapes.

``apply_style`` writes ``color`` and ``size`` onto nodes (used by the GraphML/GEXF writers and
the HTML page alike), from ``community`` and a centrality.  ``html_bytes``/``write_html`` turn
an analysed graph into one self-contained, offline HTML page (vis-network, inlined from the
pyvis package) that a researcher can search, filter and explore; ``select_for_html`` picks the
readable part of a graph too big to draw.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("a", kind="paper", community=0, pagerank=0.7)
>>> G.add_node("method:LoRA", kind="method", community=0, pagerank=0.3)
>>> apply_style(G)
>>> G.nodes["a"]["color"], G.nodes["method:LoRA"]["color"]
('#4e79a7', '#555555')
>>> G.nodes["a"]["size"] > G.nodes["method:LoRA"]["size"]
True
"""

from __future__ import annotations

import functools
import logging
import math
import os
from collections import Counter
from importlib import resources
from typing import IO, Any

import jinja2
import networkx as nx
import orjson

from graphkit.errors import OutputError
from graphkit.fileio import write_target

__all__ = [
    "PALETTE",
    "METHOD_COLOR",
    "EDGE_COLORS",
    "community_color",
    "apply_style",
    "node_styles",
    "select_for_html",
    "html_bytes",
    "write_html",
    "CAP_MESSAGE",
    "EDGE_CAP_MESSAGE",
    "EDGES_PER_NODE",
]

log = logging.getLogger(__name__)

#: Stable categorical palette (Tableau 10 + 10 more), community i gets PALETTE[i % len].
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
METHOD_COLOR = "#555555"
EDGE_COLORS: dict[str, str] = {
    "keyword": "#59a14f",
    "similarity": "#9aa7b8",
    "mention": "#e15759",
}
MIN_SIZE, MAX_SIZE = 6.0, 40.0

#: What the page says when it shows only part of the graph (``{shown}``/``{total}`` filled in).
CAP_MESSAGE = (
    "Showing {shown} of {total} papers — the most central of each community. "
    "See all in graph.graphml (Gephi), raise --max-html-nodes, or filter the input."
)
#: What the page adds when it draws only the strongest links.
EDGE_CAP_MESSAGE = "Drawing the {shown} strongest of {total} links (each node's strongest first)."
#: Default edge budget of the page, per node drawn (keeps a frame under ~50 ms in software).
EDGES_PER_NODE = 6
_EDGES_EACH = 3
_EDGE_KINDS = ("keyword", "similarity", "mention")
_MIN_PER_COMMUNITY = 3
_LABEL_CANDIDATES = 150
_VIS_DIR = "templates/lib/vis-9.1.2"


def community_color(community: int) -> str:
    """The colour of community ``community`` (stable across runs)."""
    return PALETTE[int(community) % len(PALETTE)] if community >= 0 else "#cccccc"


def node_styles(G: nx.Graph, *, size_by: str = "pagerank") -> dict[Any, tuple[str, float]]:
    """``{node: (color, size)}`` as :func:`apply_style` would set them, without changing ``G``.

    >>> G = nx.Graph([("a", "b")])
    >>> G.nodes["a"].update(community=1, pagerank=1.0)
    >>> node_styles(G)["a"]
    ('#f28e2b', 40.0)
    """
    values = [_num(d.get(size_by)) for _, d in G.nodes(data=True)]
    top = max(values, default=0.0)
    out: dict[Any, tuple[str, float]] = {}
    for (node, data), v in zip(G.nodes(data=True), values, strict=True):
        if data.get("kind") == "method":
            color = METHOD_COLOR
        else:
            color = community_color(_int(data.get("community"), -1))
        frac = math.sqrt(v / top) if top > 0 else 0.0
        out[node] = (color, round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * frac, 3))
    return out


def apply_style(G: nx.Graph, *, size_by: str = "pagerank") -> None:
    """Set ``color`` and ``size`` on every node of ``G`` in place.

    Size grows with the square root of ``size_by`` (scaled to [MIN_SIZE, MAX_SIZE]) so that a
    hub is visible without hiding everyone else.
    """
    for node, (color, size) in node_styles(G, size_by=size_by).items():
        G.nodes[node]["color"] = color
        G.nodes[node]["size"] = size


def select_for_html(
    G: nx.Graph, max_nodes: int, *, max_edges: int | None = None
) -> tuple[nx.Graph, dict[str, Any]]:
    """The part of ``G`` the HTML page draws: at most ``max_nodes`` papers, plus method nodes.

    Under the caps, ``G`` itself is returned.  Above ``max_nodes``, every community keeps its
    most central papers (by pagerank, then degree) in proportion to its size — at least a few
    each, largest communities first when even that does not fit — and the method nodes linked
    to them (at most a tenth of the cap, most connected first).  Of the links among them, at
    most ``max_edges`` are kept (default ``EDGES_PER_NODE`` per node drawn, which keeps a page
    smooth): each node's few strongest first, then the strongest of the rest.  ``info`` says
    what was kept.

    >>> G = nx.path_graph(10)
    >>> nx.set_node_attributes(G, {n: n % 2 for n in G}, "community")
    >>> H, info = select_for_html(G, 4)
    >>> info["shown"], info["total"], info["capped"], sorted({H.nodes[n]["community"] for n in H})
    (4, 10, True, [0, 1])
    """
    if max_nodes < 1:
        raise OutputError(
            f"max_nodes must be at least 1, not {max_nodes}", hint="Use --max-html-nodes 1500."
        )
    papers = [n for n, d in G.nodes(data=True) if d.get("kind", "paper") != "method"]
    methods = [n for n, d in G.nodes(data=True) if d.get("kind") == "method"]
    groups: dict[int, list[Any]] = {}
    for n in papers:
        groups.setdefault(_int(G.nodes[n].get("community"), -1), []).append(n)
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
        return _cap_edges(G, info, max_edges)

    def rank_of(n: Any) -> tuple[float, float, str]:
        d = G.nodes[n]
        degree = d["degree"] if "degree" in d else G.degree(n)
        return (-_num(d.get("pagerank")), -_num(degree), str(n))

    rank_key = {n: rank_of(n) for n in papers}.__getitem__  # each paper's rank, made once
    picks: list[tuple[tuple[Any, ...], Any]] = []
    for cid, members in groups.items():
        size = len(members)
        for j, n in enumerate(sorted(members, key=rank_key)):
            # The first few of every community come first (largest communities first), then
            # the rest in proportion to community size: j/size is the share already taken.
            if j < _MIN_PER_COMMUNITY:
                key: tuple[Any, ...] = (0, j, -size, cid)
            else:
                key = (1, j / size, -size, cid)
            picks.append((key, n))
    picks.sort(key=lambda p: (p[0], rank_key(p[1])))
    kept = [n for _, n in picks[:max_nodes]]
    kept_set = set(kept)
    method_budget = max(10, max_nodes // 10)
    scored = []
    for m in methods:
        links = sum(1 for nb in G.adj[m] if nb in kept_set)
        if links:
            scored.append((-links, -_num(G.nodes[m].get("pagerank")), str(m), m))
    scored.sort(key=lambda t: t[:3])
    kept_methods = [t[3] for t in scored[:method_budget]]
    H = G.subgraph(kept + kept_methods)
    info.update(
        shown=len(kept),
        methods_shown=len(kept_methods),
        communities_shown=len({_int(G.nodes[n].get("community"), -1) for n in kept}),
        capped=True,
        message=CAP_MESSAGE.format(shown=f"{len(kept):,}", total=f"{len(papers):,}"),
    )
    return _cap_edges(H, info, max_edges)


def _cap_edges(
    H: nx.Graph, info: dict[str, Any], max_edges: int | None
) -> tuple[nx.Graph, dict[str, Any]]:
    """Keep at most ``max_edges`` links of ``H``: each node's strongest, then the strongest."""
    total = H.number_of_edges()
    budget = EDGES_PER_NODE * H.number_of_nodes() if max_edges is None else max_edges
    info.update(edges_shown=total, edges_total=total, edges_capped=False)
    if total <= budget:
        return H, info

    def strength(e: tuple[Any, Any, dict[str, Any]]) -> tuple[float, str, str]:
        return (-_num(e[2].get("weight")), str(e[0]), str(e[1]))

    edges = sorted(((*sorted((u, v), key=str), d) for u, v, d in H.edges(data=True)), key=strength)
    chosen: list[int] = []
    seen: Counter[Any] = Counter()
    for i, (u, v, _) in enumerate(edges):
        if seen[u] < _EDGES_EACH or seen[v] < _EDGES_EACH:
            chosen.append(i)
            seen[u] += 1
            seen[v] += 1
    chosen = chosen[:budget]
    if len(chosen) < budget:
        taken = set(chosen)
        chosen += [i for i in range(len(edges)) if i not in taken][: budget - len(chosen)]
    F = nx.Graph()
    F.graph.update(H.graph)
    F.add_nodes_from(H.nodes(data=True))
    F.add_edges_from(edges[i] for i in sorted(chosen))
    edge_note = EDGE_CAP_MESSAGE.format(shown=f"{len(chosen):,}", total=f"{total:,}")
    if not info["capped"]:
        edge_note += " See all in graph.graphml (Gephi)."
    info.update(
        edges_shown=len(chosen),
        edges_capped=True,
        message=f"{info['message']} {edge_note}".strip(),
    )
    return F, info


def html_bytes(
    G: nx.Graph,
    *,
    title: str = "graphkit map",
    max_nodes: int = 1500,
    size_by: str = "pagerank",
    corpus_name: str = "seeds",
    max_edges: int | None = None,
) -> bytes:
    """The interactive map of ``G`` as one self-contained HTML page (no network needed).

    Above ``max_nodes`` papers (or ``max_edges`` links) the page draws the part chosen by
    :func:`select_for_html` and says so.  The same graph always gives the same bytes.  Data
    from papers is embedded as escaped JSON and put on the page as text only, so hostile
    titles cannot run script.

    >>> G = nx.Graph([("a", "b")], name="demo")
    >>> page = html_bytes(G, corpus_name="demo")
    >>> page.startswith(b"<!DOCTYPE html>"), b"https://" in page.split(b"<script")[0]
    (True, False)
    """
    H, info = select_for_html(G, max_nodes, max_edges=max_edges)
    payload = _payload(G, H, info, title=title, size_by=size_by, corpus_name=corpus_name)
    assets = _assets()
    page = assets["template"].render(
        title=title,
        corpus_name=corpus_name,
        meta=payload["meta"],
        data_json=_script_json(payload),
        vis_js=assets["vis_js"],
        map_js=assets["map_js"],
        map_css=assets["map_css"],
    )
    return page.encode("utf-8")


def write_html(
    G: nx.Graph,
    target: str | os.PathLike[str] | IO[bytes],
    *,
    title: str = "graphkit map",
    max_nodes: int = 1500,
    size_by: str = "pagerank",
    corpus_name: str = "seeds",
    max_edges: int | None = None,
) -> None:
    """Write :func:`html_bytes` of ``G`` to a path (atomically) or an open binary file.

    >>> import io
    >>> buf = io.BytesIO()
    >>> write_html(nx.Graph([(1, 2)]), buf)
    >>> b"vis-network" in buf.getvalue()
    True
    """
    page = html_bytes(
        G,
        title=title,
        max_nodes=max_nodes,
        size_by=size_by,
        corpus_name=corpus_name,
        max_edges=max_edges,
    )
    write_target(target, page)


# --- the data embedded in the page --------------------------------------------------------

_PAPER_FIELDS = (
    "label", "title", "short_name", "abstract", "authors", "n_authors", "date", "year", "url",
    "arxiv_id", "doi", "organization", "community_label", "defines", "mentions", "keyphrases",
    "pagerank", "degree", "betweenness", "eigenvector", "weighted_degree",
)  # fmt: skip
_METHOD_FIELDS = ("label", "title", "method_kind", "reference", "n_mentions", "pagerank", "degree")
_EDGE_FIELDS = (
    "w_keyword", "w_similarity", "w_mention", "keyword_terms", "similarity",
    "similarity_terms", "mention_names", "mention_evidence", "mention_from",
)  # fmt: skip
_MAX_AUTHORS_SHOWN = 12


def _payload(
    G: nx.Graph, H: nx.Graph, info: dict[str, Any], *, title: str, size_by: str, corpus_name: str
) -> dict[str, Any]:
    styles = node_styles(H, size_by=size_by)
    if all(s == MIN_SIZE for _, s in styles.values()):
        # No centrality to size by (an unanalysed graph): fall back on degree.
        styles = {n: (c, _degree_size(H, n)) for n, (c, _) in styles.items()}
    pos = _positions(H)
    ids = sorted(H.nodes, key=str)
    label_ranks = _label_ranks(H, styles)
    nodes = []
    for n in ids:
        d = H.nodes[n]
        kind = "method" if d.get("kind") == "method" else "paper"
        color, size = styles[n]
        rec: dict[str, Any] = {"id": str(n), "kind": kind}
        for key in _METHOD_FIELDS if kind == "method" else _PAPER_FIELDS:
            value = _clean(d.get(key))
            if value is not None:
                rec[key] = value
        rec.setdefault("label", str(d.get("title") or n))
        rec["community"] = _int(d.get("community"), -1)
        if kind == "paper":
            if "year" in rec:
                rec["year"] = _int(rec["year"], 0) or None
            rec["authors"] = _short_authors(str(rec.get("authors", "")))
        rec.update(x=pos[n][0], y=pos[n][1], size=size, color=color, label_rank=label_ranks.get(n))
        nodes.append({k: v for k, v in rec.items() if v not in (None, "")})
    edges = []
    for u, v in sorted((tuple(sorted((a, b), key=str)) for a, b in H.edges()), key=_edge_key):
        d = H.edges[u, v]
        kinds = [k for k in _EDGE_KINDS if k in str(d.get("kinds", "")).split(";")] or ["keyword"]
        rec = {"from": str(u), "to": str(v), "kinds": kinds, "weight": _num(d.get("weight"), 1.0)}
        for key in _EDGE_FIELDS:
            value = _clean(d.get(key))
            if value not in (None, ""):
                rec[key] = value
        edges.append(rec)
    meta = _meta(G, H, info, title=title, size_by=size_by, corpus_name=corpus_name)
    return {
        "meta": meta,
        "communities": _communities(G, H),
        "edge_colors": EDGE_COLORS,
        "method_color": METHOD_COLOR,
        "nodes": nodes,
        "edges": edges,
    }


def _meta(
    G: nx.Graph, H: nx.Graph, info: dict[str, Any], *, title: str, size_by: str, corpus_name: str
) -> dict[str, Any]:
    communities = {
        _int(d.get("community"), -1)
        for _, d in G.nodes(data=True)
        if d.get("kind", "paper") != "method"
    }
    return {
        "title": title,
        "corpus": corpus_name,
        "n_papers": info["total"],
        "n_methods": info["methods_total"],
        "n_edges": G.number_of_edges(),
        "n_communities": len(communities - {-1}),
        "shown_papers": info["shown"],
        "shown_methods": info["methods_shown"],
        "shown_edges": H.number_of_edges(),
        "capped": info["capped"],
        "edges_capped": info["edges_capped"],
        "message": info["message"],
        "size_by": size_by,
        "modularity": _clean(G.graph.get("modularity")),
    }


def _communities(G: nx.Graph, H: nx.Graph) -> list[dict[str, Any]]:
    total: Counter[int] = Counter()
    shown: Counter[int] = Counter()
    labels: dict[int, Counter[str]] = {}
    for graph, counter in ((G, total), (H, shown)):
        for _, d in graph.nodes(data=True):
            if d.get("kind", "paper") == "method":
                continue
            cid = _int(d.get("community"), -1)
            counter[cid] += 1
            if graph is G and d.get("community_label"):
                labels.setdefault(cid, Counter())[str(d["community_label"])] += 1
    out = []
    for cid in sorted(total, key=lambda c: (-total[c], c)):
        best = sorted(labels.get(cid, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))
        label = best[0][0] if best else ("no community" if cid < 0 else f"community {cid}")
        out.append(
            {
                "id": cid,
                "label": label,
                "color": community_color(cid),
                "size": total[cid],
                "shown": shown[cid],
            }
        )
    return out


def _positions(H: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Layout positions scaled to screen pixels (``x``/``y`` attributes; a seeded layout if absent)."""
    raw = {}
    for n, d in H.nodes(data=True):
        x, y = d.get("x"), d.get("y")
        if isinstance(x, int | float) and isinstance(y, int | float) and math.isfinite(x + y):
            raw[n] = (float(x), float(y))
    if len(raw) < H.number_of_nodes():
        log.info(
            "layout positions missing on %d nodes; computing a seeded layout", len(H) - len(raw)
        )
        raw = {n: (float(p[0]), float(p[1])) for n, p in nx.spring_layout(H, seed=42).items()}
    if not raw:
        return {}
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    extent = max(1400.0, 110.0 * math.sqrt(len(raw)))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = extent / span
    # y flipped: layouts put y up, the canvas puts it down.
    return {
        n: (round((x - cx) * scale, 1), round((cy - y) * scale, 1)) for n, (x, y) in raw.items()
    }


def _label_ranks(H: nx.Graph, styles: dict[Any, tuple[str, float]]) -> dict[Any, int]:
    """Which nodes may carry a label, most important first (the page shows as many as fit).

    First the most central paper of each of the largest communities, then the most mentioned
    methods, then the other papers by size; at most ``_LABEL_CANDIDATES`` in all.
    """
    papers = [n for n, d in H.nodes(data=True) if d.get("kind") != "method"]
    methods = [n for n, d in H.nodes(data=True) if d.get("kind") == "method"]
    ranked = sorted(papers, key=lambda n: (-styles[n][1], str(n)))
    ranked_methods = sorted(methods, key=lambda n: (-_num(H.nodes[n].get("n_mentions")), str(n)))
    sizes = Counter(_int(H.nodes[n].get("community"), -1) for n in papers)
    best: dict[int, Any] = {}
    for n in ranked:
        best.setdefault(_int(H.nodes[n].get("community"), -1), n)
    order = [best[c] for c in sorted(sizes, key=lambda c: (-sizes[c], c))[:20] if c >= 0]
    order += ranked_methods[:3] + ranked[:_LABEL_CANDIDATES] + ranked_methods[3:15]
    ranks: dict[Any, int] = {}
    for n in order:
        if n not in ranks and len(ranks) < _LABEL_CANDIDATES:
            ranks[n] = len(ranks)
    return ranks


def _degree_size(H: nx.Graph, n: Any) -> float:
    top = max((d for _, d in H.degree()), default=0)
    frac = math.sqrt(H.degree(n) / top) if top else 0.0
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * frac, 3)


def _short_authors(authors: str) -> str:
    names = [a for a in authors.split("; ") if a]
    if len(names) <= _MAX_AUTHORS_SHOWN:
        return "; ".join(names)
    return "; ".join(names[:_MAX_AUTHORS_SHOWN]) + f"; … (+{len(names) - _MAX_AUTHORS_SHOWN})"


def _edge_key(pair: tuple[Any, Any]) -> tuple[str, str]:
    return (str(pair[0]), str(pair[1]))


def _clean(value: Any) -> str | int | float | bool | None:
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if hasattr(value, "item"):
        return _clean(value.item())
    return str(value)


def _num(value: Any, default: float = 0.0) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _script_json(payload: dict[str, Any]) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``, U+2028/9."""
    raw = orjson.dumps(payload).decode("utf-8")
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        raw = raw.replace(ch, esc)
    return raw.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, Any]:
    """The page template and the scripts/styles inlined into it (read once)."""
    try:
        vis_dir = resources.files("pyvis") / _VIS_DIR
        vis_js = (vis_dir / "vis-network.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise OutputError(
            f"cannot read vis-network from the pyvis package: {exc}",
            hint="Install it: pip install 'pyvis>=0.3.2'.",
        ) from exc
    # An inline script ends at the first "</script"; make sure the library cannot end it early.
    vis_js = vis_js.replace("</script", "<\\/script")
    from pathlib import Path

    here = Path(__file__).resolve().parent / "vis_baseline"
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    return {
        "template": env.from_string((here / "page.html.j2").read_text(encoding="utf-8")),
        "vis_js": vis_js,
        "map_js": (here / "map.js").read_text(encoding="utf-8"),
        "map_css": (here / "map.css").read_text(encoding="utf-8"),
    }
