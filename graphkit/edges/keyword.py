"""Keyword edges: papers that share method names or key phrases, weighted by how rare they are.

A paper's *terms* are the canonical names it defines or mentions and its key phrases, compared
case-insensitively (``"LoRA"`` and ``"lora"`` are one term, shown in its most common written
form, names before phrases).  Pairs are generated from a sparse binary paper × term matrix
(``B @ B.T``; each paper's best partners kept by sparse_dot_topn's kernel as it multiplies,
:mod:`graphkit.edges.keyword_pairs`), never by comparing every pair of papers.

>>> from graphkit.model import Paper, PaperFeatures
>>> papers = [Paper(id=i, title=i) for i in "abc"]
>>> feats = [
...     PaperFeatures("a", keyphrases=("speculative decoding", "llm")),
...     PaperFeatures("b", keyphrases=("speculative decoding", "llm")),
...     PaperFeatures("c", keyphrases=("llm",)),
... ]
>>> [(e.source, e.target, e.terms) for e in keyword_edges(papers, feats)]
[('a', 'b', ('speculative decoding', 'llm')), ('a', 'c', ('llm',)), ('b', 'c', ('llm',))]
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ..errors import GraphkitError
from ..model import Edge, Paper, PaperFeatures
from .keyword_pairs import _linked_pairs

__all__ = [
    "keyword_edges",
    "paper_terms",
    "author_terms",
    "author_key",
    "term_cap",
    "align_features",
    "rarity",
]

log = logging.getLogger(__name__)

#: A term is never capped while it is in at most this many papers (tiny corpora keep all terms).
MIN_CAP = 20
#: Probability-like strength of the rarest possible shared method name (see ``keyword_edges``).
NAME_STRENGTH = 0.6
#: ... and of the rarest shared key phrase (phrases are noisier evidence than names).
PHRASE_STRENGTH = 0.4
#: ... of a shared author (surname + initial; common keys are rare-weighted like any term).
AUTHOR_STRENGTH = 0.5
#: ... and of a shared model/dataset/benchmark name the papers only mention (a tool many
#: papers use, such as GPT-4 or ImageNet, says little about what a paper is about).
TOOL_STRENGTH = 0.15
#: Mention kinds that are tools rather than methods.
TOOL_KINDS = frozenset({"model", "dataset", "benchmark"})
#: Term priorities: 0 name, 1 key phrase, TOOL a mentioned tool, AUTHOR an author.
TOOL, AUTHOR = 2, 3
_STRENGTH = {0: NAME_STRENGTH, 1: PHRASE_STRENGTH, TOOL: TOOL_STRENGTH, AUTHOR: AUTHOR_STRENGTH}
#: Key prefix of author terms (keeps them apart from a phrase that spells the same).
AUTHOR_PREFIX = "author:"


def _key(term: str) -> str:
    return " ".join(term.casefold().split())


def align_features(
    papers: Sequence[Paper], features: Sequence[PaperFeatures]
) -> list[PaperFeatures]:
    """``features`` reordered to follow ``papers`` (missing papers get empty features).

    Raises :class:`GraphkitError` on duplicate paper ids or features of unknown papers.
    """
    ids = [p.id for p in papers]
    if len(set(ids)) != len(ids):
        dup = sorted(i for i, n in Counter(ids).items() if n > 1)[0]
        raise GraphkitError(f"duplicate paper id {dup!r}", hint="Merge duplicate papers first.")
    if len(features) == len(papers) and all(
        f.paper_id == p.id for f, p in zip(features, papers, strict=True)
    ):
        return list(features)
    by_id = {f.paper_id: f for f in features}
    unknown = sorted(set(by_id) - set(ids))
    if unknown:
        raise GraphkitError(
            f"features given for unknown paper {unknown[0]!r}",
            hint="Extract features from the same papers you link.",
        )
    return [by_id.get(i, PaperFeatures(i)) for i in ids]


def paper_terms(
    feat: PaperFeatures, spelled: dict[str, tuple[str, str]] | None = None
) -> dict[str, tuple[int, str]]:
    """A paper's terms: key → (priority, written form); names (0) before key phrases (1).

    Names of models, datasets and benchmarks the paper only mentions (tools many papers use,
    such as GPT-4 or ImageNet) have priority :data:`TOOL`; names it defines and methods it
    mentions keep 0.  ``spelled`` (term → (written form, key)) may be shared by the calls of
    one corpus, so that each spelling is normalised once.
    """
    out: dict[str, tuple[int, str]] = {}
    names = [(0, d.name) for d in feat.defines] + [
        (TOOL if m.kind in TOOL_KINDS else 0, m.name) for m in feat.mentions
    ]
    phrases = [(1, t) for t in feat.keyphrases]
    cache = {} if spelled is None else spelled
    for prio, term in names + phrases:
        got = cache.get(term)
        if got is None:
            written = " ".join((term or "").split())
            # == _key(term): casefold maps whitespace to itself only
            got = cache[term] = (written, written.casefold())
        written, k = got
        if k and (k not in out or (prio == 0 and out[k][0] == TOOL)):
            out[k] = (prio, written)
    return out


def author_key(name: str) -> tuple[str, str]:
    """``(key, written form)`` of an author: surname and first initial, accents and case folded.

    "Morgan, T" (surname first) and "Tim Morgan" are the same key; an empty name gives "".

    >>> author_key("Morgan, Tim"), author_key("Tim  Morgan"), author_key("José van der Berg")
    (('morgan t', 'Morgan T'), ('morgan t', 'Morgan T'), ('berg j', 'Berg J'))
    """
    text = " ".join((name or "").split())
    if not text.isascii():  # (ASCII has no decomposition and no combining marks)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    if "," in text:
        surname, _, given = text.partition(",")
        surname = surname.split()[-1] if surname.split() else ""
    else:
        parts = text.split()
        surname, given = (parts[-1], " ".join(parts[:-1])) if parts else ("", "")
    surname = surname.strip(" .")
    initial = next((c for c in given if c.isalpha()), "")
    if not surname or not any(c.isalpha() for c in surname):
        return "", ""
    written = f"{surname} {initial.upper()}".strip()
    return written.casefold(), written


def author_terms(paper: Paper) -> dict[str, tuple[int, str]]:
    """A paper's authors as terms: ``"author:<key>"`` → (:data:`AUTHOR`, written form)."""
    out: dict[str, tuple[int, str]] = {}
    for name in paper.authors:
        k, written = author_key(name)
        if k:
            out.setdefault(AUTHOR_PREFIX + k, (AUTHOR, written))
    return out


