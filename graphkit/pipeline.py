"""The pipeline: chains the stages of DESIGN.md, times them and reports progress.

``build_graph`` goes from papers to an analysed graph in memory; ``run_build`` reads the input
files, builds, and writes every output plus ``manifest.json`` into the output folder.  Options
come from a :class:`~graphkit.config.Config`; stages receive plain keyword arguments.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing as mp
import os
import platform
import resource
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from . import __version__
from .config import Config
from .errors import GraphkitError
from .fileio import atomic_write_bytes
from .model import Edge, Paper, PaperFeatures
from .parallel import Forked
from .progress import Reporter

__all__ = ["BuildResult", "build_graph", "run_build", "OUTPUT_FILES"]

log = logging.getLogger(__name__)

#: Output format → file names it writes inside the output folder.
OUTPUT_FILES: dict[str, tuple[str, ...]] = {
    "html": ("graph.html",),
    "graphml": ("graph.graphml",),
    "gexf": ("graph.gexf",),
    "json": ("graph.json",),
    "csv": ("nodes.csv", "edges.csv"),
    "report": ("report.md",),
    "index": ("related.npz",),
}
_VERSIONED = (
    "networkx",
    "scikit-learn",
    "scipy",
    "numpy",
    "igraph",
    "orjson",
)


@dataclass
class BuildResult:
    """What a build produced: the graph, the features and the files written."""

    graph: nx.Graph
    features: list[PaperFeatures]
    methods: list[Any]
    corpus: Any = None
    written: list[Path] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    text: Any = None  # the similarity stage's TextModel, for the related index


#: Below this many papers the TF-IDF/similarity stages run inline (a second process costs more).
PARALLEL_MIN_PAPERS = 5000


def similarity_stage(
    papers: Sequence[Paper],
    *,
    top_k: int,
    min_similarity: float,
    reporter: Reporter,
    keep: dict[str, Any] | None = None,
) -> list[Edge]:
    """TF-IDF over title + abstract, then each paper's top-k most similar papers.  With a
    ``keep`` dict, the text model is left in ``keep["text"]`` (for the related index)."""
    from .edges import similarity_edges
    from .features.text import TextVectorizer

    with reporter.stage("tf-idf", total=len(papers)) as st:
        vectorizer = TextVectorizer()
        X = vectorizer.fit_transform(papers)
        st.advance(len(papers))
        st.set_note(f"{X.shape[0]:,} × {X.shape[1]:,}, {X.nnz:,} non-zeros")
    if keep is not None:
        from .index import TextModel

        keep["text"] = TextModel.from_vectorizer(vectorizer, X, [p.id for p in papers])
    with reporter.stage("similarity", total=len(papers)) as st:
        found = similarity_edges(
            X,
            [p.id for p in papers],
            top_k=top_k,
            min_similarity=min_similarity,
            feature_names=vectorizer.feature_names_,
        )
        st.advance(len(papers))
        st.set_note(f"{len(found):,} edges")
    return found


def _similarity_server(conn: Any) -> None:
    """Worker body, in a fresh (spawned) interpreter: receives ``(top_k, min_similarity,
    [(id, title, abstract), ...])`` on ``conn`` and answers ``("ok", edges, timings, notes)``
    or ``("err", exception)``.  It is started before the input is read, so its imports overlap
    the reading, and gets only what TF-IDF needs (strings pickle ~10× faster than papers)."""
    try:
        top_k, min_similarity, rows = conn.recv()
    except EOFError:  # the parent decided it does not need us
        return
    try:
        notes: dict[str, str] = {}

        class _Recorder(Reporter):
            def _end(self, stage, elapsed):  # noqa: ANN001
                notes[stage.name] = stage.note

        rep = _Recorder()
        papers = [Paper(id=i, title=t, abstract=a) for i, t, a in rows]
        del rows
        keep: dict[str, Any] = {}
        found = similarity_stage(
            papers, top_k=top_k, min_similarity=min_similarity, reporter=rep, keep=keep
        )
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        notes["_peak_rss_mb"] = f"{peak_kb / 1024:.0f}"
        answer: tuple = ("ok", found, dict(rep.timings), notes, keep.get("text"))
    except BaseException as exc:  # noqa: BLE001 -- reported by the parent
        answer = ("err", exc)
    conn.send(answer)
    conn.close()


class _Done:
    """A finished job (the inline path), with the same ``result()`` as the background one."""

    def __init__(self, value: list[Edge], text: Any = None) -> None:
        self._value = value
        self.text = text

    def result(self, rep: Reporter) -> list[Edge]:
        return self._value

    def cancel(self) -> None:
        pass


class _Background:
    """TF-IDF + similarity running in a second process while the parent extracts features.

    Both stages are single-threaded Python/scipy for most of their time, so on a machine with
    two or more cores this hides the shorter of the two behind the longer.  Results are the
    same as the inline path; the child's stage timings are reported when it is collected.
    The child is spawned, not forked: a forked child deadlocks in OpenMP-using libraries
    (sparse_dot_topn) once the parent has used them.  It is a daemon, so it never outlives
    the build; :meth:`cancel` stops it.  Start it early, :meth:`submit` the papers once read.
    """

    def __init__(self) -> None:
        self.text = None
        ctx = mp.get_context("spawn")
        self._conn, child_end = ctx.Pipe()
        self._proc = ctx.Process(
            target=_similarity_server, args=(child_end,), name="graphkit-similarity", daemon=True
        )
        self._proc.start()
        child_end.close()

    def submit(self, papers: Sequence[Paper], cfg: Config) -> _Background:
        """Send the papers' texts; returns self."""
        rows = [(p.id, p.title, p.abstract) for p in papers]
        self._conn.send((cfg.top_k, cfg.min_similarity, rows))
        return self

    def result(self, rep: Reporter) -> list[Edge]:
        """The similarity edges of the submitted papers."""
        with rep.stage("wait similarity") as st:
            try:
                answer = self._conn.recv()
            except EOFError:
                answer = None
            finally:
                self._conn.close()
                self._proc.join()
            st.set_note("TF-IDF and similarity ran in a second process")
        if answer is None:
            raise GraphkitError(
                f"the similarity process ended without an answer (exit code {self._proc.exitcode})",
                hint="Out of memory? Rerun with --workers 1 to do everything in one process.",
            )
        if answer[0] == "err":
            raise answer[1]
        _, found, timings, notes, self.text = answer
        for name, seconds in timings.items():
            rep.record(name, seconds, notes.get(name, ""))
        rep.record_peak("similarity process", float(notes.get("_peak_rss_mb", 0)))
        return found

    def cancel(self) -> None:
        """Stop the process (a build that failed, or a corpus too small to need it)."""
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()
        self._conn.close()


