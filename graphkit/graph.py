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

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from .errors import GraphkitError
from .model import EDGE_KINDS, METHOD_PREFIX, Edge, Paper, PaperFeatures
from .schema import LIST_SEP, METHOD, PAPER, clean_attrs

__all__ = ["assemble_graph", "paper_attrs", "short_label", "EVIDENCE_SEP"]

log = logging.getLogger(__name__)

#: Separator of several mention sentences on one edge.
EVIDENCE_SEP = " | "
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


def paper_attrs(p: Paper, f: PaperFeatures | None = None) -> dict[str, str | int | float | bool]:
    """Node attributes of a paper (see :mod:`graphkit.schema`), already cleaned.

    >>> paper_attrs(Paper(id="arxiv:2306.03078", title="SpQR", arxiv_id="2306.03078"))["url"]
    'https://arxiv.org/abs/2306.03078'
    """
    f = f or PaperFeatures(p.id)
    short = f.short_name
    n_authors = p.n_authors if p.n_authors is not None else (len(p.authors) or None)
    mentions = list(dict.fromkeys(" ".join(m.name.split()) for m in f.mentions))
    return clean_attrs(
        {
            "kind": PAPER,
            "label": short or short_label(p.title) or p.id,
            "title": p.title,
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
            "defines": [d.name for d in f.defines],
            "mentions": mentions,
            "keyphrases": f.keyphrases,
        }
    )


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


def _merge(edges: Sequence[Edge], mix: Mapping[str, float]) -> dict[str, Any]:
    by_kind: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        by_kind[e.kind].append(e)
    w = {k: max((e.weight for e in by_kind.get(k, ())), default=0.0) for k in EDGE_KINDS}
    kw = max(by_kind.get("keyword", ()), key=lambda e: e.weight, default=None)
    sim = max(by_kind.get("similarity", ()), key=lambda e: e.score or e.weight, default=None)
    mentions = by_kind.get("mention", [])
    names = list(dict.fromkeys(t for e in mentions for t in e.terms))
    sentences = list(dict.fromkeys(e.evidence for e in mentions if e.evidence))
    sources = sorted({e.source for e in mentions})
    return {
        "kinds": ";".join(k for k in EDGE_KINDS if k in by_kind),
        "weight": round(sum(float(mix.get(k, 1.0)) * w[k] for k in EDGE_KINDS), 6),
        "w_keyword": float(w["keyword"]),
        "w_similarity": float(w["similarity"]),
        "w_mention": float(w["mention"]),
        "keyword_terms": LIST_SEP.join(kw.terms) if kw else "",
        "similarity": float(sim.score if sim.score is not None else sim.weight) if sim else 0.0,
        "similarity_terms": LIST_SEP.join(sim.terms) if sim else "",
        "mention_names": LIST_SEP.join(names),
        "mention_evidence": EVIDENCE_SEP.join(sentences),
        "mention_from": LIST_SEP.join(sources),
    }


def assemble_graph(
    papers: Sequence[Paper],
    features: Sequence[PaperFeatures],
    edges: Sequence[Edge],
    *,
    method_nodes: Mapping[str, Mapping[str, Any]] | None = None,
    mix: Mapping[str, float] | None = None,
    name: str = "",
) -> nx.Graph:
    """One undirected graph of ``papers`` (+ ``method_nodes``) with ``edges`` merged per pair.

    ``features`` may be in any order (matched by ``paper_id``; papers without features get
    empty ones).  ``mix`` weights each kind in the combined ``weight = Σ mix[k]·w_k`` (missing
    kinds count 1.0).  A method node that an edge points to but ``method_nodes`` does not
    describe is added with its name as label.  Edges touching unknown papers, and self-loops,
    raise :class:`GraphkitError`.  Nodes are inserted papers first (corpus order) then method
    nodes (sorted); edges sorted by node pair; graph attributes ``name``, ``n_papers``,
    ``n_methods``.
    """
    mix = dict(mix) if mix is not None else {k: 1.0 for k in EDGE_KINDS}
    feats = {f.paper_id: f for f in features}
    G = nx.Graph()
    seen: set[str] = set()
    for p in papers:
        if p.id in seen:
            raise GraphkitError(
                f"duplicate paper id {p.id!r}", hint="Merge duplicate papers first."
            )
        seen.add(p.id)
        G.add_node(p.id, **paper_attrs(p, feats.get(p.id)))
    methods = dict(method_nodes or {})
    for e in edges:
        for end in (e.source, e.target):
            if end not in seen and end not in methods:
                if end.startswith(METHOD_PREFIX):
                    methods[end] = {}
                else:
                    raise GraphkitError(
                        f"{e.kind} edge {e.source!r}–{e.target!r} names unknown paper {end!r}",
                        hint="Build the edges from the same papers you assemble.",
                    )
        if e.source == e.target:
            raise GraphkitError(f"{e.kind} edge loops on {e.source!r}", hint="Drop self-links.")
    for node in sorted(methods):
        if node in seen:
            raise GraphkitError(f"method node {node!r} clashes with a paper id")
        G.add_node(node, **_method_attrs(node, methods[node]))
    groups: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for e in edges:
        groups[e.pair].append(e)
    for pair in sorted(groups):
        G.add_edge(*pair, **clean_attrs(_merge(groups[pair], mix)))
    G.graph.update(clean_attrs({"name": name, "n_papers": len(papers), "n_methods": len(methods)}))
    log.info("graph: %d nodes, %d edges", G.number_of_nodes(), G.number_of_edges())
    return G
