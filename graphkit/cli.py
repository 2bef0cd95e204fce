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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import orjson

from . import __version__
from .config import FIELDS, default_of
from .errors import ConfigError, ExitCode, GraphkitError

__all__ = ["cli", "main", "config_option", "input_options", "map_options", "CommaChoice"]

log = logging.getLogger("graphkit")

F = Callable[..., Any]


# ---------------------------------------------------------------------------------------------
# option types and shared option decorators
# ---------------------------------------------------------------------------------------------


class CommaChoice(click.Choice):
    """A comma-separated list of choices (``--edges keyword,mention``): help and shell
    completion list the values, each item is checked, the value is a tuple."""

    name = "comma-choice"

    def get_metavar(self, param: click.Parameter, *args: Any, **kwargs: Any) -> str:
        return "[" + "|".join(map(str, self.choices)) + "],..."

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, tuple | list):
            items = list(value)
        else:
            items = [v.strip() for v in str(value).split(",") if v.strip()]
        return tuple(super(CommaChoice, self).convert(v, param, ctx) for v in items)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        done, _, last = incomplete.rpartition(",")
        prefix = done + "," if done else ""
        return [
            CompletionItem(prefix + str(c))
            for c in self.choices
            if str(c).startswith(last) and str(c) not in done.split(",")
        ]


def config_option(*decls: str, field: str, **overrides: Any) -> Callable[[F], F]:
    """A click option for the Config ``field``: default, help text, type and choices from Config.

    ``decls`` are the option's names (``"--max-nodes"``); the value reaches the command under
    the field's name, so the command can pass it to Config unchanged.
    """
    f = FIELDS[field]
    default = default_of(field)
    choices = f.metadata.get("choices") or ()
    kw: dict[str, Any] = {"default": default, "show_default": True, "help": f.metadata["help"]}
    if isinstance(default, bool):
        if not any("/" in d for d in decls):
            kw["is_flag"] = True
            kw["show_default"] = False
    elif isinstance(default, tuple):
        kw["type"] = CommaChoice(choices) if choices else click.STRING
        kw["default"] = ",".join(default)
    elif choices:
        kw["type"] = click.Choice(choices)
    else:
        kw["type"] = type(default)
    kw.update(overrides)
    return click.option(*decls, field, **kw)


def _set_global(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """-q/--debug, before or after the command name: stored on the root context."""
    if not value:
        return
    root = ctx.find_root()
    root.ensure_object(dict)
    root.obj[param.name] = True
    if param.name == "debug":
        logging.getLogger().setLevel(logging.DEBUG)
        logging.getLogger("bibtexparser").setLevel(logging.DEBUG)


def _global_params() -> list[click.Option]:
    return [
        click.Option(
            ["--debug"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set_global,
            help="Show full tracebacks on errors.",
        ),
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set_global,
            help="No progress output.",
        ),
    ]


def input_options(f: F) -> F:
    """``--encoding``, ``--skip-bad``, ``--exclude`` and ``--config``: every command that reads
    paper files."""
    f = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        help="Read options from a TOML file (command-line options win).",
    )(f)
    f = config_option("--exclude", field="exclude", metavar="GLOB,...", show_default=False)(f)
    f = config_option("--skip-bad", field="skip_bad")(f)
    f = config_option("--encoding", field="encoding")(f)
    return f


def map_options(prefix: str) -> Callable[[F], F]:
    """The HTML map's options: ``--max-html-nodes`` in ``build`` (prefix ``"html-"``),
    ``--max-nodes`` in ``html`` (prefix ``""``)."""

    def decorate(f: F) -> F:
        f = config_option("--size-by", field="size_by")(f)
        f = config_option(
            f"--max-{prefix}edges", field="max_html_edges", type=click.IntRange(min=0)
        )(f)
        f = config_option(f"--max-{prefix}nodes", field="max_html_nodes")(f)
        return f

    return decorate


def graph_argument(name: str = "graph") -> Callable[[F], F]:
    """A built graph: its output folder or the file itself (default: ``out``)."""
    return click.argument(name, default="out", type=click.Path())


def _given(ctx: click.Context, options: dict[str, Any]) -> dict[str, Any]:
    """The options the user typed (not defaults): they override the ``--config`` file."""
    out = {}
    for key, value in options.items():
        source = ctx.get_parameter_source(key)
        if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP"):
            out[key] = value
    return out


def _config(ctx: click.Context, config_path: str | None, options: dict[str, Any], paths=()):
    """Config's defaults, then the ``--config`` file, then the options typed (see
    :func:`graphkit.config.resolve_config`)."""
    from .config import resolve_config

    given = _given(ctx, options)
    if paths:
        given["paths"] = list(paths)
    return resolve_config(config_path, given)


# ---------------------------------------------------------------------------------------------
# the group: error mapping and global options
# ---------------------------------------------------------------------------------------------


