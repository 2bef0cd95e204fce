"""Resolving a query: a node ID, an old ID, an arXiv ID or DOI, a name, a title (exact or
nearly), else free text (see :mod:`graphkit.query`)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..errors import GraphkitError
from ..index import RelatedIndex, build_index, lookup_key  # noqa: F401 -- build_index: the doctest
from .scores import _free_text_scores, _top

__all__ = ["Resolved", "resolve", "TITLE_RATIO"]

_ARXIV = re.compile(
    r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$",
    re.I,
)
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
#: A query this close to a title (difflib ratio, normalised case and spaces) is that paper.
TITLE_RATIO = 0.9


@dataclass(frozen=True)
class Resolved:
    """A resolved query: a node (``node`` ≥ 0) or free text (``node`` = -1)."""

    node: int
    matched_by: str


def resolve(index: RelatedIndex, query: str) -> Resolved:
    """How ``query`` resolves: id/alias/arxiv/doi/name/title (a node), else ``text``.

    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_node("t:1", kind="paper", title="Graph layouts at scale")
    >>> idx = build_index(G)
    >>> resolve(idx, "graph layouts at scale"), resolve(idx, "layouts").matched_by
    (Resolved(node=0, matched_by='title'), 'text')
    """
    q = str(query).strip()
    if not q:
        raise GraphkitError("empty query", hint="Give a paper title, arXiv id, DOI, name or words.")
    hit = index.position(q)
    if hit is not None:
        return Resolved(hit, "id")
    want = lookup_key(q)
    named = index.lookup(want)
    if named and ":" in q and index.kinds[named[0]] == "paper":
        return Resolved(named[0], "alias")
    m = _ARXIV.match(q)
    if m and m.group(1).casefold() in index.arxiv:
        return Resolved(index.arxiv.index(m.group(1).casefold()), "arxiv")
    m = _DOI.match(q)
    if m and m.group(1).casefold() in index.dois:
        return Resolved(index.dois.index(m.group(1).casefold()), "doi")
    if named:
        return Resolved(named[0], "name")
    titled = index.lookup(want, titles=True)
    if titled:
        return Resolved(titled[0], "title")
    scores = _free_text_scores(index, q)
    top = _top(scores, 10, index.n_papers) if scores is not None else []
    for i in top:
        if difflib.SequenceMatcher(None, want, lookup_key(index.titles[i])).ratio() >= TITLE_RATIO:
            return Resolved(int(i), "title")
    if scores is None or not top:
        raise GraphkitError(
            f"nothing in the index matches {q!r}",
            hint="Try a node id, an arXiv id, a DOI, a method name or other words.",
        )
    return Resolved(-1, "text")
