"""The HTML map in a real headless Chromium: drawn offline, searchable, filterable, safe.

Needs Debian's chromium and chromedriver (``make browser``); skips with that reason otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from browser_support import (  # noqa: E402
    browser,  # noqa: F401  (fixture)
    chromium,  # noqa: F401  (fixture)
    console_errors,
    open_page,
    requests_made,
    synthetic_graph,
    wait_for,
)

from graphkit.render import write_html

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data" / "render"
XSS = "<img src=x onerror=alert(1)>"
XSS_ID = "t:0123456789ab"


def sample_graph() -> nx.Graph:
    data = json.loads((DATA / "sample_graph.json").read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="edges")


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "graph.html"
    write_html(sample_graph(), path, corpus_name="sample")
    return path


@pytest.fixture
def page(browser, sample_page: Path):  # noqa: F811
    """The sample map, drawn, with an alert() trap installed."""
    open_page(browser, sample_page)
    browser.execute_script(
        "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"
    )
    return browser


def panel_text(driver) -> str:
    return driver.execute_script("return document.getElementById('gk-panel-body').textContent")


def test_draws_every_node_and_edge_offline(page) -> None:
    G = sample_graph()
    counts = page.execute_script("return graphkit.counts()")
    assert counts["drawnNodes"] == counts["nodes"] == G.number_of_nodes()
    assert counts["drawnEdges"] == counts["edges"] == G.number_of_edges()
    assert page.execute_script("return graphkit.network.physics.options.enabled") is False
    assert [u for u in requests_made(page) if u.startswith(("http:", "https:"))] == []
    assert console_errors(page) == []
    # Labels: some central nodes are named at first sight, never more than fit.
    labels = page.execute_script("return graphkit.state.labels")
    assert 0 < len(labels) <= 40 and "arxiv:2306.03078" in labels
    header = page.find_element("id", "gk-counts").text
    assert "17 papers" in header and "23 edges" in header


def test_search_focuses_and_highlights(page) -> None:
    box = page.find_element("id", "gk-search")
    box.send_keys("sparse quantized")
    wait_for(page, "document.querySelectorAll('#gk-results button').length > 0")
    first = page.find_element("css selector", "#gk-results button")
    assert first.text.startswith("SpQR")
    box.send_keys("\n")
    wait_for(page, "graphkit.state.focus === 'arxiv:2306.03078'")
    assert page.execute_script("return graphkit.network.getSelectedNodes()") == ["arxiv:2306.03078"]
    highlighted = set(page.execute_script("return graphkit.state.highlighted"))
    assert highlighted == {"arxiv:2306.03078", *sample_graph().adj["arxiv:2306.03078"]}
    assert "SpQR" in panel_text(page)
    # A method name finds the method node first, an ID finds its paper.
    assert page.execute_script("return graphkit.search('LoRA')[0].id") == "method:LoRA"
    assert page.execute_script("return graphkit.search('2401.15077')[0].id") == "arxiv:2401.15077"
    assert console_errors(page) == []


def test_toggling_an_edge_kind_hides_those_edges(page) -> None:
    G = sample_graph()
    only_keyword = sum(1 for *_, k in G.edges(data="kinds") if k == "keyword")
    before = page.execute_script("return graphkit.counts().edges")
    page.find_element("id", "gk-kind-keyword").click()
    after = page.execute_script("return graphkit.counts()")
    # Edges that are keyword links only disappear; keyword+similarity links stay as similarity.
    assert after["edges"] == after["drawnEdges"] == before - only_keyword
    assert "gk-off" in page.find_element("id", "gk-kind-keyword").get_attribute("class")
    page.find_element("id", "gk-kind-keyword").click()
    assert page.execute_script("return graphkit.counts().edges") == before
    # Hiding every kind hides every edge; hiding a community hides its papers.
    for kind in ("keyword", "similarity", "mention"):
        page.execute_script(f"graphkit.setEdgeKind('{kind}', false)")
    assert page.execute_script("return graphkit.counts().drawnEdges") == 0
    page.find_element("css selector", '#gk-communities li[data-community="2"]').click()
    n_comm2 = sum(1 for _, c in G.nodes(data="community") if c == 2 and not _.startswith("method:"))
    assert page.execute_script("return graphkit.counts().nodes") == G.number_of_nodes() - n_comm2


def test_weight_and_year_filters(page) -> None:
    G = sample_graph()
    page.execute_script("graphkit.setMinWeightPercent(50)")
    threshold = page.execute_script("return graphkit.state.minWeight")
    assert page.execute_script("return graphkit.counts().edges") == sum(
        1 for *_, w in G.edges(data="weight") if w >= threshold
    )
    page.execute_script("graphkit.setMinWeightPercent(0)")
    page.execute_script("graphkit.setYears(2024, 2025)")
    old = sum(1 for _, y in G.nodes(data="year") if y is not None and y < 2024)
    assert page.execute_script("return graphkit.counts().nodes") == G.number_of_nodes() - old
    assert console_errors(page) == []


def test_clicking_a_node_shows_its_evidence(page) -> None:
    # Click the EAGLE node where it is drawn on the canvas.
    pos = page.execute_script(
        "var p = graphkit.network.getPosition('arxiv:2401.15077');"
        "return graphkit.network.canvasToDOM(p);"
    )
    canvas = page.find_element("css selector", "#gk-network canvas")
    from selenium.webdriver.common.action_chains import ActionChains

    rect = canvas.rect
    ActionChains(page).move_to_element_with_offset(
        canvas, int(pos["x"] - rect["width"] / 2), int(pos["y"] - rect["height"] / 2)
    ).click().perform()
    wait_for(page, "graphkit.state.focus === 'arxiv:2401.15077'")
    text = panel_text(page)
    assert "EAGLE: Speculative Sampling" in text
    assert "EAGLE outperforms Medusa by 1.6x on MT-bench." in text  # the mention sentence
    assert "speculative decoding" in text  # a shared term
    assert page.find_element("id", "gk-panel").is_displayed()
    link = page.find_element("css selector", "#gk-panel-body a")
    assert link.get_attribute("href") == "https://arxiv.org/abs/2401.15077"


def test_hostile_title_is_shown_as_text(page) -> None:
    page.execute_script(f"graphkit.focusNode('{XSS_ID}')")
    assert XSS in panel_text(page)
    # Hover tooltip text, too.
    page.execute_script(
        "var p = graphkit.network.canvasToDOM(graphkit.network.getPosition(arguments[0]));"
        "graphkit.network.body.emitter.emit('hoverNode', {node: arguments[0], pointer: {DOM: p}});",
        XSS_ID,
    )
    assert XSS in page.execute_script("return document.getElementById('gk-tip').textContent")
    assert page.execute_script("return document.querySelectorAll('img').length") == 0
    assert page.execute_script("return document.querySelectorAll('#gk-panel a').length") == 0
    # The javascript: URL is not linked; the <script> in a mention sentence stays text.
    page.execute_script("graphkit.focusNode('arxiv:2501.00002')")
    assert "<script>alert(2)</script>" in panel_text(page)
    assert page.execute_script("return window.__alerts") == []
    assert console_errors(page) == []


def test_physics_toggle(page) -> None:
    page.find_element("id", "gk-physics").click()
    assert page.execute_script("return graphkit.network.physics.options.enabled") is True
    page.find_element("id", "gk-physics").click()
    assert page.execute_script("return graphkit.network.physics.options.enabled") is False


def test_big_graph_is_capped_and_says_so(browser, tmp_path: Path) -> None:  # noqa: F811
    G = synthetic_graph(3000, seed=5)
    path = tmp_path / "graph.html"
    write_html(G, path, max_nodes=500, corpus_name="synthetic")
    open_page(browser, path)
    cap = browser.find_element("id", "gk-cap").text
    assert cap.startswith("Showing 500 of 3,000 papers — the most central of each community.")
    assert "raise --max-html-nodes" in cap
    counts = browser.execute_script("return graphkit.counts()")
    papers = browser.execute_script(
        "return graphkit.nodesView.get().filter(function (n) { return n.shape === 'dot'; }).length"
    )
    assert papers == 500 and counts["drawnNodes"] == counts["nodes"] > 500  # + method nodes
    assert [u for u in requests_made(browser) if u.startswith(("http:", "https:"))] == []
    assert console_errors(browser) == []
