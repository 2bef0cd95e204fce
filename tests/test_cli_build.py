"""`graphkit build` and the commands that read its output, end to end on the seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import orjson
import pytest
from click.testing import CliRunner

from graphkit.cli import cli

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
OUTPUTS = (
    "graph.html",
    "graph.graphml",
    "graph.gexf",
    "graph.json",
    "nodes.csv",
    "edges.csv",
    "report.md",
    "related.npz",
    "manifest.json",
)


def _build(out: Path, *args: str) -> CliRunner:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["-q", "build", str(SEEDS), "-o", str(out), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = _build(out)
    assert "331 papers" in result.output
    return out


def test_build_writes_every_output(built: Path) -> None:
    for name in OUTPUTS:
        assert (built / name).stat().st_size > 0, name
    assert not list(built.glob(".*.tmp")), "temporary files left behind"


def test_outputs_agree_with_each_other(built: Path) -> None:
    G = nx.read_graphml(built / "graph.graphml")
    manifest = orjson.loads((built / "manifest.json").read_bytes())
    assert manifest["counts"]["nodes"] == G.number_of_nodes()
    assert manifest["counts"]["edges"] == G.number_of_edges()
    assert manifest["counts"]["papers"] == 331
    paper_nodes = [n for n, d in G.nodes(data=True) if d["kind"] == "paper"]
    assert len(paper_nodes) == 331
    assert {i["path"].split("/")[-1] for i in manifest["inputs"]} == {
        p.name for p in SEEDS.glob("*.txt")
    }
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert set(manifest["timings_s"]) >= {"read", "features", "graph", "analysis", "write"}


def test_build_is_byte_identical(built: Path, tmp_path: Path) -> None:
    _build(tmp_path)
    for name in OUTPUTS:
        if name == "manifest.json":
            continue
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name
    a = orjson.loads((built / "manifest.json").read_bytes())
    b = orjson.loads((tmp_path / "manifest.json").read_bytes())
    for m in (a, b):
        m.pop("timings_s"), m.pop("total_s"), m.pop("built_at"), m.pop("worker_peak_rss_mb")
        m["options"].pop("out_dir")
    assert a == b


def test_edge_kinds_can_be_switched_off(tmp_path: Path) -> None:
    _build(tmp_path, "--edges", "mention", "--no-method-nodes", "--formats", "json")
    G = nx.node_link_graph(orjson.loads((tmp_path / "graph.json").read_bytes()), edges="links")
    assert G.number_of_edges() > 0
    assert {d["kinds"] for _, _, d in G.edges(data=True)} == {"mention"}
    assert all(d["kind"] == "paper" for _, d in G.nodes(data=True))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "manifest.json"]


def test_keyword_min_shared_keeps_the_links_sharing_that_many_terms(tmp_path: Path) -> None:
    """--keyword-min-shared (Config field, one CLI line, the keyword stage): 2 keeps only the
    keyword links whose papers share two or more uncommon terms, a subset of the default's."""

    def keyword_links(out: Path, *args: str) -> dict[tuple[str, str], list[str]]:
        _build(out, "--edges", "keyword", "--no-method-nodes", "--formats", "json", *args)
        G = nx.node_link_graph(orjson.loads((out / "graph.json").read_bytes()), edges="links")
        return {
            tuple(sorted((u, v))): [t for t in d["keyword_terms"].split("; ") if t]
            for u, v, d in G.edges(data=True)
        }

    one = keyword_links(tmp_path / "one")
    two = keyword_links(tmp_path / "two", "--keyword-min-shared", "2")
    assert two and len(two) < len(one)
    assert all(len(terms) >= 2 for terms in two.values())
    manifest = orjson.loads((tmp_path / "two" / "manifest.json").read_bytes())
    assert manifest["options"]["keyword_min_shared"] == 2


