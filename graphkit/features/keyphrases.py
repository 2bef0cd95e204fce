"""Key phrases: the 2-3 word method/topic phrases that describe a paper, learned from the corpus.

Candidates are word 2- and 3-grams of title + abstract, counted with scikit-learn's
``CountVectorizer`` (its own token pattern; n-grams never cross punctuation, a stop word or a
generic word, so every phrase is a run of adjacent words in original order).  A phrase is kept in
the vocabulary when it

* occurs in at least ``min_df`` papers (2, or 1 on corpora of fewer than 10 papers), so phrases
  that recur -- the ones keyword edges can use -- are preferred;
* occurs in at most ``max_df`` of the papers (phrases everyone uses say nothing);
* is not in :data:`GENERIC_PHRASES` ("state of the art", "large language models", ...), does
  not contain a generic word (:data:`GENERIC_WORDS`: "paper", "propose", "results", "novel",
  ...) or an adverb in "-ly", does not start or end with a number, and does not end with a word
  that needs a head noun (:data:`END_WORDS`: "language", "pre-trained", ...) or with a past
  participle ("model trained").

Each paper's phrases are scored tf x idf (title occurrences count ``title_boost`` times); the best
``max_keyphrases`` are kept, skipping a phrase that overlaps an already chosen one word-wise
("speculative decoding" vs. "parallel speculative decoding").  When fewer than ``min_keyphrases``
recurring phrases exist, the paper's own unique phrases fill up.

>>> from graphkit.model import Paper
>>> ps = [Paper(id=str(i), title=t, abstract=a) for i, (t, a) in enumerate([
...     ("Speculative decoding with draft trees", "We study speculative decoding for fast inference."),
...     ("Faster speculative decoding", "Speculative decoding uses a draft model; fast inference follows."),
...     ("Post-training quantization of transformers", "Post-training quantization cuts memory.")])]
>>> kx = KeyphraseExtractor(max_keyphrases=3, min_keyphrases=1).fit(ps)
>>> kx.transform(ps)[0]
('speculative decoding', 'draft trees', 'fast inference')
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from ..model import Paper
from .lexicon import wordset

__all__ = ["KeyphraseExtractor", "GENERIC_PHRASES", "GENERIC_WORDS", "END_WORDS", "phrase_analyzer"]

#: Words that end a phrase: they describe the paper, not its topic.
GENERIC_WORDS = wordset(
    """
    paper papers propose proposes proposed proposing present presents presented introduce
    introduces introduced show shows shown showing demonstrate demonstrates demonstrated
    achieve achieves achieved achieving result results experimental experiments experiment
    extensive evaluation evaluations novel new existing previous prior recent recently
    state-of-the-art sota art work works study studies approach approaches method methods
    technique techniques framework frameworks problem problems performance performances
    significant significantly effective effectively efficient efficiently improve improves
    improved improvement improvements outperform outperforms outperforming baseline
    baselines based using use used uses via make makes making various different several
    including include includes respectively however furthermore moreover specifically
    particular particularly additionally finally first second third code available github
    publicly open-source https http www com org et al ie eg i.e e.g also well better best
    good large small high low key main simple strong superior comprehensive demonstrating
    consistently substantially notably remarkable competitive leading range wide across able
    need needs given way ways number numbers certain sheer ultimate goal goals common
    practice future research researchers percentage points degree pose poses challenge
    challenges remains remain unclear starting point exciting lowest highest perform
    performs performing poorly worse jointly considers consider considered requiring
    requires require necessary seamlessly integrating identifying enhance enhances enhancing
    reduce reduces reducing reduced compromising mitigate mitigates help helps significance
    important importantly typically usually often widely commonly generally compared
    comparison compare lack lead leads enable enables enabling allow allows provide provides
    providing obtain obtained order terms aim aims address addresses
    """
)

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
_KEEP_LY = frozenset(
    ["anomaly", "family", "assembly", "supply", "monopoly", "early", "reply", "apply", "italy"]
)

_STOP = ENGLISH_STOP_WORDS | GENERIC_WORDS


def _is_stop(tok: str) -> bool:
    # adverbs ("extensively", "highly") end a phrase; "anomaly", "early" do not
    return (
        tok in _STOP
        or len(tok) < 2
        or (tok.endswith("ly") and len(tok) > 4 and tok not in _KEEP_LY)
    )


_CHUNK = re.compile(r"[.,;:!?()\[\]{}\"“”]|\s[-–—]\s|\s'|'\s")
_TOKEN_PATTERN = r"(?u)\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b"


def phrase_analyzer(ngram_range: tuple[int, int] = (2, 3)) -> Callable[[str], list[str]]:
    """An analyzer for ``CountVectorizer``: lower-cased n-grams of adjacent words that never cross
    punctuation, stop words or generic words.  Tokens come from scikit-learn's own tokenizer.

    >>> phrase_analyzer()("We propose post-training quantization for LLMs, and speculative decoding.")
    ['post-training quantization', 'speculative decoding']
    """
    tokenize = CountVectorizer(token_pattern=_TOKEN_PATTERN, lowercase=True).build_tokenizer()
    lo, hi = ngram_range

    def analyze(text: str) -> list[str]:
        out: list[str] = []
        for chunk in _CHUNK.split(text.lower()):
            run: list[str] = []
            for tok in [*tokenize(chunk), ""]:
                if tok and not _is_stop(tok):
                    run.append(tok)
                    continue
                for n in range(lo, hi + 1):
                    for i in range(len(run) - n + 1):
                        out.append(" ".join(run[i : i + n]))
                run = []
        return out

    return analyze


def _doc(p: Paper, boost: int) -> str:
    return ". ".join([p.title or ""] * boost + [p.abstract or ""])


class KeyphraseExtractor:
    """Learn a phrase vocabulary and document frequencies from a corpus; pick each paper's top
    phrases (see module doc)."""

    def __init__(
        self,
        *,
        max_keyphrases: int = 8,
        min_keyphrases: int = 3,
        max_df: float = 0.05,
        title_boost: int = 2,
    ) -> None:
        self.max_keyphrases = max_keyphrases
        self.min_keyphrases = min_keyphrases
        self.max_df = max_df
        self.title_boost = title_boost

    def fit(self, papers: Sequence[Paper]) -> KeyphraseExtractor:
        """Learn ``vocabulary_`` and ``idf_`` from ``papers``; returns self."""
        n = len(papers)
        self.n_docs_ = n
        min_df = 1 if n < 10 else 2
        # a phrase in more than max_df of the papers is generic -- but never demand fewer than 2
        max_df = 1.0 if n < 20 else max(self.max_df, 2.5 / n)
        analyzer = phrase_analyzer()
        self.analyzer_ = analyzer
        vec = CountVectorizer(analyzer=analyzer, min_df=min_df, max_df=max_df, dtype=np.int32)
        # the title is repeated title_boost times: term counts are boosted, document counts not
        docs = [_doc(p, self.title_boost) for p in papers]
        self._rows: dict[str, tuple[str, str, int]] = {}
        try:
            X = vec.fit_transform(docs)
        except ValueError:  # empty vocabulary: nothing recurs (or all texts empty)
            self.vocabulary_: dict[str, int] = {}
            self.idf_ = np.zeros(0)
            return self
        vec.stop_words_ = set()  # the pruned n-grams are not needed; free them
        df = np.asarray((X > 0).sum(axis=0)).ravel()
        self.vocabulary_ = {t: i for t, i in vec.vocabulary_.items() if self._ok(t)}
        self.idf_ = np.log((1.0 + n) / (1.0 + df)) + 1.0
        self._terms = np.empty(len(vec.vocabulary_), dtype=object)
        for t, i in vec.vocabulary_.items():
            self._terms[i] = t if t in self.vocabulary_ else None
        self._X = X.tocsr()
        self._rows = {p.id: (p.title, p.abstract, i) for i, p in enumerate(papers)}
        return self

    @staticmethod
    def _ok(phrase: str) -> bool:
        if phrase in GENERIC_PHRASES:
            return False
        words = phrase.split()
        if any(w[0].isdigit() for w in (words[0], words[-1])):
            return False
        last = words[-1]
        if last in END_WORDS or (
            last.endswith("ed") and len(last) > 4 and not last.endswith("eed")
        ):
            return False  # "model trained", "pre-trained language": not a noun phrase
        # "efficient large language models": a generic phrase with one word added is generic too
        return len(words) < 3 or not (
            " ".join(words[:2]) in GENERIC_PHRASES or " ".join(words[1:]) in GENERIC_PHRASES
        )

    def transform(self, papers: Sequence[Paper]) -> list[tuple[str, ...]]:
        """Key phrases of each paper, best first."""
        if not hasattr(self, "vocabulary_"):
            raise NotFittedError("KeyphraseExtractor is not fitted yet; call fit(papers) first.")
        return [self._one(p) for p in papers]

    def _counts(self, p: Paper) -> Counter[str]:
        return Counter(self.analyzer_(_doc(p, self.title_boost)))

    def _one(self, p: Paper) -> tuple[str, ...]:
        idf_unseen = math.log((1.0 + self.n_docs_) / 2.0) + 1.0
        known: list[tuple[float, str]] = []
        unique: list[tuple[float, str]] = []
        row = self._rows.get(p.id)
        counts: Counter[str] | None = None
        if row is not None and row[0] == p.title and row[1] == p.abstract:
            X = self._X
            a, b = X.indptr[row[2]], X.indptr[row[2] + 1]
            for j, tf in zip(X.indices[a:b], X.data[a:b], strict=True):
                phrase = self._terms[j]
                if phrase is not None:
                    known.append(
                        (-tf * float(self.idf_[j]) * (1 + 0.1 * phrase.count(" ")), phrase)
                    )
        else:
            counts = self._counts(p)
            for phrase, tf in counts.items():
                i = self.vocabulary_.get(phrase)
                if i is not None:
                    known.append(
                        (-tf * float(self.idf_[i]) * (1 + 0.1 * phrase.count(" ")), phrase)
                    )
        if len(known) < self.min_keyphrases:
            counts = counts if counts is not None else self._counts(p)
            unique = [
                (-tf * idf_unseen, ph)
                for ph, tf in counts.items()
                if ph not in self.vocabulary_ and self._ok(ph)
            ]
        known.sort()
        unique.sort()
        chosen: list[str] = []
        for pool in (known, unique):
            for _, phrase in pool:
                if len(chosen) >= self.max_keyphrases:
                    break
                if pool is unique and len(chosen) >= self.min_keyphrases:
                    break
                if any(_overlap(phrase, c) for c in chosen):
                    continue
                chosen.append(phrase)
        return tuple(chosen)


def _overlap(a: str, b: str) -> bool:
    """Whether one phrase contains the other as whole words."""
    a2, b2 = f" {a} ", f" {b} "
    return a2 in b2 or b2 in a2
