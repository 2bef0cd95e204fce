"""The ``graphkit`` command line: thin commands over the library.

Each command turns options into a :class:`~graphkit.config.Config` (or plain arguments), calls
one library function and prints.  Errors are mapped to exit codes in one place,
:class:`GraphkitGroup`; commands are written as if nothing goes wrong.

Options that several commands take are shared decorators (as in sqlite-utils):
:func:`input_options` (``--encoding``, ``--skip-bad``, ``--config``) on every command that reads
paper files, :func:`map_options` on ``build`` and ``html``, and the global ``-q``/``--debug``,
which every command accepts before or after its name.  An option backed by a Config field is
declared with :func:`config_option`, which reads its default, help text and allowed values
from Config, so Config is the one table of defaults.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click
import orjson

from .. import __version__
from .group import GraphkitGroup
from .options import (
    CommaChoice,
    config_file_option,
    config_option,
    graph_argument,
    graph_option,
    input_options,
    json_option,
    limit_option,
    map_options,
    open_option,
    output_option,
    resolved_config,
)

__all__ = ["cli", "main", "config_option", "input_options", "map_options", "CommaChoice"]

log = logging.getLogger("graphkit")


@click.group(cls=GraphkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkit")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """graphkit: turn a pile of research papers into a related-work map.

    Options -q and --debug work before or after the command.  Exit codes: 0 done, 1 error,
    2 usage, 3 bad input, 4 bad options, 5 outputs not written, 6 fetch failed.

    \b
    Example:
        graphkit build seeds/ -o out/
        graphkit open out/
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = ctx.obj.get("debug", False) or debug
    ctx.obj["quiet"] = ctx.obj.get("quiet", False) or quiet
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not debug:  # third-party parsers log what graphkit already reports as one clear error
        logging.getLogger("bibtexparser").setLevel(logging.ERROR)