def test_config_file_and_cli_precedence(tmp_path: Path) -> None:
    cfg = tmp_path / "graphkit.toml"
    cfg.write_text(
        f'[build]\npaths = ["{SEEDS}"]\ntop_k = 3\nformats = ["json"]\nseed = 7\n', encoding="utf-8"
    )
    out = tmp_path / "o"
    result = CliRunner().invoke(
        cli,
        ["-q", "build", "--config", str(cfg), "-o", str(out), "--top-k", "5"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    options = orjson.loads((out / "manifest.json").read_bytes())["options"]
    assert (options["top_k"], options["seed"], options["formats"]) == (5, 7, ["json"])


def test_bad_input_fails_cleanly_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "papers.json"
    bad.write_text('[{"title": "A paper", "abstract": "x"},', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(bad), "-o", str(out)])
    assert result.exit_code == 3
    assert "papers.json" in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_bad_option_is_explained(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(SEEDS), "-o", str(tmp_path), "--edges", "keyword,friendship"]
    )
    assert result.exit_code == 2  # click.Choice: a usage error that lists the kinds
    assert "'friendship' is not one of" in result.output and "'similarity'" in result.output
    cfg = tmp_path / "g.toml"
    cfg.write_text('edges = ["friendship"]\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["build", str(SEEDS), "-o", str(tmp_path), "--config", str(cfg)]
    )
    assert result.exit_code == 4
    assert "unknown edge kind 'friendship'" in result.output


