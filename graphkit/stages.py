"""The stages of a build as the pipeline runs them: each takes the previous stage's value and
the options it needs, reports its progress, and returns the next value.

Edges come from the builders of :data:`EDGE_BUILDERS` (run in this process, one after the
other) and from the similarity stage (TF-IDF + top-k neighbours, which the pipeline may run in
a second process: its options cross the process boundary as a :class:`SimilarityOptions`).
To add a kind of edge, register a builder; edges are merged in the order of the table::

    register_edge_builder(EdgeBuilder("citation", CITATION_KINDS, citation_builder))

>>> list(EDGE_BUILDERS)
['keyword', 'similarity', 'mention', 'citation']
"""

from __future__ import annotations

import resource
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .model import CITATION_KINDS, Edge, Paper, PaperFeatures
from .progress import Reporter

__all__ = [
    "EdgeInputs",
    "BuiltEdges",
    "EdgeBuilder",
    "EDGE_BUILDERS",
    "register_edge_builder",
    "SimilarityOptions",
    "similarity_stage",
    "similarity_elsewhere",
    "SimilarityAnswer",
    "features_stage",
    "method_stage",
    "edges_stage",
]


@dataclass(frozen=True)
class EdgeInputs:
    """What an edge builder may read."""

    papers: Sequence[Paper]
    features: Sequence[PaperFeatures]
    config: Config
    lexicon: Any = None


@dataclass(frozen=True)
class BuiltEdges:
    """What an edge builder found: edges, and nodes of their own (method nodes, reference
    nodes: id → attributes); the similarity builder also leaves its text model (the TF-IDF
    vectoriser and matrix, a :class:`graphkit.index.TextModel`) for the related index."""

    edges: list[Edge] = field(default_factory=list)
    method_nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    reference_nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    text: Any = None


@dataclass(frozen=True)
class EdgeBuilder:
    """Edges of ``kinds``: ``build(inputs, reporter)`` times itself as a stage and returns
    what it found, or None when there is nothing to build from (then no stage is reported).
    It runs when one of its kinds is in ``Config.edges``."""

    name: str
    kinds: tuple[str, ...]
    build: Callable[[EdgeInputs, Reporter], BuiltEdges | None]

    def wanted(self, config: Config) -> bool:
        return any(k in config.edges for k in self.kinds)


def _keyword(inputs: EdgeInputs, rep: Reporter) -> BuiltEdges:
    from .edges import keyword_edges

    cfg = inputs.config
    with rep.stage("keyword", total=len(inputs.papers)) as st:
        found = keyword_edges(
            inputs.papers, inputs.features, max_term_df=cfg.max_term_df, top_k=cfg.keyword_top_k,
            min_shared=cfg.keyword_min_shared,
        )  # fmt: skip
        st.advance(len(inputs.papers))
        st.set_note(f"{len(found):,} edges")
    return BuiltEdges(found)


def _similarity(inputs: EdgeInputs, rep: Reporter) -> BuiltEdges:
    found, text = similarity_stage(inputs.papers, SimilarityOptions.of(inputs.config), rep)
    return BuiltEdges(found, text=text)


def _mention(inputs: EdgeInputs, rep: Reporter) -> BuiltEdges:
    from .edges import mention_edges

    with rep.stage("mention", total=len(inputs.papers)) as st:
        found, nodes = mention_edges(
            inputs.papers,
            inputs.features,
            method_nodes=inputs.config.method_nodes,
            lexicon=inputs.lexicon,
        )
        st.advance(len(inputs.papers))
        st.set_note(f"{len(found):,} edges, {len(nodes):,} method nodes")
    return BuiltEdges(found, method_nodes=nodes)


def _citation(inputs: EdgeInputs, rep: Reporter) -> BuiltEdges | None:
    """Citation edges and reference nodes (:mod:`graphkit.edges.citation`); None for a corpus
    without references."""
    from .edges.citation import citation_edges

    cfg, papers = inputs.config, inputs.papers
    kinds = [k for k in CITATION_KINDS if k in cfg.edges]
    if not any(p.references for p in papers):
        return None
    with rep.stage("citation", total=len(papers)) as st:
        found = citation_edges(
            papers, kinds=kinds, top_k=cfg.top_k, min_cited=cfg.min_cited,
            reference_nodes=cfg.reference_nodes, max_df=cfg.max_term_df,
        )  # fmt: skip
        st.advance(len(papers))
        st.set_note(", ".join(f"{v:,} {k}" for k, v in found.counts.items()))
    return BuiltEdges(found.edges, reference_nodes=found.reference_nodes)


#: Every edge builder, by name, in the order their edges are merged.
EDGE_BUILDERS: dict[str, EdgeBuilder] = {}


def register_edge_builder(builder: EdgeBuilder) -> EdgeBuilder:
    """Add ``builder`` to :data:`EDGE_BUILDERS` (last; one of the same name is replaced in
    place) and return it."""
    EDGE_BUILDERS[builder.name] = builder
    return builder


register_edge_builder(EdgeBuilder("keyword", ("keyword",), _keyword))
register_edge_builder(EdgeBuilder("similarity", ("similarity",), _similarity))
register_edge_builder(EdgeBuilder("mention", ("mention",), _mention))
register_edge_builder(EdgeBuilder("citation", CITATION_KINDS, _citation))


