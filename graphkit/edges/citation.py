"""Citation edges: who cites whom, co-citation, bibliographic coupling, and reference nodes.

References (``Paper.references``, keys from :mod:`graphkit.ingest.refs`) are matched to corpus
papers by the rules of the merge: an ID key first (``doi:``, ``arxiv:``, ``openalex:``, ``s2:``,
``wos:``, ``pmid:``, exact), then a cited-reference key (:func:`~graphkit.ingest.refs.loose_key`:
first author, year, volume, first page; only keys that name one corpus paper).  A reference that
matches nothing stays an outside work, named by its key.

Every relation comes from one sparse binary matrix ``R`` (citing papers × cited works, corpus
papers and outside works as columns), never from a loop over pairs:

- ``cites`` A → B: ``R[A, B] = 1`` for a corpus paper B; weight 1, directed, evidence = the
  reference key as A's record gives it;
- ``coupling`` (bibliographic coupling, Kessler 1963): A and B cite the same works,
  ``R Rᵀ`` (outside works count too);
- ``cocitation`` (Small 1973): A and B are cited by the same corpus papers, ``Cᵀ C`` where
  ``C`` is ``R`` restricted to corpus-paper columns;
- *reference nodes* ``reference:<key>``: outside works cited by at least ``min_cited`` corpus
  papers (the prior works a corpus is missing), each linked by ``cites`` from its citers.

**Normalisation: Salton's cosine**, ``s(A, B) = c_AB / sqrt(n_A n_B)`` with ``c_AB`` the shared
count and ``n`` each paper's number of references (coupling) or corpus citers (co-citation).
Chosen over association strength (``c_AB / (n_A n_B)``, VOSviewer's default for *mapping*)
because cosine is bounded in [0, 1] like the TF-IDF cosine it is summed with in the combined
weight, and it does not make one shared reference between two papers with one reference each
the strongest link of the corpus; association strength's extra damping of large ``n`` matters
for layout, not for ranking neighbours.  Each paper keeps its ``top_k`` strongest partners per
kind (the union over both ends); evidence = the shared count and the most specific shared works
(fewest citers first).

>>> from graphkit.model import Paper
>>> ps = [Paper(id="a", title="A", references=("doi:10.1/x", "doi:10.1/y", "arxiv:1")),
...       Paper(id="b", title="B", references=("doi:10.1/x", "doi:10.1/y")),
...       Paper(id="c", title="C", arxiv_id="1")]
>>> res = citation_edges(ps, min_cited=2)
>>> [(e.kind, e.source, e.target, round(e.weight, 3)) for e in res.edges]
[('cites', 'a', 'c', 1.0), ('coupling', 'a', 'b', 0.816), ('cites', 'a', 'reference:doi:10.1/x', 1.0), ('cites', 'a', 'reference:doi:10.1/y', 1.0), ('cites', 'b', 'reference:doi:10.1/x', 1.0), ('cites', 'b', 'reference:doi:10.1/y', 1.0)]
>>> sorted(res.reference_nodes)
['reference:doi:10.1/x', 'reference:doi:10.1/y']
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..ingest.refs import cut_text, loose_key, paper_keys, readable_key, reference_key
from ..model import CITATION_KINDS, Edge, Paper
from .citeattrs import citation_node_attrs, merge_citation_attrs

__all__ = [
    "citation_edges",
    "CitationResult",
    "match_references",
    "REFERENCE_PREFIX",
    "CITATION_KINDS",
    "topk_pairs",
    "merge_citation_attrs",
    "citation_node_attrs",
]

log = logging.getLogger(__name__)

#: Node-ID prefix of reference nodes (outside works cited by several corpus papers).
REFERENCE_PREFIX = "reference:"
#: A titled reference node's label is its title cut to this many characters (as paper labels).
LABEL_CHARS = 40
#: Shared works named on a co-citation/coupling edge (most specific first).
EVIDENCE_WORKS = 3
#: Products ``R Rᵀ`` are computed in row blocks holding at most this many pair entries
#: (estimated as each row's sum of its columns' counts), so memory is bounded whatever the overlap.
_BLOCK_ENTRIES = 8_000_000
#: A cited work (coupling) or a citing paper (co-citation) in more than ``max_df`` of the corpus,
#: and more than this many papers, links nothing: like a stop word, it is everywhere (a work cited
#: by most of a corpus would make a dense N × N product).
MIN_CAP = 50


@dataclass
class CitationResult:
    """Edges (cites, then co-citation, coupling, then cites to reference nodes), the reference
    nodes' attributes, and counts for the report/manifest."""

    edges: list[Edge] = field(default_factory=list)
    reference_nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Matched:
    """``R`` and what its columns are: column ``j < n`` is corpus paper ``j``; the others are
    outside works, ``outside[j - n]`` their keys.  ``written[(i, j)]`` is the key as paper
    ``i`` wrote it (for evidence)."""

    R: sp.csr_matrix
    n: int
    outside: list[str]
    written: dict[tuple[int, int], str]


