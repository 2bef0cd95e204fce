"""The pipeline: chains the stages of DESIGN.md, times them and reports progress.

``build_graph`` goes from papers to an analysed graph in memory; ``run_build`` reads the input
files, builds, and writes every output plus ``manifest.json`` into the output folder::

    read ─▶ features (per-paper work here and in a forked child)
         ─▶ edges (keyword, similarity, mention, citation: similarity here or in a second process)
         ─▶ graph ─▶ analysis (global centralities here or forked) + layout ─▶ style ─▶ write
                 └─▶ the writers that need only the graph (the related index), here at the end
                     or forked from here on

Where each part runs is decided once, from the Config and the paper count, by
:func:`graphkit.parallel.plan_execution`; the results are the same bytes either way.  Options
come from a :class:`~graphkit.config.Config`; stages receive plain keyword arguments.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from . import parallel
from .config import Config
from .manifest import build_manifest, edge_kind_counts, write_manifest
from .model import Paper, PaperFeatures
from .outdir import OutputFolder
from .outputs import (
    OUTPUT_FILES,
    OutputWriter,
    chosen_writers,
    output_context,
    split_writers,
    write_outputs,
)
from .parallel import ExecutionPlan, Job, plan_execution
from .progress import Reporter
from .stages import (
    BuiltEdges,
    EdgeInputs,
    SimilarityOptions,
    edges_stage,
    features_stage,
    method_stage,
    similarity_elsewhere,
)

__all__ = ["BuildResult", "build_graph", "run_build", "OUTPUT_FILES", "edge_kind_counts"]

#: Modules the second process imports while this one reads the input.
_SIMILARITY_MODULES = (
    "graphkit.stages",
    "graphkit.edges",
    "graphkit.features.text",
    "graphkit.index",
)


@dataclass
class BuildResult:
    """What a build produced: the graph, the features, the plan it ran and the files written."""

    graph: nx.Graph
    features: list[PaperFeatures]
    methods: list[Any]
    plan: ExecutionPlan | None = None
    corpus: Any = None
    written: list[Path] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    text: Any = None  # the similarity stage's TextModel, for the related index
    early: EarlyWrites | None = None  # outputs being written since the graph stage


@dataclass
class EarlyWrites:
    """The outputs started as soon as the graph was assembled (a job of the plan)."""

    writers: list[OutputWriter]
    job: Job


#: ``on_graph(G, text, plan)`` of :func:`build_graph`.
GraphHook = Callable[[nx.Graph, Any, ExecutionPlan], EarlyWrites | None]


def build_graph(
    papers: Sequence[Paper],
    config: Config | None = None,
    *,
    reporter: Reporter | None = None,
    name: str = "",
    on_graph: GraphHook | None = None,
) -> BuildResult:
    """Turn papers into an analysed, styled graph (no files written).

    ``on_graph(G, text, plan)`` is called as soon as the graph is assembled, before analysis
    (:func:`run_build` starts the writers that need no more there); what it returns is kept
    as ``BuildResult.early`` (and cancelled if the build fails).

    >>> from graphkit.model import Paper
    >>> ps = [Paper(id=f"t:{i}", title=t, abstract=a) for i, (t, a) in enumerate([
    ...     ("SpQR: sparse quantized LLM weights", "We quantize weights with GPTQ-style rounding."),
    ...     ("Quantizing LLM weights", "We compare with SpQR and GPTQ for weight quantization."),
    ... ])]
    >>> res = build_graph(ps)
    >>> res.graph.number_of_nodes() >= 2
    True
    """
    with parallel.gc_paused():
        papers, cfg, rep = list(papers), config or Config(), reporter or Reporter()
        return _build_graph(papers, cfg, rep, name, on_graph)


def _build_graph(
    papers: list[Paper], cfg: Config, rep: Reporter, name: str, on_graph: GraphHook | None
) -> BuildResult:
    from .render import apply_style

    plan = plan_execution(cfg, len(papers))
    elsewhere = {}
    if plan.similarity == "spawned":  # started first: it runs while this process works on
        job = _spawn_similarity(papers, cfg)
        elsewhere["similarity"] = lambda: _similarity_result(job, rep)
    try:
        features, lexicon = features_stage(papers, cfg, rep, forked=plan.features == "forked")
        methods = method_stage(papers, features, lexicon, rep)
        inputs = EdgeInputs(papers, features, cfg, lexicon)
        found = edges_stage(inputs, rep, elsewhere=elsewhere)
    except BaseException:
        if elsewhere:
            job.cancel()
        raise
    G = _graph_stage(papers, features, found, cfg, name, rep)
    found.edges.clear()  # the graph holds what they say: freed before analysis and the forks
    early = on_graph(G, found.text, plan) if on_graph else None
    try:
        _analysis_and_layout(G, cfg, plan, rep)
        apply_style(G, size_by=cfg.size_by)
    except BaseException:
        if early is not None:
            early.job.cancel()
        raise
    res = BuildResult(G, features, methods, plan=plan, timings=dict(rep.timings), text=found.text)
    res.early = early
    return res


def _spawn_similarity(papers: list[Paper], cfg: Config) -> Job:
    """TF-IDF + similarity of ``papers`` in a second process (only what it needs crosses)."""
    rows = [(p.id, p.title, p.abstract) for p in papers]
    return parallel.start("spawned", similarity_elsewhere, SimilarityOptions.of(cfg), rows)


def _similarity_result(job: Job, rep: Reporter) -> BuiltEdges:
    """The second process's similarity edges; its stage timings and peak go to ``rep``."""
    with rep.stage("wait similarity") as st:
        answer = job.result()
        st.set_note("TF-IDF and similarity ran in a second process")
    for stage, seconds in answer.timings.items():
        rep.record(stage, seconds, answer.notes.get(stage, ""))
    rep.record_peak("similarity process", answer.peak_rss_mb)
    return BuiltEdges(answer.edges, text=answer.text)


