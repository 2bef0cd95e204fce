"""The ``graphkit`` command line: thin commands over the library.

Each command turns options into arguments, calls one library function and prints.  Errors are
mapped to exit codes in one place, :func:`main`; commands are written as if nothing goes wrong.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
import orjson

from . import __version__
from .config import Config
from .errors import ExitCode, GraphkitError

__all__ = ["cli", "main"]

log = logging.getLogger("graphkit")


class GraphkitGroup(click.Group):
    """Maps graphkit's exceptions to one-line messages and exit codes (no traceback)."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except GraphkitError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.secho(f"Error: {exc}", fg="red", err=True)
            ctx.exit(int(exc.exit_code))
        except OSError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.secho(f"Error: {where}{exc.strerror or exc}", fg="red", err=True)
            ctx.exit(int(ExitCode.ERROR))


@click.group(cls=GraphkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkit")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """graphkit: turn a pile of research papers into a related-work map.

    \b
    Example:
        graphkit build seeds/ -o out/
        graphkit open out/graph.html
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["quiet"] = quiet
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not debug:  # third-party parsers log what graphkit already reports as one clear error
        logging.getLogger("bibtexparser").setLevel(logging.ERROR)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="graphkit")


# ---------------------------------------------------------------------------------------------
# build / export / html / open / related / report / methods
# ---------------------------------------------------------------------------------------------

DEFAULT_PATHS = ("seeds",)
_D = Config()


def _reporter(ctx: click.Context):
    """A rich progress display on a terminal, silence with --quiet or without one."""
    from .progress import Reporter, RichReporter

    if ctx.obj.get("quiet") or not sys.stderr.isatty():
        return Reporter()
    return RichReporter()


def _explicit(ctx: click.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-o", "--out", "out_dir", default=_D.out_dir, show_default=True, help="Output folder."
)
@click.option(
    "--edges",
    default=",".join(_D.edges),
    show_default=True,
    help="Edge kinds to build, comma-separated.",
)
@click.option(
    "--top-k",
    type=int,
    default=_D.top_k,
    show_default=True,
    help="Similarity neighbours kept per paper.",
)
@click.option(
    "--min-similarity",
    type=float,
    default=_D.min_similarity,
    show_default=True,
    help="Minimum TF-IDF cosine for a similarity edge.",
)
@click.option(
    "--max-term-df",
    type=float,
    default=_D.max_term_df,
    show_default=True,
    help="Keyword terms shared by more than this fraction of papers are not linked on.",
)
@click.option(
    "--keyword-top-k",
    type=int,
    default=_D.keyword_top_k,
    show_default=True,
    help="Keyword-edge partners kept per paper (the strongest).",
)
@click.option(
    "--workers",
    type=int,
    default=0,
    show_default=True,
    help="Processes to use: 0 = one per core (TF-IDF runs beside feature extraction), 1 = inline.",
)
@click.option(
    "--resolution",
    type=float,
    default=_D.resolution,
    show_default=True,
    help="Community resolution (higher: more, smaller communities).",
)
@click.option("--seed", type=int, default=_D.seed, show_default=True, help="Random seed.")
@click.option(
    "--method-nodes/--no-method-nodes",
    default=True,
    show_default=True,
    help="Add nodes for methods mentioned but introduced by no paper in the corpus.",
)
@click.option(
    "--max-html-nodes",
    type=int,
    default=_D.max_html_nodes,
    show_default=True,
    help="Above this many nodes the HTML map shows the most central of each community.",
)
@click.option(
    "--max-html-edges",
    type=click.IntRange(min=0),
    default=_D.max_html_edges,
    show_default=True,
    help="Links the HTML map draws at most (the strongest); 0 = 6 per node drawn.",
)
@click.option(
    "--size-by",
    default=_D.size_by,
    show_default=True,
    help="Centrality that sizes nodes in the map.",
)
@click.option(
    "--embeddings",
    default=_D.embeddings,
    metavar="MODEL",
    help="Sentence-transformers model (local folder or cached name) for `related`; "
    "needs pip install 'graphkit[embeddings]'.",
)
@click.option(
    "--embeddings-cache",
    default=_D.embeddings_cache,
    metavar="DIR",
    help="Where embeddings are cached by text hash (default ~/.cache/graphkit/embeddings).",
)
@click.option(
    "--formats",
    default=",".join(_D.formats),
    show_default=True,
    help="Outputs to write, comma-separated.",
)
@click.option("--skip-bad", is_flag=True, help="Skip unreadable files and records, and list them.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Read options from a TOML file (command-line options win).",
)
@click.option("--open", "open_after", is_flag=True, help="Open the HTML map when done.")
@click.pass_context
def build(
    ctx: click.Context,
    paths: tuple[str, ...],
    config_path: str | None,
    open_after: bool,
    **options: object,
) -> None:
    """Build the related-work graph of PATHS (default: seeds/) into the output folder.

    Writes graph.html, graph.graphml, graph.gexf, graph.json, nodes.csv, edges.csv,
    report.md and manifest.json.

    \b
    Example:
        graphkit build seeds/ -o out/ --top-k 8 --resolution 1.2
    """
    from .config import Config, load_config
    from .pipeline import edge_kind_counts, run_build

    config = load_config(config_path) if config_path else Config()
    given = {k: v for k, v in options.items() if _explicit(ctx, k) or not config_path}
    if paths:
        given["paths"] = list(paths)
    elif not config_path:
        given["paths"] = list(DEFAULT_PATHS)
    config = Config.from_mapping(given, base=config)
    if config.embeddings:  # fail now, not after the build, when the extra is missing
        from .embeddings import require

        require()
    result = run_build(config, reporter=_reporter(ctx))
    G = result.graph
    kinds = ", ".join(f"{n:,} {k}" for k, n in edge_kind_counts(G).items()) or "none"
    click.echo(
        f"{G.graph.get('n_papers', 0):,} papers, {G.graph.get('n_methods', 0):,} method nodes, "
        f"{G.number_of_edges():,} edges ({kinds}), {G.graph.get('n_communities', 0)} communities "
        f"(modularity {G.graph.get('modularity', 0.0):.3f})"
    )
    for skipped in result.corpus.skipped:
        click.echo(f"skipped {skipped.path}: {skipped.error}", err=True)
    click.echo("wrote " + ", ".join(str(p) for p in result.written))
    if open_after and "html" in config.formats:
        _open_in_browser(Path(config.out_dir) / "graph.html")


