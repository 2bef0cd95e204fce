"""What ``related`` answers: :class:`RelatedResult` (the query's node or text matches and the
ranked papers) of :class:`Neighbour` entries, printed as text or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Neighbour", "RelatedResult"]


@dataclass(frozen=True)
class Neighbour:
    """One ranked node, its score, and the reasons it is related."""

    node: str
    label: str
    kind: str
    weight: float
    kinds: str
    reasons: tuple[str, ...] = ()
    title: str = ""
    year: int = 0
    scores: tuple[tuple[str, float], ...] = ()
    citation: str = ""
    reference: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "label": self.label,
            "title": self.title,
            "year": self.year,
            "kind": self.kind,
            "weight": self.weight,
            "kinds": self.kinds,
            "reasons": list(self.reasons),
            "scores": dict(self.scores),
            "citation": self.citation,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class RelatedResult:
    """What ``related`` found: the query's node (or its text matches) and the ranked papers."""

    query: str
    node: str
    label: str
    title: str
    matched_by: str
    neighbours: tuple[Neighbour, ...] = field(default=())
    matches: tuple[Neighbour, ...] = field(default=())
    linked: tuple[Neighbour, ...] = field(default=())

    def to_text(self) -> str:
        """A readable multi-line summary (what ``graphkit related`` prints)."""
        lines: list[str] = []
        if self.matched_by == "text":
            lines.append(f"papers matching {self.query!r}:")
            for rank, n in enumerate(self.matches, 1):
                lines.append(f"{rank:>3}. {n.label} [{n.node}] score {n.weight:.3f}")
                lines.extend(f"       - {r}" for r in n.reasons)
            lines.append("related to them:")
        else:
            lines.append(f"{self.label} [{self.node}] (matched by {self.matched_by})")
            if self.title and self.title != self.label:
                lines.append(f"  {self.title}")
        if not self.neighbours:
            lines.append("  no related papers")
        for rank, n in enumerate(self.neighbours, 1):
            kinds = f" ({n.kinds})" if n.kinds else ""
            lines.append(f"{rank:>3}. {n.label} [{n.node}] score {n.weight:.3f}{kinds}")
            lines.extend(f"       - {r}" for r in n.reasons)
        if self.linked:
            lines.append("methods and references linked:")
            lines.extend(f"     {n.label} [{n.node}] ({n.kinds})" for n in self.linked)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (what ``graphkit related --json`` prints; shape in README)."""
        return {
            "query": self.query,
            "node": self.node,
            "label": self.label,
            "title": self.title,
            "matched_by": self.matched_by,
            "matches": [n.to_dict() for n in self.matches],
            "neighbours": [n.to_dict() for n in self.neighbours],
            "linked": [n.to_dict() for n in self.linked],
        }
