"""The compact index ``graphkit related`` reads instead of graph.json.

``build`` writes ``related.npz`` beside graph.json: one uncompressed zip of ``.npy`` arrays
(what :func:`numpy.load` reads), with fixed member timestamps so identical builds give
identical bytes.  It holds, per node (papers first, then method/reference nodes):

- ``ids``, ``labels``, ``titles``, ``kinds``, ``years``, ``dois``, ``arxiv`` and ``names``
  (short names, defined names, method labels, old title-hash IDs) — what a query is resolved
  against;
- the text matrix of the build (one row per node, the similarity stage's TF-IDF rows; empty for
  method nodes), its vocabulary (sorted, as scikit-learn numbers it), idf and analyser options,
  so free text is vectorised the way papers were;
- an author incidence matrix (normalised "surname initial" keys);
- the weighted adjacency (CSR, combined edge weight) with each entry's edge number and the
  reasons of every edge, rendered once at build time;
- the citations: the edges that carry ``cites``, which end cites which, and the reference key
  as the citing record wrote it (so ``related`` can say "cites" / "cited by" from the query's
  side);
- optionally, unit-length sentence embeddings of the papers (``--embeddings``).

Strings are stored as one UTF-8 blob plus offsets; the reasons are decoded only for the edges
a query shows.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("a", kind="paper", title="Speculative decoding", abstract="Draft then verify.")
>>> G.add_node("b", kind="paper", title="Draft models", abstract="Speculative decoding drafts.")
>>> G.add_edge("a", "b", weight=0.5, kinds="similarity", similarity=0.5)
>>> idx = build_index(G)
>>> idx.ids, idx.n_papers, idx.edge_reasons(0)
(['a', 'b'], 2, ('text similarity 0.50',))
"""

from __future__ import annotations

import hashlib
import io
import logging
import mmap
import re
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import scipy.sparse as sp

from .errors import GraphFileError, GraphkitError
from .fileio import atomic_writer
from .schema import LIST_SEP

if TYPE_CHECKING:  # networkx only for indexing a graph: `related` loads without it
    import networkx as nx

__all__ = [
    "INDEX_NAME",
    "TextModel",
    "RelatedIndex",
    "build_index",
    "write_index",
    "write_related_index",
    "load_index",
    "index_path_for",
    "open_index",
    "author_key",
]

log = logging.getLogger(__name__)

#: File name of the index inside an output folder.
INDEX_NAME = "related.npz"
#: Bumped whenever the arrays change meaning; older files are refused with a rebuild hint.
FORMAT_VERSION = 3
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SEP = LIST_SEP.strip()


def _strip_accents(s: str) -> str:
    import unicodedata  # noqa: PLC0415

    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _split(value: Any) -> list[str]:
    return [s.strip() for s in str(value or "").split(_SEP) if s.strip()]


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


def _aliases(d: dict[str, Any]) -> list[str]:
    """Every ID the paper with attributes ``d`` can have had (``t:`` title hash, ``doi:``,
    ``arxiv:``): an ID from an earlier build still finds it."""
    from .ingest.normalise import paper_ids  # noqa: PLC0415

    return paper_ids(
        arxiv_id=str(d.get("arxiv_id") or ""),
        doi=str(d.get("doi") or ""),
        title=str(d.get("title") or ""),
    )


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
    X: sp.csr_matrix
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
        from .features.text import TextVectorizer  # noqa: PLC0415
        from .model import Paper  # noqa: PLC0415

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
    """Everything ``related`` needs, as arrays.  Nodes ``0 .. n_papers-1`` are papers."""

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
    X: sp.csr_matrix
    terms: list[str]
    idf: np.ndarray
    options: dict[str, Any]
    authors: sp.csr_matrix
    author_keys: list[str]
    adj: sp.csr_matrix
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
    _pos: dict[str, int] | None = field(default=None, repr=False)
    _stop: frozenset[str] | None = field(default=None, repr=False)
    _degree: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    def position(self, node_id: str) -> int | None:
        """Row of ``node_id``, or None."""
        if self._pos is None:
            self._pos = {n: i for i, n in enumerate(self.ids)}
        return self._pos.get(node_id)

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


_KNOWN_KINDS = frozenset({"keyword", "similarity", "mention", "cites", "cocitation", "coupling"})


