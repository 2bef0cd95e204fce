"""The HTML map in a real headless Chromium: drawn offline with WebGL, searchable, filterable, safe.

Needs Debian's chromium and chromedriver (``make browser``); skips with that reason otherwise,
and skips when the browser cannot give the page a WebGL context.
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
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from graphkit.render import write_html

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data" / "render"
XSS = "<img src=x onerror=alert(1)>"
XSS_ID = "t:0123456789ab"


def sample_graph() -> nx.Graph:
    data = json.loads((DATA / "sample_graph.json").read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="edges")


def kinds_of(d: dict) -> set[str]:
    return {k for k in d["kinds"].split(";") if k}


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    G = sample_graph()
    G.nodes[XSS_ID]["authors"] = XSS
    for n in G:  # the topic name of the XSS paper's community, too
        if G.nodes[n].get("community") == G.nodes[XSS_ID]["community"]:
            G.nodes[n]["community_label"] = XSS
    path = tmp_path_factory.mktemp("html") / "graph.html"
    write_html(G, path, corpus_name="sample")
    return path


def opened(driver, path: Path):
    open_page(driver, path)
    if not driver.execute_script("return graphkit.state.webgl"):
        pytest.skip("this Chromium gives the page no WebGL context (the map needs WebGL)")
    driver.execute_script(
        "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"
    )
    return driver


@pytest.fixture
def page(browser, sample_page: Path):  # noqa: F811
    """The sample map, drawn, with an alert() trap installed."""
    return opened(browser, sample_page)


def panel_text(driver) -> str:
    return driver.execute_script("return document.getElementById('gk-panel-body').textContent")


def counts(driver) -> dict:
    return driver.execute_script("return graphkit.counts()")


def test_draws_every_node_and_edge_offline(page) -> None:
    G = sample_graph()
    c = counts(page)
    assert c["drawnNodes"] == c["nodes"] == c["listed"] == G.number_of_nodes()
    assert c["drawnEdges"] == c["edges"] == G.number_of_edges()
    assert [u for u in requests_made(page) if u.startswith(("http:", "https:"))] == []
    assert console_errors(page) == []
    # Topic names at the communities, some papers named at first sight, never too many.
    assert page.execute_script("return graphkit.state.communityLabels.length") == 3
    labels = page.execute_script("return graphkit.state.labels")
    assert 0 < len(labels) <= 60
    header = page.find_element("id", "gk-counts").text
    assert "17 papers" in header and "23 edges" in header
    assert page.find_element("id", "gk-map").get_attribute("role") == "application"


def test_search_words_and_prefixes_highlights_as_you_type(page) -> None:
    box = page.find_element("id", "gk-search")
    box.send_keys("sparse quantiz")  # a whole word and a prefix
    wait_for(page, "document.querySelectorAll('#gk-results button').length > 0")
    first = page.find_element("css selector", "#gk-results button")
    assert first.text.startswith("SpQR")
    assert "match" in page.find_element("id", "gk-result-count").text
    # Every match is highlighted on the map (drawn over a veil on the label layer).
    matches = set(r["id"] for r in page.execute_script("return graphkit.search('sparse quantiz')"))
    assert set(page.execute_script("return graphkit.state.overlay")) == matches
    # The veil: a pixel away from every match is light, the map under it faded.
    px = page.execute_script(
        "var c = document.getElementById('gk-labels'), d = c.getContext('2d').getImageData(1, 1, 1, 1).data;"
        "return [d[0], d[3]];"
    )
    assert px[0] == 255 and px[1] > 150
    box.send_keys("\n")
    wait_for(page, "graphkit.state.focus === 'arxiv:2306.03078'")
    highlighted = set(page.execute_script("return graphkit.state.highlighted"))
    assert highlighted == {"arxiv:2306.03078", *sample_graph().adj["arxiv:2306.03078"]}
    assert "SpQR" in panel_text(page)
    # A method name finds the method node first, an ID finds its paper; no substring hits.
    assert page.execute_script("return graphkit.search('LoRA')[0].id") == "method:LoRA"
    assert page.execute_script("return graphkit.search('2401.15077')[0].id") == "arxiv:2401.15077"
    assert page.execute_script("return graphkit.search('uantiz').length") == 0
    assert page.execute_script("return graphkit.search('ora').length") == 0
    assert console_errors(page) == []


def test_toggling_each_edge_kind_hides_exactly_its_edges(page) -> None:
    G = sample_graph()
    total = G.number_of_edges()
    for kind in ("keyword", "similarity", "mention"):
        page.find_element("id", f"gk-kind-{kind}").click()
        # Links of that kind only disappear; a link that is also another kind stays (drawn as it).
        expected = sum(1 for *_, d in G.edges(data=True) if kinds_of(d) - {kind})
        c = counts(page)
        assert c["edges"] == c["drawnEdges"] == expected, kind
        assert "gk-off" in page.find_element("id", f"gk-kind-{kind}").get_attribute("class")
        page.find_element("id", f"gk-kind-{kind}").click()
        assert counts(page)["drawnEdges"] == total
    for kind in ("keyword", "similarity", "mention"):
        page.execute_script(f"graphkit.setEdgeKind('{kind}', false)")
    assert counts(page)["drawnEdges"] == 0


def test_list_and_map_stay_in_sync(page) -> None:
    G = sample_graph()
    page.find_element("css selector", '#gk-communities li[data-community="2"]').click()
    gone = {n for n, d in G.nodes(data=True) if d.get("community") == 2 and d["kind"] == "paper"}
    # method:LoRA links only community-2 papers: it follows them off the map.
    gone |= {m for m in G if m.startswith("method:") and set(G.adj[m]) <= gone}
    listed = set(page.execute_script("return graphkit.listIds()"))
    c = counts(page)
    assert listed == set(G) - gone and c["nodes"] == c["drawnNodes"] == c["listed"] == len(listed)
    rows = page.find_elements("css selector", "#gk-list .gk-row")
    assert rows and all(r.get_attribute("data-id") in listed for r in rows)
    # Clicking a row focuses its paper on the map and selects the row.
    target = rows[1].get_attribute("data-id")
    rows[1].click()
    wait_for(page, f"graphkit.state.focus === '{target}'")
    sel = page.find_element("css selector", '#gk-list .gk-row[aria-selected="true"]')
    assert sel.get_attribute("data-id") == target
    # Keyboard: the list moves with the arrows and Enter focuses.
    ids = page.execute_script("return graphkit.listIds()")
    page.find_element("id", "gk-list").send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait_for(page, f"graphkit.state.focus === '{ids[ids.index(target) + 1]}'")
    # Sorting by year puts the newest first.
    page.execute_script("graphkit.sortList('year')")
    first = page.execute_script("return graphkit.listIds()[0]")
    assert G.nodes[first].get("year") == max(
        d.get("year") or 0 for n, d in G.nodes(data=True) if n in listed
    )


def test_weight_and_date_filters(page) -> None:
    G = sample_graph()
    page.execute_script("graphkit.setMinWeightPercent(50)")
    threshold = page.execute_script("return graphkit.state.minWeight")
    assert counts(page)["edges"] == sum(1 for *_, w in G.edges(data="weight") if w >= threshold)
    page.execute_script("graphkit.setMinWeightPercent(0)")
    page.execute_script("graphkit.setYears(2024, 2025)")
    keep = {
        n for n, d in G.nodes(data=True) if d["kind"] == "paper" and (d.get("year") or 2024) >= 2024
    }
    keep |= {m for m in G if m.startswith("method:") and set(G.adj[m]) & keep}
    assert counts(page)["nodes"] == len(keep)
    page.find_element("id", "gk-date-unknown").click()
    assert counts(page)["nodes"] == len(keep) - 1  # the one paper without a year goes
    page.execute_script("graphkit.setColorBy('year')")
    assert console_errors(page) == []


def test_clicking_a_node_shows_why_linked(page) -> None:
    pos = page.execute_script(
        "var i = graphkit.data.nodes.id.indexOf('arxiv:2401.15077');"
        "return graphkit.sigma.graphToViewport({x: graphkit.data.nodes.x[i], y: -graphkit.data.nodes.y[i]});"
    )
    canvas = page.find_element("id", "gk-network")
    rect = canvas.rect
    ActionChains(page).move_to_element_with_offset(
        canvas, int(pos["x"] - rect["width"] / 2), int(pos["y"] - rect["height"] / 2)
    ).click().perform()
    wait_for(page, "graphkit.state.focus === 'arxiv:2401.15077'")
    text = panel_text(page)
    assert "EAGLE: Speculative Sampling" in text
    assert "Medusa: Simple LLM Inference Acceleration Framework" in text  # the full title
    assert "EAGLE outperforms Medusa by 1.6x on MT-bench." in text  # the mention sentence
    assert "speculative decoding" in text  # a shared term
    assert text.index("Why linked") < text.index("Abstract")  # links first, abstract folded
    assert not page.execute_script("return document.querySelector('.gk-abstract-box').open")
    assert page.find_element("id", "gk-panel").is_displayed()
    link = page.find_element("css selector", "#gk-panel-body a")
    assert link.get_attribute("href") == "https://arxiv.org/abs/2401.15077"
    # Escape closes the panel from anywhere.
    page.find_element("tag name", "body").send_keys(Keys.ESCAPE)
    wait_for(page, "document.getElementById('gk-panel').hidden")
    assert page.execute_script("return graphkit.state.focus") is None


def test_hostile_text_stays_text(page) -> None:
    page.execute_script(f"graphkit.focusNode('{XSS_ID}')")
    assert XSS in panel_text(page)
    page.execute_script("graphkit.sigma.emit('enterNode', {node: arguments[0]});", XSS_ID)
    assert XSS in page.execute_script("return document.getElementById('gk-tip').textContent")
    page.find_element("id", "gk-search").send_keys("img onerror")
    wait_for(page, "document.querySelectorAll('#gk-results button').length > 0")
    assert XSS in page.find_element("id", "gk-results").text
    assert XSS in page.find_element("id", "gk-communities").text
    assert any(XSS in r.text for r in page.find_elements("css selector", "#gk-list .gk-row"))
    assert page.execute_script("return document.querySelectorAll('img').length") == 0
    assert page.execute_script("return document.querySelectorAll('#gk-panel a').length") == 0
    # The javascript: URL is not linked; the <script> in a mention sentence stays text.
    page.execute_script("graphkit.focusNode('arxiv:2501.00002')")
    assert "<script>alert(2)</script>" in panel_text(page)
    assert page.execute_script("return window.__alerts") == []
    assert console_errors(page) == []


def test_big_graph_capped_but_everything_searchable(browser, tmp_path: Path) -> None:  # noqa: F811
    G = synthetic_graph(3000, seed=5)
    path = tmp_path / "graph.html"
    write_html(G, path, max_nodes=500, corpus_name="synthetic")
    opened(browser, path)
    cap = browser.find_element("id", "gk-cap").text
    assert cap.startswith("Drawing 500 of 3,000 papers — the most central of each community")
    c = counts(browser)
    papers = browser.execute_script(
        "var n = 0; graphkit.graph.forEachNode(function (k, a) { if (!graphkit.data.nodes.kind[a.i]) n++; }); return n;"
    )
    assert papers == 500 and c["drawnNodes"] == c["nodes"] > 500  # + method nodes
    assert c["listed"] >= 3000  # the list holds every paper
    # A paper not drawn is found by its title and opens in the panel.
    data = browser.execute_script(
        "var d = graphkit.data.nodes, i = d.drawn.indexOf(0); return [d.id[i], d.title[i]];"
    )
    hits = browser.execute_script("return graphkit.search(arguments[0])", data[1])
    hit = next(h for h in hits if h["id"] == data[0])
    assert hit["drawn"] is False
    browser.execute_script("graphkit.focusNode(arguments[0])", data[0])
    assert "Not drawn on the map" in panel_text(browser)
    assert [u for u in requests_made(browser) if u.startswith(("http:", "https:"))] == []
    assert console_errors(browser) == []


def test_citation_kinds_toggle_and_references_follow(browser, tmp_path: Path) -> None:  # noqa: F811
    G = nx.Graph()
    for i, pid in enumerate(("p1", "p2", "p3", "p4")):
        G.add_node(pid, kind="paper", title=f"Paper {i}", community=i % 2, year=2020 + i,
                   x=float(i), y=float(i % 2))  # fmt: skip
    G.add_node("reference:r", kind="reference", label="Smith 2001", title="R", x=2.0, y=2.0)
    G.add_edge("p1", "p2", kinds="cites;coupling", weight=1.5, cites_from="p2", coupling_shared=1)
    G.add_edge("p2", "p3", kinds="cocitation", weight=0.4, cocitation_evidence="p9")
    G.add_edge("p3", "p4", kinds="cites", weight=1.0, cites_from="p3")
    G.add_edge("p4", "reference:r", kinds="cites", weight=1.0, cites_from="p4")
    path = tmp_path / "graph.html"
    write_html(G, path)
    opened(browser, path)
    total = G.number_of_edges()
    assert counts(browser)["drawnEdges"] == total
    for kind in ("cites", "cocitation", "coupling"):
        browser.find_element("id", f"gk-kind-{kind}").click()
        expected = sum(1 for *_, d in G.edges(data=True) if kinds_of(d) - {kind})
        assert counts(browser)["drawnEdges"] == expected, kind
        browser.find_element("id", f"gk-kind-{kind}").click()
    types = browser.execute_script(
        "var c = graphkit.sigma.edgeDataCache, o = {};"
        "Object.keys(c).forEach(function (k) { o[k] = c[k].type; }); return o;"
    )
    assert sorted(types.values()) == ["arrow", "arrow", "arrow", "line"]
    # The reference follows its only citing paper out of the date range.
    browser.execute_script("graphkit.setYears(2020, 2022)")
    assert "reference:r" not in browser.execute_script("return graphkit.listIds()")
    browser.execute_script("graphkit.focusNode('p3')")
    assert "cited together" in panel_text(browser) and "p9" in panel_text(browser)
    assert console_errors(browser) == []
