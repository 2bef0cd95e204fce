"""Graph assembly: papers, method nodes and edge records merged into one networkx graph.

One undirected ``nx.Graph``: a node per paper (corpus order) then per method node (sorted),
and **one edge per node pair** carrying every kind found for it (``kinds``, ``w_<kind>``, the
evidence of each kind) and a combined ``weight``.  Every attribute passes through
:func:`graphkit.schema.clean_attrs`, so only plain scalars reach the writers.  The attribute
names are the contract in :mod:`graphkit.schema`.

>>> from graphkit.model import Edge, Paper, PaperFeatures
>>> papers = [Paper(id="a", title="Alpha"), Paper(id="b", title="Beta")]
>>> edges = [
...     Edge("a", "b", kind="keyword", weight=0.6, terms=("lora",), evidence="shared terms: lora"),
...     Edge("b", "a", kind="similarity", weight=0.3, terms=("x",), score=0.3),
... ]
>>> G = assemble_graph(papers, [PaperFeatures("a"), PaperFeatures("b")], edges)
>>> d = G.edges["a", "b"]
>>> d["kinds"], d["weight"], d["w_mention"], d["keyword_terms"]
('keyword;similarity', 0.9, 0.0, 'lora')
"""

from __future__ import annotations

import itertools
import logging
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from .edges.citation import CITATION_KINDS
from .edges.citeattrs import (
    citation_factors,
    citation_node_attrs,
    merged_with_citations,
)
from .errors import GraphkitError
from .features.tex import strip_tex
from .graphpairs import KINDS as _KINDS
from .graphpairs import cited_weight as _cited_weight
from .graphpairs import has_cites as _has_cites
from .graphpairs import kept as _kept
from .graphpairs import pair_weight as _pair_weight
from .graphpairs import sorted_pairs as _sorted_pairs
from .model import EDGE_KINDS, METHOD_PREFIX, Edge, Paper, PaperFeatures
from .parallel import gc_paused
from .schema import LIST_SEP, METHOD, PAPER, REFERENCE, clean_attrs

__all__ = ["assemble_graph", "paper_attrs", "short_label", "EVIDENCE_SEP"]

log = logging.getLogger(__name__)

#: Separator of several mention sentences on one edge.
EVIDENCE_SEP = " | "
#: The ``kinds`` text of a pair by which of ``_KINDS`` it has.
_KINDS_TEXT = {
    has: ";".join(k for k, there in zip(_KINDS, has, strict=True) if there)
    for has in itertools.product((False, True), repeat=len(_KINDS))
}
#: Longest label made from a title (characters, before the ellipsis).
LABEL_CHARS = 40


