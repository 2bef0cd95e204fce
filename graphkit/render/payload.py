"""The map's ``gk-data`` block: every node and link as columns of numbers and short strings
(what the page reads at start), the page's meta and its communities; the panel's lazy block
comes from :mod:`.details`."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import networkx as nx
import numpy as np

from ..ingest.normalise import aliases_of
from ..layout import compute_layout, remove_overlap
from ..schema import LIST_SEP, plain
from .details import clip, link_evidence, node_details
from .select import choose_nodes, edge_levels
from .style import (
    METHOD_COLOR,
    MIN_SIZE,
    REFERENCE_COLOR,
    as_int,
    edge_kinds,
    map_palette,
    node_kind_code,
    node_styles,
    num,
)

__all__ = ["page_payload"]

_MAX_AUTHORS_SEARCHED = 12
_LABEL_CHARS = 40
#: Above this many nodes the map skips the no-overlap pass (see _positions).
_OVERLAP_MAX_NODES = 25_000


def page_payload(
    G: nx.Graph,
    *,
    title: str,
    max_nodes: int,
    size_by: str,
    corpus_name: str,
    max_edges: int | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The page's two JSON blocks: ``data`` (columns, read at start) and ``details`` (lazy)."""
    drawn_nodes, info = choose_nodes(G, max_nodes)
    drawn = set(drawn_nodes)
    ids = sorted(G.nodes, key=str)
    index = {n: i for i, n in enumerate(ids)}
    links = list(G.edges(data=True))
    levels = edge_levels(G, drawn, info, max_edges, order=index, edges=links)
    spellings = [str(d.get("kinds") or "") for *_, d in links]
    kinds, parsed, kinds_seen = _link_kinds(spellings)
    capped = bool(info["capped"])
    cols, panels, colors, sizes = _node_columns(
        G, ids, drawn, capped, size_by, _cited_counts(links, list(kinds_seen))
    )
    bit = {k["id"]: 1 << i for i, k in enumerate(kinds)}
    masks = {s: sum(bit[k] for k in ks) for s, ks in parsed.items()}
    froms = {s: [f"{k}_from" for k in ks] for s, ks in parsed.items()}
    # Links in the order of their ends' indices (lower end first).
    ends_a = np.fromiter((index[u] for u, _, _ in links), dtype=np.int64, count=len(links))
    ends_b = np.fromiter((index[v] for _, v, _ in links), dtype=np.int64, count=len(links))
    lo, hi = np.minimum(ends_a, ends_b), np.maximum(ends_a, ends_b)
    rank = np.lexsort((hi, lo)).tolist()
    ecols: dict[str, list[Any]] = {"s": lo[rank].tolist(), "t": hi[rank].tolist()}
    weights, kmask, direction, level_col, edge_details = [], [], [], [], []
    for j in rank:
        u, v, d = links[j]
        spelling = spellings[j]
        level = levels.get((u, v), -1)  # keyed as G.edges yields the link
        w = d.get("weight")
        weights.append(round(w if type(w) is float and math.isfinite(w) else num(w, 1.0), 4))
        kmask.append(masks[spelling])
        if index[u] > index[v]:
            u, v = v, u
        direction.append(_direction(d, froms[spelling], u, v))
        level_col.append(level)
        edge_details.append(link_evidence(d) if level >= 0 or not capped else {})
    ecols.update(w=weights, k=kmask, dir=direction, level=level_col)
    meta = _meta(G, info, title=title, size_by=size_by, corpus_name=corpus_name)
    community_rows = _communities(G, ids, cols, colors, sizes)
    data = {
        "meta": meta,
        "kinds": kinds,
        "communities": community_rows,
        "nodes": cols,
        "edges": ecols,
    }
    return data, {"nodes": panels, "edges": edge_details}