def test_export_html_report_related_read_the_build(built: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    graph_json = str(built / "graph.json")
    r = runner.invoke(
        cli,
        ["export", graph_json, "--format", "gexf", "-o", str(tmp_path / "g.gexf")],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    assert (
        nx.read_gexf(tmp_path / "g.gexf").number_of_nodes()
        == nx.read_graphml(built / "graph.graphml").number_of_nodes()
    )
    r = runner.invoke(
        cli,
        ["html", graph_json, "-o", str(tmp_path / "m.html"), "--max-nodes", "50"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0 and (tmp_path / "m.html").stat().st_size > 0
    r = runner.invoke(cli, ["report", str(built)], catch_exceptions=False)
    assert r.exit_code == 0 and r.output.startswith("# ")
    r = runner.invoke(
        cli, ["related", "speculative decoding", "-g", graph_json, "--json"], catch_exceptions=False
    )
    assert r.exit_code == 0, r.output
    assert orjson.loads(r.output)


def test_commands_on_missing_graph_explain_what_to_do(tmp_path: Path) -> None:
    for args in (
        ["report", str(tmp_path / "nowhere")],
        ["related", "x", "-g", str(tmp_path / "g.json")],
        ["open", str(tmp_path / "g.html")],
    ):
        r = CliRunner().invoke(cli, args)
        assert r.exit_code != 0, args
        assert "Traceback" not in r.output
        assert "graphkit build" in r.output or "not" in r.output


def test_python_dash_m_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "graphkit", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and "graphkit" in proc.stdout


def test_default_paths_are_the_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["-q", "build", "--formats", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "graph.json").is_file()


def test_html_edge_budget_flags(built: Path, tmp_path: Path) -> None:
    import lxml.html

    def drawn_edges(page: Path) -> int:
        (block,) = lxml.html.parse(str(page)).xpath('//script[@id="gk-data"]')
        return sum(level >= 0 for level in orjson.loads(block.text)["edges"]["level"])

    r = CliRunner().invoke(
        cli,
        ["html", str(built / "graph.json"), "-o", str(tmp_path / "m.html"), "--max-edges", "40"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    assert drawn_edges(tmp_path / "m.html") == 40
    r = CliRunner().invoke(
        cli,
        [
            "build",
            str(SEEDS),
            "-o",
            str(tmp_path / "b"),
            "--max-html-edges",
            "25",
            "--formats",
            "html",
        ],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    assert drawn_edges(tmp_path / "b" / "graph.html") == 25
    r = CliRunner().invoke(cli, ["build", str(SEEDS), "--max-html-edges", "-1"])
    assert r.exit_code == 2 and "Traceback" not in r.output


def _reference_titles(folder: Path) -> dict[str, str]:
    """Reference node -> title, read back with networkx from the build's graph.json."""
    G = nx.node_link_graph(orjson.loads((folder / "graph.json").read_bytes()), edges="links")
    return {n: d["title"] for n, d in G.nodes(data=True) if d.get("kind") == "reference"}


def test_rebuild_from_graph_json_keeps_reference_titles(tmp_path: Path) -> None:
    """A build of its own graph.json titles the reference nodes as the first build did (the
    titles came from the citers' records, which graph.json does not hold as such); an
    untitled reference stays keyed by its readable ID."""
    rows = [
        ("2301.00001", "Sparse attention for long documents", [("s2", "Attention Is All You Need"), ("doi", "")]),
        ("2301.00002", "Efficient kernels for long document transformers", [("s2", "Attention Is All You Need"), ("doi", "")]),
        ("2301.00003", "Graph neural networks for citation analysis", [("s2", "")]),
    ]  # fmt: skip
    refs = {"s2": {"paperId": "a" * 40}, "doi": {"doi": "10.1000/xyz"}}
    src = tmp_path / "papers.jsonl"
    src.write_bytes(b"\n".join(orjson.dumps({
        "id": i, "title": t, "abstract": f"{t}: a study of attention, kernels and graphs.",
        "references": [{**refs[k], **({"title": title} if title else {})} for k, title in rs],
    }) for i, t, rs in rows))  # fmt: skip
    runner = CliRunner()
    first, second = tmp_path / "first", tmp_path / "second"
    for source, out in ((src, first), (first / "graph.json", second)):
        result = runner.invoke(cli, ["build", str(source), "-o", str(out), "-q", "--workers", "1"])
        assert result.exit_code == 0, result.output
    want = {"reference:s2:" + "a" * 40: "Attention Is All You Need",
            "reference:doi:10.1000/xyz": "DOI 10.1000/xyz"}  # fmt: skip
    assert _reference_titles(first) == want
    assert _reference_titles(second) == want
    labels = {
        n["id"]: n["label"] for n in orjson.loads((second / "graph.json").read_bytes())["nodes"]
    }
    assert labels["reference:s2:" + "a" * 40] == "Attention Is All You Need"


def test_sigterm_exits_143_even_when_it_lands_inside_a_c_extensions_import(monkeypatch) -> None:
    """A SIGTERM whose SystemExit a C extension's initialisation turns into an ImportError
    (seen when the signal arrived while scikit-learn was being imported) still ends the
    command with 128 + SIGTERM, not a traceback and exit code 1."""
    import signal

    import pytest

    from graphkit import cli as cli_pkg

    def interrupted_import(prog_name: str) -> None:
        try:
            cli_pkg._terminated(signal.SIGTERM, None)
        except SystemExit as exc:
            raise ImportError("initialization failed") from exc

    monkeypatch.setattr(cli_pkg, "cli", interrupted_import)
    monkeypatch.setattr(cli_pkg, "_signalled", [])
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as info:
            cli_pkg.main()
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert info.value.code == 128 + signal.SIGTERM
    assert info.value.__cause__ is None


def test_an_error_without_a_signal_still_propagates(monkeypatch) -> None:
    import signal

    import pytest

    from graphkit import cli as cli_pkg

    def failing(prog_name: str) -> None:
        raise ImportError("a real import error")

    monkeypatch.setattr(cli_pkg, "cli", failing)
    monkeypatch.setattr(cli_pkg, "_signalled", [])
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(ImportError):
            cli_pkg.main()
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_signal_inside_the_import_machinery_is_delivered_again_outside_it(monkeypatch) -> None:
    """Raised inside an import lock's weakref callback, the exit would be swallowed and printed
    as "Exception ignored … Traceback" (seen in the suite with SIGHUP): the handler instead
    re-sends the signal, and the second delivery, in ordinary code, ends the command."""
    import signal
    import time
    from types import SimpleNamespace

    from graphkit import cli as cli_pkg

    monkeypatch.setattr(cli_pkg, "_signalled", [])
    in_import = SimpleNamespace(f_code=SimpleNamespace(co_filename="<frozen importlib._bootstrap>"))
    previous = signal.signal(signal.SIGHUP, cli_pkg._terminated)
    try:
        cli_pkg._terminated(signal.SIGHUP, in_import)  # returns: nothing raised in there
        with pytest.raises(SystemExit) as info:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # the re-sent signal lands here
                time.sleep(0.01)
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert info.value.code == 128 + signal.SIGHUP
    assert cli_pkg._signalled == [signal.SIGHUP, signal.SIGHUP]