def _joined(value: Any) -> str:
    """A ``"; "``-joined attribute shown as a comma list (empty items dropped)."""
    text = str(value).strip()
    if ";" not in text:
        return text
    if f";{LIST_SEP}" in text or text.endswith(";"):  # an empty item: the careful way
        return ", ".join(_split(text))
    return text.replace(LIST_SEP, ", ")


def _edge_reasons(
    G: nx.Graph, d: dict[str, Any], kinds_cache: dict[str, tuple[list[str], bool]] | None = None
) -> list[str]:
    """The reasons behind one edge, in words (perspective-free: names the mentioning paper;
    citations are worded per query, from the index's citation arrays)."""
    out: list[str] = []
    get = d.get
    kinds_text = str(get("kinds", ""))
    if kinds_cache is not None and kinds_text in kinds_cache:
        others, cites = kinds_cache[kinds_text]
    else:
        split = _split(kinds_text.replace(";", _SEP))
        others, cites = [k for k in split if k not in _KNOWN_KINDS], "cites" in split
        if kinds_cache is not None:
            kinds_cache[kinds_text] = (others, cites)
    v = get("keyword_terms")
    if v:
        out.append("shared terms: " + _joined(v))
    sim = get("similarity")
    if get("w_similarity") or (sim and "similarity" in kinds_text):
        text = f"text similarity {float(sim or 0.0):.2f}"
        v = get("similarity_terms")
        if v:
            text += " (" + _joined(v) + ")"
        out.append(text)
    v = get("mention_names")
    if v:
        names = _joined(v)
        sentences = [s for s in str(get("mention_evidence", "")).split(" | ") if s]
        quote = f': "{sentences[0]}"' if sentences else ""
        for src in _split(get("mention_from", "")) or [""]:
            who = str(G.nodes[src].get("label") or src) if src in G else "one end"
            out.append(f"{who} mentions {names}{quote}")
    v = get("w_cocitation")
    if v:
        n = int(get("cocitation_shared") or 0)
        out.append(
            f"co-cited by {n} corpus paper(s) (cosine {float(v):.2f})"
            + _listed(get("cocitation_evidence"))
        )
    v = get("w_coupling")
    if v:
        n = int(get("coupling_shared") or 0)
        out.append(
            f"{n} shared reference(s) (cosine {float(v):.2f})" + _listed(get("coupling_evidence"))
        )
    for kind in others:  # any later kind: name it with its weight
        w = get(f"w_{kind}")
        out.append(f"{kind.replace('_', ' ')}" + (f" (weight {float(w):.2f})" if w else ""))
    if not out and not cites:
        out.append(f"linked ({get('kinds', 'edge')})")
    return out


def _listed(value: Any) -> str:
    items = _list(value)
    return (": " + ", ".join(items)) if items else ""


def _list(value: Any) -> list[str]:
    """A ``"; "``-joined attribute as its items (split on the full separator, so a DOI or key
    holding a bare ``;`` stays whole)."""
    return [s.strip() for s in str(value or "").split(LIST_SEP) if s.strip()]


def _node_keys(node_id: str, d: dict[str, Any]) -> set[str]:
    """The reference keys paper ``node_id`` is known by (to tell which key cites which end)."""
    from .ingest.refs import loose_key, paper_keys, reference_key  # noqa: PLC0415

    keys = {node_id, reference_key(node_id)}
    keys.update(
        paper_keys(str(d.get("arxiv_id") or ""), str(d.get("doi") or ""), _list(d.get("other_ids")))
    )
    keys.update({loose_key(k) for k in keys if k} - {""})
    return keys - {""}


def _cite_pair(
    lo: str, hi: str, d: dict[str, Any], a_lo: dict[str, Any], a_hi: dict[str, Any]
) -> tuple[int, str, str] | None:
    """For an edge ``lo``–``hi``: which end cites which (bit 1: lo cites hi, bit 2: hi cites
    lo) and the reference key of each direction."""
    src = set(_list(d.get("cites_from")))
    bits = (1 if lo in src else 0) | (2 if hi in src else 0)
    if not bits:
        return None
    keys = _list(d.get("cites_evidence"))
    if bits != 3 or len(keys) < 2:
        key = "; ".join(keys)
        return bits, key if bits & 1 else "", key if bits & 2 else ""
    from .ingest.refs import loose_key  # noqa: PLC0415

    def naming(target: set[str]) -> str:
        hit = [k for k in keys if k in target or loose_key(k) in target]
        return "; ".join(hit or keys)

    return bits, naming(_node_keys(hi, a_hi)), naming(_node_keys(lo, a_lo))