_signalled: list[int] = []  # the termination signals received, in order


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (``kill``, a CI timeout), Ctrl-C and SIGHUP (the terminal closed) unwind the
    same way: a build's staging folder is removed and its output folder is left as it was; the
    exit code is the shell's 128 + signal (130, 143, 129), not click's "Aborted!" and 1."""
    _signalled.append(signum)
    code = getattr(frame, "f_code", None)
    if code is not None and code.co_filename.startswith("<frozen importlib"):
        # raised inside the import machinery (e.g. an import lock's weakref callback) the exit
        # is swallowed and printed as "Exception ignored … Traceback": deliver the signal again
        # a moment later, when the main thread runs ordinary code
        import signal
        import threading

        retry = threading.Timer(0.05, signal.raise_signal, (signum,))
        retry.daemon = True
        retry.start()
        return
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored (nohup, &)
        signal.signal(signal.SIGINT, _terminated)
    if signal.getsignal(signal.SIGHUP) is signal.SIG_DFL:  # the terminal closed; not nohup
        signal.signal(signal.SIGHUP, _terminated)
    try:
        cli(prog_name="graphkit")
    except BaseException:
        if _signalled:  # the signal's SystemExit can surface as another exception: raised while
            # a C extension initialises, it becomes "ImportError: initialization failed"
            raise SystemExit(128 + _signalled[0]) from None
        raise


def _reporter(ctx: click.Context):
    """A rich progress display on a terminal, silence with --quiet or without one."""
    from ..progress import Reporter, RichReporter

    if ctx.find_root().obj.get("quiet") or not sys.stderr.isatty():
        return Reporter()
    return RichReporter()


def _say(text: str, *, err: bool = False, lines: bool = False) -> None:
    """Echo ``text`` made :func:`~graphkit.fileio.printable`: a title or a file name holding a
    terminal escape (ESC), a bell, a right-to-left override or a newline reaches the terminal
    escaped, never obeyed.  ``lines``: ``text`` is several lines (a report), each made
    printable; otherwise it is one line, and a newline in it (a file name's) is escaped."""
    from ..fileio import printable

    parts = text.split("\n") if lines else [text]
    click.echo("\n".join(printable(part) for part in parts), err=err)


def _print_json(value: Any) -> None:
    click.echo(orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())


# ---------------------------------------------------------------------------------------------
# commands that read paper files: build / info / methods
# ---------------------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@config_option("-o", "--out", field="out_dir")
@config_option("--edges", field="edges")
@config_option("--top-k", field="top_k")
@config_option("--min-similarity", field="min_similarity")
@config_option("--max-term-df", field="max_term_df")
@config_option("--keyword-top-k", field="keyword_top_k")
@config_option("--keyword-min-shared", field="keyword_min_shared")
@config_option("--workers", field="workers")
@config_option("--resolution", field="resolution")
@config_option("--seed", field="seed")
@config_option("--method-nodes/--no-method-nodes", field="method_nodes")
@config_option("--reference-nodes/--no-reference-nodes", field="reference_nodes")
@config_option("--min-cited", field="min_cited", type=click.IntRange(min=1))
@map_options("html-")
@config_option("--formats", field="formats")
@config_option("--embeddings", field="embeddings", metavar="MODEL", show_default=False)
@config_option("--embeddings-cache", field="embeddings_cache", metavar="DIR", show_default=False)
@input_options
@open_option("Open the HTML map when done.")
@click.pass_context
def build(
    ctx: click.Context,
    paths: tuple[str, ...],
    config_path: str | None,
    open_after: bool,
    **options: Any,
) -> None:
    """Build the related-work graph of PATHS (default: seeds/) into the output folder.

    Writes graph.html, graph.graphml, graph.gexf, graph.json, nodes.csv, edges.csv,
    report.md and manifest.json.

    \b
    Example:
        graphkit build seeds/ -o out/ --top-k 8 --resolution 1.2
    """
    from ..pipeline import run_build
    from ..summary import build_summary

    config = resolved_config(ctx, config_path, options, paths)
    if config.embeddings:  # fail now, not after the build, when the extra is missing
        from ..embeddings import require

        require()
    result = run_build(config, reporter=_reporter(ctx))
    lines, notes = build_summary(result, config)
    for line in notes:
        _say(line, err=True)
    for line in lines:
        _say(line)
    if open_after and "html" in config.formats:
        _open_in_browser(Path(config.out_dir) / "graph.html")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@json_option("Print the corpus summary as JSON.")
@click.option("--ids", is_flag=True, help="List each paper's ID, its aliases and its title.")
@input_options
@click.pass_context
def info(
    ctx: click.Context,
    paths: tuple[str, ...],
    as_json: bool,
    ids: bool,
    config_path: str | None,
    **options: Any,
) -> None:
    """Read paper files and folders and describe the corpus (default: seeds/).

    Per file: the detected format and how many papers were read; then the totals, the
    duplicates merged, papers without an abstract and the range of years; for a small
    corpus, options that suit it.

    \b
    Example:
        graphkit info seeds/
        graphkit info papers.bib arxiv.jsonl.gz --json
        graphkit info seeds/ --ids
    """
    from ..ingest import read_inputs
    from ..summary import corpus_summary_lines, id_lines

    config = resolved_config(ctx, config_path, options, paths)
    corpus = read_inputs(config)
    if ids:
        for line in id_lines(corpus.papers):
            _say(line)
        return
    if as_json:
        _print_json(corpus.summary())
        return
    for line in corpus_summary_lines(corpus, config):
        _say(line)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--name", help="Show one name with its evidence sentences.")
@limit_option(40, "Rows to show.")
@json_option()
@input_options
@click.pass_context
def methods(
    ctx: click.Context,
    paths: tuple[str, ...],
    name: str | None,
    limit: int,
    as_json: bool,
    config_path: str | None,
    **options: Any,
) -> None:
    """Method, model and dataset names: who introduces them and who mentions them.

    \b
    Example:
        graphkit methods seeds/
        graphkit methods seeds/ --name SparseGPT
    """
    from ..methods_view import methods_view

    config = resolved_config(ctx, config_path, options, paths)
    text = methods_view(config, name=name, limit=limit, as_json=as_json)
    if as_json:
        click.echo(text)
    else:
        _say(text, lines=True)


# ---------------------------------------------------------------------------------------------
# commands that read a build: export / html / open / related / report
# ---------------------------------------------------------------------------------------------


@cli.command("export")
@graph_argument()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "csv", "json"]),
    default=None,
    help="Output format [default: from the suffix of -o].",
)
@output_option(
    "Output file (for csv: FILE.nodes.csv and FILE.edges.csv are written).", required=True
)
def export_cmd(graph: str, fmt: str | None, output: str) -> None:
    """Re-export a build (its folder or graph.json) to another format without rebuilding.

    \b
    Example:
        graphkit export out/ -o my.graphml
        graphkit export out/graph.json --format csv -o tables
    """
    from ..built import export_from_graph

    written = export_from_graph(graph, output, fmt)
    _wrote(written)


