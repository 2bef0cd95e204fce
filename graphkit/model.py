"""The records passed between pipeline stages (see DESIGN.md).

``Paper`` is the corpus record every reader yields; ``Definition``/``Mention``/``PaperFeatures``
are what the feature stage produces; ``Edge`` is what every edge builder returns.  All are
frozen dataclasses of plain values, so they hash, compare and serialise predictably.

>>> p = Paper(id="2306.03078", title="SpQR: A Sparse-Quantized Representation")
>>> p.abstract, p.authors, p.year
('', (), None)
>>> Edge("a", "b", kind="keyword", weight=0.5, terms=("sparsegpt",)).pair
('a', 'b')
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Paper",
    "Definition",
    "Mention",
    "PaperFeatures",
    "Edge",
    "EDGE_KINDS",
    "CITATION_KINDS",
    "METHOD_PREFIX",
]

#: The three edge kinds, in the order they are built and reported.
EDGE_KINDS: tuple[str, ...] = ("keyword", "similarity", "mention")

#: The citation edge kinds (built where papers carry references; see graphkit.edges.citation).
CITATION_KINDS: tuple[str, ...] = ("cites", "cocitation", "coupling")

#: Node-ID prefix of method nodes (names mentioned but introduced by no paper in the corpus).
METHOD_PREFIX = "method:"


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper, whatever file format it came from.

    ``id`` is stable across runs and machines: ``arxiv:<id>`` or ``doi:<doi>`` where known,
    else ``t:<12 hex chars>`` (hash of the normalised title).  ``date`` is the date as written
    in the source; ``year``/``iso_date`` are filled where the source makes them certain.
    ``sources`` lists ``"<path>:<line>"`` (or ``"<path>#<record>"``) for every place the paper
    was read from.  ``references`` are the works it cites, as reference keys
    (:mod:`graphkit.ingest.refs`: ``doi:…``, ``arxiv:…``, ``openalex:W…``, ``s2:…``, ``pmid:…``,
    ``wos:…`` or a ``ref:`` cited-reference key); ``ids`` the keys it is known by besides its
    arXiv ID and DOI (OpenAlex/S2/WoS IDs, its own ``ref:`` key); ``cited_by_count`` the
    citation count its source gives; ``reference_titles`` ``(key, title)`` pairs for the
    references whose source names the work (S2/Crossref titles, a WoS/Scopus cited-reference
    string), which reference nodes show; ``venue`` the journal, conference or source title
    as the record writes it (:func:`graphkit.index.records.venue_key` is how venues compare).
    """

    id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    n_authors: int | None = None
    date: str = ""
    year: int | None = None
    iso_date: str = ""
    upvotes: int | None = None
    organization: str = ""
    url: str = ""
    arxiv_id: str = ""
    doi: str = ""
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    cited_by_count: int | None = None
    reference_titles: tuple[tuple[str, str], ...] = ()
    venue: str = ""


@dataclass(frozen=True, slots=True)
class Definition:
    """A name a paper introduces. ``how`` says which rule found it
    ("title", "acronym", "verb", "dubbed")."""

    name: str
    aliases: tuple[str, ...] = ()
    how: str = ""
    full_name: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A known name a paper refers to but does not introduce.

    ``name`` is canonical ("Llama"), ``surface`` as written ("Llama 3.1 8B"), ``sentence`` the
    sentence it occurs in; ``kind`` is "method", "model", "dataset" or "benchmark";
    ``source`` is where the name is known from: "corpus", "lexicon" or "candidate";
    ``family`` the name it is a version of ("GPT-4o" -> "GPT-4", "CLIP-score" -> "CLIP"), or ''.
    """

    name: str
    surface: str
    sentence: str
    kind: str = "method"
    source: str = "lexicon"
    family: str = ""


@dataclass(frozen=True, slots=True)
class PaperFeatures:
    """Everything the feature stage says about one paper."""

    paper_id: str
    defines: tuple[Definition, ...] = ()
    mentions: tuple[Mention, ...] = ()
    keyphrases: tuple[str, ...] = ()

    @property
    def short_name(self) -> str:
        """The first name the paper defines, or '' (used as its label on the map)."""
        return self.defines[0].name if self.defines else ""


@dataclass(frozen=True, slots=True)
class Edge:
    """One link found by one builder.

    ``kind`` is one of ``EDGE_KINDS`` or ``CITATION_KINDS``.  ``terms`` are the shared terms (keyword), the terms
    contributing most (similarity) or the mentioned name (mention).  ``score`` is the cosine for
    similarity edges.  ``evidence`` is a sentence a person reads (the mention sentence).
    Mention edges are directed ``source`` (the mentioning paper) → ``target`` (the paper or
    method node that introduced the name), as are ``cites`` edges (citing → cited); other
    kinds are undirected.
    """

    source: str
    target: str
    kind: str
    weight: float
    terms: tuple[str, ...] = ()
    score: float | None = None
    evidence: str = ""
    directed: bool = False
    extra: dict[str, str | int | float | bool] = field(default_factory=dict, compare=False)

    @property
    def pair(self) -> tuple[str, str]:
        """The node pair in a canonical (sorted) order."""
        return (
            (self.source, self.target) if self.source <= self.target else (self.target, self.source)
        )
