"""Precision/recall of defines and mentions against hand annotations of 47 seed papers.

The annotations (tests/data/features/annotations.json) were written by reading each abstract,
not from the extractor's output.  Thresholds are the measured values minus a margin of about
0.05, so a regression fails while small rule changes do not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.features import FeatureExtractor
from graphkit.model import PaperFeatures

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = Path(__file__).parent / "data" / "features" / "annotations.json"

# measured on the seeds: defines P=0.98 R=0.92, mentions P=0.77 R=0.87 (47 papers, 48 defines,
# 105 mentions); the floors leave a margin of about 0.05 for rule changes.  Mention precision
# fell from 0.98 when per-document detection came in (issue 12): these annotations were written
# for lexicon names, and most of the new "false" mentions are real artefacts they do not list
# (ImageNet-R, ResNet-50, DeiT-S, TREC-DL, StableVicuna 13B); bench/names.py scores the
# 140-paper gold written for all named artefacts.
MIN = {"defines_p": 0.92, "defines_r": 0.86, "mentions_p": 0.72, "mentions_r": 0.82}


def _alts(item: str) -> set[str]:
    return {a.strip().lower() for a in item.split("|")}


def score(feats: dict[str, PaperFeatures], titles: dict[str, str], ann: list[dict]) -> dict:
    """Micro-averaged precision/recall of defines and mentions over the annotated papers."""
    hit_pred = {"d": 0, "m": 0}  # predictions that match a gold item (precision)
    hit_gold = {"d": 0, "m": 0}  # gold items matched by a prediction (recall)
    n_pred = {"d": 0, "m": 0}
    n_gold = {"d": 0, "m": 0}
    for a in ann:
        f = feats[titles[a["title"]]]
        gold = {"d": [_alts(x) for x in a["defines"]], "m": [_alts(x) for x in a["mentions"]]}
        pred = {
            "d": [{s.lower() for s in (d.name, *d.aliases)} for d in f.defines],
            "m": [{x.lower() for x in (m.name, m.family) if x} for m in f.mentions],
        }
        for k in ("d", "m"):
            n_gold[k] += len(gold[k])
            n_pred[k] += len(pred[k])
            hit_gold[k] += sum(any(g & p for p in pred[k]) for g in gold[k])
            hit_pred[k] += sum(any(g & p for g in gold[k]) for p in pred[k])
    return {
        "defines_p": hit_pred["d"] / max(1, n_pred["d"]),
        "defines_r": hit_gold["d"] / max(1, n_gold["d"]),
        "mentions_p": hit_pred["m"] / max(1, n_pred["m"]),
        "mentions_r": hit_gold["m"] / max(1, n_gold["m"]),
    }


@pytest.fixture(scope="module")
def seed_features():
    ingest = pytest.importorskip("graphkit.ingest")
    papers = ingest.load_corpus([str(ROOT / "seeds")]).papers
    feats = FeatureExtractor().fit_transform(papers)
    return papers, {f.paper_id: f for f in feats}


def test_annotations_cover_40_papers():
    ann = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))["papers"]
    assert len(ann) >= 40
    assert len({a["title"] for a in ann}) == len(ann)


def test_precision_recall_against_annotations(seed_features):
    papers, feats = seed_features
    titles = {p.title: p.id for p in papers}
    ann = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))["papers"]
    missing = [a["title"] for a in ann if a["title"] not in titles]
    assert not missing
    s = score(feats, titles, ann)
    for key, floor in MIN.items():
        assert s[key] >= floor, (key, s)