@cli.command()
@graph_argument()
@output_option("HTML file to write [default: graph.html beside the input].")
@map_options("")
@config_file_option(
    "Read the map options from a TOML file, as build does (command-line options win)."
)
@open_option("Open the page when done.")
@click.pass_context
def html(
    ctx: click.Context,
    graph: str,
    output: str | None,
    config_path: str | None,
    open_after: bool,
    **options: Any,
) -> None:
    """Write the interactive HTML map of a build (its folder or graph.json).

    \b
    Example:
        graphkit html out/graph.json -o map.html --max-nodes 800
    """
    from ..built import html_from_graph

    written = html_from_graph(graph, output, resolved_config(ctx, config_path, options))
    _wrote([written])
    if open_after:
        _open_in_browser(written)


def _wrote(paths: list[Path]) -> None:
    """Say what was written: on stderr when a target is no regular file (``-o /dev/stdout``, a
    pipe), so the line never lands in the data."""
    _say("wrote " + ", ".join(map(str, paths)), err=not all(p.is_file() for p in paths))


def _open_in_browser(path: Path) -> None:
    import webbrowser

    from ..errors import GraphFileError

    if not path.is_file():
        raise GraphFileError(f"{path} does not exist", hint="Run `graphkit build` first.")
    uri = path.resolve().as_uri()
    click.echo(str(path.resolve()))
    if not webbrowser.open(uri):
        click.echo("No browser could be started; open the file above by hand.", err=True)


@cli.command("open")
@graph_argument("file")
def open_cmd(file: str) -> None:
    """Open the HTML map of a build (its folder or the page) in the system browser.

    \b
    Example:
        graphkit open out/
    """
    from ..built import html_file

    _open_in_browser(html_file(file))


@cli.command()
@click.argument("query")
@graph_option()
@limit_option(10, "How many to show.")
@json_option()
def related(query: str, graph: str, limit: int, as_json: bool) -> None:
    """The papers most related to a paper (ID, DOI, arXiv ID, title, name) or to free text.

    Reads the index build wrote beside graph.json (related.npz); free text lists the
    best-matching papers, then the papers related to them.

    \b
    Example:
        graphkit related SpQR
        graphkit related "speculative decoding for small models" -n 5 --json
    """
    from ..index import open_index
    from ..query import related as find_related

    index, note = open_index(graph)
    if note:
        _say(note, err=True)
    result = find_related(index, query, limit=limit)
    if as_json:
        click.echo(orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        _say(result.to_text(), lines=True)


@cli.command()
@graph_argument("source")
def report(source: str) -> None:
    """Print the report of a build (its output folder, report.md or graph.json).

    \b
    Example:
        graphkit report out/
    """
    from ..built import report_text

    _say(report_text(source), lines=True)
