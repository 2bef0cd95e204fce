"""Text and JSON views of the method-name table (what `graphkit methods` prints).

Formatting lives here, not in the CLI, so the library and the command share it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import GraphkitError

__all__ = ["read_methods", "methods_view", "one_method", "methods_text", "methods_json"]


def one_method(rows: Sequence[Any], name: str) -> Any:
    """The row whose name (or full name) is ``name``, case-insensitively.

    Raises GraphkitError with close names as a hint when there is none.
    """
    wanted = name.casefold()
    for row in rows:
        if row.name.casefold() == wanted or (row.full_name or "").casefold() == wanted:
            return row
    close = difflib.get_close_matches(name, [r.name for r in rows], n=5, cutoff=0.6)
    hint = (
        f"Did you mean {', '.join(close)}?"
        if close
        else "Run `graphkit methods` to list the names."
    )
    raise GraphkitError(f"no paper in the corpus defines or mentions {name!r}", hint=hint)


def _introduced(row: Any, titles: Mapping[str, str]) -> str:
    if row.introduced_by:
        return "; ".join(titles.get(pid, pid) for pid in row.introduced_by)
    return f"(not in corpus) {row.reference}" if row.reference else "(not in corpus)"


def methods_text(rows: Sequence[Any], titles: Mapping[str, str], *, evidence: bool = False) -> str:
    """A plain-text table: name, kind, number of mentioning papers, introducing paper."""
    if not rows:
        return "No method names found."
    width = max(len(r.name) for r in rows)
    lines = [f"{'name':<{width}}  {'kind':<9} {'papers':>6}  introduced by"]
    for r in rows:
        lines.append(
            f"{r.name:<{width}}  {r.kind:<9} {len(r.mentioned_by):>6}  {_introduced(r, titles)}"
        )
        if evidence:
            if r.full_name and r.full_name != r.name:
                lines.append(f"  full name: {r.full_name}")
            for pid, sentence in r.evidence:
                lines.append(f"  - {titles.get(pid, pid)}")
                lines.append(f"      “{sentence}”")
    return "\n".join(lines)


def methods_json(rows: Sequence[Any], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """Rows as JSON-able dicts, with paper titles beside their IDs."""
    return [
        {
            "name": r.name,
            "kind": r.kind,
            "full_name": r.full_name,
            "introduced_by": [{"id": pid, "title": titles.get(pid, "")} for pid in r.introduced_by],
            "reference": r.reference,
            "mentioned_by": [{"id": pid, "title": titles.get(pid, "")} for pid in r.mentioned_by],
            "evidence": [{"id": pid, "sentence": s} for pid, s in r.evidence],
        }
        for r in rows
    ]


def read_methods(config: Any) -> tuple[list[Any], dict[str, str]]:
    """Read ``config.paths`` and return the method table and the papers' titles by ID: the
    build's own corpus, features and methods stages, nothing beside them."""
    from .ingest import read_inputs
    from .progress import Reporter
    from .stages import features_stage, method_stage

    rep = Reporter()
    corpus = read_inputs(config)
    feats, lexicon = features_stage(corpus.papers, config, rep)
    rows = method_stage(corpus.papers, feats, lexicon, rep)
    return rows, {p.id: p.title for p in corpus.papers}


def methods_view(
    config: Any, *, name: str | None = None, limit: int = 40, as_json: bool = False
) -> str:
    """What ``graphkit methods`` prints: the table (``limit`` rows), or one ``name`` with its
    evidence sentences; as text or JSON."""
    import orjson

    rows, titles = read_methods(config)
    if name:
        row = one_method(rows, name)
        if as_json:
            return orjson.dumps(methods_json([row], titles)[0], option=orjson.OPT_INDENT_2).decode()
        return methods_text([row], titles, evidence=True)
    if as_json:
        return orjson.dumps(methods_json(rows[:limit], titles), option=orjson.OPT_INDENT_2).decode()
    return methods_text(rows[:limit], titles)
