"""The feature stage on a slice of the shared 74k arXiv corpus (skipped without ../shared)."""

from __future__ import annotations

import gzip
import itertools
import json
from collections import Counter

import pytest
from shared_data import SHARED

from graphkit.features import FeatureExtractor
from graphkit.model import Paper

CORPUS = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present"),
]


@pytest.fixture(scope="module")
def slice_feats():
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in itertools.islice(fh, 3000)]
    papers = [Paper(id=r["id"], title=r["title"], abstract=r.get("summary") or "") for r in rows]
    return papers, FeatureExtractor().fit_transform(papers)


def test_top_mentions_are_real_names(slice_feats):
    _, feats = slice_feats
    top = Counter(m.name for f in feats for m in f.mentions).most_common(20)
    names = {n for n, _ in top}
    assert {"GPT-4", "Llama", "CLIP"} <= names
    junk = {
        "3D",
        "2D",
        "LLM-based",
        "GitHub",
        "LLMs",
        "Reinforcement Learning",
        "RAG",
        "LLM",
        "Transformer",
    }
    assert not names & junk


def test_every_paper_gets_features(slice_feats):
    papers, feats = slice_feats
    assert len(feats) == len(papers)
    assert sum(bool(f.keyphrases) for f in feats) > 0.95 * len(papers)
    assert sum(bool(f.defines) for f in feats) > 0.3 * len(papers)