def _load_graph(path: str):
    from .export import read_json

    return read_json(path)


@cli.command("export")
@click.argument("graph_json", type=click.Path(dir_okay=False))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "csv", "json"]),
    required=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="Output file (for csv: FILE.nodes.csv and FILE.edges.csv are written).",
)
def export_cmd(graph_json: str, fmt: str, output: str) -> None:
    """Re-export a built graph.json to another format without rebuilding.

    \b
    Example:
        graphkit export out/graph.json --format graphml -o my.graphml
    """
    from .export import export_graph

    written = export_graph(_load_graph(graph_json), output, fmt)
    click.echo("wrote " + ", ".join(str(p) for p in written))


@cli.command()
@click.argument("graph_json", default="out/graph.json", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    default="out/graph.html",
    show_default=True,
    type=click.Path(),
    help="HTML file to write.",
)
@click.option(
    "--max-nodes",
    type=int,
    default=_D.max_html_nodes,
    show_default=True,
    help="Above this many nodes, show the most central of each community.",
)
@click.option(
    "--max-edges",
    type=click.IntRange(min=0),
    default=_D.max_html_edges,
    show_default=True,
    help="Links drawn at most (the strongest); 0 = 6 per node drawn.",
)
@click.option(
    "--size-by", default="pagerank", show_default=True, help="Centrality that sizes nodes."
)
@click.option("--open", "open_after", is_flag=True, help="Open the page when done.")
def html(
    graph_json: str, output: str, max_nodes: int, max_edges: int, size_by: str, open_after: bool
) -> None:
    """Write the interactive HTML map of a built graph.json.

    \b
    Example:
        graphkit html out/graph.json -o map.html --max-nodes 800
    """
    from .config import Config
    from .render import apply_style, write_html

    Config(max_html_nodes=max_nodes, max_html_edges=max_edges, size_by=size_by)  # validates
    G = _load_graph(graph_json)
    apply_style(G, size_by=size_by)
    write_html(
        G,
        output,
        max_nodes=max_nodes,
        max_edges=max_edges or None,
        size_by=size_by,
        corpus_name=str(G.graph.get("name", "")),
    )
    click.echo(f"wrote {output}")
    if open_after:
        _open_in_browser(Path(output))


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
@click.argument("file", default="out/graph.html", type=click.Path(dir_okay=False))
def open_cmd(file: str) -> None:
    """Open the HTML map in the system browser (prints its path).

    \b
    Example:
        graphkit open out/graph.html
    """
    _open_in_browser(Path(file))