class GraphkitGroup(click.Group):
    """Maps graphkit's exceptions to one-line messages and exit codes (no traceback), and gives
    every command the global options, so ``graphkit build . -q`` works like ``graphkit -q
    build .``."""

    #: Commands imported only when run or listed (``name -> "module:attribute"``), so that
    #: ``graphkit related`` does not pay for ``fetch``'s imports (the ingest readers).
    lazy_commands: dict[str, str] = {"fetch": "graphkit.fetch.cli:fetch_command"}

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        have = {o for p in cmd.params for o in getattr(p, "opts", ())}
        cmd.params.extend(p for p in _global_params() if not have & set(p.opts))
        super().add_command(cmd, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            import importlib

            module, _, attr = self.lazy_commands[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except GraphkitError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            if isinstance(exc, ConfigError) and exc.option and not exc.flag:
                exc.flag = self._flag_of(ctx, exc.option)
            click.secho(f"Error: {exc}", fg="red", err=True)
            ctx.exit(int(exc.exit_code))
        except BrokenPipeError:  # `graphkit info --ids | head`: the reader has gone
            _silence_stdout()
            ctx.exit(int(ExitCode.OK))
        except OSError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.secho(f"Error: {where}{exc.strerror or exc}", fg="red", err=True)
            ctx.exit(int(ExitCode.ERROR))

    def _flag_of(self, ctx: click.Context, option: str) -> str:
        """The option of the command that was run that sets Config field ``option``."""
        cmd = self.get_command(ctx, ctx.invoked_subcommand or "")
        for param in getattr(cmd, "params", ()):
            if param.name == option and getattr(param, "opts", None):
                return max(param.opts, key=len)
        return ""


def _silence_stdout() -> None:
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):  # no real stdout (tests)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (``kill``, a CI timeout) unwinds like Ctrl-C: a build's staging folder is removed
    and its output folder is left as it was."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    cli(prog_name="graphkit")


def _reporter(ctx: click.Context):
    """A rich progress display on a terminal, silence with --quiet or without one."""
    from .progress import Reporter, RichReporter

    if ctx.find_root().obj.get("quiet") or not sys.stderr.isatty():
        return Reporter()
    return RichReporter()


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
@click.option("--open", "open_after", is_flag=True, help="Open the HTML map when done.")
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
    from .pipeline import run_build
    from .summary import build_summary

    config = _config(ctx, config_path, options, paths)
    if config.embeddings:  # fail now, not after the build, when the extra is missing
        from .embeddings import require

        require()
    result = run_build(config, reporter=_reporter(ctx))
    lines, notes = build_summary(result, config)
    for line in notes:
        click.echo(line, err=True)
    for line in lines:
        click.echo(line)
    if open_after and "html" in config.formats:
        _open_in_browser(Path(config.out_dir) / "graph.html")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the corpus summary as JSON.")
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
    from .ingest import read_inputs
    from .summary import corpus_summary_lines, id_lines

    config = _config(ctx, config_path, options, paths)
    corpus = read_inputs(config)
    if ids:
        for line in id_lines(corpus.papers):
            click.echo(line)
        return
    if as_json:
        _print_json(corpus.summary())
        return
    for line in corpus_summary_lines(corpus, config):
        click.echo(line)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--name", help="Show one name with its evidence sentences.")
@click.option("-n", "--limit", type=int, default=40, show_default=True, help="Rows to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
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
    from .methods_view import methods_view

    config = _config(ctx, config_path, options, paths)
    click.echo(methods_view(config, name=name, limit=limit, as_json=as_json))


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
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="Output file (for csv: FILE.nodes.csv and FILE.edges.csv are written).",
)
def export_cmd(graph: str, fmt: str | None, output: str) -> None:
    """Re-export a build (its folder or graph.json) to another format without rebuilding.

    \b
    Example:
        graphkit export out/ -o my.graphml
        graphkit export out/graph.json --format csv -o tables
    """
    from .built import export_from_graph

    written = export_from_graph(graph, output, fmt)
    click.echo("wrote " + ", ".join(str(p) for p in written))


@cli.command()
@graph_argument()
@click.option(
    "-o",
    "--output",
    default=None,
    type=click.Path(),
    help="HTML file to write [default: graph.html beside the input].",
)
@map_options("")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Read the map options from a TOML file, as build does (command-line options win).",
)
@click.option("--open", "open_after", is_flag=True, help="Open the page when done.")
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
    from .built import html_from_graph

    written = html_from_graph(graph, output, _config(ctx, config_path, options))
    click.echo(f"wrote {written}")
    if open_after:
        _open_in_browser(written)


def _open_in_browser(path: Path) -> None:
    import webbrowser

    from .errors import GraphFileError

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
    from .built import html_file

    _open_in_browser(html_file(file))


@cli.command()
@click.argument("query")
@click.option(
    "-g",
    "--graph",
    "graph",
    default="out",
    show_default=True,
    type=click.Path(),
    help="A build: its output folder or graph.json.",
)
@click.option("-n", "--limit", type=int, default=10, show_default=True, help="How many to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def related(query: str, graph: str, limit: int, as_json: bool) -> None:
    """The papers most related to a paper (ID, DOI, arXiv ID, title, name) or to free text.

    Reads the index build wrote beside graph.json (related.npz); free text lists the
    best-matching papers, then the papers related to them.

    \b
    Example:
        graphkit related SpQR
        graphkit related "speculative decoding for small models" -n 5 --json
    """
    from .index import open_index
    from .query import related as find_related

    index, note = open_index(graph)
    if note:
        click.echo(note, err=True)
    result = find_related(index, query, limit=limit)
    if as_json:
        click.echo(orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(result.to_text())


@cli.command()
@graph_argument("source")
def report(source: str) -> None:
    """Print the report of a build (its output folder, report.md or graph.json).

    \b
    Example:
        graphkit report out/
    """
    from .built import report_text

    click.echo(report_text(source))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