def term_cap(n_papers: int, max_term_df: float, *, min_cap: int = MIN_CAP) -> int:
    """The largest number of papers a term may be in and still generate pairs.

    >>> term_cap(5, 0.05), term_cap(1000, 0.05), term_cap(74728, 0.05)
    (20, 50, 3736)
    """
    return max(int(min_cap), int(math.floor(max_term_df * n_papers)))


def rarity(df: int, n: int) -> float:
    """Specificity of a term in ``df`` of ``n`` papers: ``(log(n/df) / log(n/2))²``, 1 for a
    term in 2 papers, never below 0.001 (a term in every paper).  Squared so that a term in 5 %
    of a large corpus counts about a tenth of a term two papers share.

    >>> rarity(2, 9000), round(rarity(450, 9000), 2), round(rarity(3, 5), 2)
    (1.0, 0.13, 0.31)
    """
    if n <= 2 or df <= 2:
        return 1.0
    return max(0.001, min(1.0, max(0.0, math.log(n / df) / math.log(n / 2))) ** 2)


def keyword_edges(
    papers: Sequence[Paper],
    features: Sequence[PaperFeatures],
    *,
    max_term_df: float = 0.05,
    min_shared: int = 1,
    max_terms: int = 5,
    min_cap: int = MIN_CAP,
    top_k: int | None = 10,
    authors: bool = True,
) -> list[Edge]:
    """Undirected edges between papers sharing at least ``min_shared`` uncommon terms.

    *Common terms are skipped*: a term in more than ``term_cap(N, max_term_df)`` papers
    (``max(min_cap, max_term_df·N)``; 3,736 of 74,728 papers at the default 0.05, but never
    fewer than 20, so a term in 3 of 5 papers still links them) is dropped before pairs are
    generated — it neither creates nor strengthens an edge — so no term contributes more than
    ``cap²/2`` pairs.  Terms in a single paper cannot link anything and are dropped too.

    *Terms* are the names a paper defines or mentions, its key phrases and (``authors=True``)
    its authors (surname + first initial, :func:`author_key`; shown as "Name I (author)").

    *Weight*: each shared term ``t`` has a specificity ``r_t`` in (0, 1] (:func:`rarity`: 1 for
    a term in 2 papers, falling fast as more papers use it) and acts like independent evidence
    of strength ``p_t = s·r_t``, ``s`` by the kind of term: 0.6 for a method name (defined in
    the corpus, or a known method mentioned), 0.5 for a shared author, 0.4 for a key phrase,
    0.15 for a model, dataset or benchmark name papers only mention (GPT-4, ImageNet: a tool
    many papers use says little about what they are about); the weight is ``1 − Π(1 − p_t)``
    (noisy-or), in (0, 1), growing with both the number and the specificity of shared terms.

    ``terms`` are the shared terms, rarest first (ties by name), at most ``max_terms``;
    ``evidence`` lists them; ``extra["n_shared"]`` counts all of them.  A pair is kept only if
    it is among the ``top_k`` heaviest of at least one of its two papers (ties: corpus order),
    so there are at most ``top_k·N`` edges even when a term in ``cap`` papers would make
    ``cap²/2`` pairs; ``top_k=None`` keeps every pair.
    Edges are in corpus order of (source, target).
    """
    feats = align_features(papers, features)
    n = len(papers)
    voc = _vocabulary(papers, feats, authors)
    cap = term_cap(n, max_term_df, min_cap=min_cap)
    usable = _usable_terms(voc, cap)
    if not usable.size or n < 2:
        return []
    display, logq = _term_weights(voc, usable, n)
    B = _term_matrix(voc, usable, n)
    pa, pb, weights = _linked_pairs(B, logq, min_shared=min_shared, top_k=top_k)
    edges = _keyword_records(B, pa, pb, weights, display, [p.id for p in papers], max_terms)
    log.info("keyword: %d edges from %d usable terms (cap %d papers)", len(edges), usable.size, cap)
    return edges


