"""The interactive map: one self-contained, offline HTML page drawn with WebGL.

The page inlines sigma.js + graphology (vendored from npm into ``graphkit/assets/vendor`` by
``scripts/vendor_assets.sh``), ``map.js``/``map.css`` and two JSON blocks: ``gk-data`` (every
node and link as columns of numbers and short strings, read at start) and ``gk-details``
(abstracts, authors, evidence; parsed only when the panel first needs it).  Data from papers
is escaped JSON and reaches the page as text only, so hostile titles cannot run script.

>>> G = nx.Graph([("a", "b")], name="demo")
>>> page = html_bytes(G, corpus_name="demo")
>>> page.startswith(b"<!DOCTYPE html>"), b"https://" in page.split(b"<script")[0]
(True, False)
"""

from __future__ import annotations

import base64
import functools
import math
import os
import re
import zlib
from collections import Counter
from importlib import resources
from typing import IO, Any

import jinja2
import markupsafe
import networkx as nx
import numpy as np
import orjson

from ..errors import OutputError
from ..fileio import write_target
from ..ingest.normalise import aliases_of
from ..layout import compute_layout, remove_overlap
from ..schema import LIST_SEP, plain
from .select import DEFAULT_MAX_NODES, choose_nodes, edge_levels
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

__all__ = ["html_bytes", "write_html", "page_payload"]

_MAX_AUTHORS_SEARCHED = 12
_LABEL_CHARS = 40
_NOT_EVIDENCE = frozenset({"kinds", "weight", "level"})
#: zlib level of the packed details: level 6 makes them ~20% smaller than 1 at 3x the time.
_DEFLATE_LEVEL = 1
#: Above this many nodes the map skips the no-overlap pass (see _positions).
_OVERLAP_MAX_NODES = 25_000


def html_bytes(
    G: nx.Graph,
    *,
    title: str = "graphkit map",
    max_nodes: int = DEFAULT_MAX_NODES,
    size_by: str = "pagerank",
    corpus_name: str = "",
    max_edges: int | None = None,
) -> bytes:
    """The interactive map of ``G`` as one self-contained HTML page (no network needed).

    Every node and link of ``G`` is in the page; at most ``max_nodes`` papers (and
    ``max_edges`` links) are drawn, chosen by :mod:`graphkit.render.select`.  The same graph
    always gives the same bytes.
    """
    corpus_name = corpus_name or str(G.graph.get("name") or "graph")
    data, details = page_payload(
        G,
        title=title,
        max_nodes=max_nodes,
        size_by=size_by,
        corpus_name=corpus_name,
        max_edges=max_edges,
    )
    assets = _assets()
    # The big parts are joined as bytes into the rendered template (no copy through Jinja).
    parts = {
        "data_json": _script_json(data),
        "details_json": _packed(details),
        "vendor_js": assets["vendor_js"],
        "map_js": assets["map_js"],
        "map_css": assets["map_css"],
    }
    page = assets["template"].render(
        title=title.replace("\x00", ""),  # NUL is no HTML character (and marks the slots)
        corpus_name=corpus_name.replace("\x00", ""),
        meta=data["meta"],
        **{k: markupsafe.Markup(_SLOT.format(k)) for k in parts},
    )
    pieces = _SLOT_RE.split(page.encode("utf-8"))
    # split() alternates text and slot names: text, name, text, name, ..., text.
    return b"".join(parts[p.decode()] if i % 2 else p for i, p in enumerate(pieces))


_SLOT = "\x00gk-slot:{}\x00"
_SLOT_RE = re.compile(rb"\x00gk-slot:([a-z_]+)\x00")


