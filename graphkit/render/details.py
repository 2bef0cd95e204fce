"""The map's lazy ``gk-details`` block: each node's panel fields and each link's evidence,
clipped (graph.json keeps everything)."""

from __future__ import annotations

import math
from typing import Any

from ..schema import LIST_SEP, plain

__all__ = ["node_details", "link_evidence", "clip"]

_NOT_EVIDENCE = frozenset({"kinds", "weight", "level"})


def clip(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters, the last one "…" when cut."""
    return text if len(text) <= n else text[: n - 1] + "…"


#: Node fields the panel shows (graph.json has the rest), and the ones a paper not drawn keeps
#: in a capped page (its texts stay in graph.json).
_PANEL_FIELDS = (
    "abstract", "authors", "date", "defines", "doi", "keyphrases", "mentions", "method_kind",
    "n_authors", "reference", "url",
)  # fmt: skip
_BRIEF_FIELDS = ("authors", "date", "doi", "method_kind", "n_authors", "reference", "url")
_MAX_TERMS = 12
_MAX_QUOTES = 3
_MAX_QUOTE_CHARS = 400


def node_details(d: dict[str, Any], *, full: bool = True) -> dict[str, Any]:
    """The panel's fields of a node (``full=False``: metadata only, no abstract or phrases).

    >>> node_details({"abstract": "A.", "pagerank": 0.1, "authors": ["X", "Y"]}, full=False)
    {'authors': 'X; Y'}
    """
    out = {}
    for key in _PANEL_FIELDS if full else _BRIEF_FIELDS:
        v = d.get(key)
        if v is None or v == "":
            continue
        if type(v) is not str:
            v = plain(v)
            if v is None or v == "" or (type(v) is float and not math.isfinite(v)):
                continue
            if type(v) is float:
                v = round(v, 6)
        out[key] = v
    return out


def link_evidence(d: dict[str, Any]) -> dict[str, Any]:
    """The evidence of a link for the panel: term lists and quotes clipped (graph.json has all).

    >>> link_evidence({"weight": 1.0, "w_keyword": 0.0, "keyword_terms": "a; b", "similarity": 0.31234})
    {'keyword_terms': 'a; b', 'similarity': 0.3123}
    """
    out = {}
    for key, v in d.items():
        rule = _KEY_RULES.get(key)
        if rule is None:
            rule = _KEY_RULES[key] = _key_rule(key)
        if rule is _SKIP or v is None or v == "":
            continue
        zero_skip, text = rule
        t = type(v)
        if t is float or t is int or t is bool:
            if v == 0 and zero_skip:
                continue
            if t is float:
                if not math.isfinite(v):
                    continue
                v = round(v, 4)
        else:
            if t is not str:
                v = plain(v)
                if v is None or v == "":
                    continue
            if type(v) is str:
                if text == _QUOTES and " | " in v:
                    v = " | ".join(clip(q, _MAX_QUOTE_CHARS) for q in v.split(" | ")[:_MAX_QUOTES])
                elif text == _TERMS and v.count(LIST_SEP) >= _MAX_TERMS:
                    v = LIST_SEP.join(v.split(LIST_SEP)[:_MAX_TERMS])
        out[key] = v
    return out


_SKIP = None
_QUOTES, _TERMS, _TEXT = range(3)
#: What :func:`link_evidence` does with each attribute name, found once per name: skip it, or
#: (drop a zero?, clip as quotes / as a term list / keep the text).
_KEY_RULES: dict[str, tuple[bool, int] | None] = {}


def _key_rule(key: str) -> tuple[bool, int] | None:
    if key in _NOT_EVIDENCE:
        return _SKIP
    zero_skip = key.startswith(("w_", "similarity"))
    text = _QUOTES if key.endswith("_evidence") else _TERMS if key.endswith("_terms") else _TEXT
    return zero_skip, text