def _graph_stage(
    papers: Sequence[Paper],
    features: Sequence[PaperFeatures],
    found: BuiltEdges,
    cfg: Config,
    name: str,
    rep: Reporter,
) -> nx.Graph:
    from .graph import assemble_graph

    with rep.stage("graph") as st:
        G = assemble_graph(
            papers, features, found.edges, method_nodes=found.method_nodes, mix=cfg.mix,
            name=name, reference_nodes=found.reference_nodes, keep_per_paper=cfg.top_k,
        )  # fmt: skip
        st.set_note(f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    return G


def _analysis_and_layout(G: nx.Graph, cfg: Config, plan: ExecutionPlan, rep: Reporter) -> None:
    """Centralities and communities, then the layout, written onto ``G``; the global
    centralities run as a job of the plan meanwhile."""
    from .analysis import find_communities, global_centralities, to_igraph, write_analysis
    from .layout import layout_positions, write_positions

    n = G.number_of_nodes()
    forked = plan.analysis == "forked" and parallel.can_fork()
    with rep.stage("analysis", total=n) as st:
        converted = to_igraph(G)
        job = parallel.start(
            plan.analysis,
            global_centralities,
            converted,
            seed=cfg.seed,
            exact_max=cfg.betweenness_exact_max,
        )
        found = find_communities(G, converted, resolution=cfg.resolution, seed=cfg.seed)
        st.advance(n)
        st.set_note(
            f"{len(found.labels)} communities, modularity {found.modularity:.3f}"
            + ("; betweenness in a second process" if forked else "")
        )
    try:
        with rep.stage("layout", total=n) as st:
            pos = layout_positions(G, found.partition, seed=cfg.seed, converted=converted)
            st.advance(n)
    except BaseException:
        job.cancel()
        raise
    with rep.stage("wait betweenness") if forked else contextlib.nullcontext():
        scores = job.result()
    write_analysis(G, converted, found, scores, seed=cfg.seed)
    write_positions(G, pos)


def run_build(config: Config, *, reporter: Reporter | None = None) -> BuildResult:
    """Read ``config.paths``, build the graph and write the chosen outputs into ``config.out_dir``.

    The outputs are written into a staging folder inside ``config.out_dir`` and committed
    together (:mod:`graphkit.outdir`), ``manifest.json`` last: a failed, interrupted or killed
    build leaves the folder as it was, and concurrent builds never mix their files.
    """
    from . import export, render, report  # noqa: F401 -- imported once, before any fork

    rep = reporter or Reporter()
    with OutputFolder(config.out_dir) as stage, parallel.gc_paused():  # bad -o: fails first
        return _build_into(stage, config, rep)


def _build_into(stage: OutputFolder, config: Config, rep: Reporter) -> BuildResult:
    from .ingest.corpus import read_inputs

    started = time.time()
    expected = plan_execution(config, parallel.estimated_papers(config.paths))
    if expected.similarity == "spawned":  # its start-up and imports overlap the reading
        parallel.warm_up(*_SIMILARITY_MODULES)
    try:
        with rep.stage("read") as st:
            corpus = read_inputs(config)
            st.advance(corpus.n_records)
            st.set_note(f"{len(corpus.papers):,} papers from {len(corpus.files)} file(s)")
        # "." is named after the folder it is (the map's title), not "."
        name = ", ".join(Path(p).name or Path(p).resolve().name or str(p) for p in config.paths)

        def early(G: nx.Graph, text: Any, plan: ExecutionPlan) -> EarlyWrites | None:
            return _start_early_writers(G, text, plan, stage.path, config)

        result = build_graph(corpus.papers, config, reporter=rep, name=name, on_graph=early)
    finally:
        parallel.cool_down()  # a warm process no job took (fewer papers than the size said)
    result.corpus = corpus
    with rep.stage("write") as st:
        staged, elsewhere = _write_stage(result, stage.path, config, name)
        st.set_note(f"{len(staged)} files" + (f" ({elsewhere})" if elsewhere else ""))
    manifest = build_manifest(
        G=result.graph, corpus=corpus, config=config, written=staged, reporter=rep,
        started=started,
    )  # fmt: skip
    staged.append(write_manifest(stage.path, manifest))
    names = [p.name for p in staged]
    # a narrower --formats: the commit deletes the earlier build's other outputs
    result.written = stage.commit(names, owned=[n for ns in OUTPUT_FILES.values() for n in ns])
    result.manifest = manifest
    result.timings = dict(rep.timings)
    return result


def _start_early_writers(
    G: nx.Graph, text: Any, plan: ExecutionPlan, out: Path, config: Config
) -> EarlyWrites | None:
    """The chosen ``early`` outputs (the related index), written into ``out`` by a forked
    child at low priority from now on, when the plan says so (else None: they are written
    with the others)."""
    writers = [w for w in chosen_writers(config) if w.early]
    if plan.early_writers != "forked" or not writers or not parallel.can_fork():
        return None
    ctx = output_context(writers, G, config, text=text)
    # wanted only at the end: it takes what analysis, layout and the centralities leave
    job = parallel.start("forked", parallel.at_low_priority, write_outputs, writers, out, ctx)
    return EarlyWrites(writers, job)


def _write_stage(res: BuildResult, out: Path, config: Config, name: str) -> tuple[list[Path], str]:
    """Every chosen output not written early, split between this process and a forked child
    when the plan says so (one scan of the graph shared by both), then the early ones
    collected; the paths written, in table order, and which outputs other processes wrote."""
    writers = chosen_writers(config)
    early = res.early.writers if res.early is not None else []
    rest = [w for w in writers if w not in early]
    here, there = split_writers(rest) if res.plan.writers == "forked" else (rest, [])
    if not parallel.can_fork():
        here, there = rest, []
    ctx = output_context(rest, res.graph, config, name=name, corpus=res.corpus, text=res.text)
    if any(w.scanned for w in here) and any(w.scanned for w in there):
        ctx.prepare()  # scanned once, here; the child reads the same scan
    done: dict[str, list[Path]] = {}
    if res.early is not None and there:
        # one child at a time: the early child and the writers' child each copy most of the
        # graph's pages as they read it (74,728 papers: 4.7 GB for the tree with both alive)
        done.update(res.early.job.result())
    job = parallel.start("forked" if there else "inline", write_outputs, there, out, ctx)
    with job:
        done.update(write_outputs(here, out, ctx))
        done.update(job.result())
    if res.early is not None and not there:
        done.update(res.early.job.result())
    elsewhere = [w.name for w in writers if w in there or w in early]
    note = f"{', '.join(elsewhere)} in second processes" if elsewhere else ""
    return [path for w in writers for path in done[w.name]], note
