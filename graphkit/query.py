"""The ``related`` query: find a paper or method in a built graph and explain its neighbours.

A query is resolved, in order, as a node id, an arXiv id or DOI (with or without prefix, URL or
version), a method name (a paper's short name or defined names, a method node's label; any
case), and finally the best-matching title.  Neighbours are ranked by combined edge weight and
each comes with the reasons behind its edge.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("p1", kind="paper", label="SpQR", title="SpQR: sparse quantization",
...            short_name="SpQR", defines="SpQR", arxiv_id="2306.03078")
>>> G.add_node("p2", kind="paper", label="OWQ", title="OWQ: outlier-aware quantization")
>>> G.add_edge("p1", "p2", kinds="keyword;mention", weight=1.5, keyword_terms="quantization",
...            mention_names="SpQR", mention_evidence="Unlike SpQR, we ...", mention_from="p2")
>>> res = related(G, "spqr")
>>> res.node, res.matched_by, [n.node for n in res.neighbours]
('p1', 'name', ['p2'])
>>> res.neighbours[0].reasons[1]
'OWQ mentions SpQR: "Unlike SpQR, we ..."'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .errors import GraphkitError
from .schema import LIST_SEP

__all__ = ["related", "resolve", "RelatedResult", "Neighbour"]

_ARXIV = re.compile(
    r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$",
    re.I,
)
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
_WORD = re.compile(r"\w+")
#: Smallest title match score (0–1) accepted as the query's paper.
TITLE_CUTOFF = 0.5
#: Smallest title match score for a title to be suggested when nothing matches.
SUGGEST_CUTOFF = 0.2


@dataclass(frozen=True)
class Neighbour:
    """One neighbour of the matched node, with the reasons for its edge."""

    node: str
    label: str
    kind: str
    weight: float
    kinds: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelatedResult:
    """What ``related`` found: the matched node, how it matched, and its ranked neighbours."""

    query: str
    node: str
    label: str
    title: str
    matched_by: str
    neighbours: tuple[Neighbour, ...] = field(default=())

    def to_text(self) -> str:
        """A readable multi-line summary (what ``graphkit related`` prints)."""
        lines = [f"{self.label} [{self.node}] (matched by {self.matched_by})"]
        if self.title and self.title != self.label:
            lines.append(f"  {self.title}")
        if not self.neighbours:
            lines.append("  no related nodes")
        for rank, n in enumerate(self.neighbours, 1):
            lines.append(f"{rank:>3}. {n.label} [{n.node}] weight {n.weight:.3f} ({n.kinds})")
            lines.extend(f"       - {r}" for r in n.reasons)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (what ``graphkit related --json`` prints)."""
        return {
            "query": self.query,
            "node": self.node,
            "label": self.label,
            "title": self.title,
            "matched_by": self.matched_by,
            "neighbours": [
                {
                    "node": n.node,
                    "label": n.label,
                    "kind": n.kind,
                    "weight": n.weight,
                    "kinds": n.kinds,
                    "reasons": list(n.reasons),
                }
                for n in self.neighbours
            ],
        }


def _split(value: Any) -> list[str]:
    return [s.strip() for s in str(value or "").split(LIST_SEP.strip()) if s.strip()]


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(str(text).casefold()))


def _title_score(query: str, title: str) -> float:
    q, t = _tokens(query), _tokens(title)
    overlap = len(q & t) / len(q | t) if q and t else 0.0
    # most words of a longer query found in the title also count (0.8 for all of them)
    contained = 0.8 * len(q & t) / len(q) if len(q) >= 3 and t else 0.0
    ratio = difflib.SequenceMatcher(None, _norm(query), _norm(title)).ratio()
    return max(overlap, contained, ratio)


def _first(nodes: Iterable[str]) -> str | None:
    return next(iter(nodes), None)


def _aliases(d: dict[str, Any]) -> list[str]:
    from .ingest.normalise import paper_ids

    return paper_ids(
        arxiv_id=str(d.get("arxiv_id") or ""),
        doi=str(d.get("doi") or ""),
        title=str(d.get("title") or ""),
    )


