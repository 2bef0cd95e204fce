"""The stages of a build as the pipeline runs them: each takes the previous stage's value and
the options it needs, reports its progress, and returns the next value.

Edges come from the builders of :data:`EDGE_BUILDERS` (run in this process, one after the
other) and from the similarity stage (TF-IDF + top-k neighbours, which the pipeline may run in
a second process: its options cross the process boundary as a :class:`SimilarityOptions`).
To add a kind of edge, register a builder; its edges are merged with the others in the order
of :data:`graphkit.model.EDGE_KINDS` (unknown kinds last)::

    register_edge_builder(EdgeBuilder("citation", citation_builder, nodes="reference nodes"))

>>> sorted(EDGE_BUILDERS)
['keyword', 'mention']
"""

from __future__ import annotations

import resource
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .config import Config
from .model import EDGE_KINDS, Edge, Paper, PaperFeatures
from .progress import Reporter

__all__ = [
    "EdgeInputs",
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
    "in_kind_order",
]

#: Nodes an edge builder adds besides the papers (method nodes, …): id → attributes.
ExtraNodes = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class EdgeInputs:
    """What an edge builder may read."""

    papers: Sequence[Paper]
    features: Sequence[PaperFeatures]
    config: Config
    lexicon: Any = None


@dataclass(frozen=True)
class EdgeBuilder:
    """A kind of edge: ``build(inputs)`` returns the edges and any nodes of their own
    (``nodes`` names those in the progress note)."""

    kind: str
    build: Callable[[EdgeInputs], tuple[list[Edge], ExtraNodes]]
    nodes: str = "nodes"


def _keyword(inputs: EdgeInputs) -> tuple[list[Edge], ExtraNodes]:
    from .edges import keyword_edges

    cfg = inputs.config
    found = keyword_edges(
        inputs.papers, inputs.features, max_term_df=cfg.max_term_df, top_k=cfg.keyword_top_k
    )
    return found, {}


def _mention(inputs: EdgeInputs) -> tuple[list[Edge], ExtraNodes]:
    from .edges import mention_edges

    return mention_edges(
        inputs.papers,
        inputs.features,
        method_nodes=inputs.config.method_nodes,
        lexicon=inputs.lexicon,
    )


#: The edge builders run in this process, by kind (similarity has its own stage).
EDGE_BUILDERS: dict[str, EdgeBuilder] = {}


def register_edge_builder(builder: EdgeBuilder) -> EdgeBuilder:
    """Add ``builder`` to :data:`EDGE_BUILDERS` (replacing one of the same kind)."""
    EDGE_BUILDERS[builder.kind] = builder
    return builder


register_edge_builder(EdgeBuilder("keyword", _keyword))
register_edge_builder(EdgeBuilder("mention", _mention, nodes="method nodes"))


def features_stage(
    papers: Sequence[Paper], cfg: Config, rep: Reporter
) -> tuple[list[PaperFeatures], Any]:
    """Features of every paper, and the lexicon used (None without ``cfg.lexicon``)."""
    from .features import FeatureExtractor, load_lexicon

    lexicon = load_lexicon() if cfg.lexicon else None
    with rep.stage("features", total=len(papers)) as st:
        features = FeatureExtractor(lexicon=cfg.lexicon).fit_transform(papers)
        st.advance(len(papers))
        n_defined = sum(len(f.defines) for f in features)
        n_mentions = sum(len(f.mentions) for f in features)
        st.set_note(f"{n_defined} names defined, {n_mentions} mentions")
    return features, lexicon


def method_stage(
    papers: Sequence[Paper], features: Sequence[PaperFeatures], lexicon: Any, rep: Reporter
) -> list[Any]:
    """The method table (names introduced or mentioned, with their papers)."""
    from .features import method_table

    with rep.stage("methods"):
        return method_table(papers, features, lexicon=lexicon)


def edges_stage(inputs: EdgeInputs, rep: Reporter) -> tuple[dict[str, list[Edge]], ExtraNodes]:
    """The edges of every kind in ``inputs.config.edges`` that has a builder, by kind, and the
    nodes the builders add."""
    found: dict[str, list[Edge]] = {}
    nodes: ExtraNodes = {}
    n = len(inputs.papers)
    for kind, builder in EDGE_BUILDERS.items():
        if kind not in inputs.config.edges:
            continue
        with rep.stage(kind, total=n) as st:
            edges, extra = builder.build(inputs)
            st.advance(n)
            note = f"{len(edges):,} edges"
            st.set_note(note + (f", {len(extra):,} {builder.nodes}" if extra else ""))
        found[kind] = edges
        nodes.update(extra)
    return found, nodes


def in_kind_order(found: Mapping[str, list[Edge]]) -> list[Edge]:
    """All edges of ``found``, kinds in :data:`~graphkit.model.EDGE_KINDS` order (others after)."""
    kinds = [k for k in EDGE_KINDS if k in found] + sorted(k for k in found if k not in EDGE_KINDS)
    return [e for k in kinds for e in found[k]]


# --------------------------------------------------------------------------- similarity


@dataclass(frozen=True)
class SimilarityOptions:
    """The options of the similarity stage (what crosses to a second process with the texts)."""

    top_k: int
    min_similarity: float

    @classmethod
    def of(cls, cfg: Config) -> SimilarityOptions:
        return cls(top_k=cfg.top_k, min_similarity=cfg.min_similarity)


def similarity_stage(
    papers: Sequence[Paper], options: SimilarityOptions, rep: Reporter
) -> list[Edge]:
    """TF-IDF over title + abstract, then each paper's top-k most similar papers."""
    from .edges import similarity_edges
    from .features.text import TextVectorizer

    with rep.stage("tf-idf", total=len(papers)) as st:
        vectorizer = TextVectorizer()
        X = vectorizer.fit_transform(papers)
        st.advance(len(papers))
        st.set_note(f"{X.shape[0]:,} × {X.shape[1]:,}, {X.nnz:,} non-zeros")
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
    return found


class _Recorder(Reporter):
    """A silent reporter that keeps each stage's note (for the parent to report)."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: dict[str, str] = {}

    def _end(self, stage, elapsed):  # noqa: ANN001
        self.notes[stage.name] = stage.note


@dataclass(frozen=True)
class SimilarityAnswer:
    """What :func:`similarity_elsewhere` sends back: the edges, and for the parent's progress
    report each stage's time and note and the process's peak memory."""

    edges: list[Edge]
    timings: dict[str, float]
    notes: dict[str, str]
    peak_rss_mb: float


def similarity_elsewhere(
    options: SimilarityOptions, rows: Sequence[tuple[str, str, str]]
) -> SimilarityAnswer:
    """:func:`similarity_stage` of the papers ``rows`` (``(id, title, abstract)``: strings
    pickle ~10× faster than papers), as run in a second process."""
    rep = _Recorder()
    papers = [Paper(id=i, title=t, abstract=a) for i, t, a in rows]
    found = similarity_stage(papers, options, rep)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return SimilarityAnswer(found, dict(rep.timings), rep.notes, float(f"{peak_kb / 1024:.0f}"))
