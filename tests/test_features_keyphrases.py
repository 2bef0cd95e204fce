"""Key phrases (graphkit.features.keyphrases)."""

from __future__ import annotations

import pytest
from sklearn.exceptions import NotFittedError

from graphkit.features.keyphrases import KeyphraseExtractor, phrase_analyzer
from graphkit.model import Paper

CORPUS = [
    Paper(
        id="1",
        title="Speculative decoding with draft trees",
        abstract="We accelerate speculative decoding. Experimental results show gains.",
    ),
    Paper(
        id="2",
        title="Faster speculative decoding",
        abstract="Speculative decoding uses a draft model. Extensive experiments confirm it.",
    ),
    Paper(
        id="3",
        title="Post-training quantization for LLMs",
        abstract="Post-training quantization reduces memory of large language models.",
    ),
    Paper(
        id="4",
        title="Quantization of transformers",
        abstract="We study post-training quantization and the state of the art.",
    ),
]


def test_phrases_are_readable_and_not_generic():
    kx = KeyphraseExtractor(min_keyphrases=1).fit(CORPUS)
    out = kx.transform(CORPUS)
    assert out[0][0] == "speculative decoding"
    assert out[2][0] == "post-training quantization"
    flat = {ph for row in out for ph in row}
    assert not flat & {
        "experimental results",
        "extensive experiments",
        "large language models",
        "state art",
    }
    assert all(ph == ph.lower() and 2 <= len(ph.split()) <= 3 for ph in flat)


def test_ngrams_never_cross_stop_words_or_punctuation():
    grams = phrase_analyzer()("importance of data, selection. Dataset distillation")
    assert "importance data" not in grams and "data selection" not in grams
    assert "dataset distillation" in grams


@pytest.mark.parametrize("n", [1, 2, 5])
def test_tiny_corpora_still_give_phrases(n):
    papers = CORPUS[:n]
    out = KeyphraseExtractor(min_keyphrases=1).fit(papers).transform(papers)
    assert all(out) and len(out) == len(papers)


def test_empty_texts_and_not_fitted():
    with pytest.raises(NotFittedError):
        KeyphraseExtractor().transform(CORPUS)
    empty = [Paper(id="e", title="", abstract="")]
    assert KeyphraseExtractor().fit(empty).transform(empty) == [()]


def test_max_keyphrases_and_deterministic():
    a = KeyphraseExtractor(max_keyphrases=2).fit(CORPUS).transform(CORPUS)
    b = KeyphraseExtractor(max_keyphrases=2).fit(CORPUS).transform(CORPUS)
    assert a == b and all(len(r) <= 2 for r in a)
