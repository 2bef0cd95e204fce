"""An old ID of a paper (before another file added its arXiv ID) still finds it: in
``graphkit info --ids``, in ``graphkit related`` and in the map's search (issue 15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_support import browser, browser_available, chromium, open_page  # noqa: F401
from click.testing import CliRunner

from graphkit.cli import cli

SMALL = Path(__file__).resolve().parent / "data" / "cli" / "small_library.bib"
TITLE = "SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A library whose SparseGPT entry gets its arXiv ID from a second file; the ID it had
    before, and the build of both files."""
    root = tmp_path_factory.mktemp("aliases")
    (root / "lib").mkdir()
    bib = root / "lib" / "a.bib"
    bib.write_text(
        SMALL.read_text(encoding="utf-8")
        + f"\n@article{{sgpt, title={{{TITLE}}}, abstract={{We prune GPT models in one shot "
        "to 50% sparsity, for example with SpQR-style quantization.}}}\n",
        encoding="utf-8",
    )
    old = next(x for x in run("info", str(bib), "--ids").splitlines() if TITLE in x).split()[0]
    (root / "lib" / "b.csv").write_text(f'title,arxiv_id\n"{TITLE}",2301.00774\n', "utf-8")
    run("build", str(root / "lib"), "-o", str(root / "out"), "-q", "--formats", "json,html,index")
    return root / "out", old


def _page_data(html: Path) -> dict:
    m = re.search(r'<script id="gk-data" type="application/json">(.*?)</script>', html.read_text())
    return json.loads(m.group(1))


def test_the_old_id_is_an_alias_everywhere(library: tuple[Path, str]) -> None:
    out, old = library
    assert old.startswith("t:")
    ids = run("info", str(out.parent / "lib"), "--ids")
    assert next(x for x in ids.splitlines() if TITLE in x).split()[:2] == ["arxiv:2301.00774", old]
    related = json.loads(run("related", old, "-g", str(out), "--json"))
    assert related["node"] == "arxiv:2301.00774" and related["matched_by"] == "alias"
    data = _page_data(out / "graph.html")
    columns = next(v for v in data.values() if isinstance(v, dict) and "aliases" in v)
    i = columns["id"].index("arxiv:2301.00774")
    assert old in columns["aliases"][i].split("; ")


@pytest.mark.skipif(not browser_available(), reason="no headless Chromium")
def test_the_maps_search_finds_a_paper_by_its_old_id(
    browser,  # noqa: F811
    library: tuple[Path, str],
) -> None:
    out, old = library
    open_page(browser, out / "graph.html")
    found = browser.execute_script("return graphkit.search(arguments[0])", old)
    assert [r["id"] for r in found] == ["arxiv:2301.00774"] and found[0]["tier"] == 0
    assert browser.execute_script("return graphkit.search('t:0000000000ff')") == []