def match_references(papers: Sequence[Paper]) -> _Matched:
    """Resolve every paper's references to a column of ``R`` (see the module docstring)."""
    n = len(papers)
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    ambiguous: set[str] = set()
    for i, p in enumerate(papers):
        for key in (p.id, reference_key(p.id), *paper_keys(p.arxiv_id, p.doi, p.ids)):
            if not key:
                continue
            exact.setdefault(key, i)
            lk = loose_key(key)
            if lk and loose.setdefault(lk, i) != i:
                ambiguous.add(lk)
    for lk in ambiguous:
        del loose[lk]
    outside: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    written: dict[tuple[int, int], str] = {}
    for i, p in enumerate(papers):
        seen: set[int] = set()
        for key in p.references:
            j = exact.get(key)
            if j is None:
                lk = loose_key(key)
                j = loose.get(lk) if lk else None
            if j is None:
                j = n + outside.setdefault(key, len(outside))
            elif j == i:
                continue  # a record citing itself (or a merged duplicate of itself)
            if j not in seen:
                seen.add(j)
                rows.append(i)
                cols.append(j)
                if j < n:
                    written[i, j] = key
    data = np.ones(len(rows), dtype=np.float64)
    R = sp.csr_matrix(
        (data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(n, n + len(outside)),
    )
    R.sort_indices()
    return _Matched(R, n, list(outside), written)


def topk_pairs(S: sp.csr_matrix, k: int, row_offset: int = 0) -> tuple[np.ndarray, ...]:
    """Each row's ``k`` largest entries of ``S`` as ``(rows, cols, values)`` (ties: lower
    column first), rows shifted by ``row_offset``; the diagonal (``col == row``) dropped.

    >>> S = sp.csr_matrix(np.array([[0, .5, .2, .5], [.1, 0, 0, 0]]))
    >>> [a.tolist() for a in topk_pairs(S, 2)]
    [[0, 0, 1], [1, 3, 0], [0.5, 0.5, 0.1]]
    """
    S = S.tocsr()
    n = S.shape[0]
    rows = np.repeat(np.arange(n), np.diff(S.indptr)) + row_offset
    cols, vals = S.indices.astype(np.int64), S.data
    keep = (cols != rows) & (vals > 0)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    # each row's k best chosen row by row in linear time (a partition, then the ties at the
    # k-th value by column), so that only the kept entries are sorted: sorting every entry of
    # a block of A Aᵀ was half the citation stage on Zipf-popular references
    counts = np.bincount(rows - row_offset, minlength=n)
    ptr = np.r_[0, np.cumsum(counts)]
    sel = np.ones(len(rows), dtype=bool)
    for i in np.flatnonzero(counts > k).tolist():
        a, b = int(ptr[i]), int(ptr[i + 1])
        v = vals[a:b]
        t = np.partition(v, len(v) - k)[len(v) - k]  # the k-th largest value
        chosen = v >= t
        tied = np.flatnonzero(v == t)
        extra = int(chosen.sum()) - k
        if extra > 0:  # too many at the k-th value: the lower columns stay
            chosen[tied[np.argsort(cols[a:b][tied], kind="stable")[len(tied) - extra :]]] = False
        sel[a:b] = chosen
    rows, cols, vals = rows[sel], cols[sel], vals[sel]
    order = np.lexsort((cols, -vals, rows))
    return rows[order], cols[order], vals[order]


def _cosine_topk(A: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``i < j`` among each row's top-k by Salton's cosine of the rows of ``A`` (binary),
    with their shared counts; computed in row blocks of ``A Aᵀ``."""
    n_items = np.asarray(A.sum(axis=1)).ravel()
    norm = np.zeros_like(n_items)
    np.sqrt(n_items, out=norm, where=n_items > 0)
    inv = np.divide(1.0, norm, out=np.zeros_like(norm), where=norm > 0)
    At = A.T.tocsr()
    parts = []
    for start, stop in _blocks(A, At):
        block = A[start:stop]
        if not block.nnz:
            continue
        counts = (block @ At).tocsr()
        cos = sp.csr_matrix(
            counts.multiply(inv[start : start + block.shape[0], None]).multiply(inv[None, :])
        )
        cos.data = np.round(cos.data, 12)  # equal cosines tie exactly, whatever the float path
        r, c, v = topk_pairs(cos, k, row_offset=start)
        parts.append((r, c, v))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), np.zeros(0)
    r = np.concatenate([p[0] for p in parts])
    c = np.concatenate([p[1] for p in parts])
    v = np.concatenate([p[2] for p in parts])
    lo, hi = np.minimum(r, c), np.maximum(r, c)
    key = lo * A.shape[0] + hi
    uniq, first = np.unique(key, return_index=True)
    lo, hi, v = lo[first], hi[first], v[first]
    shared = np.rint(v * norm[lo] * norm[hi])  # binary rows: cosine × norms = shared count
    return lo, hi, v, shared


def _blocks(A: sp.csr_matrix, At: sp.csr_matrix) -> list[tuple[int, int]]:
    """Row ranges of ``A`` whose rows of ``A Aᵀ`` hold about :data:`_BLOCK_ENTRIES` entries."""
    n = A.shape[0]
    if not A.nnz:
        return []
    col_counts = np.diff(At.indptr).astype(np.float64)
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    cost = np.bincount(rows, weights=col_counts[A.indices], minlength=n)
    ids = (np.cumsum(cost) // _BLOCK_ENTRIES).astype(np.int64)
    bounds = [0, *(np.flatnonzero(np.diff(ids)) + 1).tolist(), n]
    return list(zip(bounds[:-1], bounds[1:], strict=False))


def _capped(A: sp.csr_matrix, max_df: float) -> sp.csr_matrix:
    """``A`` without the columns in more than ``max(MIN_CAP, max_df · rows)`` rows."""
    cap = max(MIN_CAP, int(max_df * A.shape[0]))
    counts = np.diff(A.tocsc().indptr)
    if counts.max(initial=0) <= cap:
        return A
    keep = sp.diags((counts <= cap).astype(np.float64))
    out = (A @ keep).tocsr()
    out.eliminate_zeros()
    return out


def _shared_evidence(A: sp.csr_matrix, i: int, j: int, popularity: np.ndarray) -> list[int]:
    """The columns rows ``i`` and ``j`` of ``A`` share, most specific (fewest rows) first."""
    a = A.indices[A.indptr[i] : A.indptr[i + 1]]
    b = A.indices[A.indptr[j] : A.indptr[j + 1]]
    common = np.intersect1d(a, b, assume_unique=True)
    order = np.lexsort((common, popularity[common]))
    return common[order[:EVIDENCE_WORKS]].tolist()


def citation_edges(
    papers: Sequence[Paper],
    *,
    kinds: Sequence[str] = CITATION_KINDS,
    top_k: int = 10,
    min_cited: int = 2,
    reference_nodes: bool = True,
    max_df: float = 0.05,
) -> CitationResult:
    """The citation edges of ``papers`` (see the module docstring); empty when no paper has
    references.  ``kinds`` picks among ``cites``, ``cocitation``, ``coupling``; reference
    nodes (outside works with ``>= min_cited`` corpus citers) come with ``cites``.  Works cited
    by more than ``max(MIN_CAP, max_df · n)`` papers make no coupling, and papers citing more
    than that many corpus papers make no co-citation (see :data:`MIN_CAP`)."""
    out = CitationResult()
    if not any(p.references for p in papers):
        return out
    m = match_references(papers)
    R, n = m.R, m.n
    ids = [p.id for p in papers]
    citers = np.diff(R.tocsc().indptr)  # corpus citers per column
    n_refs = np.diff(R.indptr)
    if "cites" in kinds:
        C = R[:, :n].tocoo()
        order = np.lexsort((C.col, C.row))
        for i, j in zip(C.row[order].tolist(), C.col[order].tolist(), strict=True):
            key = m.written[i, j]
            out.edges.append(
                Edge(ids[i], ids[j], kind="cites", weight=1.0, terms=(key,),
                     evidence=f"{ids[i]} cites {ids[j]} (reference {key})", directed=True)
            )  # fmt: skip
        out.counts["cites"] = C.nnz

    def label(col: int) -> str:
        return ids[col] if col < n else m.outside[col - n]

    if "cocitation" in kinds:
        Cc = _capped(R[:, :n].T.tocsr(), max_df)  # cited corpus paper × citing paper
        lo, hi, v, shared = _cosine_topk(Cc, top_k)
        citing_pop = n_refs.astype(np.float64)  # a citer with few references is specific
        for a, b, w, s in zip(lo.tolist(), hi.tolist(), v.tolist(), shared.tolist(), strict=True):
            names = [ids[c] for c in _shared_evidence(Cc, a, b, citing_pop)]
            out.edges.append(
                Edge(ids[a], ids[b], kind="cocitation", weight=round(float(w), 6),
                     terms=tuple(names), score=float(s),
                     evidence=f"cited together by {int(s)} paper(s): " + ", ".join(names))
            )  # fmt: skip
        out.counts["cocitation"] = len(lo)
    if "coupling" in kinds:
        Rc = _capped(R, max_df)
        lo, hi, v, shared = _cosine_topk(Rc, top_k)
        pop = citers.astype(np.float64)
        for a, b, w, s in zip(lo.tolist(), hi.tolist(), v.tolist(), shared.tolist(), strict=True):
            names = [label(c) for c in _shared_evidence(Rc, a, b, pop)]
            out.edges.append(
                Edge(ids[a], ids[b], kind="coupling", weight=round(float(w), 6),
                     terms=tuple(names), score=float(s),
                     evidence=f"{int(s)} shared reference(s): " + ", ".join(names))
            )  # fmt: skip
        out.counts["coupling"] = len(lo)
    if "cites" in kinds and reference_nodes:
        _reference_nodes(out, m, ids, citers, min_cited, papers)
    return out


def _reference_nodes(
    out: CitationResult,
    m: _Matched,
    ids: list[str],
    citers: np.ndarray,
    min_cited: int,
    papers: Sequence[Paper] = (),
) -> None:
    """Outside works with at least ``min_cited`` citers become nodes, linked by ``cites``;
    titled by what their citers' records call them (the most frequent such title, ties by
    text), else by their key written readably."""
    n = m.n
    popular = [j for j in range(n, m.R.shape[1]) if citers[j] >= min_cited]
    if not popular:
        return
    wanted = {m.outside[j - n] for j in popular}
    named: dict[str, Counter[str]] = {}
    for p in papers:
        for key, title in p.reference_titles:
            if key in wanted:
                named.setdefault(key, Counter())[title] += 1
    for j in sorted(popular, key=lambda c: m.outside[c - n]):
        key = m.outside[j - n]
        node = REFERENCE_PREFIX + key
        titles = named.get(key)
        title = min(titles.items(), key=lambda kv: (-kv[1], kv[0]))[0] if titles else ""
        out.reference_nodes[node] = {
            "label": cut_text(title, LABEL_CHARS) if title else readable_key(key),
            "title": title or readable_key(key),
            "reference": key,
            "n_citing": int(citers[j]),
        }
    for i in range(n):
        row = m.R.indices[m.R.indptr[i] : m.R.indptr[i + 1]]
        for j in row[row >= n].tolist():
            if citers[j] >= min_cited:
                key = m.outside[j - n]
                out.edges.append(
                    Edge(ids[i], REFERENCE_PREFIX + key, kind="cites", weight=1.0, terms=(key,),
                         evidence=f"{ids[i]} cites {key}", directed=True)
                )  # fmt: skip
    out.counts["reference_nodes"] = len(out.reference_nodes)
