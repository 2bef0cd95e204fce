"""The CLI behaves the same everywhere, and reads a researcher's folder as it is (issue 15)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from pathlib import Path

import networkx as nx
import orjson
import pytest
from click.testing import CliRunner

from graphkit.cli import cli

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
DATA = REPO / "tests" / "data"
SMALL = DATA / "cli" / "small_library.bib"
SAMPLE_BIB = DATA / "ingest" / "sample.bib"
SAMPLE_RIS = DATA / "ingest" / "sample.ris"


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small") / "out_all"
    run("build", str(SMALL), "-o", str(out), "-q")
    return out


# -- global options after the command --------------------------------------------------------


def test_global_options_after_the_command(tmp_path: Path) -> None:
    result = run("build", str(SMALL), "-o", str(tmp_path), "-q", "--formats", "json")
    assert "8 papers" in result.output
    assert run("info", str(SMALL), "--quiet").output
    assert "--debug" in run("html", "--help").output


# -- folders: own outputs, documents, special files ------------------------------------------


def test_second_build_of_a_folder_with_out_inside(tmp_path: Path, monkeypatch) -> None:
    shutil.copy(SMALL, tmp_path / "library.bib")
    monkeypatch.chdir(tmp_path)
    first = run("build", ".", "-q")
    assert "8 papers" in first.output
    second = run("build", ".", "-q")
    assert "8 papers" in second.output
    assert "ignored 1 folder (the output folder of this build): out/" in second.output
    # with another output folder, the first build's folder is recognised by its manifest
    third = run("build", ".", "-o", "elsewhere", "-q", "--skip-bad")
    assert "8 papers" in third.output
    assert "ignored 1 folder (written by graphkit: it holds a manifest.json): out/" in third.output
    # a graph.json copied out of its folder is recognised by its marker
    shutil.copy(tmp_path / "out" / "graph.json", tmp_path / "old-graph.json")
    fourth = run("info", ".")
    assert "8 papers" in fourth.output and "old-graph.json" in fourth.output
    assert "(written by graphkit)" in fourth.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_zotero_export_folder_with_pdfs_fifo_and_symlink_loop(tmp_path: Path) -> None:
    lib = tmp_path / "My Library"
    (lib / "files" / "12").mkdir(parents=True)
    shutil.copy(SAMPLE_BIB, lib / "My Library.bib")
    (lib / "files" / "12" / "paper.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(200))
    (lib / "files" / "12" / "Snapshot.html").write_text("<html><body>x</body></html>")
    (lib / "files" / "12" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (lib / "files" / "12" / "noext").write_bytes(b"%PDF-1.4\n" + bytes(64))  # a PDF by content
    (lib / "notes.md").write_text("# Reading notes\n\nTo read next week.\n")
    os.mkfifo(lib / "pipe")
    (lib / "loop").symlink_to(lib / "loop")
    (lib / "files" / "up").symlink_to(lib)  # a folder loop: followed once
    sock = socket.socket(socket.AF_UNIX)
    with contextlib.suppress(OSError):  # path too long: the FIFO and the loops still count
        sock.bind(str(lib / "sock"))
    result = run("info", str(lib))  # would hang forever if the FIFO were opened
    out = result.output
    assert "My Library.bib" in out and "bibtex" in out
    assert "(not paper lists: documents)" in out and "paper.pdf" in out and "noext" in out
    assert "(not paper lists: images)" in out and "(not paper lists: web pages)" in out
    assert "(FIFO, never opened)" in out and "(symlink loop, never opened)" in out
    assert "(notes: .md not in listing format)" in out
    assert "Traceback" not in out
    # a text file in no known format still gets the clear error
    (lib / "todo.dat").write_text("buy milk\nread the LoRA paper\n")
    result = run("info", str(lib), ok=False)
    assert result.exit_code == 3 and "todo.dat: unknown format" in result.output
    sock.close()


def test_a_fifo_named_explicitly_without_a_writer_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch
) -> None:
    """A FIFO named on purpose is read (``<(zcat x.gz)``); one nobody writes to is an error
    after ``FIFO_WAIT_S`` (tests/test_hostile_inputs.py reads one that has a writer)."""
    from graphkit.ingest import streams

    monkeypatch.setattr(streams, "FIFO_WAIT_S", 0.1)
    os.mkfifo(tmp_path / "pipe.bib")
    result = run("info", str(tmp_path / "pipe.bib"), ok=False)
    assert result.exit_code == 3 and "a FIFO nothing was written to" in result.output


# -- small libraries -------------------------------------------------------------------------


def test_small_library_says_why_a_kind_has_no_edges(tmp_path: Path) -> None:
    result = run("build", str(SMALL), "-o", str(tmp_path), "-q", "--min-similarity", "0.9")
    line = next(x for x in result.output.splitlines() if x.startswith("no similarity edges"))
    assert "no two papers reach --min-similarity 0.9 (the closest pair: 0." in line
    assert "try --min-similarity 0." in line
    info = run("info", str(SMALL)).output
    assert "small corpus:" in info and "of 8 papers have a similar paper" in info


def test_summary_explains_multi_kind_edges_and_plurals(small_build: Path, tmp_path: Path) -> None:
    one = tmp_path / "one.bib"
    one.write_text("@article{a, title={A Single Paper on Graphs}}\n", encoding="utf-8")
    result = run("build", str(one), "-o", str(tmp_path / "o"), "-q", "--formats", "json")
    assert result.output.startswith("1 paper, 0 method nodes, 0 edges")
    assert "1 community" in result.output and "1 papers" not in result.output
    G = nx.node_link_graph(orjson.loads((small_build / "graph.json").read_bytes()), edges="links")
    multi = sum(1 for *_, k in G.edges(data="kinds") if ";" in k)
    result = run("build", str(SMALL), "-o", str(tmp_path / "s"), "-q", "--formats", "json")
    assert ("an edge can have several kinds" in result.output) == (multi > 0)


# -- every reading command takes the same input options -------------------------------------


@pytest.mark.parametrize("command", ["build", "info", "methods"])
def test_input_options_on_every_reading_command(command: str, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("title,abstract\nCaf\xe9 Society,A study of caf\xe9s.\n".encode("latin-1"))
    extra = ["-o", str(tmp_path / "o"), "--formats", "json"] if command == "build" else []
    result = run(command, str(latin), *extra, ok=False)
    assert result.exit_code == 3 and "Try --encoding latin-1" in result.output
    run(command, str(latin), *extra, "--encoding", "latin-1", "-q")
    cfg = tmp_path / "g.toml"
    cfg.write_text('encoding = "latin-1"\n', encoding="utf-8")
    run(command, str(latin), *extra, "--config", str(cfg))
    assert "--skip-bad" in run(command, "--help").output


# -- messages name the option of the command that was run -----------------------------------


def test_messages_name_the_option_of_the_command(small_build: Path, tmp_path: Path) -> None:
    r = run("html", str(small_build), "-o", str(tmp_path / "m.html"), "--max-nodes", "0", ok=False)
    assert r.exit_code == 4
    assert "--max-nodes must be at least 1" in r.output and "Use --max-nodes" in r.output
    assert "max-html-nodes" not in r.output
    r = run("build", str(SMALL), "-o", str(tmp_path), "--max-html-nodes", "0", ok=False)
    assert r.exit_code == 4 and "Use --max-html-nodes 25000" in r.output
    cfg = tmp_path / "g.toml"
    cfg.write_text("top_k = 0\n", encoding="utf-8")
    r = run("build", str(SMALL), "--config", str(cfg), ok=False)
    assert r.exit_code == 4 and "--top-k must be at least 1" in r.output


# -- path rules: html / export / open / report / related -------------------------------------


def test_html_without_output_writes_beside_its_input(small_build: Path, tmp_path: Path) -> None:
    copy = tmp_path / "out_all"
    shutil.copytree(small_build, copy)
    (copy / "graph.html").unlink()
    r = run("html", str(copy / "graph.json"), "--max-nodes", "5")
    assert (copy / "graph.html").is_file() and str(copy / "graph.html") in r.output
    (copy / "graph.html").unlink()
    run("html", str(copy))  # the folder works too
    assert (copy / "graph.html").is_file()


def test_export_infers_the_format_from_the_suffix(small_build: Path, tmp_path: Path) -> None:
    run("export", str(small_build / "graph.json"), "-o", str(tmp_path / "x.graphml"))
    assert nx.read_graphml(tmp_path / "x.graphml").number_of_nodes() > 8
    run("export", str(small_build), "-o", str(tmp_path / "x.gexf"))  # a folder works too
    assert nx.read_gexf(tmp_path / "x.gexf").number_of_nodes() > 8
    r = run("export", str(small_build), "-o", str(tmp_path / "x.dot"), ok=False)
    assert r.exit_code == 4 and "--format" in r.output and "x.dot" in r.output


def test_folders_are_accepted_everywhere_a_graph_is(
    small_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda uri: opened.append(uri) or True)
    run("open", str(small_build))
    assert opened and opened[0].endswith("/out_all/graph.html")
    assert run("report", str(small_build)).output.startswith("# ")
    assert run("related", "SpQR", "-g", str(small_build)).output


# -- a narrower --formats leaves no stale outputs ---------------------------------------------


def test_narrower_formats_remove_the_previous_outputs(tmp_path: Path) -> None:
    run("build", str(SMALL), "-o", str(tmp_path), "-q")
    assert (tmp_path / "graph.html").is_file()
    (tmp_path / "mine.txt").write_text("not graphkit's")
    run("build", str(SMALL), "-o", str(tmp_path), "-q", "--formats", "json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "manifest.json", "mine.txt"]


# -- choices ----------------------------------------------------------------------------------


def test_choices_are_listed_in_help() -> None:
    help_text = run("build", "--help").output
    assert "[keyword|similarity|mention" in help_text
    assert "pagerank|degree" in help_text
    assert "html|graphml|gexf|json|csv|report" in help_text.replace("\n", "").replace(" ", "")


# -- RIS dates and IDs -----------------------------------------------------------------------


def test_ris_date_keeps_the_day_when_merged_with_bibtex(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text(
        "@article{s, title={SparseGPT: Massive Language Models Can Be Accurately Pruned in "
        "One-Shot}, year={2023}, month=jan}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.ris").write_text(
        "TY  - JOUR\nTI  - SparseGPT: Massive Language Models Can Be Accurately Pruned in "
        "One-Shot\nPY  - 2023/01/02/\nER  - \n",
        encoding="utf-8",
    )
    from graphkit.ingest import load_corpus

    [p] = load_corpus([tmp_path]).papers
    assert (p.year, p.iso_date) == (2023, "2023-01-02")


def test_old_ids_resolve_through_aliases(tmp_path: Path) -> None:
    title = "SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot"
    bib = tmp_path / "lib" / "a.bib"
    bib.parent.mkdir()
    bib.write_text(
        SMALL.read_text(encoding="utf-8")
        + f"\n@article{{sgpt, title={{{title}}}, abstract={{We prune GPT models in one shot "
        "to 50% sparsity, for example with SpQR-style quantization.}}}\n",
        encoding="utf-8",
    )
    old_line = next(x for x in run("info", str(bib), "--ids").output.splitlines() if title in x)
    old_id = old_line.split()[0]
    assert old_id.startswith("t:")
    csv = tmp_path / "lib" / "b.csv"
    csv.write_text(f'title,arxiv_id\n"{title}",2301.00774\n', encoding="utf-8")
    ids = run("info", str(tmp_path / "lib"), "--ids").output
    new_line = next(x for x in ids.splitlines() if title in x)
    assert new_line.split()[:2] == ["arxiv:2301.00774", old_id]
    out = tmp_path / "out"
    run("build", str(tmp_path / "lib"), "-o", str(out), "-q", "--formats", "json")
    from graphkit.built import load_graph
    from graphkit.index import build_index
    from graphkit.query import resolve

    index = build_index(load_graph(out))
    found = resolve(index, old_id)
    assert (index.ids[found.node], found.matched_by) == ("arxiv:2301.00774", "alias")
    assert "2301.00774" in run("related", old_id, "-g", str(out), "--json").output


def test_the_map_of_dot_is_named_after_its_folder(tmp_path: Path, monkeypatch) -> None:
    lib = tmp_path / "my-library"
    lib.mkdir()
    shutil.copy(SMALL, lib / "library.bib")
    monkeypatch.chdir(lib)
    run("build", ".", "-q", "--formats", "json")
    graph = orjson.loads((lib / "out" / "graph.json").read_bytes())
    assert graph["graph"]["name"] == "my-library"


# -- --exclude: leave parts of a library folder out -------------------------------------------


@pytest.mark.parametrize("command", ["build", "info", "methods"])
def test_exclude_leaves_matching_files_and_folders_out(command: str, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "drafts").mkdir(parents=True)
    shutil.copy(SMALL, lib / "library.bib")
    shutil.copy(SAMPLE_RIS, lib / "drafts" / "mine.ris")
    (lib / "old.bib").write_text("@article{broken, title={unclosed}\n", encoding="utf-8")
    extra = ["-o", str(tmp_path / "o"), "--formats", "json"] if command == "build" else []
    assert run(command, str(lib), *extra, ok=False).exit_code == 3  # old.bib is broken
    r = run(command, str(lib), *extra, "--exclude", "drafts,old.*")
    if command == "info":
        assert "library.bib" in r.output and "mine.ris " not in r.output
        assert "ignored 1 folder (excluded by 'drafts')" in r.output
        assert "ignored 1 file (excluded by 'old.*')" in r.output
    cfg = tmp_path / "g.toml"
    cfg.write_text('exclude = ["drafts/*.ris", "old.bib"]\n', encoding="utf-8")
    r = run(command, str(lib), *extra, "--config", str(cfg))
    if command == "info":
        assert "excluded by 'drafts/*.ris'" in r.output and "1 file:" in r.output


def test_build_with_skip_bad_lists_each_skip_once(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(SMALL, lib / "library.bib")
    (lib / "wide.csv").write_text("title,year\nA, B,2001,extra\nC,2002\n", encoding="utf-8")
    (lib / "bad.bib").write_text("@article{x, title={unclosed}\n", encoding="utf-8")
    (lib / "what.dat").write_bytes(b"garbage\x00\x01 here")
    r = run("build", str(lib), "--skip-bad", "-o", str(tmp_path / "o"), "--formats", "json")
    for name in ("what.dat", "bad.bib:1", "wide.csv:2"):
        assert r.output.count(name) == 1, (name, r.output)
    assert "skipped 1 file:" in r.output and "skipped 2 records:" in r.output
    assert "use --skip-bad" not in r.output.lower()


def test_html_reads_the_map_options_of_a_config_file(small_build: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "g.toml"
    cfg.write_text("[build]\nmax_html_nodes = 0\n", encoding="utf-8")
    r = run(
        "html", str(small_build), "-o", str(tmp_path / "m.html"), "--config", str(cfg), ok=False
    )
    assert r.exit_code == 4 and "--max-nodes must be at least 1" in r.output
    cfg.write_text("[build]\nmax_html_nodes = 5\nsize_by = 'degree'\n", encoding="utf-8")
    run("html", str(small_build), "-o", str(tmp_path / "m.html"), "--config", str(cfg))
    assert "Drawing 5 of" in (tmp_path / "m.html").read_text(encoding="utf-8")
