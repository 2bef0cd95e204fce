"""The files a build writes: one :class:`OutputWriter` per output in the :data:`WRITERS` table.

A writer names its files and writes them from an :class:`OutputContext` (the styled, analysed
graph, the Config, the corpus).  The pipeline writes the chosen ones in table order, the XML
ones (``xml=True``) in a forked child when the execution plan says so.  To add an output,
register a writer (it is written when ``enabled`` says so: by default when its name is in
``Config.formats``)::

    register_writer(OutputWriter("sample", ("sample.txt",), write_sample, enabled=lambda cfg: True))

>>> [w.name for w in WRITERS.values()]
['graphml', 'gexf', 'json', 'index', 'csv', 'report', 'html']
>>> OUTPUT_FILES["csv"]
('nodes.csv', 'edges.csv')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx

from .config import Config
from .fileio import atomic_write_bytes

__all__ = [
    "OutputContext",
    "OutputWriter",
    "WRITERS",
    "OUTPUT_FILES",
    "register_writer",
    "chosen_writers",
    "write_outputs",
]


@dataclass
class OutputContext:
    """What a writer may read.  ``scan`` is one :func:`graphkit.export.scan_graph` of ``G``
    shared by the graph-file writers when ``share_scan`` (two or more of them run); ``text``
    the similarity stage's text model (:class:`graphkit.index.TextModel`) or None."""

    G: nx.Graph
    config: Config
    name: str = ""
    corpus: Any = None
    share_scan: bool = False
    text: Any = None

    @cached_property
    def scan(self) -> Any:
        if not self.share_scan:
            return None
        from .export import scan_graph

        return scan_graph(self.G)


@dataclass(frozen=True)
class OutputWriter:
    """One output: its name (as in ``--formats``), its files, and the function writing them
    (``write(ctx, paths)``, atomically).  ``scanned``: reads the graph through a writer view
    (and so shares a scan); ``xml``: may run in a forked child with the XML writers (GraphML,
    GEXF, and the related index beside them)."""

    name: str
    files: tuple[str, ...]
    write: Callable[[OutputContext, Sequence[Path]], None]
    scanned: bool = False
    xml: bool = False
    enabled: Callable[[Config], bool] | None = field(default=None, compare=False)

    def wanted(self, config: Config) -> bool:
        """Whether a build with ``config`` writes this output."""
        return self.enabled(config) if self.enabled else self.name in config.formats


def _graphml(ctx: OutputContext, paths: Sequence[Path]) -> None:
    from .export import write_graphml

    write_graphml(ctx.G, paths[0], scan=ctx.scan)


def _gexf(ctx: OutputContext, paths: Sequence[Path]) -> None:
    from .export import write_gexf

    write_gexf(ctx.G, paths[0], scan=ctx.scan)


def _json(ctx: OutputContext, paths: Sequence[Path]) -> None:
    from .export import write_json

    write_json(ctx.G, paths[0], scan=ctx.scan)


def _csv(ctx: OutputContext, paths: Sequence[Path]) -> None:
    from .export import write_csv

    write_csv(ctx.G, *paths, scan=ctx.scan)


def _index(ctx: OutputContext, paths: Sequence[Path]) -> None:
    from .index import write_related_index

    write_related_index(ctx.G, paths[0], text=ctx.text, config=ctx.config)


def corpus_lines(summary: dict[str, Any]) -> dict[str, str]:
    """A corpus summary (:meth:`graphkit.ingest.Corpus.summary`) as the report's short lines."""
    totals = summary.get("totals", {})
    years = summary.get("year_range") or []
    formats = ", ".join(sorted({f["format"] for f in summary.get("files", [])}))
    out = {
        "Input files": f"{totals.get('files', 0)} ({formats})",
        "Records read": f"{totals.get('records', 0)} "
        f"({summary.get('duplicates_merged', 0)} duplicates merged)",
        "Papers without abstract": str(summary.get("without_abstract", 0)),
    }
    if years:
        out["Years"] = f"{years[0]}–{years[-1]}"
    if summary.get("skipped"):
        out["Skipped files"] = str(len(summary["skipped"]))
    return out


def _report(ctx: OutputContext, paths: Sequence[Path]) -> None:
    from .report import report_markdown

    text = report_markdown(ctx.G, corpus_summary=corpus_lines(ctx.corpus.summary()))
    atomic_write_bytes(paths[0], text.encode("utf-8"))


def _html(ctx: OutputContext, paths: Sequence[Path]) -> None:
    from .built import write_map

    write_map(ctx.G, paths[0], ctx.config, name=ctx.name)


#: Every output, in the order a build writes them.
WRITERS: dict[str, OutputWriter] = {}


def register_writer(writer: OutputWriter) -> OutputWriter:
    """Add ``writer`` to :data:`WRITERS` (after the others; a name registered again replaces
    the old writer in place) and return it."""
    WRITERS[writer.name] = writer
    OUTPUT_FILES[writer.name] = writer.files
    return writer


#: Output name → the file names it writes inside the output folder.
OUTPUT_FILES: dict[str, tuple[str, ...]] = {}

for _w in (
    OutputWriter("graphml", ("graph.graphml",), _graphml, scanned=True, xml=True),
    OutputWriter("gexf", ("graph.gexf",), _gexf, scanned=True, xml=True),
    OutputWriter("json", ("graph.json",), _json, scanned=True),
    OutputWriter("index", ("related.npz",), _index, xml=True),
    OutputWriter("csv", ("nodes.csv", "edges.csv"), _csv, scanned=True),
    OutputWriter("report", ("report.md",), _report),
    OutputWriter("html", ("graph.html",), _html),
):
    register_writer(_w)


def chosen_writers(config: Config) -> list[OutputWriter]:
    """The writers a build with ``config`` runs, in table order."""
    return [w for w in WRITERS.values() if w.wanted(config)]


def write_outputs(
    writers: Sequence[OutputWriter],
    out: Path,
    G: nx.Graph,
    config: Config,
    *,
    name: str = "",
    corpus: Any = None,
    text: Any = None,
) -> dict[str, list[Path]]:
    """Run ``writers`` into the folder ``out``; the paths written, by output name.  Two or
    more scanned writers share one scan of ``G``."""
    share = sum(w.scanned for w in writers) >= 2
    ctx = OutputContext(G, config, name=name, corpus=corpus, share_scan=share, text=text)
    done: dict[str, list[Path]] = {}
    for writer in writers:
        paths = [out / f for f in writer.files]
        writer.write(ctx, paths)
        done[writer.name] = paths
    return done