def _node_names(d: dict[str, Any]) -> list[str]:
    names = _split(d.get("short_name")) + _split(d.get("defines")) + _split(d.get("aliases"))
    if d.get("kind") != "paper":
        names.append(str(d.get("label") or ""))
    return [n for n in dict.fromkeys(names) if n]


def build_index(
    G: nx.Graph,
    text: TextModel | None = None,
    *,
    embeddings: tuple[Sequence[str], np.ndarray] | None = None,
    embedding_model: str = "",
) -> RelatedIndex:
    """The index of an analysed graph.  ``text`` is the build's text model (fitted here from
    the papers' titles and abstracts when None); ``embeddings`` is ``(paper ids, one unit row
    per paper)``."""
    nodes = sorted(
        G.nodes(data=True), key=lambda nd: (nd[1].get("kind", "paper") != "paper", str(nd[0]))
    )
    n_papers = sum(1 for _, d in nodes if d.get("kind", "paper") == "paper")
    ids = [str(n) for n, _ in nodes]
    pos = {n: i for i, n in enumerate(ids)}
    attrs = [d for _, d in nodes]
    titles = [str(d.get("title") or "") for d in attrs]
    if text is None:
        abstracts = [str(d.get("abstract") or "") for d in attrs[:n_papers]]
        text = TextModel.fit(ids[:n_papers], titles[:n_papers], abstracts)
    X = _rows_in_order(text, ids)

    names: list[tuple[str, int]] = []
    for i, d in enumerate(attrs):
        extra = _node_names(d)
        if i < n_papers:  # IDs the paper had before it gained a DOI or arXiv ID
            extra.extend(a for a in _aliases(d) if a != ids[i])
        names.extend((k, i) for k in dict.fromkeys(lookup_key(e) for e in extra) if k)
    names.sort()
    title_pairs = sorted((lookup_key(t), i) for i, t in enumerate(titles) if t)

    a_rows, a_cols, a_voc = [], [], {}
    keyed: dict[str, str] = {}  # an author's key, computed once per spelling
    for i, d in enumerate(attrs[:n_papers]):
        keys = set()
        for a in _split(d.get("authors")):
            k = keyed.get(a)
            if k is None:
                k = keyed[a] = author_key(a)
            keys.add(k)
        for key in sorted(keys - {""}):
            a_rows.append(i)
            a_cols.append(a_voc.setdefault(key, len(a_voc)))
    authors = sp.csr_matrix(
        (np.ones(len(a_rows), np.float32), (a_rows, a_cols)), shape=(len(ids), len(a_voc))
    )

    listed = list(G.edges(data=True))
    m = len(listed)
    us = np.fromiter((pos[str(u)] for u, _, _ in listed), np.int64, m)
    vs = np.fromiter((pos[str(v)] for _, v, _ in listed), np.int64, m)
    lo, hi = np.minimum(us, vs), np.maximum(us, vs)
    by_pair = np.lexsort((hi, lo))
    lo, hi = lo[by_pair], hi[by_pair]
    data = [listed[k][2] for k in by_pair.tolist()]
    del listed
    rows = np.concatenate([lo, hi])
    cols = np.concatenate([hi, lo])
    w = np.fromiter((float(d.get("weight", 0.0) or 0.0) for d in data), np.float32, m)
    eid = np.arange(m, dtype=np.int64)
    order = np.lexsort((cols, rows))
    n = len(ids)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    adj = sp.csr_matrix(
        (np.concatenate([w, w])[order], cols[order].astype(np.int32), indptr), shape=(n, n)
    )
    adj_edge = np.concatenate([eid, eid])[order].astype(np.int32)
    kinds_cache: dict[str, tuple[list[str], bool]] = {}
    reasons = [("\n".join(_edge_reasons(G, d, kinds_cache))).encode("utf-8") for d in data]
    lo_l, hi_l = lo.tolist(), hi.tolist()
    cites = [
        (k, c)
        for k, d in enumerate(data)
        if d.get("cites_from")
        and (c := _cite_pair(ids[lo_l[k]], ids[hi_l[k]], d, attrs[lo_l[k]], attrs[hi_l[k]]))
    ]
    offsets = np.zeros(len(reasons) + 1, np.int64)
    offsets[1:] = np.cumsum([len(r) for r in reasons])
    return RelatedIndex(
        ids=ids,
        labels=[str(d.get("label") or n) for n, d in nodes],
        titles=titles,
        kinds=[str(d.get("kind") or "paper") for d in attrs],
        years=np.array([int(d.get("year") or 0) for d in attrs], np.int32),
        dois=[str(d.get("doi") or "").casefold() for d in attrs],
        arxiv=[re.sub(r"v\d+$", "", str(d.get("arxiv_id") or "").casefold()) for d in attrs],
        name_keys=[k for k, _ in names],
        name_nodes=np.array([i for _, i in names], np.int32),
        title_keys=[k for k, _ in title_pairs],
        title_nodes=np.array([i for _, i in title_pairs], np.int32),
        n_papers=n_papers,
        X=X,
        terms=list(text.terms),
        idf=np.asarray(text.idf, np.float32),
        options=dict(text.options),
        authors=authors,
        author_keys=list(a_voc),
        adj=adj,
        adj_edge=adj_edge,
        edge_kinds=[str(d.get("kinds", "")) for d in data],
        reasons_blob=b"".join(reasons),
        reasons_offsets=offsets,
        cite_edges=np.array([k for k, _ in cites], np.int32),
        cite_dir=np.array([c[0] for _, c in cites], np.int8),
        cite_fwd=[c[1] for _, c in cites],
        cite_back=[c[2] for _, c in cites],
        embeddings=None if embeddings is None else _embedding_rows(embeddings, ids[:n_papers]),
        embedding_model=embedding_model,
    )


