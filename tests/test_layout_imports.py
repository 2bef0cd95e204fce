"""The README's "Layout" rule: folders are stages, and no module imports a later stage.

Each top-level module or package of ``graphkit/`` has a rank (its stage in DESIGN.md's data
flow, then the plumbing that chains the stages, then the CLI); a relative import may only go to
the same or a lower rank.  Modules not in the table (new ones) are not checked until added.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "graphkit"

#: Stage of each top-level module/package (see README "Layout").
RANK = {
    **dict.fromkeys(
        [
            "model",
            "errors",
            "config",
            "schema",
            "fileio",
            "outdir",
            "progress",
            "xmlwrite",
            "parallel",
        ],
        0,
    ),
    **dict.fromkeys(["ingest", "fetch"], 1),
    "features": 2,
    "edges": 3,
    "graph": 4,
    **dict.fromkeys(["analysis", "layout"], 5),
    **dict.fromkeys(["render", "export", "report", "embeddings"], 6),
    **dict.fromkeys(
        ["stages", "manifest", "outputs", "built", "index", "query", "methods_view"], 7
    ),
    "pipeline": 8,
    **dict.fromkeys(["cli", "summary"], 9),
}


def _imports(path: Path) -> set[str]:
    """Top-level graphkit units that ``path`` imports (relative imports)."""
    parts = path.relative_to(PACKAGE).parts
    here = list(parts[:-1])  # the package the module is in, below graphkit/
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - (node.level - 1)]
            target = [*base, *(node.module.split(".") if node.module else [])]
            if target:
                found.add(target[0])
            else:  # from . import x, y
                found.update(a.name for a in node.names)
    return found


def _unit(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def test_no_module_imports_a_later_stage() -> None:
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        if unit not in RANK:
            continue
        for target in _imports(path):
            if target in RANK and RANK[target] > RANK[unit]:
                bad.append(f"{path.relative_to(PACKAGE.parent)} imports {target}")
    assert not bad, "upward imports (see README Layout): " + "; ".join(bad)


def test_the_rule_sees_imports() -> None:
    assert "analysis" in _imports(PACKAGE / "layout.py")
    assert {"parallel", "stages", "outputs"} <= _imports(PACKAGE / "pipeline.py")
