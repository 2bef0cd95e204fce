"""Merging records of the same paper, read from one file or several.

Records are grouped by union-find over their keys: arXiv ID, then DOI, then normalised title.
Title matches never join two groups whose arXiv IDs (or DOIs) differ — two different papers
can share a title.  A merged record keeps the richest value of each field and every source; its
ID is recomputed from the merged fields.

>>> from graphkit.model import Paper
>>> a = Paper(id="arxiv:1", title="SpQR", arxiv_id="2306.03078", sources=("a.bib:1",))
>>> b = Paper(id="t:x", title="spqr", abstract="We compress.", sources=("b.txt:9",))
>>> [m], n_merged = merge_papers([a, b])
>>> m.id, m.abstract, m.sources, n_merged
('arxiv:2306.03078', 'We compress.', ('a.bib:1', 'b.txt:9'), 1)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from ..model import Paper
from .normalise import dedupe, normalise_title, paper_id

__all__ = ["merge_papers", "merge_group"]

log = logging.getLogger(__name__)


class _Groups:
    """Union-find over record indices, tracking each group's arXiv IDs and DOIs."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.parent = list(range(len(papers)))
        self.arxiv = [{p.arxiv_id} - {""} for p in papers]
        self.doi = [{p.doi} - {""} for p in papers]

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:  # path compression
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int, *, check: bool) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if check and (
            (self.arxiv[a] and self.arxiv[b] and not self.arxiv[a] & self.arxiv[b])
            or (self.doi[a] and self.doi[b] and not self.doi[a] & self.doi[b])
        ):
            return False
        keep, drop = min(a, b), max(a, b)  # the earliest record is the root: first-seen order
        self.parent[drop] = keep
        self.arxiv[keep] |= self.arxiv[drop]
        self.doi[keep] |= self.doi[drop]
        return True


def _link(groups: _Groups, keys: list[str], *, check: bool) -> None:
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if not key:
            continue
        j = first.setdefault(key, i)
        if j != i and not groups.union(j, i, check=check):
            log.info("same title, different IDs; kept apart: %r", key)


def _link_ids(groups: _Groups, papers: Sequence[Paper]) -> None:
    """Join records sharing an OpenAlex/S2/WoS/PubMed ID (as sure as a DOI); ``ref:`` keys,
    which two different works can share, never join."""
    first: dict[str, int] = {}
    for i, p in enumerate(papers):
        for key in p.ids:
            if not key.startswith("ref:"):
                j = first.setdefault(key, i)
                if j != i:
                    groups.union(j, i, check=False)


def merge_papers(papers: Sequence[Paper]) -> tuple[list[Paper], int]:
    """Merge duplicates; return the unique papers (first-seen order) and how many merged away."""
    groups = _Groups(papers)
    _link(groups, [p.arxiv_id for p in papers], check=False)
    _link(groups, [p.doi for p in papers], check=False)
    _link_ids(groups, papers)
    _link(groups, [normalise_title(p.title) for p in papers], check=True)
    members: dict[int, list[Paper]] = {}
    for i, paper in enumerate(papers):
        members.setdefault(groups.find(i), []).append(paper)
    merged = [merge_group(members[root]) for root in sorted(members)]
    seen: dict[str, int] = {}
    out: list[Paper] = []
    for paper in merged:  # IDs are unique by construction; guard anyway
        n = seen.get(paper.id, 0)
        seen[paper.id] = n + 1
        if n:
            log.warning("two different papers share the ID %s; renaming the second", paper.id)
            paper = replace(paper, id=f"{paper.id}~{n + 1}")
        out.append(paper)
    return out, len(papers) - len(out)


def _first(values: list[str]) -> str:
    return next((v for v in values if v), "")


def _longest(values: list[str]) -> str:
    best = ""
    for v in values:
        if len(v) > len(best):
            best = v
    return best


def merge_group(group: Sequence[Paper]) -> Paper:
    """One record from several records of the same paper (richest value of each field)."""
    if len(group) == 1:
        return group[0]
    authors: tuple[str, ...] = ()
    for p in group:
        if len(p.authors) > len(authors):
            authors = p.authors
    counts = [n for n in (p.n_authors for p in group) if n is not None]
    n_authors = max([*counts, len(authors)]) if counts or authors else None
    # The most specific date: full date, else a year, else any date as written.
    dated = (
        next((p for p in group if p.iso_date), None)
        or next((p for p in group if p.year is not None), None)
        or next((p for p in group if p.date), group[0])
    )
    upvotes = [p.upvotes for p in group if p.upvotes is not None]
    cited = [p.cited_by_count for p in group if p.cited_by_count is not None]
    arxiv_id = _first([p.arxiv_id for p in group])
    doi = _first([p.doi for p in group])
    title = _first([p.title for p in group])
    return Paper(
        id=paper_id(arxiv_id=arxiv_id, doi=doi, title=title),
        title=title,
        abstract=_longest([p.abstract for p in group]),
        authors=authors,
        n_authors=n_authors,
        date=dated.date,
        year=dated.year,
        iso_date=dated.iso_date,
        upvotes=max(upvotes) if upvotes else None,
        organization=_first([p.organization for p in group]),
        url=_first([p.url for p in group]),
        arxiv_id=arxiv_id,
        doi=doi,
        categories=dedupe(c for p in group for c in p.categories),
        sources=dedupe(s for p in group for s in p.sources),
        references=dedupe(r for p in group for r in p.references),
        reference_titles=_first_titles(group),
        ids=dedupe(i for p in group for i in p.ids),
        cited_by_count=max(cited) if cited else None,
        venue=_first([p.venue for p in group]),
    )


def _first_titles(group: Sequence[Paper]) -> tuple[tuple[str, str], ...]:
    """The records' ``reference_titles``, the first title of each key."""
    titles: dict[str, str] = {}
    for p in group:
        for key, title in p.reference_titles:
            titles.setdefault(key, title)
    return tuple(titles.items())
