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
import os
import re
import zlib
from importlib import resources
from typing import IO, Any

import jinja2
import markupsafe
import networkx as nx
import orjson

from ..errors import OutputError
from ..fileio import write_target
from .payload import page_payload
from .select import DEFAULT_MAX_NODES
from .style import DEFAULT_SIZE_BY

__all__ = ["html_bytes", "write_html", "page_payload"]

#: zlib level of the packed details: level 6 makes them ~20% smaller than 1 at 3x the time.
_DEFLATE_LEVEL = 1


def html_bytes(
    G: nx.Graph,
    *,
    title: str = "graphkit map",
    max_nodes: int = DEFAULT_MAX_NODES,
    size_by: str = DEFAULT_SIZE_BY,
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
    size_by: str = DEFAULT_SIZE_BY,
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
