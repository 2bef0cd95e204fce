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
from .citematrix import MAX_CAP, capped, cosine_topk, shared_evidence, topk_pairs

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
#: Reference nodes kept at most (the most cited; see :func:`_reference_floor`): this many, or
#: one per ``REFERENCE_NODES_PER`` corpus papers if more.
MIN_REFERENCE_NODES = 1000
REFERENCE_NODES_PER = 10
#: A reference node keeps ``cites`` links from at most this many citers: those for whom it is
#: most specific (fewest references, then corpus order); its ``n_citing`` stays the full count.
#: A work cited by more than this many corpus papers (like coupling's :data:`MAX_CAP`) says
#: little about any one of them, yet drew most of the edges at scale: with synthetic Zipf
#: references, 83 such works held 535,000 of the 826,000 links to reference nodes at 100k
#: papers (22 % of all edges).  Links between corpus papers are never capped.
MAX_REFERENCE_LINKS = MAX_CAP


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
    by more than :func:`df_cap` papers make no coupling, and papers citing more than that many
    corpus papers make no co-citation (see :data:`MIN_CAP`, :data:`MAX_CAP`)."""
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
        Cc = capped(R[:, :n].T.tocsr(), max_df)  # cited corpus paper × citing paper
        lo, hi, v, shared = cosine_topk(Cc, top_k)
        citing_pop = n_refs.astype(np.float64)  # a citer with few references is specific
        evidence = shared_evidence(Cc, lo, hi, citing_pop)
        for a, b, w, s, cols in zip(lo.tolist(), hi.tolist(), v.tolist(), shared.tolist(),
                                    evidence, strict=True):  # fmt: skip
            names = [ids[c] for c in cols]
            out.edges.append(
                Edge(ids[a], ids[b], kind="cocitation", weight=round(float(w), 6),
                     terms=tuple(names), score=float(s),
                     evidence=f"cited together by {int(s)} paper(s): " + ", ".join(names))
            )  # fmt: skip
        out.counts["cocitation"] = len(lo)
    if "coupling" in kinds:
        Rc = capped(R, max_df)
        lo, hi, v, shared = cosine_topk(Rc, top_k)
        pop = citers.astype(np.float64)
        evidence = shared_evidence(Rc, lo, hi, pop)
        for a, b, w, s, cols in zip(lo.tolist(), hi.tolist(), v.tolist(), shared.tolist(),
                                    evidence, strict=True):  # fmt: skip
            names = [label(c) for c in cols]
            out.edges.append(
                Edge(ids[a], ids[b], kind="coupling", weight=round(float(w), 6),
                     terms=tuple(names), score=float(s),
                     evidence=f"{int(s)} shared reference(s): " + ", ".join(names))
            )  # fmt: skip
        out.counts["coupling"] = len(lo)
    if "cites" in kinds and reference_nodes:
        _reference_nodes(out, m, ids, citers, min_cited, papers)
    return out


def _reference_floor(counts: np.ndarray, min_cited: int, room: int) -> int:
    """The fewest corpus citers an outside work needs to become a node: ``min_cited``, raised
    (by whole counts, so that works cited equally often stay or go together) until at most
    ``room`` works qualify.  Real reference lists have a long tail of works cited twice
    (hundreds of thousands at 100k papers): each would be a node with its links, and a map of
    them shows nothing.

    >>> _reference_floor(np.array([1, 2, 2, 3, 5]), 2, room=10), _reference_floor(np.array([1, 2, 2, 3, 5]), 2, room=2)
    (2, 3)
    """
    eligible = np.sort(counts[counts >= min_cited])[::-1]
    if len(eligible) <= room:
        return min_cited
    return int(eligible[room]) + 1


def _reference_nodes(
    out: CitationResult,
    m: _Matched,
    ids: list[str],
    citers: np.ndarray,
    min_cited: int,
    papers: Sequence[Paper] = (),
) -> None:
    """Outside works with at least :func:`_reference_floor` citers become nodes, linked by
    ``cites`` from every citer; titled by what their citers' records call them (the most
    frequent such title, ties by text), else by their key written readably."""
    n = m.n
    room = max(MIN_REFERENCE_NODES, n // REFERENCE_NODES_PER)
    floor = _reference_floor(citers[n:], min_cited, room)
    popular = (np.flatnonzero(citers[n:] >= floor) + n).tolist()
    if not popular:
        return
    if floor > min_cited:
        log.info("reference nodes: works cited by %d+ corpus papers (%d)", floor, len(popular))
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
    R = m.R  # rows in order, columns sorted within a row: the edges in the order they were
    rows = np.repeat(np.arange(n), np.diff(R.indptr))
    cols = R.indices
    hit = cols >= n
    hit[hit] = citers[cols[hit]] >= floor
    _cap_links(hit, rows, cols, citers, np.diff(R.indptr), cap=MAX_REFERENCE_LINKS)
    for i, j in zip(rows[hit].tolist(), cols[hit].tolist(), strict=True):
        key = m.outside[j - n]
        out.edges.append(
            Edge(ids[i], REFERENCE_PREFIX + key, kind="cites", weight=1.0, terms=(key,),
                 evidence=f"{ids[i]} cites {key}", directed=True)
        )  # fmt: skip
    out.counts["reference_nodes"] = len(out.reference_nodes)


def _cap_links(
    hit: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    citers: np.ndarray,
    n_refs: np.ndarray,
    cap: int = MAX_REFERENCE_LINKS,
) -> None:
    """Clear ``hit`` (entries of ``R`` that become links to reference nodes) beyond the first
    ``cap`` citers of each column, the citers with the fewest references first, then by row
    (see :data:`MAX_REFERENCE_LINKS`).

    >>> hit = np.array([True, True, True, True])
    >>> rows, cols = np.array([0, 1, 2, 3]), np.array([5, 5, 5, 6])
    >>> citers, n_refs = np.array([0, 0, 0, 0, 0, 3, 1]), np.array([4, 1, 2, 9])
    >>> _cap_links(hit, rows, cols, citers, n_refs, cap=2)
    >>> hit.tolist()
    [False, True, True, True]
    """
    over = np.zeros(len(hit), dtype=bool)
    over[hit] = citers[cols[hit]] > cap
    at = np.flatnonzero(over)
    if not len(at):
        return
    c, r = cols[at], rows[at]
    order = np.lexsort((r, n_refs[r], c))  # by column, then fewest references, then row
    c_sorted = c[order]
    starts = np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]])
    rank = np.arange(len(c_sorted)) - np.repeat(starts, np.diff(np.r_[starts, len(c_sorted)]))
    hit[at[order[rank >= cap]]] = False
    log.info(
        "reference nodes: %d works cited by more than %d corpus papers keep links from their %d "
        "most specific citers", len(starts), cap, cap,
    )  # fmt: skip
