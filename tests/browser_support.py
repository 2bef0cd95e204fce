"""Headless Chromium for the browser tests (and scripts/screenshot.py, bench/html_map.py).

Debian's ``chromium`` driven by Debian's ``chromedriver`` through Selenium; never
selenium-manager downloads.  The network is blocked (CDP ``Network.setBlockedURLs``) and every
request is recorded from the performance log, so a test can assert the page asked for nothing.

Fixtures: ``chromium`` (a session-wide driver; skips when the browser is missing) and
``browser`` (the same driver, reset for one test).  Helpers: :func:`make_driver`,
:func:`open_page`, :func:`requests_made`, :func:`console_errors`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "SKIP_REASON",
    "browser_available",
    "make_driver",
    "open_page",
    "wait_for",
    "requests_made",
    "console_errors",
    "synthetic_graph",
    "chromium",
    "browser",
]

SKIP_REASON = (
    "chromium/chromedriver not installed: run `make browser` "
    "(Debian packages chromium and chromium-driver)"
)
_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--use-angle=swiftshader",  # WebGL in software (SwiftShader): the map draws with WebGL
    "--enable-unsafe-swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--allow-file-access-from-files",
)


def _chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_available() -> bool:
    """True when both Chromium and ChromeDriver are on PATH and selenium imports."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return bool(_chromium_binary() and shutil.which("chromedriver"))


def make_driver(width: int = 1600, height: int = 1000) -> Any:
    """A headless Chromium WebDriver with the network blocked and requests logged."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = _chromium_binary() or "chromium"
    for flag in _FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--window-size={width},{height}")
    opts.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='graphkit-chromium-')}")
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
    driver.set_script_timeout(60)
    return driver


def wait_for(driver: Any, script: str, timeout: float = 60.0) -> Any:
    """Poll ``return <script>`` until it is truthy; fail the test after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = driver.execute_script(f"return {script}")
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.05)


def open_page(driver: Any, path: str | Path, timeout: float = 120.0) -> None:
    """Load a local HTML file and wait until graphkit has drawn the graph once and unpacked
    the panel's details (abstracts, evidence)."""
    driver.get(Path(path).resolve().as_uri())
    wait_for(driver, "window.graphkit && window.graphkit.state.ready", timeout)
    wait_for(
        driver,
        "(function (g) { if (!g.loadDetails) return true; g.loadDetails();"
        " return g.state.detailsReady === true; })(window.graphkit)",
        timeout,
    )


def requests_made(driver: Any) -> list[str]:
    """URLs the page requested since the last call (from the performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def console_errors(driver: Any) -> list[str]:
    """SEVERE console messages since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole session (skips when not installed)."""
    if not browser_available():
        pytest.skip(SKIP_REASON)
    driver = make_driver()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(chromium: Any) -> Any:
    """The session's Chromium with its logs drained, for one test."""
    chromium.get("about:blank")
    chromium.get_log("performance")
    chromium.get_log("browser")
    return chromium


def synthetic_graph(n: int, *, edges_per_node: float = 7.0, seed: int = 0) -> Any:
    """A random analysed graph shaped like graphkit's: communities, x/y, evidence, methods.

    ``n`` papers in about ``sqrt(n)/2`` communities laid out in clusters, ``n/30`` method
    nodes, ``edges_per_node * n`` edges (mostly inside a community) of every kind.
    """
    import math
    import random

    import networkx as nx

    from graphkit.render import apply_style

    rng = random.Random(seed)
    k = max(2, round(math.sqrt(n) / 2))
    G = nx.Graph(name=f"synthetic-{n}", n_papers=n, modularity=0.5, n_communities=k)
    centres = [
        (math.cos(2 * math.pi * c / k) * (1 + c % 3), math.sin(2 * math.pi * c / k) * (1 + c % 3))
        for c in range(k)
    ]
    words = [f"term{i}" for i in range(400)]
    members: dict[int, list[str]] = {c: [] for c in range(k)}
    for i in range(n):
        c = min(k - 1, int(rng.paretovariate(1.2)) - 1) if rng.random() < 0.5 else rng.randrange(k)
        pid = f"arxiv:{2400 + i // 10000}.{i % 10000:05d}"
        title = " ".join(rng.choice(words) for _ in range(8)).capitalize()
        cx, cy = centres[c]
        G.add_node(
            pid, kind="paper", label=title[:60], title=title,
            abstract=" ".join(rng.choice(words) for _ in range(120)),
            authors="; ".join(f"Author {rng.randrange(5000)}" for _ in range(rng.randint(1, 8))),
            n_authors=3, date="Mar 13, 2024", year=rng.choice([2021, 2022, 2023, 2024, 2025]),
            url=f"https://arxiv.org/abs/{pid[6:]}", arxiv_id=pid[6:],
            keyphrases="; ".join(rng.sample(words, 4)), mentions="LoRA; GPTQ",
            community=c, community_label=f"{words[c]} / {words[c + 1]}",
            x=cx + rng.gauss(0, 0.35), y=cy + rng.gauss(0, 0.35),
        )  # fmt: skip
        members[c].append(pid)
    papers = list(G.nodes)
    for j in range(max(1, n // 30)):
        G.add_node(f"method:M{j}", kind="method", label=f"M{j}", title=f"Method {j}",
                   method_kind="method", n_mentions=0, x=rng.gauss(0, 1.5), y=rng.gauss(0, 1.5))  # fmt: skip
    methods = [m for m in G.nodes if str(m).startswith("method:")]
    target = int(edges_per_node * n)
    made = 0
    while made < target:
        u = rng.choice(papers)
        cu = G.nodes[u]["community"]
        r = rng.random()
        if r < 0.05:
            v = rng.choice(methods)
        elif r < 0.85:
            v = rng.choice(members[cu])
        else:
            v = rng.choice(papers)
        if u == v or G.has_edge(u, v):
            continue
        kinds = (
            ["mention"]
            if str(v).startswith("method:")
            else sorted(rng.sample(["keyword", "similarity", "mention"], rng.choice([1, 1, 1, 2])))
        )
        attrs: dict[str, Any] = {"kinds": ";".join(kinds)}
        w = 0.0
        if "keyword" in kinds:
            attrs.update(
                w_keyword=round(rng.random(), 3), keyword_terms="; ".join(rng.sample(words, 3))
            )
            w += attrs["w_keyword"]
        if "similarity" in kinds:
            s = round(0.15 + 0.6 * rng.random(), 3)
            attrs.update(
                w_similarity=s, similarity=s, similarity_terms="; ".join(rng.sample(words, 3))
            )
            w += s
        if "mention" in kinds:
            attrs.update(w_mention=1.0, mention_names="M1", mention_from=u,
                         mention_evidence="We compare with M1, which we extend.")  # fmt: skip
            w += 1.0
        attrs["weight"] = round(w, 4)
        G.add_edge(u, v, **attrs)
        made += 1
    total = 2.0 * G.number_of_edges() or 1.0
    for node, deg in G.degree():
        G.nodes[node].update(degree=deg, pagerank=round(deg / total, 8))
    apply_style(G)
    return G