def _embedding_rows(embeddings: tuple[Sequence[str], np.ndarray], ids: Sequence[str]) -> np.ndarray:
    """The embedding rows in paper order (zero rows for papers without one), as float16."""
    src_ids, E = embeddings
    where = {n: i for i, n in enumerate(src_ids)}
    E = np.asarray(E, np.float32)
    out = np.zeros((len(ids), E.shape[1] if E.ndim == 2 else 0), np.float16)
    for i, n in enumerate(ids):
        if n in where:
            out[i] = E[where[n]]
    return out


def _rows_in_order(text: TextModel, ids: Sequence[str]) -> sp.csr_matrix:
    """``text.X`` re-ordered to ``ids`` (rows of nodes it lacks are empty)."""
    where = {n: i for i, n in enumerate(text.ids)}
    src = np.array([where.get(n, -1) for n in ids], dtype=np.int64)
    keep = src >= 0
    X = sp.csr_matrix(text.X, dtype=np.float32)
    if keep.all() and np.array_equal(src, np.arange(len(ids))) and X.shape[0] == len(ids):
        return X
    P = sp.csr_matrix(
        (np.ones(int(keep.sum()), np.float32), (np.flatnonzero(keep), src[keep])),
        shape=(len(ids), X.shape[0]),
    )
    out = (P @ X).tocsr()
    out.sort_indices()
    return out


# ---------------------------------------------------------------------------------------------
# reading and writing
# ---------------------------------------------------------------------------------------------


class Strings(Sequence[str]):
    """A column of strings kept as one UTF-8 blob (``"\\x00"``-separated) and the start of each
    string, decoded only when read: a 100k-paper index opens without building a million Python
    strings (the vocabulary, the titles, the edge kinds), and bisect works on it directly."""

    __slots__ = ("_blob", "_off")

    def __init__(self, blob: Any, offsets: np.ndarray) -> None:
        self._blob = blob
        self._off = offsets

    def __len__(self) -> int:
        return max(0, len(self._off) - 1)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return bytes(self._blob[int(self._off[i]) : int(self._off[i + 1]) - 1]).decode("utf-8")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Strings({len(self)} strings)"

    def tolist(self) -> list[str]:
        """All strings at once (one decode and split)."""
        if not len(self):
            return []
        return bytes(self._blob[: int(self._off[-1]) - 1]).decode("utf-8").split("\x00")


