"""The related index in memory: :class:`RelatedIndex` (what ``related`` queries) and
:class:`TextModel` (the build's text vectors, handed over by the similarity stage), with the
comparison keys of names and authors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # scipy only where matrices are built: a loaded index is numpy (csr.Csr)
    import scipy.sparse as sp

__all__ = ["TextModel", "RelatedIndex", "author_key", "lookup_key", "venue_key"]


def _strip_accents(s: str) -> str:
    import unicodedata  # noqa: PLC0415

    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def author_key(name: str) -> str:
    """A person's comparison key: surname and first initial, lower case, letters only.

    >>> author_key("Frishammar, J"), author_key("Johan Frishammar"), author_key("J. Frishammar")
    ('frishammar j', 'frishammar j', 'frishammar j')
    """
    name = str(name).casefold().strip()
    if "," in name:
        surname, first = name.split(",", 1)
    else:
        parts = name.replace(".", ". ").split()
        surname, first = (parts[-1], parts[0]) if len(parts) > 1 else (name, "")
    surname = re.sub(r"[^\w]|\d|_", "", surname)
    first = re.sub(r"[^\w]|\d|_", "", first)[:1]
    return f"{surname} {first}".strip() if surname else ""


def lookup_key(text: str) -> str:
    """How names and titles are compared: case-folded, spaces collapsed.

    >>> lookup_key("  SpQR:  A Sparse ")
    'spqr: a sparse'
    """
    return " ".join(str(text).casefold().split())


_VENUE_WORDS = (
    (re.compile(r"&|\+"), " and "),
    (re.compile(r"\bproc\b\.?"), " proceedings "),
    (re.compile(r"\b(?:trans)\b\.?"), " transactions "),
    (re.compile(r"\b(?:j)\b\.?"), " journal "),
    (re.compile(r"\b(?:int|intl)\b\.?"), " international "),
    (re.compile(r"\bconf\b\.?"), " conference "),
)
#: Words that do not tell venues apart ("Proceedings of the ...", "The Journal of ...").
_VENUE_FILLER = frozenset({"the", "of", "on", "in", "for", "and", "a", "an", "proceedings"})
_VENUE_DROP = re.compile(r"\([^)]*\)|\d+(?:st|nd|rd|th)?\b|[^\w\s]|_")


def venue_key(venue: str) -> str:
    """How venues compare: case, accents, punctuation, "&"/"and", "Proc."/"Proceedings of",
    common abbreviations ("J.", "Trans.", "Int.", "Conf."), numbers (years, volumes, "35th")
    and parenthesised parts do not count.

    >>> venue_key("IEEE Trans. Smart Grid"), venue_key("IEEE TRANSACTIONS ON SMART GRID")
    ('ieee transactions smart grid', 'ieee transactions smart grid')
    >>> venue_key("Proc. 35th Int. Conf. on Machine Learning (ICML 2018)")
    'international conference machine learning'
    >>> venue_key("Proceedings of the International Conference on Machine Learning")
    'international conference machine learning'
    >>> venue_key("Research Policy") == venue_key("RESEARCH POLICY"), venue_key("2019")
    (True, '')
    """
    text = _strip_accents(str(venue)).casefold()
    for pattern, repl in _VENUE_WORDS:
        text = pattern.sub(repl, text)
    words = _VENUE_DROP.sub(" ", text).split()
    if not any(c.isalpha() for w in words for c in w):
        return ""
    return " ".join([w for w in words if w not in _VENUE_FILLER] or words)


# ---------------------------------------------------------------------------------------------
# the text model handed over by the similarity stage
# ---------------------------------------------------------------------------------------------


@dataclass
class TextModel:
    """The build's text vectors and what is needed to vectorise a query the same way.

    ``X`` has one L2-normalised row per entry of ``ids``; ``terms`` are the column names
    (sorted); ``options`` the analyser settings of scikit-learn's vectoriser.
    """

    ids: list[str]
    X: Any  # sp.csr_matrix | Csr
    terms: list[str]
    idf: np.ndarray
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_vectorizer(cls, vectorizer: Any, X: sp.spmatrix, ids: Sequence[str]) -> TextModel:
        """From a fitted :class:`~graphkit.features.text.TextVectorizer` and its matrix."""
        vec = getattr(vectorizer, "_vec", None)
        options: dict[str, Any] = {"title_weight": int(getattr(vectorizer, "title_weight", 2))}
        if vec is not None:
            stop = vec.get_stop_words()
            options.update(
                lowercase=bool(vec.lowercase),
                strip_accents=vec.strip_accents,
                stop_words=sorted(stop) if stop else [],
                ngram_range=list(vec.ngram_range),
                token_pattern=vec.token_pattern,
            )
        import scipy.sparse as sp  # noqa: PLC0415

        return cls(
            ids=list(ids),
            X=sp.csr_matrix(X, dtype=np.float32),
            terms=[str(t) for t in getattr(vectorizer, "feature_names_", [])],
            idf=np.asarray(getattr(vectorizer, "idf_", []), dtype=np.float32),
            options=options,
        )

    @classmethod
    def fit(cls, ids: Sequence[str], titles: Sequence[str], abstracts: Sequence[str]) -> TextModel:
        """Fit the build's text vectoriser here (for a graph from an older build)."""
        from ..features.text import TextVectorizer  # noqa: PLC0415
        from ..model import Paper  # noqa: PLC0415

        papers = [
            Paper(id=i, title=t, abstract=a) for i, t, a in zip(ids, titles, abstracts, strict=True)
        ]
        vec = TextVectorizer()
        X = vec.fit_transform(papers)
        return cls.from_vectorizer(vec, X, ids)