def _second_process(cfg: Config, n_papers: int) -> bool:
    """Whether to use a second process: ``workers`` ≥ 2 (0 = every core) and a corpus large
    enough to pay for it."""
    workers = cfg.workers or (os.cpu_count() or 1)
    return workers >= 2 and n_papers >= PARALLEL_MIN_PAPERS


def _start_similarity(
    papers: list[Paper], cfg: Config, rep: Reporter, started: _Background | None = None
) -> _Done | _Background:
    """The similarity job of ``papers``: in the (already ``started``, or new) second process
    when :func:`_second_process` says so, else computed here and now."""
    if _second_process(cfg, len(papers)):
        return (started or _Background()).submit(papers, cfg)
    if started is not None:
        started.cancel()  # fewer papers than the input size suggested
    keep: dict[str, Any] = {}
    found = similarity_stage(
        papers, top_k=cfg.top_k, min_similarity=cfg.min_similarity, reporter=rep, keep=keep
    )
    return _Done(found, keep.get("text"))


#: Inputs at least this big (bytes; compressed files count 4×) start the similarity process
#: before they are read (~5,000 arXiv-style records), so its start-up overlaps the reading.
PARALLEL_MIN_BYTES = 6_000_000


def _input_bytes(paths: Iterable[str]) -> int:
    """Rough size of the inputs (compressed files weighted 4×), for :data:`PARALLEL_MIN_BYTES`."""
    total = 0
    for p in map(Path, paths):
        files = [f for f in p.rglob("*") if f.is_file()] if p.is_dir() else [p]
        for f in files:
            try:
                size = f.stat().st_size
            except OSError:
                continue
            total += size * (4 if f.suffix.lower() in (".gz", ".bz2", ".xz", ".zip") else 1)
    return total


