"""The files a build writes: one :class:`OutputWriter` per output in the :data:`WRITERS` table.

A writer names its files and writes them from an :class:`OutputContext` (the styled, analysed
graph, the Config, the corpus).  Where each runs is the execution plan's decision
(:func:`graphkit.parallel.plan_execution`): in one process, the chosen writers run in table
order; in two, the ``early`` ones (they read only what the graph stage made: the related index)
run in a forked child as soon as the graph is assembled, while analysis and layout go on, and
the others are split by :func:`split_writers` into two halves of about equal ``cost``, one
written here and one in a forked child, after one shared scan of the graph.  To add an output,
register a writer (it is written when ``enabled`` says so: by default when its name is in
``Config.formats``)::

    register_writer(OutputWriter("sample", ("sample.txt",), write_sample, enabled=lambda cfg: True))

>>> [w.name for w in WRITERS.values()]
['graphml', 'gexf', 'json', 'index', 'csv', 'report', 'html']
>>> OUTPUT_FILES["csv"]
('nodes.csv', 'edges.csv')
>>> [[w.name for w in part] for part in split_writers(list(WRITERS.values()))]
[['json', 'csv', 'html'], ['graphml', 'gexf', 'index', 'report']]
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
    "split_writers",
    "output_context",
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

    def prepare(self) -> OutputContext:
        """Make the shared scan now, whole (before forking writers that share it); ``self``."""
        if self.scan is not None:
            self.scan.complete()
        return self


@dataclass(frozen=True)
class OutputWriter:
    """One output: its name (as in ``--formats``), its files, and the function writing them
    (``write(ctx, paths)``, atomically).  ``scanned``: reads the graph through a writer view
    (and so shares a scan); ``early``: reads only what the graph stage made (no analysis,
    layout or style), so it may be written while they run; ``cost``: its share of the writing
    time, relative to the others (CPU seconds per 10,000 papers, measured on the arXiv slices:
    ``bench/export.py`` and a build), for splitting the writers between two processes."""

    name: str
    files: tuple[str, ...]
    write: Callable[[OutputContext, Sequence[Path]], None]
    scanned: bool = False
    early: bool = False
    cost: float = 1.0
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

# costs: CPU-s per 10,000 papers of each writer (scan excluded), arXiv slice, measured in one run
for _w in (
    OutputWriter("graphml", ("graph.graphml",), _graphml, scanned=True, cost=0.8),
    OutputWriter("gexf", ("graph.gexf",), _gexf, scanned=True, cost=1.0),
    OutputWriter("json", ("graph.json",), _json, scanned=True, cost=0.2),
    OutputWriter("index", ("related.npz",), _index, early=True, cost=1.5),
    OutputWriter("csv", ("nodes.csv", "edges.csv"), _csv, scanned=True, cost=0.8),
    OutputWriter("report", ("report.md",), _report, cost=0.4),
    OutputWriter("html", ("graph.html",), _html, cost=2.8),
):
    register_writer(_w)


def chosen_writers(config: Config) -> list[OutputWriter]:
    """The writers a build with ``config`` runs, in table order."""
    return [w for w in WRITERS.values() if w.wanted(config)]


def split_writers(writers: Sequence[OutputWriter]) -> tuple[list[OutputWriter], list[OutputWriter]]:
    """``writers`` in two parts of about equal total ``cost`` (the costliest first, each to the
    part with less so far; ties: table order), each part in table order; the first part holds
    the costliest writer (the one to write in this process)."""
    parts: tuple[list[OutputWriter], list[OutputWriter]] = ([], [])
    load = [0.0, 0.0]
    ranked = sorted(range(len(writers)), key=lambda i: (-writers[i].cost, i))
    for i in ranked:
        k = 0 if load[0] <= load[1] else 1
        parts[k].append(writers[i])
        load[k] += writers[i].cost
    order = {id(w): i for i, w in enumerate(writers)}
    for part in parts:
        part.sort(key=lambda w: order[id(w)])
    return parts


def output_context(
    writers: Sequence[OutputWriter],
    G: nx.Graph,
    config: Config,
    *,
    name: str = "",
    corpus: Any = None,
    text: Any = None,
) -> OutputContext:
    """What ``writers`` read; two or more scanned writers share one scan of ``G``."""
    share = sum(w.scanned for w in writers) >= 2
    return OutputContext(G, config, name=name, corpus=corpus, share_scan=share, text=text)


def write_outputs(
    writers: Sequence[OutputWriter], out: Path, ctx: OutputContext
) -> dict[str, list[Path]]:
    """Run ``writers`` into the folder ``out`` with ``ctx``; the paths written, by output name."""
    done: dict[str, list[Path]] = {}
    for writer in writers:
        paths = [out / f for f in writer.files]
        writer.write(ctx, paths)
        done[writer.name] = paths
    return done