class _Vocabulary:
    """Every term key of the corpus (an id each, in order of first sight), the keys of each
    paper as one flat array of ids (``starts`` delimit the papers), each key's document
    frequency, and how often each (key, priority, written form) occurs."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.keys: list[str] = []
        self.flat: list[int] = []
        self.lengths: list[int] = []
        self.forms: Counter[tuple[int, int, str]] = Counter()
        self.df = np.zeros(0, np.int64)


def _vocabulary(
    papers: Sequence[Paper], feats: Sequence[PaperFeatures], authors: bool
) -> _Vocabulary:
    voc = _Vocabulary()
    ids, flat, lengths = voc.ids, voc.flat, voc.lengths
    forms: list[tuple[int, int, str]] = []
    # an author's term key and (priority, written form), worked out once per spelling
    author_cache: dict[str, tuple[str, tuple[int, str]]] = {}
    spelled: dict[str, tuple[str, str]] = {}
    for p, f in zip(papers, feats, strict=True):
        terms = paper_terms(f, spelled)
        if authors:
            for name in p.authors:
                got = author_cache.get(name)
                if got is None:
                    k, written = author_key(name)
                    got = author_cache[name] = (AUTHOR_PREFIX + k if k else "", (AUTHOR, written))
                if got[0]:
                    terms.setdefault(got[0], got[1])
        lengths.append(len(terms))
        for k, (prio, form) in terms.items():
            kid = ids.setdefault(k, len(ids))
            flat.append(kid)
            forms.append((kid, prio, form))
    voc.keys.extend(ids)  # ids in order of first sight
    voc.forms = Counter(forms)
    voc.df = np.bincount(np.asarray(flat, dtype=np.int64), minlength=len(voc.keys))
    return voc


def _usable_terms(voc: _Vocabulary, cap: int) -> np.ndarray:
    """Ids of the keys in 2..``cap`` papers, rarest first (ties by key): the matrix columns."""
    df = voc.df
    n_capped = int((df > cap).sum())
    if n_capped:
        log.info("keyword: %d terms in more than %d papers are not linked on", n_capped, cap)
    ok = np.flatnonzero((df >= 2) & (df <= cap))
    by_key = np.asarray(sorted(ok.tolist(), key=voc.keys.__getitem__), dtype=np.int64)
    return by_key[np.argsort(df[by_key], kind="stable")]  # keys are distinct: (df, key) order


def _term_weights(voc: _Vocabulary, usable: np.ndarray, n: int) -> tuple[list[str], np.ndarray]:
    """Each column's display form (names first, then the most common form, then the smallest)
    and ``log(1 - p_t)`` (see :func:`keyword_edges`)."""
    col = np.full(len(voc.keys), -1, dtype=np.int64)
    col[usable] = np.arange(usable.size)
    col_of = col.tolist()
    best: dict[int, tuple[int, int, str]] = {}  # column -> smallest (priority, -count, form)
    for (kid, prio, form), count in voc.forms.items():
        c = col_of[kid]
        if c >= 0:
            cand = (prio, -count, form)
            old = best.get(c)
            if old is None or cand < old:
                best[c] = cand
    chosen = [best[c] for c in range(usable.size)]
    display = [form + (" (author)" if prio == AUTHOR else "") for prio, _, form in chosen]
    dfs = voc.df[usable].tolist()
    by_df = {d: rarity(d, n) for d in set(dfs)}  # (few distinct document frequencies)
    spec = np.array([by_df[d] for d in dfs])
    # the strongest kind among the key's forms (a defined name beats a mentioned tool)
    strength = np.array([_STRENGTH[prio] for prio, _, _ in chosen])
    return display, np.log1p(-strength * np.clip(spec, 0.0, 1.0))  # log(1 - p_t) < 0


def _term_matrix(voc: _Vocabulary, usable: np.ndarray, n: int) -> sp.csr_matrix:
    """The binary paper × usable-term matrix (int32, sorted indices)."""
    col = np.full(len(voc.keys), -1, dtype=np.int64)
    col[usable] = np.arange(usable.size)
    rows = np.repeat(np.arange(n), np.asarray(voc.lengths, dtype=np.int64))
    cols = col[np.asarray(voc.flat, dtype=np.int64)]
    keep = cols >= 0
    rows, cols = rows[keep], cols[keep]
    B = sp.csr_matrix((np.ones(rows.size, dtype=np.int32), (rows, cols)), shape=(n, usable.size))
    B.sort_indices()
    return B


def _keyword_records(
    B: sp.csr_matrix,
    pa: np.ndarray,
    pb: np.ndarray,
    weights: np.ndarray,
    display: Sequence[str],
    ids: Sequence[str],
    max_terms: int,
) -> list[Edge]:
    """The edges of the pairs, with their shared terms: the row-wise AND of the two papers'
    term rows, whose column indices come out sorted = rarest first."""
    S = B[pa].multiply(B[pb]).tocsr()
    S.sort_indices()
    n_shared = np.diff(S.indptr)
    lows = S.indptr[:-1].tolist()
    highs = (S.indptr[:-1] + np.minimum(n_shared, max_terms)).tolist()
    ind = S.indices.tolist()
    edges: list[Edge] = []
    append = edges.append
    for a, b, wt, lo, hi, k in zip(
        pa.tolist(), pb.tolist(), weights.tolist(), lows, highs, n_shared.tolist(), strict=True
    ):
        terms = tuple([display[t] for t in ind[lo:hi]])
        more = k - (hi - lo)
        evidence = "shared terms: " + ", ".join(terms) + (f" (+{more} more)" if more else "")
        append(
            Edge(
                ids[a], ids[b], kind="keyword", weight=round(wt, 6), terms=terms,
                evidence=evidence, extra={"n_shared": k},
            )
        )  # fmt: skip
    return edges
