"""The hand-made edge corpus in tests/data/edges/tiny.json as Papers and PaperFeatures."""

from __future__ import annotations

import json
from pathlib import Path

from graphkit.model import Definition, Mention, Paper, PaperFeatures

DATA = Path(__file__).parent / "data" / "edges" / "tiny.json"


def load_tiny() -> tuple[list[Paper], list[PaperFeatures]]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    papers = [
        Paper(**{k: tuple(v) if isinstance(v, list) else v for k, v in p.items()})
        for p in raw["papers"]
    ]
    feats = [
        PaperFeatures(
            f["paper_id"],
            defines=tuple(Definition(n, how="title") for n in f["defines"]),
            mentions=tuple(Mention(n, s, sent, source=src) for n, s, sent, src in f["mentions"]),
            keyphrases=tuple(f["keyphrases"]),
        )
        for f in raw["features"]
    ]
    return papers, feats