def resolve(G: nx.Graph, query: str) -> tuple[str, str]:
    """``(node, matched_by)`` for ``query``; ``matched_by`` is id/arxiv/doi/name/title.

    Raises :class:`GraphkitError` with close titles as a hint when nothing matches.

    >>> G = nx.Graph(); G.add_node("t:1", kind="paper", title="Graph layouts at scale")
    >>> resolve(G, "graph layout at scale")
    ('t:1', 'title')
    """
    q = str(query).strip()
    if not q:
        raise GraphkitError("empty query", hint="Give a paper title, arXiv id, DOI or method name.")
    if q in G:
        return q, "id"
    nodes = list(G.nodes(data=True))
    hit = None
    if ":" in q:
        hit = _first(n for n, d in nodes if d.get("kind") == "paper" and q in _aliases(d))
    if hit is not None:  # an ID the paper had before another input added its arXiv ID/DOI
        return hit, "id"
    m = _ARXIV.match(q)
    if m:
        want = m.group(1).casefold()
        hit = _first(
            n
            for n, d in nodes
            if re.sub(r"v\d+$", "", str(d.get("arxiv_id", "")).casefold()) == want
        )
        if hit is not None:
            return hit, "arxiv"
    m = _DOI.match(q)
    if m:
        want = m.group(1).casefold()
        hit = _first(n for n, d in nodes if str(d.get("doi", "")).casefold() == want)
        if hit is not None:
            return hit, "doi"
    want = _norm(q)
    for attr in ("short_name", "defines", "label"):
        hit = _first(
            n
            for n, d in nodes
            if (attr != "label" or d.get("kind") == "method")
            and any(_norm(v) == want for v in _split(d.get(attr, "")))
        )
        if hit is not None:
            return hit, "name"
    titled = [(n, str(d.get("title") or d.get("label") or "")) for n, d in nodes]
    hit = _first(n for n, t in titled if _norm(t) == want)
    if hit is not None:
        return hit, "title"
    scored = sorted(
        ((_title_score(q, t), i) for i, (_, t) in enumerate(titled) if t),
        key=lambda x: (-x[0], x[1]),
    )
    if scored and scored[0][0] >= TITLE_CUTOFF:
        return titled[scored[0][1]][0], "title"
    close = [titled[i][1] for score, i in scored[:3] if score >= SUGGEST_CUTOFF]
    hint = (
        "Did you mean: " + "; ".join(repr(c) for c in close) + "?"
        if close
        else "Try a node id, an arXiv id, a DOI, a method name or words from a title."
    )
    raise GraphkitError(f"nothing in the graph matches {q!r}", hint=hint)


def _reasons(G: nx.Graph, node: str, other: str, d: dict[str, Any]) -> tuple[str, ...]:
    out: list[str] = []
    if d.get("keyword_terms"):
        out.append("shared terms: " + ", ".join(_split(d["keyword_terms"])))
    if d.get("w_similarity") or ("similarity" in str(d.get("kinds", "")) and d.get("similarity")):
        text = f"text similarity {float(d.get('similarity', 0.0)):.2f}"
        if d.get("similarity_terms"):
            text += " (" + ", ".join(_split(d["similarity_terms"])) + ")"
        out.append(text)
    if d.get("mention_names"):
        names = ", ".join(_split(d["mention_names"]))
        sentences = [s for s in str(d.get("mention_evidence", "")).split(" | ") if s]
        quote = f': "{sentences[0]}"' if sentences else ""
        for src in _split(d.get("mention_from", "")) or [""]:
            if src == node:
                who = "this one"
            elif src in G:
                who = str(G.nodes[src].get("label") or src)
            else:
                who = "one end"
            out.append(f"{who} mentions {names}{quote}")
    if not out:
        out.append(f"linked ({d.get('kinds', 'edge')})")
    return tuple(out)


def related(G: nx.Graph, query: str, *, limit: int = 10) -> RelatedResult:
    """The node matching ``query`` and its ``limit`` heaviest neighbours, with reasons.

    Ties in weight are broken by node id, so the answer is deterministic.

    >>> G = nx.Graph(); G.add_node("a", title="Alpha"); G.add_node("b", title="Beta")
    >>> G.add_edge("a", "b", weight=0.4, kinds="similarity", similarity=0.4)
    >>> [n.reasons for n in related(G, "a").neighbours]
    [('text similarity 0.40',)]
    """
    node, how = resolve(G, query)
    data = G.nodes[node]
    ranked = sorted(
        G[node].items(), key=lambda kv: (-float(kv[1].get("weight", 0.0) or 0.0), str(kv[0]))
    )
    neighbours = tuple(
        Neighbour(
            node=str(other),
            label=str(G.nodes[other].get("label") or other),
            kind=str(G.nodes[other].get("kind", "")),
            weight=float(d.get("weight", 0.0) or 0.0),
            kinds=str(d.get("kinds", "")),
            reasons=_reasons(G, node, other, d),
        )
        for other, d in ranked[: max(0, int(limit))]
    )
    return RelatedResult(
        query=str(query),
        node=str(node),
        label=str(data.get("label") or node),
        title=str(data.get("title", "")),
        matched_by=how,
        neighbours=neighbours,
    )