def _start_early(config: Config) -> _Background | None:
    """The similarity process, started before the input files are read when they look big
    enough to need it (the choice is confirmed once the papers are counted)."""
    if "similarity" not in config.edges or not config.paths:
        return None
    workers = config.workers or (os.cpu_count() or 1)
    if workers < 2 or _input_bytes(config.paths) < PARALLEL_MIN_BYTES:
        return None
    return _Background()


def _features_and_edges(
    papers: list[Paper], cfg: Config, rep: Reporter, similarity_job: _Done | _Background | None
) -> tuple[list[PaperFeatures], list[Edge], dict[str, dict[str, Any]], list[Any]]:
    """Features, keyword and mention edges and the method table here while ``similarity_job``
    runs; then its edges.  Edges come in the order keyword, similarity, mention."""
    from .edges import keyword_edges, mention_edges
    from .features import FeatureExtractor, method_table

    lexicon = _lexicon_if(cfg)
    with rep.stage("features", total=len(papers)) as st:
        extractor = FeatureExtractor(lexicon=cfg.lexicon)
        features = extractor.fit_transform(papers)
        st.advance(len(papers))
        n_mentions = sum(len(f.mentions) for f in features)
        st.set_note(f"{sum(len(f.defines) for f in features)} names defined, {n_mentions} mentions")

    edges: list[Edge] = []
    method_nodes: dict[str, dict[str, Any]] = {}
    if "keyword" in cfg.edges:
        with rep.stage("keyword", total=len(papers)) as st:
            found = keyword_edges(
                papers, features, max_term_df=cfg.max_term_df, top_k=cfg.keyword_top_k
            )
            st.advance(len(papers))
            st.set_note(f"{len(found):,} edges")
            edges.extend(found)
    mentioned: list[Edge] = []
    if "mention" in cfg.edges:  # before waiting for the similarity process
        with rep.stage("mention", total=len(papers)) as st:
            mentioned, method_nodes = mention_edges(
                papers, features, method_nodes=cfg.method_nodes, lexicon=lexicon
            )
            st.advance(len(papers))
            st.set_note(f"{len(mentioned):,} edges, {len(method_nodes):,} method nodes")
    with rep.stage("methods"):
        methods = method_table(papers, features, lexicon=lexicon)
    if similarity_job is not None:
        edges.extend(similarity_job.result(rep))
    edges.extend(mentioned)
    return features, edges, method_nodes, methods


def _citation_stage(papers: Sequence[Paper], cfg: Config, rep: Reporter) -> Any:
    """Citation edges and reference nodes (graphkit.edges.citation); nothing, and no stage,
    for a corpus without references."""
    from .edges.citation import CITATION_KINDS, CitationResult, citation_edges

    kinds = [k for k in CITATION_KINDS if k in cfg.edges]
    if not kinds or not any(p.references for p in papers):
        return CitationResult()
    with rep.stage("citation", total=len(papers)) as st:
        found = citation_edges(
            papers, kinds=kinds, top_k=cfg.top_k, min_cited=cfg.min_cited,
            reference_nodes=cfg.reference_nodes, max_df=cfg.max_term_df,
        )  # fmt: skip
        st.advance(len(papers))
        st.set_note(", ".join(f"{v:,} {k}" for k, v in found.counts.items()))
    return found


def _lexicon_if(cfg: Config):  # noqa: ANN201
    """The packaged lexicon when ``cfg.lexicon``, else None."""
    from .features import load_lexicon

    return load_lexicon() if cfg.lexicon else None