def write_html(
    G: nx.Graph,
    target: str | os.PathLike[str] | IO[bytes],
    *,
    title: str = "graphkit map",
    max_nodes: int = DEFAULT_MAX_NODES,
    size_by: str = "pagerank",
    corpus_name: str = "",
    max_edges: int | None = None,
) -> None:
    """Write :func:`html_bytes` of ``G`` to a path (atomically) or an open binary file.

    >>> import io
    >>> buf = io.BytesIO()
    >>> write_html(nx.Graph([(1, 2)]), buf)
    >>> b"sigma" in buf.getvalue()
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
    spellings = [str(d.get("kinds") or "") for *_, d in links]
    spelled = Counter(spellings)
    parsed = {
        s: tuple(dict.fromkeys(k for k in s.split(";") if k)) or ("keyword",) for s in spelled
    }
    kinds_seen: Counter[str] = Counter()
    for s, count in spelled.items():
        for k in parsed[s]:
            kinds_seen[k] += count
    kinds = edge_kinds(kinds_seen)
    bit = {k["id"]: 1 << i for i, k in enumerate(kinds)}
    for k in kinds:
        k["count"] = kinds_seen[k["id"]]
    cited = _cited_counts(links, list(kinds_seen))
    degree = dict(G.degree())
    capped = bool(info["capped"])
    cols: dict[str, list[Any]] = {
        k: []
        for k in (
            "id", "kind", "label", "title", "names", "aliases", "authors", "community", "year",
            "month", "cited",
        )
    }  # fmt: skip
    node_details: list[dict[str, Any]] = []
    for n, d, code, community in zip(ids, attrs, codes, communities, strict=True):
        is_method = code != 0  # a method or reference node: it follows its papers
        full = str(plain(d.get("title")) or plain(d.get("label")) or n)
        short = str(plain(d.get("short_name")) or "")
        label = str(plain(d.get("label")) or full) if is_method else (short or full)
        cols["id"].append(str(n))
        cols["kind"].append(code)
        cols["label"].append(_clip(label, _LABEL_CHARS))
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
        node_details.append(_details(d, full=not capped or n in drawn))
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
    cols = {k: cols[k] for k in _NODE_COLUMNS}
    # Links in the order of their ends' indices (lower end first).
    ends_a = np.fromiter((index[u] for u, _, _ in links), dtype=np.int64, count=len(links))
    ends_b = np.fromiter((index[v] for _, v, _ in links), dtype=np.int64, count=len(links))
    lo, hi = np.minimum(ends_a, ends_b), np.maximum(ends_a, ends_b)
    rank = np.lexsort((hi, lo)).tolist()
    masks = {s: sum(bit[k] for k in ks) for s, ks in parsed.items()}
    froms = {s: [f"{k}_from" for k in ks] for s, ks in parsed.items()}
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
        edge_details.append(_evidence(d) if level >= 0 or not capped else {})
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
    return data, {"nodes": node_details, "edges": edge_details}


#: The node columns of ``gk-data`` in page order.
_NODE_COLUMNS = (
    "id", "kind", "label", "title", "names", "aliases", "authors", "x", "y", "size", "color",
    "community", "year", "month", "score", "degree", "cited", "drawn",
)  # fmt: skip


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


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


#: Node fields the panel shows (graph.json has the rest), and the ones a paper not drawn keeps
#: in a capped page (its texts stay in graph.json).
_PANEL_FIELDS = (
    "abstract", "authors", "date", "defines", "doi", "keyphrases", "mentions", "method_kind",
    "n_authors", "reference", "url",
)  # fmt: skip
_BRIEF_FIELDS = ("authors", "date", "doi", "method_kind", "n_authors", "reference", "url")
_MAX_TERMS = 12
_MAX_QUOTES = 3
_MAX_QUOTE_CHARS = 400


def _details(d: dict[str, Any], *, full: bool = True) -> dict[str, Any]:
    """The panel's fields of a node (``full=False``: metadata only, no abstract or phrases).

    >>> _details({"abstract": "A.", "pagerank": 0.1, "authors": ["X", "Y"]}, full=False)
    {'authors': 'X; Y'}
    """
    out = {}
    for key in _PANEL_FIELDS if full else _BRIEF_FIELDS:
        v = d.get(key)
        if v is None or v == "":
            continue
        if type(v) is not str:
            v = plain(v)
            if v is None or v == "" or (type(v) is float and not math.isfinite(v)):
                continue
            if type(v) is float:
                v = round(v, 6)
        out[key] = v
    return out


def _evidence(d: dict[str, Any]) -> dict[str, Any]:
    """The evidence of a link for the panel: term lists and quotes clipped (graph.json has all).

    >>> _evidence({"weight": 1.0, "w_keyword": 0.0, "keyword_terms": "a; b", "similarity": 0.31234})
    {'keyword_terms': 'a; b', 'similarity': 0.3123}
    """
    out = {}
    for key, v in d.items():
        rule = _KEY_RULES.get(key)
        if rule is None:
            rule = _KEY_RULES[key] = _key_rule(key)
        if rule is _SKIP or v is None or v == "":
            continue
        zero_skip, text = rule
        t = type(v)
        if t is float or t is int or t is bool:
            if v == 0 and zero_skip:
                continue
            if t is float:
                if not math.isfinite(v):
                    continue
                v = round(v, 4)
        else:
            if t is not str:
                v = plain(v)
                if v is None or v == "":
                    continue
            if type(v) is str:
                if text == _QUOTES and " | " in v:
                    v = " | ".join(_clip(q, _MAX_QUOTE_CHARS) for q in v.split(" | ")[:_MAX_QUOTES])
                elif text == _TERMS and v.count(LIST_SEP) >= _MAX_TERMS:
                    v = LIST_SEP.join(v.split(LIST_SEP)[:_MAX_TERMS])
        out[key] = v
    return out


_SKIP = None
_QUOTES, _TERMS, _TEXT = range(3)
#: What :func:`_evidence` does with each attribute name, found once per name: skip it, or
#: (drop a zero?, clip as quotes / as a term list / keep the text).
_KEY_RULES: dict[str, tuple[bool, int] | None] = {}


def _key_rule(key: str) -> tuple[bool, int] | None:
    if key in _NOT_EVIDENCE:
        return _SKIP
    zero_skip = key.startswith(("w_", "similarity"))
    text = _QUOTES if key.endswith("_evidence") else _TERMS if key.endswith("_terms") else _TEXT
    return zero_skip, text


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


def _script_json(payload: dict[str, Any]) -> bytes:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``, U+2028/9.

    >>> raw = _script_json({"t": "</script>&"})
    >>> b"<" in raw or b"&" in raw, orjson.loads(raw)["t"]
    (False, '</script>&')
    """
    raw = orjson.dumps(payload)
    for ch, esc in ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026")):
        if ch in raw:
            raw = raw.replace(ch, esc)
    for ch, esc in (("\u2028", b"\\u2028"), ("\u2029", b"\\u2029")):
        seq = ch.encode("utf-8")
        if seq in raw:
            raw = raw.replace(seq, esc)
    return raw