def _link_kinds(
    spellings: list[str],
) -> tuple[list[dict[str, Any]], dict[str, tuple[str, ...]], Counter[str]]:
    """The map's link kinds (with their counts), each ``kinds`` spelling's kinds, and how many
    links carry each kind."""
    spelled = Counter(spellings)
    parsed = {
        s: tuple(dict.fromkeys(k for k in s.split(";") if k)) or ("keyword",) for s in spelled
    }
    kinds_seen: Counter[str] = Counter()
    for s, count in spelled.items():
        for k in parsed[s]:
            kinds_seen[k] += count
    kinds = edge_kinds(kinds_seen)
    for k in kinds:
        k["count"] = kinds_seen[k["id"]]
    return kinds, parsed, kinds_seen


def _node_columns(
    G: nx.Graph,
    ids: list[Any],
    drawn: set[Any],
    capped: bool,
    size_by: str,
    cited: Counter[Any],
) -> tuple[dict[str, list[Any]], list[dict[str, Any]], dict[int, str], Counter[int]]:
    """The node columns (in :data:`_NODE_COLUMNS` order), each node's panel fields, the
    community colours and the community sizes (papers)."""
    styles = node_styles(G, size_by=size_by)
    if all(s == MIN_SIZE for _, s in styles.values()):
        # No centrality to size by (an unanalysed graph): size by degree.
        styles = {n: (c, _degree_size(G, n)) for n, (c, _) in styles.items()}
    node_sizes = [styles[n][1] for n in ids]
    xy = _positions(G, ids, node_sizes)
    attrs = [G.nodes[n] for n in ids]
    codes = [node_kind_code(d) for d in attrs]
    communities = [as_int(d.get("community"), -1) for d in attrs]
    sizes = Counter(c for c, code in zip(communities, codes, strict=True) if not code)
    colors = map_palette(sizes)
    degree = dict(G.degree())
    cols: dict[str, list[Any]] = {
        k: []
        for k in (
            "id", "kind", "label", "title", "names", "aliases", "authors", "community", "year",
            "month", "cited",
        )
    }  # fmt: skip
    panels: list[dict[str, Any]] = []
    for n, d, code, community in zip(ids, attrs, codes, communities, strict=True):
        is_method = code != 0  # a method or reference node: it follows its papers
        full = str(plain(d.get("title")) or plain(d.get("label")) or n)
        short = str(plain(d.get("short_name")) or "")
        label = str(plain(d.get("label")) or full) if is_method else (short or full)
        cols["id"].append(str(n))
        cols["kind"].append(code)
        cols["label"].append(clip(label, _LABEL_CHARS))
        cols["title"].append(full)
        names = [short, *str(plain(d.get("defines")) or "").split(LIST_SEP)]
        if is_method:
            names.insert(0, str(plain(d.get("label")) or ""))
        cols["names"].append(LIST_SEP.join(dict.fromkeys(x for x in names if x)))
        # the IDs other inputs give a paper (graphkit info --ids): the search finds it by them
        cols["aliases"].append("" if is_method else LIST_SEP.join(aliases_of(str(n), d)))
        authors = d.get("authors")
        if authors:
            authors = [a for a in str(plain(authors) or "").split(LIST_SEP) if a]
            cols["authors"].append(LIST_SEP.join(authors[:_MAX_AUTHORS_SEARCHED]))
        else:
            cols["authors"].append("")
        cols["community"].append(community)
        year, month = _year_month(d)
        cols["year"].append(year)
        cols["month"].append(month)
        cols["cited"].append(
            as_int(d.get("n_mentions") or d.get("n_citing"), 0) if is_method else cited.get(n, 0)
        )
        # Above the cap, papers not drawn carry their metadata but not their texts (graph.json has them).
        panels.append(node_details(d, full=not capped or n in drawn))
    cols["x"] = [p[0] for p in xy]
    cols["y"] = [p[1] for p in xy]
    cols["size"] = node_sizes
    cols["color"] = [
        METHOD_COLOR if code == 1 else REFERENCE_COLOR if code == 2 else colors.get(c, "#b5b5b5")
        for code, c in zip(codes, communities, strict=True)
    ]
    cols["score"] = [round(num(d.get(size_by)), 8) for d in attrs]
    cols["degree"] = [degree[n] for n in ids]
    cols["drawn"] = [1 if n in drawn else 0 for n in ids]
    return {k: cols[k] for k in _NODE_COLUMNS}, panels, colors, sizes