def build_graph(
    papers: Sequence[Paper],
    config: Config | None = None,
    *,
    reporter: Reporter | None = None,
    name: str = "",
    _similarity: _Background | None = None,
) -> BuildResult:
    """Turn papers into an analysed, styled graph (no files written).

    >>> from graphkit.model import Paper
    >>> ps = [Paper(id=f"t:{i}", title=t, abstract=a) for i, (t, a) in enumerate([
    ...     ("SpQR: sparse quantized LLM weights", "We quantize weights with GPTQ-style rounding."),
    ...     ("Quantizing LLM weights", "We compare with SpQR and GPTQ for weight quantization."),
    ... ])]
    >>> res = build_graph(ps)
    >>> res.graph.number_of_nodes() >= 2
    True
    """
    from .analysis import start_analysis
    from .graph import assemble_graph
    from .layout import compute_layout
    from .render import apply_style

    cfg = config or Config()
    rep = reporter or Reporter()
    papers = list(papers)

    similarity_job = None
    if "similarity" in cfg.edges:
        similarity_job = _start_similarity(papers, cfg, rep, started=_similarity)
    elif _similarity is not None:
        _similarity.cancel()

    try:
        features, edges, method_nodes, methods = _features_and_edges(
            papers, cfg, rep, similarity_job
        )
    except BaseException:
        if similarity_job is not None:
            similarity_job.cancel()
        raise

    cited = _citation_stage(papers, cfg, rep)
    with rep.stage("graph") as st:
        G = assemble_graph(
            papers, features, edges + cited.edges if cited.edges else edges,
            method_nodes=method_nodes, mix=cfg.mix,
            name=name, reference_nodes=cited.reference_nodes, keep_per_paper=cfg.top_k,
        )  # fmt: skip
        del edges
        st.set_note(f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    parallel = _second_process(cfg, len(papers))
    with rep.stage("analysis", total=G.number_of_nodes()) as st:
        pending = start_analysis(
            G,
            seed=cfg.seed,
            resolution=cfg.resolution,
            betweenness_exact_max=cfg.betweenness_exact_max,
            parallel=parallel,
        )
        st.advance(G.number_of_nodes())
        st.set_note(
            f"{G.graph.get('n_communities', 0)} communities, "
            f"modularity {G.graph.get('modularity', 0.0):.3f}"
            + ("; betweenness in a second process" if parallel else "")
        )
    try:
        with rep.stage("layout", total=G.number_of_nodes()) as st:
            compute_layout(G, seed=cfg.seed)
            st.advance(G.number_of_nodes())
    except BaseException:
        pending.cancel()
        raise
    if parallel:
        with rep.stage("wait betweenness"):
            pending.finish()
    else:
        pending.finish()
    apply_style(G, size_by=cfg.size_by)
    return BuildResult(
        graph=G,
        features=features,
        methods=methods,
        timings=dict(rep.timings),
        text=getattr(similarity_job, "text", None),
    )


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "graphkit": __version__}
    for dist in _VERSIONED:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "absent"
    return out


def edge_kind_counts(G: nx.Graph) -> dict[str, int]:
    """How many edges carry each kind (an edge with two kinds counts for both)."""
    counts: Counter[str] = Counter()
    for _, _, kinds in G.edges(data="kinds", default=""):
        counts.update(k for k in kinds.split(";") if k)
    return dict(sorted(counts.items()))


def _readable_summary(summary: dict[str, Any]) -> dict[str, str]:
    """The corpus summary as the short lines the report shows."""
    totals = summary.get("totals", {})
    years = summary.get("year_range") or []
    out = {
        "Input files": f"{totals.get('files', 0)} ("
        + ", ".join(sorted({f["format"] for f in summary.get("files", [])}))
        + ")",
        "Records read": f"{totals.get('records', 0)} ({summary.get('duplicates_merged', 0)} duplicates merged)",
        "Papers without abstract": str(summary.get("without_abstract", 0)),
    }
    if years:
        out["Years"] = f"{years[0]}–{years[-1]}"
    if summary.get("skipped"):
        out["Skipped files"] = str(len(summary["skipped"]))
    return out


_XML_FORMATS = ("graphml", "gexf")
_WRITE_ORDER = ("graphml", "gexf", "json", "index", "csv", "report", "html")
_SCANNED_FORMATS = ("graphml", "gexf", "json", "csv")


