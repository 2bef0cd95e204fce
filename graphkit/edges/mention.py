"""Mention edges: paper A names a method that paper B introduces (A → B), and method nodes.

Names are compared case-insensitively, against each definition's name and aliases.

* A mention of a name that another corpus paper *introduces* links the mentioning paper to it
  (weight 1).  Where several papers claim the name, the earliest (by year, then corpus order)
  (then most cited) is its definer.  A title such as "TREC: ..." does not introduce a name the
  lexicon knows from elsewhere (an existing benchmark or model a later paper is about; a
  lexicon entry that gives this paper's arXiv ID keeps it), nor one that two papers at least
  two years older already mention.  A paper that itself claims the name it mentions gets
  no edge for it (a name clash, not a citation).
* A name that no corpus paper defines becomes a *method node* ``"method:<Name>"`` linked from
  every paper that mentions it (weight 1.0) — the SparseGPT hub shows even when the SparseGPT
  paper is absent.  Names known only as ``source="candidate"`` (guessed by the extractor, not in
  the lexicon) need :data:`MIN_CANDIDATE_PAPERS` mentioning papers, so one paper's odd acronym
  does not become a node; lexicon and corpus names need one.  Its links weigh the name's
  specificity (:func:`graphkit.edges.keyword.rarity` of its mentioning papers, at least 0.05):
  a name much of the corpus mentions (GPT-4, ImageNet) makes a node with light links, no hub.

>>> from graphkit.model import Definition, Mention, Paper, PaperFeatures
>>> papers = [Paper(id="spqr", title="SpQR"), Paper(id="x", title="X"), Paper(id="y", title="Y")]
>>> feats = [
...     PaperFeatures("spqr", defines=(Definition("SpQR"),)),
...     PaperFeatures("x", mentions=(Mention("SpQR", "SpQR", "We compare to SpQR."),
...                                  Mention("LoRA", "LoRA", "We use LoRA."))),
...     PaperFeatures("y", mentions=(Mention("LoRA", "LoRA adapters", "LoRA adapters help."),)),
... ]
>>> edges, nodes = mention_edges(papers, feats)
>>> [(e.source, e.target, e.terms) for e in edges]
[('x', 'spqr', ('SpQR',)), ('x', 'method:LoRA', ('LoRA',)), ('y', 'method:LoRA', ('LoRA',))]
>>> nodes["method:LoRA"]["n_mentions"]
2
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from ..model import METHOD_PREFIX, Edge, Mention, Paper, PaperFeatures
from .keyword import align_features, rarity

__all__ = ["mention_edges", "MIN_CANDIDATE_PAPERS"]

log = logging.getLogger(__name__)

#: Papers that must mention a name known only as a "candidate" before it becomes a method node.
MIN_CANDIDATE_PAPERS = 2


def _key(name: str) -> str:
    return " ".join((name or "").casefold().split())


def _lexicon_info(lexicon: Any, name: str) -> dict[str, str]:
    """full_name / kind / reference of ``name`` from a duck-typed lexicon (``.get(name)``)."""
    if lexicon is None:
        return {}
    entry = lexicon.get(name)
    if entry is None:
        return {}
    ref = str(getattr(entry, "reference", "") or "")
    arxiv = str(getattr(entry, "arxiv_id", "") or "")
    if not ref and arxiv:
        ref = f"arXiv:{arxiv}"
    return {
        "full_name": str(getattr(entry, "full_name", "") or ""),
        "kind": str(getattr(entry, "kind", "") or ""),
        "reference": ref,
    }


def mention_edges(
    papers: Sequence[Paper],
    features: Sequence[PaperFeatures],
    *,
    method_nodes: bool = True,
    lexicon: Any = None,
    min_candidate_papers: int = MIN_CANDIDATE_PAPERS,
) -> tuple[list[Edge], dict[str, dict[str, Any]]]:
    """Directed mention edges and the method nodes they point to.

    Returns ``(edges, nodes)``: edges ``source`` (mentioning paper) → ``target`` (defining paper
    or method node), ``kind="mention"``, ``directed=True``, ``terms=(name,)``, ``evidence`` the
    first sentence naming it, ``extra={"surface": ...}``; ordered by mentioning paper (corpus
    order), then target (papers in corpus order, then method nodes by id).  ``nodes`` maps
    method-node id → attributes ``kind, label, title, method_kind, reference, n_mentions``
    (sorted by id; empty with ``method_nodes=False``).  ``lexicon`` is anything with
    ``.get(name)`` returning an object with ``full_name``, ``kind``, ``reference``, ``arxiv_id``
    (``graphkit.features.load_lexicon()``), used for method-node titles and references.
    """
    feats = align_features(papers, features)
    ids = [p.id for p in papers]
    definers = _definers(papers, feats, lexicon)

    # first mention of each name per paper (in the paper's own order)
    firsts: list[dict[str, Mention]] = []
    for f in feats:
        seen: dict[str, Mention] = {}
        for m in f.mentions:
            k = _key(m.name)
            if k and k not in seen:
                seen[k] = m
        firsts.append(seen)

    paper_edges: list[tuple[int, int, Edge]] = []
    orphans: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    for i, seen in enumerate(firsts):
        for k, m in seen.items():
            targets = definers.get(k)
            if targets:
                if i in targets:
                    continue  # defines it itself: a name clash, not a citation
                for j in targets:
                    paper_edges.append((i, j, _edge(ids[i], ids[j], m, 1.0)))
            else:
                orphans[k].append((i, m))

    nodes: dict[str, dict[str, Any]] = {}
    method_edges: list[tuple[int, str, Edge]] = []
    if method_nodes:
        nodes, method_edges = _method_nodes(orphans, ids, lexicon, min_candidate_papers)
    nodes = dict(sorted(nodes.items()))
    ordered = [(i, 0, j, "", e) for i, j, e in paper_edges]
    ordered += [(i, 1, 0, node, e) for i, node, e in method_edges]
    ordered.sort(key=lambda t: t[:4])
    edges = [t[4] for t in ordered]
    log.info("mention: %d edges, %d method nodes", len(edges), len(nodes))
    return edges, nodes


def _definers(
    papers: Sequence[Paper], feats: Sequence[PaperFeatures], lexicon: Any
) -> dict[str, list[int]]:
    """Name key → [the paper that introduces it]: the earliest paper claiming it (then the most
    cited, then the first in the corpus) -- unless papers clearly older than it already
    mention the name, or the claim is a title about a name the lexicon knows from elsewhere."""
    claims: dict[str, list[int]] = defaultdict(list)
    for i, (p, f) in enumerate(zip(papers, feats, strict=True)):
        keys: set[str] = set()
        for d in f.defines:
            if d.how == "title" and _known_elsewhere(lexicon, d.name, p):
                continue  # "TREC: ..." is about TREC, it does not introduce it
            keys |= {_key(d.name)} | {_key(a) for a in d.aliases}
        for k in sorted(keys - {""}):
            claims[k].append(i)
    mentioned_in: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for k in {_key(m.name) for m in f.mentions} - {""}:
            mentioned_in[k].append(i)
    definers: dict[str, list[int]] = {}
    for k, found in claims.items():
        j = _earliest(papers, found)
        if not _mentioned_before(papers, j, mentioned_in.get(k, ())):
            definers[k] = [j]
    return definers


def _method_nodes(
    orphans: dict[str, list[tuple[int, Mention]]],
    ids: Sequence[str],
    lexicon: Any,
    min_candidate_papers: int,
) -> tuple[dict[str, dict[str, Any]], list[tuple[int, str, Edge]]]:
    """Method nodes for the names no corpus paper introduces, and the mentioning papers'
    edges to them (weighted by the name's specificity)."""
    nodes: dict[str, dict[str, Any]] = {}
    method_edges: list[tuple[int, str, Edge]] = []
    for k in sorted(orphans):
        hits = orphans[k]
        n_papers = len({i for i, _ in hits})
        if all(m.source == "candidate" for _, m in hits) and n_papers < min_candidate_papers:
            continue
        name = _display(m.name for _, m in hits)
        node = METHOD_PREFIX + name
        info = _lexicon_info(lexicon, name)
        kind = info.get("kind") or Counter(m.kind for _, m in hits).most_common(1)[0][0]
        nodes[node] = {
            "kind": "method",
            "label": name,
            "title": info.get("full_name") or name,
            "method_kind": kind or "method",
            "reference": info.get("reference", ""),
            "n_mentions": n_papers,
        }
        w = max(0.05, rarity(n_papers, len(ids)))  # a name everyone uses is no hub
        for i, m in hits:
            method_edges.append((i, node, _edge(ids[i], node, m, w, name=name)))
    return nodes, method_edges


def _known_elsewhere(lexicon: Any, name: str, paper: Paper) -> bool:
    """Whether the lexicon knows ``name`` as introduced by another work than ``paper``."""
    if lexicon is None:
        return False
    entry = lexicon.get(name)
    if entry is None:
        return False
    arxiv = str(getattr(entry, "arxiv_id", "") or "")
    return not (arxiv and paper.arxiv_id and arxiv == paper.arxiv_id)


def _earliest(papers: Sequence[Paper], found: Sequence[int]) -> int:
    """The earliest of the papers ``found`` (unknown years last), then the most cited, then the
    first in corpus order."""
    return min(
        found,
        key=lambda i: (
            papers[i].year is None,
            papers[i].year or 0,
            -(getattr(papers[i], "cited_by_count", None) or 0),
            i,
        ),
    )


#: Papers at least this many years older than a claimant that mention its name show the name
#: existed before it (:func:`_mentioned_before`).
_OLDER_YEARS = 2


def _mentioned_before(papers: Sequence[Paper], j: int, mentioning: Sequence[int]) -> bool:
    """Whether two or more papers :data:`_OLDER_YEARS` older than paper ``j`` mention its name
    (then ``j`` is about an existing name, it did not introduce it)."""
    year = papers[j].year
    if year is None:
        return False
    older = [
        i
        for i in mentioning
        if papers[i].year is not None and papers[i].year <= year - _OLDER_YEARS
    ]
    return len(older) >= 2


def _display(names: Any) -> str:
    """Most common written form of a name (ties: the smallest string)."""
    counts = Counter(" ".join(n.split()) for n in names)
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _edge(source: str, target: str, m: Mention, weight: float, *, name: str = "") -> Edge:
    name = name or " ".join(m.name.split())
    sentence = " ".join((m.sentence or "").split()) or f"mentions {m.surface or name}"
    return Edge(
        source,
        target,
        kind="mention",
        weight=round(weight, 6),
        terms=(name,),
        evidence=sentence,
        directed=True,
        extra={"surface": m.surface or name, "source": m.source},
    )
