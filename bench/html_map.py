"""Benchmark the HTML map: the WebGL page against the previous vis-network page, same run.

Usage: python bench/html_map.py GRAPH.json[=NAME] ... [--baseline REV] [--baseline-timeout 240]

For each built ``graph.json`` (``graphkit build ... --formats json``) it writes the map
(graphkit's WebGL page, every paper drawn up to the default cap) and the previous vis-network
page of the same graph (``bench/_vis_baseline.py``), uncapped and at its old cap of 1,500
papers, opens each in headless Chromium (software WebGL: SwiftShader, so frame times are a
floor, not what a laptop GPU does) and measures: html build time, file size, time from
navigation to the first drawn frame, frame times while panning the full view and a zoomed
view (requestAnimationFrame deltas, median), search-to-highlight (typing a word until the
highlighted frame is drawn) and click-to-panel (focusing the top paper until its panel and
highlight are drawn).  Prints a table and writes bench/results/html.json.  Needs Debian's
chromium + chromedriver (``make browser``).  Without GRAPH arguments it measures the seeds
(built on the fly) only.  ``--baseline REV`` also writes each WebGL page with the
``graphkit`` of git revision ``REV`` (exported, run in a fresh process that times only the
page writing) and measures it in the same run: the before/after of a change to the map.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from browser_support import (  # noqa: E402
    SKIP_REASON,
    browser_available,
    console_errors,
    make_driver,
    open_page,
)

from graphkit.render import DEFAULT_MAX_NODES, html_bytes  # noqa: E402

OLD_CAP = 1500

# Frame times: move the camera a little in each animation frame and record the frame deltas.
_FRAMES = """
var done = arguments[arguments.length - 1], zoomed = arguments[0], g = window.graphkit;
var s = g.sigma, cam = s.getCamera(), base;
if (zoomed) {
  var c = g.data.communities[0];
  var p = s.viewportToFramedGraph(s.graphToViewport({x: c.x, y: -c.y}));
  base = {x: p.x, y: p.y, ratio: 0.2};
} else base = {x: 0.5, y: 0.5, ratio: 1};
cam.setState(base);
var times = [], k = 0;
function step(t) {
  times.push(t);
  if (k++ >= 10) {
    var d = [];
    for (var i = 3; i < times.length; i++) d.push(times[i] - times[i - 1]);
    d.sort(function (a, b) { return a - b; });
    cam.setState({x: 0.5, y: 0.5, ratio: 1});
    done(d[Math.floor(d.length / 2)]);
    return;
  }
  cam.setState({x: base.x + 0.002 * (k % 2 ? 1 : -1), y: base.y, ratio: base.ratio});
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
"""
_FRAMES_VIS = """
var done = arguments[arguments.length - 1], zoomed = arguments[0], net = window.graphkit.network;
var scale = zoomed ? net.getScale() * 5 : net.getScale();
var times = [], k = 0, pos = net.getViewPosition();
function step(t) {
  times.push(t);
  if (k++ >= 10) {
    var d = [];
    for (var i = 3; i < times.length; i++) d.push(times[i] - times[i - 1]);
    d.sort(function (a, b) { return a - b; });
    done(d[Math.floor(d.length / 2)]);
    return;
  }
  net.moveTo({position: {x: pos.x + (k % 2 ? 3 : -3), y: pos.y}, scale: scale});
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
"""
# Latency of an action: the synchronous work (search/focus, map refresh, panel), and the time
# until the second animation frame after it, i.e. until the frame showing it has been drawn.
_LATENCY = """
var done = arguments[arguments.length - 1], what = arguments[0], q = arguments[1], g = window.graphkit;
var t0 = performance.now(), hits = null;
if (what === 'search') {
  var box = document.getElementById('gk-search');
  box.value = q;
  hits = g.runSearch ? g.runSearch().length : g.search(q).length;
} else g.focusNode(q);
var sync = performance.now() - t0;
requestAnimationFrame(function () { requestAnimationFrame(function () {
  var ms = performance.now() - t0, s = g.sigma;
  function finish(settled) {
    if (g.clearFocus) g.clearFocus();
    if (what === 'search') { document.getElementById('gk-search').value = ''; if (g.runSearch) g.runSearch(); }
    done([sync, ms, hits, settled]);
  }
  if (what !== 'focus' || !s || !s.getCamera) { finish(null); return; }
  // sigma pages: also the time until the camera has moved to the neighbourhood and that
  // frame is drawn (no render scheduled, no timer pending for two frames in a row).
  var quiet = 0;
  setTimeout(function wait() {
    quiet = s.renderFrame || s.renderHighlightedNodesFrame ? 0 : quiet + 1;
    if (quiet >= 2) finish(performance.now() - t0);
    else requestAnimationFrame(function () { setTimeout(wait, 0); });
  }, 0);
}); });
"""


def _probe_words(G) -> tuple[str, str]:
    """The most central paper and one distinctive title word of it (search query)."""
    papers = [(n, d) for n, d in G.nodes(data=True) if d.get("kind") != "method"]
    top, d = max(papers, key=lambda p: (float(p[1].get("pagerank") or 0), str(p[0])))
    words = [w.strip(":,.()").lower() for w in str(d.get("title", "")).split()]
    word = max((w for w in words if w.isalpha()), key=len, default="model")
    return str(top), word


def measure(
    driver, page: bytes, *, label: str, vis: bool, probe: tuple[str, str], timeout: float
) -> dict:
    row: dict = {"page": label, "size_mb": round(len(page) / 1e6, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.html"
        path.write_bytes(page)
        driver.get("about:blank")
        console_errors(driver)
        t0 = time.perf_counter()
        try:
            open_page(driver, path, timeout=timeout)
        except AssertionError:
            row.update(first_draw_ms=f">{timeout:.0f}s (timed out)")
            return row
        row["open_wall_s"] = round(time.perf_counter() - t0, 2)
        time.sleep(
            2
        )  # the reader looks first: the page reads details and the search index when idle
        row["first_draw_ms"] = round(driver.execute_script("return window.graphkitReady"))
        c = driver.execute_script("return graphkit.counts()")
        row["nodes_drawn"], row["edges_drawn"] = c["drawnNodes"], c["drawnEdges"]
        frames = _FRAMES_VIS if vis else _FRAMES
        row["frame_full_ms"] = round(driver.execute_async_script(frames, False), 1)
        row["frame_zoomed_ms"] = round(driver.execute_async_script(frames, True), 1)
        sync, ms, hits, _ = driver.execute_async_script(_LATENCY, "search", probe[1])
        row["search_sync_ms"], row["search_to_frame_ms"], row["search_hits"] = (
            round(sync, 1),
            round(ms, 1),
            hits,
        )
        sync, ms, _, settled = driver.execute_async_script(_LATENCY, "focus", probe[0])
        row["click_to_panel_sync_ms"], row["click_to_panel_frame_ms"] = round(sync, 1), round(ms, 1)
        if settled is not None:
            row["click_to_zoomed_frame_ms"] = round(settled, 1)
        row["heap_mb"] = round(
            driver.execute_script(
                "return performance.memory ? performance.memory.usedJSHeapSize / 1e6 : 0"
            )
        )
        row["console_errors"] = len(console_errors(driver))
    return row


def _load(spec: str):
    from graphkit.export import read_json

    path, _, name = spec.partition("=")
    return read_json(path), name or Path(path).parent.name, path


# Run by the baseline's interpreter with the exported revision first on sys.path.
_BASELINE_WRITER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from graphkit.export import read_json
from graphkit.render import html_bytes
G = read_json(sys.argv[2])
t0 = time.perf_counter()
page = html_bytes(G, corpus_name=sys.argv[3])
took = time.perf_counter() - t0
open(sys.argv[4], "wb").write(page)
print(took)
"""


def _baseline_page(src: Path, graph_json: str, name: str, tmp: Path) -> tuple[bytes, float]:
    """The WebGL page of the revision exported in ``src`` and the time its writing took."""
    out = tmp / "baseline.html"
    proc = subprocess.run(
        [sys.executable, "-c", _BASELINE_WRITER, str(src), graph_json, name, str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    page = out.read_bytes()
    out.unlink()
    return page, float(proc.stdout.strip().splitlines()[-1])


def _seeds():
    from graphkit.config import Config
    from graphkit.ingest import load_corpus
    from graphkit.pipeline import build_graph

    corpus = load_corpus([str(ROOT / "seeds")])
    return build_graph(corpus.papers, Config()).graph, "seeds", None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graphs", nargs="*", help="graph.json files (optionally =NAME)")
    ap.add_argument("--baseline-timeout", type=float, default=240.0)
    ap.add_argument(
        "--no-uncapped-baseline-above",
        type=int,
        default=30000,
        help="skip the uncapped vis page above this many papers",
    )
    ap.add_argument("--no-seeds", action="store_true", help="skip the seed graph")
    ap.add_argument("--baseline", metavar="REV", help="also measure the map of git revision REV")
    ap.add_argument("--no-vis", action="store_true", help="skip the vis-network pages")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "html.json")
    args = ap.parse_args(argv)
    if not browser_available():
        print(f"skipped: {SKIP_REASON}", file=sys.stderr)
        return 0
    import _vis_baseline as old

    graphs = ([] if args.no_seeds else [_seeds()]) + [_load(s) for s in args.graphs]
    rows = []
    work = Path(tempfile.mkdtemp(prefix="html-map-"))
    base_src = None
    if args.baseline:
        sys.path.insert(0, str(ROOT / "bench"))
        from build import _export_revision

        base_src = _export_revision(args.baseline, work)
    driver = make_driver(1600, 1000)
    driver.set_script_timeout(900)
    # One frame of a big page takes seconds in software WebGL: wait for chromedriver longer
    # than Selenium's 120 s (private attributes; the bench only).
    executor = driver.command_executor
    executor._client_config.timeout = 900
    executor._conn = executor._get_connection_manager()
    try:
        for G, name, graph_json in graphs:
            n_papers = sum(1 for _, d in G.nodes(data=True) if d.get("kind") != "method")
            probe = _probe_words(G)
            pages = []
            if base_src is not None:
                if graph_json is None:
                    from graphkit.export import write_json

                    graph_json = str(work / f"{name}.json")
                    write_json(G, graph_json)
                page, took = _baseline_page(base_src, graph_json, name, work)
                pages.append((f"webgl {args.baseline}", page, False, took))
            t0 = time.perf_counter()
            pages.append(
                ("webgl", html_bytes(G, corpus_name=name), False, time.perf_counter() - t0)
            )
            if args.no_vis:
                pass
            elif n_papers <= args.no_uncapped_baseline_above:
                t0 = time.perf_counter()
                pages.append(
                    (
                        "vis uncapped",
                        old.html_bytes(G, max_nodes=n_papers, corpus_name=name),
                        True,
                        time.perf_counter() - t0,
                    )
                )
            if n_papers > OLD_CAP and not args.no_vis:
                t0 = time.perf_counter()
                pages.append(
                    (
                        f"vis cap {OLD_CAP}",
                        old.html_bytes(G, max_nodes=OLD_CAP, corpus_name=name),
                        True,
                        time.perf_counter() - t0,
                    )
                )
            for label, page, vis, build_s in pages:
                row = {"graph": f"{name} ({n_papers:,} papers)"}
                row.update(
                    measure(
                        driver,
                        page,
                        label=label,
                        vis=vis,
                        probe=probe,
                        timeout=args.baseline_timeout if vis else 600,
                    )
                )
                row["html_build_s"] = round(build_s, 2)
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
            del pages
    finally:
        driver.quit()
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    cols = list(dict.fromkeys(k for r in rows for k in r))
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in cols}
    print("  ".join(c.ljust(widths[c]) for c in cols))
    for r in rows:
        print("  ".join(str(r.get(c, "")).ljust(widths[c]) for c in cols))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "default_cap": DEFAULT_MAX_NODES,
        "old_cap": OLD_CAP,
        "renderer": "software WebGL (SwiftShader), headless Chromium",
        "baseline": args.baseline,
    }
    args.out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
