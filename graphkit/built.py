"""What a build left behind: finding its files from a file or folder, and reusing its graph.

The commands that read a build (``export``, ``html``, ``open``, ``related``, ``report``) accept
the output folder or the file itself; these functions decide which file that means, so every
command follows the same rules.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "graph.json").write_text("{}")
>>> graph_file(d) == d / "graph.json", html_file(d) == d / "graph.html"
(True, True)
>>> export_format("my.GraphML"), default_html_output(d / "graph.json") == d / "graph.html"
('graphml', True)
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import networkx as nx

from .config import Config
from .errors import ConfigError, GraphFileError, OutputError
from .outdir import recover

__all__ = [
    "graph_file",
    "html_file",
    "load_graph",
    "export_format",
    "default_html_output",
    "write_map",
    "html_from_graph",
    "export_from_graph",
    "report_text",
]

PathLike = str | os.PathLike[str]

_HINT = "Run `graphkit build` first, or name its output folder or graph.json."


def _in_folder(path: PathLike, name: str) -> Path:
    p = Path(path)
    if not p.is_dir():
        return p
    with contextlib.suppress(OutputError):  # a read-only folder is read as it is
        recover(p)  # a build killed inside its commit: finish it before reading
    return p / name


def graph_file(path: PathLike) -> Path:
    """The graph.json meant by ``path``: the file itself, or ``graph.json`` in a folder."""
    p = _in_folder(path, "graph.json")
    if not p.is_file():
        raise GraphFileError(f"{p} does not exist", hint=_HINT)
    return p


def html_file(path: PathLike) -> Path:
    """The HTML map meant by ``path``: the file itself, ``graph.html`` in a folder, or the
    ``graph.html`` beside a graph.json."""
    p = _in_folder(path, "graph.html")
    if p.suffix.lower() == ".json":
        p = p.with_suffix(".html")
    return p


#: Attributes the commands compute with, so they must hold numbers (a graph.json edited by
#: hand or written by another program may hold anything): graph, node and edge ones.
_NUMERIC = {
    "graph": frozenset({"n_papers", "n_methods", "modularity", "n_communities", "n_references"}),
    "node": frozenset(
        {
            "x",
            "y",
            "size",
            "degree",
            "weighted_degree",
            "pagerank",
            "betweenness",
            "eigenvector",
            "community",
            "year",
            "n_authors",
            "n_mentions",
            "n_citing",
            "pagerank_cites",
        }
    ),  # fmt: skip
    "edge": frozenset(
        {
            "weight",
            "similarity",
            "w_keyword",
            "w_similarity",
            "w_mention",
            "w_cites",
            "w_cocitation",
            "w_coupling",
            "cocitation_shared",
            "coupling_shared",
        }
    ),  # fmt: skip
}


def load_graph(path: PathLike) -> nx.Graph:
    """The graph in ``path`` (a graph.json or the folder holding one); a value that is not a
    number where graphkit writes one is a :class:`GraphFileError` naming it, not a
    traceback from whichever command first computes with it."""
    from .export import read_json

    file = graph_file(path)
    G = read_json(file)
    _check_numbers(G, file)
    return G


def _check_numbers(G: nx.Graph, file: Path) -> None:
    def bad(attrs: dict, keys: frozenset[str]) -> str | None:
        for key in attrs.keys() & keys:
            value = attrs[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                return key
        return None

    def fail(where: str, key: str, value: object) -> None:
        raise GraphFileError(
            f"{file}: {where} has {key} = {str(value)[:40]!r}, not a number",
            hint="Give the graph.json that `graphkit build` writes, or rebuild.",
        )

    node_keys, edge_keys = _NUMERIC["node"], _NUMERIC["edge"]
    if key := bad(G.graph, _NUMERIC["graph"]):
        fail("the graph", key, G.graph[key])
    for node, attrs in G.nodes(data=True):
        if key := bad(attrs, node_keys):
            fail(f"node {str(node)[:60]!r}", key, attrs[key])
    for u, v, attrs in G.edges(data=True):
        if key := bad(attrs, edge_keys):
            fail(f"edge {str(u)[:40]!r}-{str(v)[:40]!r}", key, attrs[key])


def export_format(output: PathLike, fmt: str | None = None) -> str:
    """The export format: ``fmt`` when given, else the one ``output``'s suffix names."""
    from .export import EXPORT_FORMATS

    if fmt:
        return fmt
    by_suffix = {suffix: name for name, suffix in EXPORT_FORMATS.items()}
    found = by_suffix.get(Path(output).suffix.lower())
    if found is None:
        raise ConfigError(
            f"cannot tell the format of {Path(output).name!r} from its suffix",
            hint="Name the file .graphml, .gexf, .json or .csv, or use {name}.",
            option="format",
        )
    return found


def default_html_output(source: PathLike) -> Path:
    """Where ``graphkit html SOURCE`` writes without ``-o``: beside its input."""
    return graph_file(source).with_suffix(".html")


def write_map(G: nx.Graph, path: PathLike, config: Config, *, name: str = "") -> None:
    """Write the HTML map of a styled graph with the map options of ``config`` (what the
    build's ``html`` output and ``graphkit html`` both call)."""
    from .render import write_html

    write_html(
        G,
        path,
        max_nodes=config.max_html_nodes,
        max_edges=config.max_html_edges or None,
        size_by=config.size_by,
        corpus_name=name,
    )


def html_from_graph(source: PathLike, output: PathLike | None, config: Config) -> Path:
    """Restyle the graph in ``source`` by ``config.size_by`` and write its map (beside the input
    unless ``output`` is given); returns the path written."""
    from .render import apply_style

    G = load_graph(source)
    target = Path(output) if output else default_html_output(source)
    apply_style(G, size_by=config.size_by)
    write_map(G, target, config, name=str(G.graph.get("name", "")))
    return target


def export_from_graph(source: PathLike, output: PathLike, fmt: str | None = None) -> list[Path]:
    """Re-export the graph in ``source`` as ``fmt`` (default: from ``output``'s suffix)."""
    from .export import export_graph

    fmt = export_format(output, fmt)
    if fmt == "csv" and _is_stream(output):
        raise ConfigError(
            f"CSV export writes two files (nodes and edges), and {output} is no folder or file "
            "name to put them beside",
            hint="Give a file name (FILE.nodes.csv and FILE.edges.csv are written), or "
            "stream one file with --format json, graphml or gexf.",
            option="format",
        )
    return export_graph(load_graph(source), output, fmt)


def _is_stream(path: PathLike) -> bool:
    """Whether ``path`` is a device, FIFO or socket, or a name in ``/dev`` or ``/proc``
    (``/dev/stdout``, a pipe; ``/dev/stdout`` redirected to a file is a regular file, but
    files beside it would land in /dev)."""
    import stat

    p = Path(os.path.abspath(path))
    if p.parent.parts[1:2] in (("dev",), ("proc",)):
        return True
    try:
        mode = os.stat(p).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def report_text(source: PathLike) -> str:
    """The report of a build: its report.md (from a folder or the file), else made from its
    graph.json."""
    from .report import report_markdown

    p = Path(source)
    md = _in_folder(p, "report.md")  # a folder: its commit finished first, like every reader
    if md.suffix.lower() == ".md":
        if not md.is_file() and p.is_dir():
            return report_markdown(load_graph(p))
        if not md.is_file():
            raise GraphFileError(f"{md} does not exist", hint=_HINT)
        return md.read_text(encoding="utf-8")
    return report_markdown(load_graph(p))
