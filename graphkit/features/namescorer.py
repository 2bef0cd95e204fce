"""A learnt weighting of the detector's evidence (:mod:`.detect`).

The detector scores a candidate name by adding the points of each piece of evidence it found
("shape+2", "after:on+1.5", "type:dataset+2", "common-word-1", ...; :class:`.detect.Detected`
keeps them as ``reasons``).  :class:`NameScorer` re-weights those points per kind of evidence
(the text of a reason before its ``:`` or its points: "after", "type", "common-word", ...)
with weights fitted by logistic regression on the hand-annotated development gold
(``scripts/train_name_scorer.py``, cross-validated by field), so the score stays a sum a reader
can check: ``bias + sum(weight[kind] * points)``, reported when it reaches ``threshold``.

No weights ship: on the development gold the learnt weights did not beat the hand-set points
(cross-validated by field; tests/data/names/README.md has the figures), so :func:`load_scorer`
finds no ``data/name_scorer.json`` and the detector uses its hand-set points.  A user with an
annotated gold of their own field can train one with ``scripts/train_name_scorer.py`` (plain JSON,
read at import; no pickle); the detector then uses it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["NameScorer", "evidence", "load_scorer", "SCORER_PATH"]

SCORER_PATH = Path(__file__).resolve().parent / "data" / "name_scorer.json"
_REASON = re.compile(r"(.*?)([+-]\d+(?:\.\d+)?)\Z", re.S)
_PARSED: dict[str, tuple[str, float]] = {}


def evidence(reason: str) -> tuple[str, float]:
    """The kind and points of one reason: ``"after:on+1.5"`` -> ``("after", 1.5)``,
    ``"eponym-causality+2"`` -> ``("eponym", 2.0)``, ``"lower-case:3-2"`` -> ``("lower-case", -2.0)``.

    >>> evidence("after:on+1.5"), evidence("eponym-causality+2"), evidence("lower-case:3-2")
    (('after', 1.5), ('eponym', 2.0), ('lower-case', -2.0))
    """
    got = _PARSED.get(reason)
    if got is None:
        m = _REASON.match(reason)
        if m is None:
            raise ValueError(f"reason without points: {reason!r}")
        head = m.group(1).split(":", 1)[0]
        for family in ("eponym-", "named-"):
            if head.startswith(family):
                head = family[:-1]
        got = _PARSED[reason] = (head, float(m.group(2)))
    return got


def name_evidence(name: str) -> dict[str, float]:
    """Evidence of the spelling the hand-set points do not use (weight 0 unless learnt)."""
    return {
        "words": float(name.count(" ") + 1),
        "all-caps": float(name.isupper()),
        "digit": float(any(c.isdigit() for c in name)),
        "short": float(len(name) <= 3),
    }


class NameScorer:
    """``bias + sum(weights[kind] * points)`` over a candidate's reasons (an unknown kind keeps
    weight 1, its hand-set points)."""

    __slots__ = ("bias", "weights", "threshold")

    def __init__(self, bias: float, weights: Mapping[str, float], threshold: float) -> None:
        self.bias = float(bias)
        self.weights = dict(weights)
        self.threshold = float(threshold)

    def score(self, reasons: Iterable[str], name: str = "") -> float:
        w = self.weights
        total = self.bias
        for r in reasons:
            kind, pts = evidence(r)
            total += w.get(kind, 1.0) * pts
        if name:
            for kind, v in name_evidence(name).items():
                total += w.get(kind, 0.0) * v
        return total

    def weight(self, kind: str) -> float:
        return self.weights.get(kind, 1.0)

    def to_json(self) -> dict:
        return {
            "bias": self.bias,
            "threshold": self.threshold,
            "weights": dict(sorted(self.weights.items())),
        }


def load_scorer(path: Path = SCORER_PATH) -> NameScorer | None:
    """The shipped scorer, or None when there is none (the hand-set points are used)."""
    if not path.exists():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    return NameScorer(d["bias"], d["weights"], d["threshold"])
