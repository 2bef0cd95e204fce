"""The rules that judge whether a counted phrase is a topic (:mod:`.keyphrases`): word lists of
generic phrases and of words that cannot end a noun phrase (:func:`phrase_ok`), and the corpus
statistics (:func:`_topical`, :func:`_bad_words`: noun-phrase heads, verbs and comparatives by
their contexts, everyday words, phrases spread evenly over the corpus), with their thresholds.
"""

from __future__ import annotations

import numpy as np

from .detect import english_zipf
from .lexicon import wordset
from .phrasecount import PhraseCounts

__all__ = ["GENERIC_PHRASES", "END_WORDS", "phrase_ok"]

#: Phrases too common in scientific abstracts to say what a paper is about.
GENERIC_PHRASES = frozenset(
    p.strip()
    for p in [
        "\n    large language models",
        "large language model",
        "language models",
        "language model",
        "deep learning",
        "\n    neural networks",
        "neural network",
        "deep neural networks",
        "deep neural network",
        "machine learning",
        "\n    experimental results",
        "extensive experiments",
        "state art",
        "wide range",
        "real world",
        "real-world",
        "\n    future research",
        "future work",
        "case study",
        "ablation study",
        "source code",
        "empirical results",
        "\n    theoretical analysis",
        "empirical evidence",
        "results demonstrate",
        "results indicate",
        "paper presents",
        "\n    artificial intelligence",
        "training data",
        "training set",
        "test set",
        "downstream tasks",
        "\n    computational cost",
        "computational costs",
        "previous work",
        "recent years",
        "recent advances",
        "\n    significant improvements",
        "promising results",
        "et al",
        "lower bound",
        "upper bound",
        "\n    natural language processing",
        "computer vision",
        "learning models",
        "learning model",
        "\n    pre-trained models",
        "pretrained models",
        "fine-tuning",
        "open source",
        "code available",
        "\n    time consuming",
        "long term",
        "short term",
        "end-to-end",
        "large-scale",
        "high quality",
        "data sets",
        "\n    pre-trained language models",
        "pretrained language models",
        "large-scale language models",
        "\n    pre-trained language model",
        "pretrained language model",
        "model performance",
        "model size",
        "\n    model sizes",
        "inference speed",
        "training process",
        "computational resources",
        "computational overhead",
        "\n    memory footprint",
        "model parameters",
        "training time",
        "training samples",
        "training examples",
        "\n    benchmark datasets",
        "benchmark dataset",
        "public datasets",
        "real datasets",
        "various tasks",
        "\n    multiple datasets",
        "datasets demonstrate",
        "different tasks",
        "multiple tasks",
        "\n    ",
    ]
) - {""}

#: Words that may start or sit inside a phrase but cannot end one (a cut-off noun phrase).
END_WORDS = wordset(
    """
    language neural deep pre-trained pretrained large-scale multiple similar various single
    specific long trained based level wise transformer-based llm-based model-based training-
    free data-driven open-ended fine-grained
    """
)

#: A phrase must end a run of content words (be followed by a stop word or punctuation) in at
#: least this share of its occurrences: a phrase only ever followed by more words is a cut-off
#: piece of a longer noun phrase ("severe accuracy [drop]", "pre-trained language [model]").
MIN_HEAD_SHARE = 0.1
#: A word followed by a determiner in at least this share of its occurrences (at least
#: :data:`MIN_WORD_COUNT` of them), and preceded by one less than a third as often, is a verb or
#: preposition ("examines the", "ensures a"); a noun that is also a verb is preceded by one too
#: ("the design of" beside "design a").
VERB_SHARE = 0.2
#: A word followed by "than" in at least this share of its occurrences is a comparative.
THAN_SHARE = 0.1
MIN_WORD_COUNT = 3
#: A phrase whose every word has at least this Zipf frequency in general English (``wordfreq``;
#: "possible reason", "great potential", "faster decision") is kept only when some paper repeats
#: it (or has it in its title): a topic written in everyday words ("social media", "supply
#: chain", "loss function") is repeated by the papers about it, a passing remark is not.
COMMON_ZIPF = 4.0
#: A phrase in at least this many papers that almost none repeats -- fewer than
#: :data:`MIN_REPEAT_SHARE` of them -- is spread evenly over the corpus: a generic phrase of the
#: field ("pretrained model", "relative accuracy"), not a topic (topics are bursty: the papers
#: about one repeat it).
GENERIC_MIN_DF = 10
MIN_REPEAT_SHARE = 0.1


def phrase_ok(phrase: str) -> bool:
    """Whether a phrase passes the word rules: not generic, no number at either end, not
    ending in a word that needs a head noun or in a past participle."""
    if phrase in GENERIC_PHRASES:
        return False
    words = phrase.split()
    if any(w[0].isdigit() for w in (words[0], words[-1])):
        return False
    last = words[-1]
    if last in END_WORDS or (last.endswith("ed") and len(last) > 4 and not last.endswith("eed")):
        return False  # "model trained", "pre-trained language": not a noun phrase
    # "efficient large language models": a generic phrase with one word added is generic too
    return len(words) < 3 or not (
        " ".join(words[:2]) in GENERIC_PHRASES or " ".join(words[1:]) in GENERIC_PHRASES
    )


def _bad_mask(c: PhraseCounts) -> np.ndarray:
    """Per word id: whether its corpus contexts show a verb, preposition or comparative (see
    :data:`VERB_SHARE`, :data:`THAN_SHARE`)."""
    n = np.maximum(c.word_count, 1)
    verb = (c.word_det >= VERB_SHARE * n) & (3 * c.word_after_det < c.word_det)
    bad = (c.word_count >= MIN_WORD_COUNT) & (verb | (c.word_than >= THAN_SHARE * n))
    bad[0] = False
    return bad


def _bad_words(c: PhraseCounts) -> frozenset[str]:
    """The words :func:`_bad_mask` marks."""
    return frozenset(c.word_text[i] for i in np.flatnonzero(_bad_mask(c)).tolist())


def _topical(c: PhraseCounts, df: np.ndarray) -> np.ndarray:
    """Per column of ``c``: whether the corpus statistics let the phrase be a topic -- a noun
    phrase (it ends runs often enough, holds no verb or comparative), specific or repeated when
    made of everyday words, and not spread evenly over many papers (module constants above)."""
    X = c.X
    bad = _bad_mask(c)
    words = c.words
    used = np.unique(words)
    zipf = np.full(len(c.word_text), np.inf)  # padding (id 0) counts as common
    zipf[used[used > 0]] = [english_zipf(c.word_text[i]) for i in used[used > 0].tolist()]
    common = (zipf[words] >= COMMON_ZIPF).all(axis=1)
    repeated = np.bincount(X.indices[X.data >= 2], minlength=X.shape[1])
    head = c.run_final >= MIN_HEAD_SHARE * np.maximum(c.occurrences, 1)
    generic = (df >= GENERIC_MIN_DF) & (repeated < MIN_REPEAT_SHARE * df)
    return head & ~bad[words].any(axis=1) & ~(common & (repeated == 0)) & ~generic