#: The node columns of ``gk-data`` in page order.
_NODE_COLUMNS = (
    "id", "kind", "label", "title", "names", "aliases", "authors", "x", "y", "size", "color",
    "community", "year", "month", "score", "degree", "cited", "drawn",
)  # fmt: skip


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})")
_NAMED_MONTH = re.compile(
    r"\b([A-Za-z]{3})[a-z]*\.?\s+(?:\d{1,2},?\s+)?(\d{4})\b|\b\d{1,2}\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b"
)


def _year_month(d: dict[str, Any]) -> tuple[int, int]:
    """(year, yyyymm) of a node, 0 where unknown.

    The month comes from ``iso_date``, else from ``date`` when it reads "2024-03-13",
    "Mar 13, 2024" or "13 March 2024"; a month whose year disagrees with ``year`` is dropped.

    >>> _year_month({"date": "Mar 13, 2024", "year": 2024}), _year_month({"date": "2025-10-13", "year": 2018})
    ((2024, 202403), (2018, 0))
    """
    year = as_int(d.get("year"), 0)
    for key in ("iso_date", "date"):
        text = str(plain(d.get(key)) or "")
        m = _ISO_MONTH.match(text)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
        else:
            m = _NAMED_MONTH.search(text)
            if not m:
                continue
            name, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            y, mo = int(y), _MONTHS.get(name.lower(), 0)
        if 1 <= mo <= 12 and (not year or year == y):
            return (year or y), y * 100 + mo
    return year, 0


def _cited_counts(links: list[tuple[Any, Any, dict[str, Any]]], kinds: list[str]) -> Counter[Any]:
    """How many links point at each node (``<kind>_from`` names the pointing end)."""
    out: Counter[Any] = Counter()
    keys = [f"{k}_from" for k in kinds]
    for u, v, d in links:
        for key in keys:
            value = d.get(key)
            if value:
                froms = str(value).split(LIST_SEP)
                if str(u) in froms:
                    out[v] += 1
                if str(v) in froms:
                    out[u] += 1
    return out


def _direction(d: dict[str, Any], from_keys: list[str], a: Any, b: Any) -> int:
    """0 undirected, 1 ``a``→``b``, 2 ``b``→``a``, 3 both (from the first ``<kind>_from`` of
    ``from_keys`` that ``d`` has)."""
    for key in from_keys:
        value = d.get(key)
        if value:
            froms = str(value).split(LIST_SEP)
            return (1 if str(a) in froms else 0) | (2 if str(b) in froms else 0)
    return 0


def _meta(
    G: nx.Graph, info: dict[str, Any], *, title: str, size_by: str, corpus_name: str
) -> dict[str, Any]:
    communities = {
        as_int(d.get("community"), -1) for _, d in G.nodes(data=True) if not node_kind_code(d)
    }
    codes = Counter(node_kind_code(d) for _, d in G.nodes(data=True))
    return {
        "title": title,
        "corpus": corpus_name,
        "n_papers": info["total"],
        "n_methods": codes[1],
        "n_references": codes[2],
        "n_edges": G.number_of_edges(),
        "n_communities": len(communities - {-1}),
        "shown_papers": info["shown"],
        "shown_methods": info["methods_shown"],
        "shown_edges": info["edges_shown"],
        "capped": info["capped"],
        "edges_capped": info["edges_capped"],
        "message": info["message"],
        "size_by": size_by,
        "modularity": plain(G.graph.get("modularity")),
    }