def short_label(title: str, limit: int = LABEL_CHARS) -> str:
    """``title`` shortened to at most ``limit`` characters on a word boundary, with "…".

    >>> short_label("Decoding specialised feature neurons in LLMs with the final projection layer")
    'Decoding specialised feature neurons in…'
    >>> short_label("Short title")
    'Short title'
    """
    text = " ".join((title or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    head = cut[:space] if space > limit // 2 else text[:limit]
    return head.rstrip(" ,;:-–—") + "…"


def _url(p: Paper) -> str:
    if p.url:
        return p.url
    if p.arxiv_id:
        return f"https://arxiv.org/abs/{p.arxiv_id}"
    if p.doi:
        return f"https://doi.org/{p.doi}"
    return ""


def paper_attrs(
    p: Paper, f: PaperFeatures | None = None, *, citations: bool = False
) -> dict[str, str | int | float | bool]:
    """Node attributes of a paper (see :mod:`graphkit.schema`), already cleaned.

    >>> paper_attrs(Paper(id="arxiv:2306.03078", title="SpQR", arxiv_id="2306.03078"))["url"]
    'https://arxiv.org/abs/2306.03078'
    """
    f = f or PaperFeatures(p.id)
    short = strip_tex(f.short_name)
    title = strip_tex(p.title)  # labels and titles never carry LaTeX markup
    n_authors = p.n_authors if p.n_authors is not None else (len(p.authors) or None)
    mentions = list(dict.fromkeys(" ".join(strip_tex(m.name).split()) for m in f.mentions))
    attrs = clean_attrs(
        {
            "kind": PAPER,
            "label": short or short_label(title) or p.id,
            "title": title,
            "abstract": p.abstract,
            "authors": p.authors,
            "n_authors": n_authors,
            "date": p.date,
            "year": p.year,
            "iso_date": p.iso_date,
            "upvotes": p.upvotes,
            "organization": p.organization,
            "url": _url(p),
            "arxiv_id": p.arxiv_id,
            "doi": p.doi,
            "categories": p.categories,
            "sources": p.sources,
            "short_name": short,
            "defines": [strip_tex(d.name) for d in f.defines],
            "mentions": mentions,
            "keyphrases": f.keyphrases,
        }
    )
    if p.venue:  # only where the record names one: other graphs keep their bytes
        attrs["venue"] = p.venue
    if citations:  # only in corpora with references: other graphs keep their bytes
        attrs.update(citation_node_attrs(p))
    elif p.cited_by_count is not None:  # the count alone (related's popularity prior)
        attrs["cited_by_count"] = p.cited_by_count
    return attrs


def _method_attrs(
    node: str, attrs: Mapping[str, Any] | None
) -> dict[str, str | int | float | bool]:
    name = node[len(METHOD_PREFIX) :]
    base: dict[str, Any] = {
        "kind": METHOD,
        "label": name,
        "title": name,
        "method_kind": "method",
        "reference": "",
        "n_mentions": 0,
    }
    base.update(attrs or {})
    base["kind"] = METHOD
    return clean_attrs(base)


def _merge(edges: Sequence[Edge], factors: tuple[float, ...]) -> dict[str, Any]:
    """The attributes of one node pair from all its edges, in one pass over ``edges``, already
    cleaned (the tests hold a plain reference, with the same values in the same order).

    ``factors`` are ``float(mix.get(k, 1.0))`` for each of ``_KINDS``.  Like ``max``, which
    keeps the first of equal items, a later edge wins only when it is greater.
    """
    w_sim: Any = None
    w_men: Any = None
    kw: Edge | None = None
    sim: Edge | None = None
    sim_key: Any = None
    mentions: list[Edge] = []
    for e in edges:
        kind = e.kind
        if kind == "keyword":
            if kw is None or e.weight > kw.weight:  # its weight is also the kind's weight
                kw = e
        elif kind == "similarity":
            key = e.score or e.weight
            if sim is None:
                sim, sim_key, w_sim = e, key, e.weight
            else:
                if e.weight > w_sim:
                    w_sim = e.weight
                if key > sim_key:
                    sim, sim_key = e, key
        elif kind == "mention":
            if not mentions or e.weight > w_men:
                w_men = e.weight
            mentions.append(e)
    w = (
        0.0 if kw is None else kw.weight,
        0.0 if sim is None else w_sim,
        0.0 if not mentions else w_men,
    )
    if mentions:
        names = LIST_SEP.join(dict.fromkeys(t for e in mentions for t in e.terms))
        sentences = EVIDENCE_SEP.join(dict.fromkeys(e.evidence for e in mentions if e.evidence))
        sources = LIST_SEP.join(sorted({e.source for e in mentions}))
    else:
        names = sentences = sources = ""
    out: dict[str, Any] = {
        "kinds": _KINDS_TEXT[kw is not None, sim is not None, bool(mentions)],
        "weight": float(round(sum((factors[0] * w[0], factors[1] * w[1], factors[2] * w[2])), 6)),
        "w_keyword": float(w[0]),
        "w_similarity": float(w[1]),
        "w_mention": float(w[2]),
        "keyword_terms": LIST_SEP.join(kw.terms) if kw else "",
        "similarity": float(sim.score if sim.score is not None else sim.weight) if sim else 0.0,
        "similarity_terms": LIST_SEP.join(sim.terms) if sim else "",
        "mention_names": names,
        "mention_evidence": sentences,
        "mention_from": sources,
    }
    # every value is a str or a float: only NaN and infinities need dropping (rarely any)
    total = out["weight"] + out["w_keyword"] + out["w_similarity"] + out["w_mention"]
    total += out["similarity"]
    return out if total - total == 0.0 else clean_attrs(out)


def _group_edges(
    edges: Sequence[Edge], papers: set[str], methods: dict[str, Mapping[str, Any]]
) -> dict[tuple[str, str], list[Edge]]:
    """Edges by node pair (``Edge.pair``); checks the ends, adds unknown method nodes."""
    sources = list(map(operator.attrgetter("source"), edges))
    targets = list(map(operator.attrgetter("target"), edges))
    unknown = (set(sources) | set(targets)) - papers - methods.keys()
    if any(not end.startswith(METHOD_PREFIX) for end in unknown) or any(
        map(operator.eq, sources, targets)
    ):
        _check_edges(edges, papers, methods)  # raises the error of the first bad edge
    methods.update({end: {} for end in sorted(unknown)})
    groups: dict[tuple[str, str], list[Edge]] = {}
    # a pair is (min, max) of its ends, as Edge.pair (the ends differ: no self-loops)
    pairs = zip(map(min, sources, targets), map(max, sources, targets), strict=True)
    for pair, e in zip(pairs, edges, strict=True):
        group = groups.get(pair)
        if group is None:
            groups[pair] = [e]
        else:
            group.append(e)
    return groups


def _check_edges(
    edges: Sequence[Edge], papers: set[str], methods: dict[str, Mapping[str, Any]]
) -> None:
    """Raise for the first edge naming an unknown paper or looping on a node."""
    known = papers | methods.keys()
    for e in edges:
        for end in (e.source, e.target):
            if end not in known and not end.startswith(METHOD_PREFIX):
                raise GraphkitError(
                    f"{e.kind} edge {e.source!r}–{e.target!r} names unknown paper {end!r}",
                    hint="Build the edges from the same papers you assemble.",
                )
        if e.source == e.target:
            raise GraphkitError(f"{e.kind} edge loops on {e.source!r}", hint="Drop self-links.")


def _add_nodes(G: nx.Graph, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """``G.add_nodes_from(nodes)`` with attribute dicts made for them: a new node's dict
    becomes its own (networkx would copy every one)."""
    node, adj = G._node, G._adj
    for n, attrs in nodes:
        if n in node:  # as networkx: the attributes join the node's
            node[n].update(attrs)
        else:
            node[n] = attrs
            adj[n] = {}


def _add_edges(G: nx.Graph, merged: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
    """``G.add_edges_from(merged)`` for new pairs of nodes already in ``G`` whose attribute dicts
    were made for them: each dict becomes the edge's own (networkx would copy every one)."""
    adj = G._adj
    for u, v, attrs in merged:
        adj[u][v] = attrs
        adj[v][u] = attrs


def assemble_graph(
    papers: Sequence[Paper],
    features: Sequence[PaperFeatures],
    edges: Sequence[Edge],
    *,
    method_nodes: Mapping[str, Mapping[str, Any]] | None = None,
    mix: Mapping[str, float] | None = None,
    name: str = "",
    reference_nodes: Mapping[str, Mapping[str, Any]] | None = None,
    keep_per_paper: int | None = None,
) -> nx.Graph:
    """One undirected graph of ``papers`` (+ ``method_nodes``) with ``edges`` merged per pair.

    ``features`` may be in any order (matched by ``paper_id``; papers without features get
    empty ones).  ``mix`` weights each kind in the combined ``weight = Σ mix[k]·w_k`` (missing
    kinds count 1.0; the citation kinds ``cites``/``cocitation``/``coupling`` join it the same
    way, see :func:`graphkit.edges.citation.merge_citation_attrs`).  A method node that an edge points to but ``method_nodes`` does not
    describe is added with its name as label.  Edges touching unknown papers, and self-loops,
    raise :class:`GraphkitError`.  With ``keep_per_paper=k``, a paper–paper pair is kept only
    when it is among the ``k`` heaviest paper partners of at least one of its papers (ties: the
    other paper's id), so every paper keeps its ``k`` best links and the map stays as sparse as
    a ``k``-nearest-neighbour graph; links to method nodes and citations are all kept.  Nodes
    are inserted papers first (corpus order) then method nodes (sorted); edges sorted by node pair; graph attributes ``name``, ``n_papers``,
    ``n_methods``.
    """
    with gc_paused():  # ~1M acyclic objects: full collections would walk the corpus for nothing
        mix = dict(mix) if mix is not None else {k: 1.0 for k in EDGE_KINDS}
        factors = tuple(float(mix.get(k, 1.0)) for k in _KINDS)
        G = nx.Graph()
        seen = _add_papers(G, papers, features)
        methods = dict(method_nodes or {})
        refs = dict(reference_nodes or {})
        cited: dict[tuple[str, str], list[Edge]] = {}
        if refs or any(e.kind in CITATION_KINDS for e in edges):
            ends = seen | refs.keys()
            cited = _group_edges([e for e in edges if e.kind in CITATION_KINDS], ends, methods)
            edges = [e for e in edges if e.kind not in CITATION_KINDS]
        groups = _group_edges(edges, seen, methods)
        for node in sorted(methods):
            if node in seen:
                raise GraphkitError(f"method node {node!r} clashes with a paper id")
            _add_nodes(G, [(node, _method_attrs(node, methods[node]))])
        _add_nodes(
            G, ((node, clean_attrs({**refs[node], "kind": REFERENCE})) for node in sorted(refs))
        )
        if cited:
            merged = _merged_with_citations(groups, cited, G, seen, mix, factors, keep_per_paper)
        else:  # the weights first, so that only the pairs kept are merged
            pairs = _sorted_pairs(groups.keys(), G)
            if keep_per_paper is not None:
                weights = [_pair_weight(groups[pair], factors) for pair in pairs]
                ranked = [u in seen and v in seen for u, v in pairs]
                keep = _kept(pairs, weights, ranked, seen, keep_per_paper)
                pairs = [pair for pair, ok in zip(pairs, keep, strict=True) if ok]
            merged = [(u, v, _merge(groups[u, v], factors)) for u, v in pairs]
        _add_edges(G, merged)
        G.graph.update(
            clean_attrs({"name": name, "n_papers": len(papers), "n_methods": len(methods)})
        )
        if refs:
            G.graph["n_references"] = len(refs)
    log.info("graph: %d nodes, %d edges", G.number_of_nodes(), G.number_of_edges())
    return G


def _add_papers(
    G: nx.Graph, papers: Sequence[Paper], features: Sequence[PaperFeatures]
) -> set[str]:
    """Add the paper nodes in corpus order (a duplicate id is an error); returns their ids."""
    feats = {f.paper_id: f for f in features}
    seen: set[str] = set()
    for p in papers:
        if p.id in seen:
            raise GraphkitError(
                f"duplicate paper id {p.id!r}", hint="Merge duplicate papers first."
            )
        seen.add(p.id)
    cites = any(p.references for p in papers)
    _add_nodes(G, ((p.id, paper_attrs(p, feats.get(p.id), citations=cites)) for p in papers))
    return seen


def _merged_with_citations(
    groups: dict[tuple[str, str], list[Edge]],
    cited: dict[tuple[str, str], list[Edge]],
    G: nx.Graph,
    seen: set[str],
    mix: Mapping[str, float],
    factors: tuple[float, ...],
    keep_per_paper: int | None,
) -> list[tuple[str, str, dict[str, Any]]]:
    """The merged attributes of every pair kept when citation edges are present: the weights
    first here too, so that only the pairs kept are merged; a ``cites`` pair is always kept."""
    cfactors = citation_factors(mix)
    pairs = _sorted_pairs(groups.keys() | cited.keys(), G)
    if keep_per_paper is not None:
        weights = [_cited_weight(groups, cited, pair, factors, cfactors) for pair in pairs]
        ranked = [
            u in seen and v in seen and not _has_cites(cited.get((u, v), ())) for u, v in pairs
        ]  # a citation, ``cites``, is a fact, not a ranking: always kept
        keep = _kept(pairs, weights, ranked, seen, keep_per_paper)
        pairs = [pair for pair, ok in zip(pairs, keep, strict=True) if ok]
    return [
        (u, v, merged_with_citations(
            _merge(groups[u, v], factors) if (u, v) in groups else {}, cited[u, v], cfactors))
        if (u, v) in cited else (u, v, _merge(groups[u, v], factors))
        for u, v in pairs
    ]  # fmt: skip
