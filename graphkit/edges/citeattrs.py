"""The graph attributes of citations: a paper node's citation fields and a pair's citation kinds.

Split out of :mod:`graphkit.edges.citation` (which makes the edges); :mod:`graphkit.graph`
calls these while it merges a pair's edges.  **Lean by kind**: a pair carries the attributes of
the citation kinds it has and no others (``w_cites``, ``cites_from``, ``cites_evidence`` only on
a pair with a ``cites`` edge; ``w_<kind>``, ``<kind>_shared``, ``<kind>_evidence`` only with a
co-citation or coupling edge), and a pair with no text kind carries no text-kind attributes
(see :mod:`graphkit.schema`): with references most pairs are citations to reference nodes or
couplings alone, and twenty mostly empty attributes on each made the writers' output
(and the graph's memory) about four times what the links say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import CITATION_KINDS, Edge, Paper
from ..schema import LIST_SEP, clean_attrs

__all__ = [
    "citation_node_attrs",
    "merge_citation_attrs",
    "merged_with_citations",
    "citation_weight",
    "weight_with_citations",
    "citation_factors",
]


def citation_node_attrs(p: Paper) -> dict[str, str | int | float | bool]:
    """A paper node's citation attributes (graph.json keeps them, so it reads back with them).

    >>> citation_node_attrs(Paper(id="a", title="A", references=("doi:10.1/x",), cited_by_count=3))
    {'references': 'doi:10.1/x', 'cited_by_count': 3}
    """
    return clean_attrs(
        {
            "references": p.references or None,
            "other_ids": p.ids or None,
            "cited_by_count": p.cited_by_count,
        }
    )


def citation_factors(mix: Mapping[str, float]) -> tuple[float, ...]:
    """``float(mix.get(k, 1.0))`` for each of ``CITATION_KINDS`` (made once per graph)."""
    return tuple(float(mix.get(k, 1.0)) for k in CITATION_KINDS)


def _best(edges: Sequence[Edge]) -> tuple[dict[str, Edge], list[Edge]]:
    """Each citation kind's heaviest edge (the first of equals, as ``max``) and the ``cites``
    edges, in one pass."""
    if len(edges) == 1:  # most pairs: one citation
        e = edges[0]
        return {e.kind: e}, [e] if e.kind == "cites" else []
    best: dict[str, Edge] = {}
    cites: list[Edge] = []
    for e in edges:
        kind = e.kind
        b = best.get(kind)
        if b is None or e.weight > b.weight:
            best[kind] = e
        if kind == "cites":
            cites.append(e)
    return best, cites


def _extra(best: Mapping[str, Edge], factors: tuple[float, ...]) -> float:
    """``Σ mix[k]·w_k`` over the citation kinds, summed in kind order from 0 (as ``sum``)."""
    w = [best[k].weight if k in best else 0.0 for k in CITATION_KINDS]
    return 0 + factors[0] * w[0] + factors[1] * w[1] + factors[2] * w[2]


def citation_weight(base: float, edges: Sequence[Edge], mix: Mapping[str, float]) -> float:
    """The combined ``weight`` :func:`merge_citation_attrs` gives a pair whose text kinds weigh
    ``base`` (0.0 when it is not finite, which the cleaned attributes leave out), without
    making its attributes.

    >>> e = Edge("a", "b", kind="coupling", weight=0.5)
    >>> citation_weight(0.25, [e], {"coupling": 2.0})
    1.25
    """
    return weight_with_citations(base, edges, citation_factors(mix))


def weight_with_citations(base: float, edges: Sequence[Edge], factors: tuple[float, ...]) -> float:
    """:func:`citation_weight` with the mix as :func:`citation_factors`."""
    weight = round(float(base) + _extra(_best(edges)[0], factors), 6)
    return weight if weight - weight == 0.0 else 0.0


def merge_citation_attrs(
    attrs: dict[str, Any], edges: Sequence[Edge], mix: Any
) -> dict[str, str | int | float | bool]:
    """``attrs`` (one pair's merged text-kind attributes, already cleaned; ``{}`` for a pair
    without text kinds) plus its citation ``edges``.

    The kinds are appended to ``kinds`` in ``CITATION_KINDS`` order and join the combined
    weight as the other kinds do, ``weight += Σ mix[k]·w_k`` (a missing ``mix`` entry counts
    1.0): ``w_cites`` is 1 for a citation either way, ``w_cocitation``/``w_coupling`` the
    Salton cosine (both in [0, 1], the scale of the similarity cosine).  Only the kinds the
    pair has bring attributes (see the module docstring).

    >>> e = Edge("a", "b", kind="cites", weight=1.0, terms=("doi:10.1/b",), directed=True)
    >>> d = merge_citation_attrs({"kinds": "similarity", "weight": 0.3}, [e], {})
    >>> d["kinds"], d["weight"], d["cites_from"], d["cites_evidence"], "w_coupling" in d
    ('similarity;cites', 1.3, 'a', 'doi:10.1/b', False)
    >>> merge_citation_attrs({}, [e], {})
    {'kinds': 'cites', 'weight': 1.0, 'w_cites': 1.0, 'cites_from': 'a', 'cites_evidence': 'doi:10.1/b'}
    """
    return merged_with_citations(attrs, edges, citation_factors(mix))


#: ``kinds`` texts made so far, by (text kinds, citation kinds): one string object per spelling.
_KINDS_TEXT: dict[tuple[str, tuple[str, ...]], str] = {}


def merged_with_citations(
    attrs: dict[str, Any], edges: Sequence[Edge], factors: tuple[float, ...]
) -> dict[str, str | int | float | bool]:
    """:func:`merge_citation_attrs` with the mix as :func:`citation_factors`; what
    ``clean_attrs`` would drop (non-finite numbers) is left out as it goes."""
    best, cites = _best(edges)
    text = str(attrs.get("kinds", ""))
    spelled = (text, tuple(k for k in CITATION_KINDS if k in best))
    kinds = _KINDS_TEXT.get(spelled)
    if kinds is None:
        kinds = ";".join([k for k in text.split(";") if k] + list(spelled[1]))
        kinds = _KINDS_TEXT.setdefault(spelled, kinds)
    out = dict(attrs)
    out["kinds"] = kinds
    weight = round(float(attrs.get("weight", 0.0)) + _extra(best, factors), 6)
    if weight - weight == 0.0:
        out["weight"] = weight
    else:
        out.pop("weight", None)
    if cites:
        w = float(best["cites"].weight)
        if w - w == 0.0:
            out["w_cites"] = w
        out["cites_from"] = (
            cites[0].source if len(cites) == 1 else LIST_SEP.join(sorted({e.source for e in cites}))
        )
        out["cites_evidence"] = LIST_SEP.join(dict.fromkeys(t for e in cites for t in e.terms))
    for kind in ("cocitation", "coupling"):
        b = best.get(kind)
        if b is not None:
            w = float(b.weight)
            if w - w == 0.0:
                out[f"w_{kind}"] = w
            out[f"{kind}_shared"] = int(b.score or 0)
            out[f"{kind}_evidence"] = LIST_SEP.join(b.terms)
    return out