@cli.command()
@click.argument("query")
@click.option(
    "-g",
    "--graph",
    "graph_json",
    default="out/graph.json",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="A graph.json written by `graphkit build`.",
)
@click.option("-n", "--limit", type=int, default=10, show_default=True, help="How many to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def related(query: str, graph_json: str, limit: int, as_json: bool) -> None:
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

    index, note = open_index(graph_json)
    if note:
        click.echo(note, err=True)
    result = find_related(index, query, limit=limit)
    if as_json:
        click.echo(orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(result.to_text())


@cli.command()
@click.argument("source", default="out", type=click.Path())
def report(source: str) -> None:
    """Print the report of a build (an output folder, its report.md or its graph.json).

    \b
    Example:
        graphkit report out/
    """
    from .errors import GraphFileError
    from .report import report_markdown

    p = Path(source)
    if p.is_dir():
        if (p / "report.md").is_file():
            click.echo((p / "report.md").read_text(encoding="utf-8"))
            return
        p = p / "graph.json"
    if p.suffix == ".md" and p.is_file():
        click.echo(p.read_text(encoding="utf-8"))
        return
    if not p.is_file():
        raise GraphFileError(
            f"{p} does not exist", hint="Run `graphkit build` first, or name a graph.json."
        )
    click.echo(report_markdown(_load_graph(str(p))))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--name", help="Show one name with its evidence sentences.")
@click.option("-n", "--limit", type=int, default=40, show_default=True, help="Rows to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--skip-bad", is_flag=True, help="Skip unreadable files and records.")
def methods(
    paths: tuple[str, ...], name: str | None, limit: int, as_json: bool, skip_bad: bool
) -> None:
    """Method, model and dataset names: who introduces them and who mentions them.

    \b
    Example:
        graphkit methods seeds/
        graphkit methods seeds/ --name SparseGPT
    """
    from .features import FeatureExtractor, load_lexicon, method_table
    from .ingest import load_corpus
    from .methods_view import methods_json, methods_text, one_method

    corpus = load_corpus(paths or DEFAULT_PATHS, skip_bad=skip_bad)
    lexicon = load_lexicon()
    feats = FeatureExtractor(lexicon=True).fit_transform(corpus.papers)
    rows = method_table(corpus.papers, feats, lexicon=lexicon)
    titles = {p.id: p.title for p in corpus.papers}
    if name:
        row = one_method(rows, name)
        click.echo(
            orjson.dumps(methods_json([row], titles)[0], option=orjson.OPT_INDENT_2).decode()
            if as_json
            else methods_text([row], titles, evidence=True)
        )
        return
    if as_json:
        click.echo(
            orjson.dumps(methods_json(rows[:limit], titles), option=orjson.OPT_INDENT_2).decode()
        )
    else:
        click.echo(methods_text(rows[:limit], titles))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the corpus summary as JSON.")
@click.option("--skip-bad", is_flag=True, help="Skip unreadable files and records, and list them.")
@click.option("--encoding", default=None, help="Text encoding of the input files [default: utf-8].")
def info(paths: tuple[str, ...], as_json: bool, skip_bad: bool, encoding: str | None) -> None:
    """Read paper files and folders and describe the corpus (default: seeds/).

    Per file: the detected format and how many papers were read; then the totals, the
    duplicates merged, papers without an abstract and the range of years.

    \b
    Example:
        graphkit info seeds/
        graphkit info papers.bib arxiv.jsonl.gz --json
    """
    from .ingest import load_corpus

    corpus = load_corpus(paths or DEFAULT_PATHS, skip_bad=skip_bad, encoding=encoding)
    summary = corpus.summary()
    if as_json:
        click.echo(
            orjson.dumps(summary, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
        )
        return
    width = max((len(f["path"]) for f in summary["files"]), default=0)
    for f in summary["files"]:
        bad = f", {f['bad_records']} bad records skipped" if f["bad_records"] else ""
        click.echo(f"{f['path']:<{width}}  {f['format']:<7}  {f['papers']:>7,} papers{bad}")
    for f in summary["skipped"]:
        click.echo(f"skipped {f['error']}")
    t = summary["totals"]
    click.echo(
        f"{t['files']} file(s): {t['records']:,} records, {t['papers']:,} papers "
        f"({summary['duplicates_merged']:,} duplicates merged)"
    )
    click.echo(f"papers without abstract: {summary['without_abstract']:,}")
    years = summary["year_range"]
    click.echo(f"years: {years[0]}-{years[1]}" if years else "years: unknown")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