def features_stage(
    papers: Sequence[Paper], cfg: Config, rep: Reporter, *, forked: bool = False
) -> tuple[list[PaperFeatures], Any]:
    """Features of every paper, and the lexicon used (None without ``cfg.lexicon``);
    ``forked``: the per-paper work shared with a forked child (the same features)."""
    from .features import FeatureExtractor, load_lexicon
    from .parallel import can_fork

    lexicon = load_lexicon() if cfg.lexicon else None
    forked = forked and can_fork()
    with rep.stage("features", total=len(papers)) as st:
        extractor = FeatureExtractor(lexicon=cfg.lexicon, processes=2 if forked else 1)
        features = extractor.fit_transform(papers)
        st.advance(len(papers))
        n_defined = sum(len(f.defines) for f in features)
        n_mentions = sum(len(f.mentions) for f in features)
        st.set_note(
            f"{n_defined} names defined, {n_mentions} mentions"
            + ("; per-paper work shared with a second process" if forked else "")
        )
    return features, lexicon


def method_stage(
    papers: Sequence[Paper], features: Sequence[PaperFeatures], lexicon: Any, rep: Reporter
) -> list[Any]:
    """The method table (names introduced or mentioned, with their papers)."""
    from .features import method_table

    with rep.stage("methods"):
        return method_table(papers, features, lexicon=lexicon)


def edges_stage(
    inputs: EdgeInputs,
    rep: Reporter,
    *,
    elsewhere: Mapping[str, Callable[[], BuiltEdges]] | None = None,
) -> BuiltEdges:
    """Every wanted builder's edges (in :data:`EDGE_BUILDERS` order) and nodes.  Builders
    named in ``elsewhere`` run as jobs started before: their results are collected (by calling
    the function given) after the other builders ran."""
    elsewhere = elsewhere or {}
    found: dict[str, BuiltEdges | None] = {}
    for name, builder in EDGE_BUILDERS.items():
        if builder.wanted(inputs.config) and name not in elsewhere:
            found[name] = builder.build(inputs, rep)
    for name, collect in elsewhere.items():
        found[name] = collect()
    done = [found[name] for name in EDGE_BUILDERS if found.get(name) is not None]
    return BuiltEdges(
        [e for b in done for e in b.edges],
        {k: v for b in done for k, v in b.method_nodes.items()},
        {k: v for b in done for k, v in b.reference_nodes.items()},
        text=next((b.text for b in done if b.text is not None), None),
    )


# --------------------------------------------------------------------------- similarity


@dataclass(frozen=True)
class SimilarityOptions:
    """The options of the similarity stage (what crosses to a second process with the texts).
    ``keep_text``: also return the text model (when the related index is written)."""

    top_k: int
    min_similarity: float
    keep_text: bool = True

    @classmethod
    def of(cls, cfg: Config) -> SimilarityOptions:
        return cls(
            top_k=cfg.top_k, min_similarity=cfg.min_similarity, keep_text="index" in cfg.formats
        )


def similarity_stage(
    papers: Sequence[Paper], options: SimilarityOptions, rep: Reporter
) -> tuple[list[Edge], Any]:
    """TF-IDF over title + abstract, then each paper's top-k most similar papers; the edges,
    and the text model (:class:`graphkit.index.TextModel`, None unless ``options.keep_text``)."""
    from .edges import similarity_edges
    from .features.text import TextVectorizer

    with rep.stage("tf-idf", total=len(papers)) as st:
        vectorizer = TextVectorizer()
        X = vectorizer.fit_transform(papers)
        st.advance(len(papers))
        st.set_note(f"{X.shape[0]:,} × {X.shape[1]:,}, {X.nnz:,} non-zeros")
    text = None
    if options.keep_text:
        from .index import TextModel

        text = TextModel.from_vectorizer(vectorizer, X, [p.id for p in papers])
    with rep.stage("similarity", total=len(papers)) as st:
        found = similarity_edges(
            X,
            [p.id for p in papers],
            top_k=options.top_k,
            min_similarity=options.min_similarity,
            feature_names=vectorizer.feature_names_,
        )
        st.advance(len(papers))
        st.set_note(f"{len(found):,} edges")
    return found, text


class _Recorder(Reporter):
    """A silent reporter that keeps each stage's note (for the parent to report)."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: dict[str, str] = {}

    def _end(self, stage, elapsed):  # noqa: ANN001
        self.notes[stage.name] = stage.note


@dataclass(frozen=True)
class SimilarityAnswer:
    """What :func:`similarity_elsewhere` sends back: the edges, the text model (for the
    related index; None unless asked for), and for the parent's progress report each stage's
    time and note and the process's peak memory."""

    edges: list[Edge]
    timings: dict[str, float]
    notes: dict[str, str]
    peak_rss_mb: float
    text: Any = None


def similarity_elsewhere(
    options: SimilarityOptions, rows: Sequence[tuple[str, str, str]]
) -> SimilarityAnswer:
    """:func:`similarity_stage` of the papers ``rows`` (``(id, title, abstract)``: strings
    pickle ~10× faster than papers), as run in a second process."""
    rep = _Recorder()
    papers = [Paper(id=i, title=t, abstract=a) for i, t, a in rows]
    found, text = similarity_stage(papers, options, rep)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = float(f"{peak_kb / 1024:.0f}")
    return SimilarityAnswer(found, dict(rep.timings), rep.notes, peak, text=text)