def _packed(payload: dict[str, Any]) -> bytes:
    """``payload`` as base64 of deflated JSON (keys sorted): a third of its JSON size, read by
    the page with the browser's own ``DecompressionStream`` when first needed.  Base64 holds
    no ``<``, ``>`` or ``&``, so it is safe inside a ``<script>`` block as it is."""
    raw = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    return base64.b64encode(zlib.compress(raw, _DEFLATE_LEVEL))


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, Any]:
    """The page template and the scripts/styles inlined into it (read once)."""
    here = resources.files("graphkit") / "assets"
    try:
        vendor = [
            (here / "vendor" / name).read_text(encoding="utf-8")
            for name in ("graphology.min.js", "sigma.min.js")
        ]
    except (FileNotFoundError, OSError) as exc:
        raise OutputError(
            f"cannot read the map's vendored JavaScript: {exc}",
            hint="Reinstall graphkit, or run scripts/vendor_assets.sh in a checkout.",
        ) from exc
    # An inline script ends at the first "</script"; make sure no library can end it early.
    vendor_js = "\n".join(js.replace("</script", "<\\/script") for js in vendor).encode("utf-8")
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    return {
        "template": env.from_string((here / "page.html.j2").read_text(encoding="utf-8")),
        "vendor_js": vendor_js,
        "map_js": (here / "map.js").read_bytes(),
        "map_css": (here / "map.css").read_bytes(),
    }