def _write_formats(
    G: nx.Graph,
    out: Path,
    fmts: Sequence[str],
    config: Config,
    name: str,
    corpus: Any,
    text: Any = None,
) -> dict[str, list[Path]]:
    """Write the outputs of ``fmts`` into ``out``; the paths written, by format.  Two or more
    graph files share one scan of ``G`` (see :func:`graphkit.export.scan_graph`)."""
    from .built import write_map
    from .export import scan_graph, write_csv, write_gexf, write_graphml, write_json
    from .report import report_markdown

    scan = scan_graph(G) if len(set(fmts) & set(_SCANNED_FORMATS)) >= 2 else None
    done: dict[str, list[Path]] = {}
    for fmt in fmts:
        paths = [out / f for f in OUTPUT_FILES[fmt]]
        if fmt == "graphml":
            write_graphml(G, paths[0], scan=scan)
        elif fmt == "gexf":
            write_gexf(G, paths[0], scan=scan)
        elif fmt == "json":
            write_json(G, paths[0], scan=scan)
        elif fmt == "csv":
            write_csv(G, *paths, scan=scan)
        elif fmt == "index":
            from .index import write_related_index

            write_related_index(G, paths[0], text=text, config=config)
        elif fmt == "report":
            md = report_markdown(G, corpus_summary=_readable_summary(corpus.summary()))
            atomic_write_bytes(paths[0], md.encode("utf-8"))
        elif fmt == "html":
            write_map(G, paths[0], config, name=name)
        done[fmt] = paths
    return done


def run_build(config: Config, *, reporter: Reporter | None = None) -> BuildResult:
    """Read ``config.paths``, build the graph and write the chosen outputs into ``config.out_dir``.

    Every file is written atomically; ``manifest.json`` is written last.
    """
    from . import export, render, report  # noqa: F401 -- imported once, before any fork
    from .built import remove_stale_outputs
    from .ingest.corpus import read_inputs

    rep = reporter or Reporter()
    started = time.time()
    early = _start_early(config)  # reads the files itself, meanwhile
    try:
        with rep.stage("read") as st:
            corpus = read_inputs(config)
            st.advance(corpus.n_records)
            st.set_note(f"{len(corpus.papers):,} papers from {len(corpus.files)} file(s)")
        # "." is named after the folder it is (the map's title), not "."
        name = ", ".join(Path(p).name or Path(p).resolve().name or str(p) for p in config.paths)
        result = build_graph(corpus.papers, config, reporter=rep, name=name, _similarity=early)
    except BaseException:
        if early is not None:
            early.cancel()
        raise
    result.corpus = corpus
    G = result.graph
    out = Path(config.out_dir)
    fmts = [f for f in _WRITE_ORDER if f in set(config.formats)]
    with rep.stage("write") as st:
        # GraphML and GEXF (the two XML files, about half the writing) in a forked child
        xml = [f for f in fmts if f in _XML_FORMATS] if _second_process(config, len(G)) else []
        xml += ["index"] if xml and "index" in fmts else []  # the index beside the XML files
        job = Forked(
            _write_formats, G, out, xml, config, name, corpus, fork=bool(xml), text=result.text
        )
        with job:
            rest = _write_formats(
                G, out, [f for f in fmts if f not in xml], config, name, corpus, text=result.text
            )
            done = {**job.result(), **rest}
        written = [path for f in fmts for path in done[f]]
        st.set_note(f"{len(written)} files" + (" (XML in a second process)" if xml else ""))
    manifest = {
        "graphkit": __version__,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "inputs": [
            {
                "path": f.path,
                "format": f.format,
                "papers": f.n_records,
                "sha256": _sha256(Path(f.path)),
            }
            for f in corpus.files
            if f.error is None
        ],
        "skipped": [{"path": f.path, "error": f.error} for f in corpus.skipped],
        "options": config.options(),
        "versions": _versions(),
        "counts": {
            "records": corpus.n_records,
            "papers": G.graph.get("n_papers", 0),
            "method_nodes": G.graph.get("n_methods", 0),
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "edges_by_kind": edge_kind_counts(G),
            "communities": G.graph.get("n_communities", 0),
            "modularity": G.graph.get("modularity", 0.0),
        },
        "outputs": [p.name for p in written],
        "timings_s": {k: round(v, 3) for k, v in rep.timings.items()},
        "worker_peak_rss_mb": dict(rep.peaks_mb),
        "total_s": round(time.time() - started, 3),
    }
    _stale = {n for names in OUTPUT_FILES.values() for n in names}
    remove_stale_outputs(out, written, _stale)  # a narrower --formats: out/ is from one build
    atomic_write_bytes(
        out / "manifest.json",
        orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS),
    )
    written.append(out / "manifest.json")
    result.written = written
    result.manifest = manifest
    result.timings = dict(rep.timings)
    return result
