"""Benchmark the HTML map: build time, file size, time to a drawn still graph in Chromium.

Usage: python bench/html_map.py [--sizes 300,1000,2000,5000] [--cap 1500] [--graph out/graph.json]

For synthetic graphs shaped like graphkit's (communities, x/y, ~7 edges per paper, evidence on
every edge) of each size, drawn uncapped, plus one capped at ``--cap`` from the largest, it
measures: html_bytes time, file size, time from navigation to the first drawn frame
(``window.graphkitReady``, physics off so the graph is still), one redraw (a pan/zoom frame),
focusing a node (search hit: highlight + panel) and toggling an edge kind.  Prints a table and
writes bench/results/html.json.  Needs Debian's chromium + chromedriver (``make browser``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402
    SKIP_REASON,
    browser_available,
    console_errors,
    make_driver,
    open_page,
    synthetic_graph,
)

from graphkit.render import html_bytes, select_for_html  # noqa: E402

_PROBE = """
var g = window.graphkit, t0, frames = [];
for (var i = 0; i < 5; i++) { t0 = performance.now(); g.network.renderer._redraw(); frames.push(performance.now() - t0); }
frames.sort(function (a, b) { return a - b; });
var top = g.data.nodes.slice().sort(function (a, b) { return b.size - a.size; })[0].id;
t0 = performance.now(); g.focusNode(top); g.network.renderer._redraw(); var focus = performance.now() - t0;
g.clearFocus();
t0 = performance.now(); g.setEdgeKind('similarity', false); g.network.renderer._redraw(); var toggle = performance.now() - t0;
g.setEdgeKind('similarity', true);
return {ready_ms: window.graphkitReady, frame_ms: frames[2], focus_ms: focus, toggle_ms: toggle,
        nodes: g.counts().drawnNodes, edges: g.counts().drawnEdges};
"""


def measure(driver, G, *, max_nodes: int, label: str, repeats: int) -> dict:
    t0 = time.perf_counter()
    page = html_bytes(G, max_nodes=max_nodes, corpus_name=label)
    build_s = time.perf_counter() - t0
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.html"
        path.write_bytes(page)
        for _ in range(repeats):
            driver.get("about:blank")
            t0 = time.perf_counter()
            open_page(driver, path, timeout=300)
            wall = time.perf_counter() - t0
            probe = driver.execute_script(_PROBE)
            probe["wall_s"] = wall
            runs.append(probe)
    errors = console_errors(driver)
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    H, info = select_for_html(G, max_nodes)
    return {
        "graph": label,
        "papers_total": info["total"],
        "papers_shown": info["shown"],
        "nodes_drawn": int(med["nodes"]),
        "edges_drawn": int(med["edges"]),
        "html_bytes_s": round(build_s, 3),
        "size_mb": round(len(page) / 1e6, 2),
        "ready_ms": round(med["ready_ms"]),
        "open_wall_s": round(med["wall_s"], 2),
        "frame_ms": round(med["frame_ms"], 1),
        "focus_ms": round(med["focus_ms"], 1),
        "toggle_ms": round(med["toggle_ms"], 1),
        "console_errors": len(errors),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="300,1000,2000,5000")
    ap.add_argument("--cap", type=int, default=1500)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--graph", type=Path, help="also measure a real graph.json (node-link) from a build"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "html.json")
    args = ap.parse_args(argv)
    if not browser_available():
        print(f"skipped: {SKIP_REASON}", file=sys.stderr)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = []
    driver = make_driver(1600, 1000)
    try:
        for n in sizes:
            G = synthetic_graph(n, seed=n)
            rows.append(
                measure(driver, G, max_nodes=n, label=f"synthetic {n}", repeats=args.repeats)
            )
            print(rows[-1], file=sys.stderr)
        big = synthetic_graph(max(sizes), seed=max(sizes))
        rows.append(
            measure(
                driver,
                big,
                max_nodes=args.cap,
                label=f"synthetic {max(sizes)} cap {args.cap}",
                repeats=args.repeats,
            )
        )
        if args.graph:
            import networkx as nx

            data = json.loads(args.graph.read_text(encoding="utf-8"))
            G = nx.node_link_graph(data, edges="edges" if "edges" in data else "links")
            rows.append(
                measure(driver, G, max_nodes=args.cap, label=str(args.graph), repeats=args.repeats)
            )
    finally:
        driver.quit()
    cols = list(rows[0])
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols}
    print("  ".join(c.ljust(widths[c]) for c in cols))
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in cols))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rows": rows}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