def _communities(
    G: nx.Graph,
    ids: list[Any],
    cols: dict[str, list[Any]],
    colors: dict[int, str],
    sizes: Counter[int],
) -> list[dict[str, Any]]:
    """Each community: label (its papers' most common ``community_label``), colour, size, and
    the centre of its drawn papers (where the map writes its name)."""
    labels: dict[int, Counter[str]] = {}
    sx: Counter[int] = Counter()
    sy: Counter[int] = Counter()
    shown: Counter[int] = Counter()
    for i, n in enumerate(ids):
        if cols["kind"][i]:
            continue
        cid = cols["community"][i]
        lab = plain(G.nodes[n].get("community_label"))
        if lab:
            labels.setdefault(cid, Counter())[str(lab)] += 1
        if cols["drawn"][i]:
            shown[cid] += 1
            sx[cid] += cols["x"][i]
            sy[cid] += cols["y"][i]
    out = []
    for cid in sorted(sizes, key=lambda c: (-sizes[c], c)):
        best = sorted(labels.get(cid, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))
        label = best[0][0] if best else ("no community" if cid < 0 else f"community {cid}")
        k = shown[cid]
        out.append(
            {
                "id": cid,
                "label": label,
                "color": colors.get(cid, "#b5b5b5"),
                "size": sizes[cid],
                "shown": k,
                "x": round(sx[cid] / k, 1) if k else 0.0,
                "y": round(sy[cid] / k, 1) if k else 0.0,
            }
        )
    return out


def _positions(G: nx.Graph, ids: list[Any], sizes: list[float]) -> list[tuple[float, float]]:
    """Map coordinates of ``ids``: the layout's ``x``/``y`` (graphkit's layout if any is
    missing), y flipped for the screen, then nudged apart so no two nodes overlap on screen."""
    raw = []
    for n in ids:
        d = G.nodes[n]
        x, y = d.get("x"), d.get("y")
        if not (isinstance(x, int | float) and isinstance(y, int | float) and math.isfinite(x + y)):
            break
        raw.append((float(x), float(y)))
    if len(raw) < len(ids):
        pos = compute_layout(
            G.copy()
        )  # on a copy: writing x/y into the caller's graph is not ours to do
        raw = [pos[n] for n in ids]
    if not raw:
        return []
    xs = [p[0] for p in raw]
    ys = [p[1] for p in raw]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = 1000.0
    scale = extent / span
    pts = [((x - cx) * scale, (cy - y) * scale) for x, y in raw]
    # On screen the whole map is ~extent pixels across at first sight; node radii in the same
    # units (see map.js nodeRadius) must not overlap there.
    radii = [_screen_radius(s, len(ids)) * 1.1 for s in sizes]
    # Big maps are dense at first sight whatever the pass does (it moves nodes locally, it does
    # not spread communities out), and its pair search grows with density: fewer rounds above
    # 10k nodes, none above 25k (at 75k nodes 12 rounds took ~50 s on a loaded 2-core machine).
    n = len(ids)
    if n <= _OVERLAP_MAX_NODES:
        pts = remove_overlap(pts, radii, rounds=40 if n <= 10_000 else 12)
    return [(round(x, 1) + 0.0, round(y, 1) + 0.0) for x, y in pts]


def _screen_radius(size: float, n: int) -> float:
    """The radius map.js draws a node of ``size`` with (keep in step with nodeRadius there)."""
    lo, hi = (2.5, 14.0) if n <= 1000 else (1.2, 9.0) if n <= 10000 else (0.8, 6.0)
    return lo + (hi - lo) * (size - 6.0) / 34.0


def _degree_size(G: nx.Graph, n: Any) -> float:
    top = max((d for _, d in G.degree()), default=0)
    frac = math.sqrt(G.degree(n) / top) if top else 0.0
    return round(MIN_SIZE + 34.0 * frac, 3)