def _pack(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``strings`` as (blob, offsets): string ``i`` is ``blob[off[i] : off[i + 1] - 1]``."""
    enc = [str(x).encode("utf-8") for x in strings]
    offsets = np.zeros(len(enc) + 1, np.int64)
    if enc:
        offsets[1:] = np.cumsum(np.fromiter((len(b) + 1 for b in enc), np.int64, len(enc)))
    return np.frombuffer(b"\x00".join(enc), dtype=np.uint8), offsets


#: String columns: ``(name, decoded at load)``; the others stay :class:`Strings`.
_STRINGS = (
    ("ids", True),
    ("labels", False),
    ("titles", False),
    ("kinds", False),
    ("dois", True),
    ("arxiv", True),
    ("name_keys", False),
    ("title_keys", False),
    ("terms", False),
    ("author_keys", False),
    ("edge_kinds", False),
    ("cite_fwd", False),
    ("cite_back", False),
)


def _index_dtype(m: sp.csr_matrix) -> type:
    """int32 for the indices and indptr of ``m`` when they fit, else int64 (both the same, so
    scipy takes the loaded arrays as they are, without a copy)."""
    return np.int32 if max(m.nnz, *m.shape) < 2**31 - 1 else np.int64


def index_bytes(index: RelatedIndex) -> bytes:
    """The bytes of ``related.npz`` (deterministic: fixed timestamps, fixed member order)."""
    meta = {
        "format": "graphkit-related-index",
        "version": FORMAT_VERSION,
        "n_nodes": index.n_nodes,
        "n_papers": index.n_papers,
        "n_terms": len(index.terms),
        "n_edges": len(index.edge_kinds),
        "n_authors": len(index.author_keys),
        "n_cites": len(index.cite_edges),
        "options": index.options,
        "embedding_model": index.embedding_model,
    }
    arrays: dict[str, np.ndarray] = {
        "meta": np.frombuffer(orjson.dumps(meta, option=orjson.OPT_SORT_KEYS), np.uint8)
    }
    for name, _ in _STRINGS:
        arrays[name], arrays[f"{name}_offsets"] = _pack(getattr(index, name))
    arrays["years"] = np.asarray(index.years, np.int32)
    arrays["name_nodes"] = np.asarray(index.name_nodes, np.int32)
    arrays["title_nodes"] = np.asarray(index.title_nodes, np.int32)
    arrays["idf"] = np.asarray(index.idf, np.float32)
    for name in ("X", "authors", "adj"):
        m = getattr(index, name)
        dt = _index_dtype(m)
        arrays[f"{name}_data"] = np.asarray(m.data, np.float32)
        arrays[f"{name}_indices"] = np.asarray(m.indices, dt)
        arrays[f"{name}_indptr"] = np.asarray(m.indptr, dt)
        arrays[f"{name}_shape"] = np.asarray(m.shape, np.int64)
    arrays["adj_edge"] = np.asarray(index.adj_edge, np.int32)
    arrays["cite_edges"] = np.asarray(index.cite_edges, np.int32)
    arrays["cite_dir"] = np.asarray(index.cite_dir, np.int8)
    arrays["reasons"] = np.frombuffer(bytes(index.reasons_blob), np.uint8)
    arrays["reasons_offsets"] = np.asarray(index.reasons_offsets, np.int64)
    if index.embeddings is not None:
        arrays["embeddings"] = np.asarray(index.embeddings, np.float16)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, arr in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arr), allow_pickle=False)
            zf.writestr(info, member.getvalue())
    return buf.getvalue()


def write_index(index: RelatedIndex, path: str | Path) -> Path:
    """Write ``index`` to ``path`` atomically; returns the path."""
    with atomic_writer(path) as fh:
        fh.write(index_bytes(index))
    return Path(path)


def write_related_index(
    G: nx.Graph, path: str | Path, *, text: TextModel | None = None, config: Any = None
) -> Path:
    """Index ``G`` (with the build's ``text`` model; embeddings when ``config.embeddings``
    names a model) and write it to ``path``: the pipeline's writer for the ``index`` format."""
    embeddings, model = None, ""
    if config is not None and getattr(config, "embeddings", ""):
        from .embeddings import paper_embeddings  # noqa: PLC0415

        model = str(config.embeddings)
        embeddings = paper_embeddings(G, model, cache_dir=config.embeddings_cache or None)
    return write_index(build_index(G, text, embeddings=embeddings, embedding_model=model), path)


def open_index(graph_json: str | Path) -> tuple[RelatedIndex, str]:
    """The index of a build (its folder or graph.json) and a note ('' when all is well).

    Without one (a graph.json from an older build, or built without the ``index`` format)
    the graph is read and indexed in memory, slower, and the note says how to fix that.
    """
    given = Path(graph_json)
    path = given / INDEX_NAME if given.is_dir() else index_path_for(given)
    if path.is_file():
        return load_index(path), ""
    from .built import load_graph  # noqa: PLC0415

    G = load_graph(given)  # a missing graph.json: the same error as every command's
    note = (
        f"note: no {INDEX_NAME} beside {path.parent / 'graph.json'} (an older build?); "
        "indexing graph.json now, which is slow. Rebuild with `graphkit build` to write the index."
    )
    return build_index(G), note


def index_path_for(graph_json: str | Path) -> Path:
    """Where the index of a graph.json lives (beside it)."""
    return Path(graph_json).with_name(INDEX_NAME)


def load_index(path: str | Path) -> RelatedIndex:
    """Read an index written by :func:`write_index`.

    Raises :class:`GraphFileError` (missing, unreadable or from another version) with a hint.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(
            f"{path}: no related index", hint="Rebuild with `graphkit build` to write it."
        )
    try:
        a = _read_members(path)
        meta = orjson.loads(bytes(a["meta"]))
        if meta.get("format") != "graphkit-related-index" or meta.get("version") != FORMAT_VERSION:
            raise GraphFileError(
                f"{path}: index version {meta.get('version')} (this graphkit reads {FORMAT_VERSION})",
                hint="Rebuild with `graphkit build` to write a current index.",
            )

        def csr(name: str) -> sp.csr_matrix:
            return sp.csr_matrix(
                (a[f"{name}_data"], a[f"{name}_indices"], a[f"{name}_indptr"]),
                shape=tuple(int(s) for s in a[f"{name}_shape"]),
            )

        strings: dict[str, Any] = {}
        for name, eager in _STRINGS:
            col = Strings(a[name], a[f"{name}_offsets"])
            strings[name] = col.tolist() if eager else col
        emb = a.get("embeddings")
        return RelatedIndex(
            **strings,
            years=a["years"],
            name_nodes=a["name_nodes"],
            title_nodes=a["title_nodes"],
            n_papers=int(meta["n_papers"]),
            X=csr("X"),
            idf=a["idf"],
            options=meta["options"],
            authors=csr("authors"),
            adj=csr("adj"),
            adj_edge=a["adj_edge"],
            reasons_blob=a["reasons"],
            reasons_offsets=a["reasons_offsets"],
            cite_edges=a["cite_edges"],
            cite_dir=a["cite_dir"],
            embeddings=emb,
            embedding_model=str(meta.get("embedding_model") or ""),
        )
    except GraphkitError:
        raise
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, orjson.JSONDecodeError) as exc:
        raise GraphFileError(
            f"{path}: not a readable related index ({exc})",
            hint="Rebuild with `graphkit build` to write it again.",
        ) from exc


def _read_members(path: Path) -> dict[str, np.ndarray]:
    """The ``.npy`` members of an uncompressed zip, as read-only arrays over one memory map of
    the file (nothing is read until used; what a query touches is paged in).  A compressed
    zip (an index re-zipped by hand) is read the ordinary way."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if any(i.compress_type != zipfile.ZIP_STORED for i in infos):
            with np.load(path, allow_pickle=False) as z:
                return {k: z[k] for k in z.files}
    out: dict[str, np.ndarray] = {}
    with open(path, "rb") as fh:
        size = fh.seek(0, io.SEEK_END)
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        for info in infos:
            fh.seek(info.header_offset)
            head = fh.read(30)
            if head[:4] != b"PK\x03\x04":
                raise ValueError(f"bad zip member header for {info.filename}")
            n_name, n_extra = struct.unpack("<HH", head[26:30])
            fh.seek(info.header_offset + 30 + n_name + n_extra)
            version = np.lib.format.read_magic(fh)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(fh)
            if dtype.hasobject:
                raise ValueError(f"{info.filename} holds Python objects")
            count = int(np.prod(shape)) if shape else 1
            arr = np.frombuffer(mm, dtype=dtype, count=count, offset=fh.tell())
            name = info.filename.removesuffix(".npy")
            out[name] = arr.reshape(shape, order="F" if fortran else "C")
    return out


def text_digest(text: str) -> str:
    """Key of a text in the embedding cache (sha256 hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