# ---------------------------------------------------------------------------------------------
# the index
# ---------------------------------------------------------------------------------------------


@dataclass
class RelatedIndex:
    """Everything ``related`` needs, as arrays.  Nodes ``0 .. n_papers-1`` are papers.

    The matrices (``X``, ``authors``, ``adj``) are scipy CSR matrices in an index built in
    memory and :class:`~graphkit.index.csr.Csr` in a loaded one; queries read them through
    :mod:`graphkit.index.csr`, which takes both."""

    ids: list[str]
    labels: list[str]
    titles: list[str]
    kinds: list[str]
    years: np.ndarray
    dois: list[str]
    arxiv: list[str]
    name_keys: list[str]
    name_nodes: np.ndarray
    title_keys: list[str]
    title_nodes: np.ndarray
    n_papers: int
    X: Any  # sp.csr_matrix | Csr
    terms: list[str]
    idf: np.ndarray
    options: dict[str, Any]
    authors: Any
    author_keys: list[str]
    adj: Any
    adj_edge: np.ndarray
    edge_kinds: list[str]
    reasons_blob: Any = b""
    reasons_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    cite_edges: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    cite_dir: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    cite_fwd: list[str] = field(default_factory=list)
    cite_back: list[str] = field(default_factory=list)
    embeddings: np.ndarray | None = None
    embedding_model: str = ""
    #: Each edge's TF-IDF cosine (0 for an edge without a similarity link); None in an index
    #: written before it was kept (then a query finds a paper's nearest texts the long way).
    edge_sim: np.ndarray | None = None
    #: Each node's venue number (-1: none) and each venue's display form (the first spelling
    #: of its :func:`venue_key` in node order); empty in a corpus without venues.
    venue_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    venues: Sequence[str] = field(default_factory=list)
    #: Each paper's low-rank text vector (LSA, unit rows, float16; :mod:`graphkit.index.lsa`),
    #: None in an index without one.
    lsa: np.ndarray | None = None
    #: Each node's citation count as its record gives it (-1: none); empty in a corpus
    #: without counts.
    cited_by: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    _pos: dict[str, int] | int | None = field(default=None, repr=False)
    _stop: frozenset[str] | None = field(default=None, repr=False)
    _degree: np.ndarray | None = field(default=None, repr=False)
    _memo: tuple[Any, np.ndarray] | None = field(default=None, repr=False)
    _venue_rarity: np.ndarray | None = field(default=None, repr=False)
    _bm25: np.ndarray | None = field(default=None, repr=False)
    _lsa32: np.ndarray | None = field(default=None, repr=False)
    _popularity: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    def position(self, node_id: str) -> int | None:
        """Row of ``node_id``, or None.  The first few look-ups scan the IDs (a one-query
        process does not build a dict of 100k IDs); later ones use a dict."""
        pos = self._pos
        if isinstance(pos, dict):
            return pos.get(node_id)
        self._pos = (pos or 0) + 1
        if self._pos > 3:
            self._pos = {n: i for i, n in enumerate(self.ids)}
            return self._pos.get(node_id)
        try:
            return self.ids.index(node_id)  # node IDs are unique
        except ValueError:
            return None

    def edge_reasons(self, edge: int) -> tuple[str, ...]:
        """The reasons of edge number ``edge`` (decoded on demand)."""
        a, b = int(self.reasons_offsets[edge]), int(self.reasons_offsets[edge + 1])
        text = bytes(self.reasons_blob[a:b]).decode("utf-8")
        return tuple(r for r in text.split("\n") if r)

    def citation(self, a: int, b: int, edge: int) -> tuple[str, str] | None:
        """How node ``a`` and node ``b`` (joined by edge number ``edge``) cite each other, seen
        from ``a``: ``("cites", key)``, ``("cited by", key)``, ``("cites; cited by", keys)``,
        or None; ``key`` is the reference as the citing record wrote it."""
        k = int(np.searchsorted(self.cite_edges, edge))
        if k >= len(self.cite_edges) or int(self.cite_edges[k]) != edge:
            return None
        bits = int(self.cite_dir[k])
        out_bit, in_bit = (1, 2) if a < b else (2, 1)  # bit 1: the lower node cites the higher
        out_key, in_key = (
            (self.cite_fwd[k], self.cite_back[k])
            if a < b
            else (self.cite_back[k], self.cite_fwd[k])
        )
        if bits & out_bit and bits & in_bit:
            keys = "; ".join(dict.fromkeys(k for k in (out_key, in_key) if k))
            return "cites; cited by", keys
        if bits & out_bit:
            return "cites", out_key
        if bits & in_bit:
            return "cited by", in_key
        return None

    def lookup(self, key: str, *, titles: bool = False) -> list[int]:
        """Nodes whose name (or title) has the :func:`lookup_key` ``key``, in node order."""
        import bisect  # noqa: PLC0415

        keys, nodes = (
            (self.title_keys, self.title_nodes) if titles else (self.name_keys, self.name_nodes)
        )
        lo = bisect.bisect_left(keys, key)
        hi = bisect.bisect_right(keys, key, lo=lo)
        return sorted(int(n) for n in nodes[lo:hi])

    def analyse(self, text: str) -> list[str]:
        """The terms of ``text`` as the build's vectoriser sees them (scikit-learn's word
        analyser, re-done here so a query does not import scikit-learn)."""
        opts = self.options
        if opts.get("strip_accents") == "unicode":
            text = _strip_accents(text)
        if opts.get("lowercase", True):
            text = text.lower()
        if self._stop is None:
            self._stop = frozenset(opts.get("stop_words") or ())
        pattern = re.compile(opts.get("token_pattern") or r"(?u)\b\w\w+\b")
        tokens = [t for t in pattern.findall(text) if t not in self._stop]
        lo, hi = opts.get("ngram_range") or (1, 1)
        out = list(tokens) if lo == 1 else []
        for n in range(max(2, lo), min(hi, len(tokens)) + 1):
            out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return out

    def term_ids(self, terms: Sequence[str]) -> list[int]:
        """Columns of the ``terms`` that are in the vocabulary (binary search, sorted terms)."""
        import bisect  # noqa: PLC0415

        out = []
        for t in terms:
            i = bisect.bisect_left(self.terms, t)
            if i < len(self.terms) and self.terms[i] == t:
                out.append(i)
        return out
