"""Key phrases: the 2-3 word topic phrases that describe a paper, learned from the corpus.

Candidates are word 2- and 3-grams of title + abstract (scikit-learn's token pattern; n-grams never
cross punctuation, a stop word or a generic word, so every phrase is a run of adjacent words in
original order), tokenised by one regular-expression pass per distinct whitespace-separated
piece of text and counted by :func:`count_phrase_stats` -- the counts ``CountVectorizer`` gives
with :func:`phrase_analyzer`, with every n-gram an integer counted by numpy (only the phrases
kept are built as strings), plus the corpus statistics the rules below use, from the same pass.
A phrase is kept in the vocabulary when it

* occurs in at least ``min_df`` papers (2, or 1 on corpora of fewer than 10 papers), so phrases
  that recur -- the ones keyword edges can use -- are preferred;
* occurs in at most ``max_df`` of the papers (phrases everyone uses say nothing);
* is not in :data:`GENERIC_PHRASES` ("state of the art", "large language models", ...), does
  not contain a generic word (:data:`GENERIC_WORDS`: "paper", "propose", "results", "novel",
  ...) or an adverb in "-ly", does not start or end with a number, and does not end with a word
  that needs a head noun (:data:`END_WORDS`: "language", "pre-trained", ...) or with a past
  participle ("model trained");
* **is a noun phrase**, judged by the corpus without a tagger: it ends a run of content words in
  at least :data:`MIN_HEAD_SHARE` of its occurrences (English noun phrases end in their head
  noun, so a piece always followed by more words -- "severe accuracy [drop]" -- is not one),
  and none of its words is a verb, preposition or comparative by its contexts (followed by a
  determiner far more often than preceded by one: "examines the", "despite a"; or followed by
  "than": "faster than") -- :data:`VERB_SHARE`, :data:`THAN_SHARE`;
* **is specific or repeated**: a phrase made only of everyday English words (``wordfreq`` Zipf
  >= :data:`COMMON_ZIPF`: "possible reason", "great potential") is kept only when some paper
  repeats it or has it in its title -- papers about "supply chain" or "social media" do;
* **is not spread evenly over the corpus**: a phrase in at least :data:`GENERIC_MIN_DF` papers
  of which fewer than :data:`MIN_REPEAT_SHARE` repeat it is a generic phrase of the field
  ("real-world scenarios", "computational efficiency", "practical implications", a publisher's
  copyright line); topics are bursty -- the papers about one say it again.

These are statistics of the corpus at hand and of general English, no word list of a field, so
they apply to papers of any field (the word lists, rules and thresholds are in
:mod:`.keyphrase_rules`).  The phrases they reject are ``rejected_``: never chosen, not even
to fill up.

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
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.exceptions import NotFittedError

from ..model import Paper
from .detect import english_zipf
from .keyphrase_rules import (
    COMMON_ZIPF,
    END_WORDS,
    GENERIC_PHRASES,
    _bad_words,
    _topical,
    phrase_ok,
)
from .phrasecount import (
    GENERIC_WORDS,
    PhraseCounts,
    count_ngrams,
    count_phrase_stats,
    phrase_analyzer,
)

__all__ = [
    "KeyphraseExtractor",
    "GENERIC_PHRASES",
    "GENERIC_WORDS",
    "END_WORDS",
    "phrase_analyzer",
    "count_ngrams",
]


def _doc(p: Paper, boost: int) -> str:
    return ". ".join([p.title or ""] * boost + [p.abstract or ""])


class KeyphraseExtractor:
    """Learn a phrase vocabulary and document frequencies from a corpus; pick each paper's top
    phrases (see module doc).

    Fitted attributes: ``vocabulary_`` (kept phrase -> column of ``idf_``), ``idf_``,
    ``rejected_`` (phrases the corpus counted but judged not to be topics: never chosen, not
    even to fill up) and ``bad_words_`` (verbs, prepositions and comparatives by their corpus
    contexts).  Nothing of the corpus's texts or counts is kept: :meth:`fit_transform` ranks the
    phrases from the counts it has just made, :meth:`transform` counts each paper afresh.
    """

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
        """Learn ``vocabulary_``, ``idf_`` and the rejected phrases from ``papers``; returns self."""
        self._fit(papers)
        return self

    def fit_transform(self, papers: Sequence[Paper]) -> list[tuple[str, ...]]:
        """``fit(papers).transform(papers)``, ranking each paper's phrases from the fit's counts."""
        phrases_of = self.fit_ranker(papers)
        return [phrases_of(r, p) for r, p in enumerate(papers)]

    def fit_ranker(self, papers: Sequence[Paper]) -> Callable[[int, Paper], tuple[str, ...]]:
        """Fit on ``papers`` and return ``phrases_of(r, papers[r])``: the key phrases of row
        ``r``, ranked from the fit's counts (what :meth:`fit_transform` gives for it; rows may
        be asked for in any order, by any process forked after the fit)."""
        counts = self._fit(papers)
        if counts is None:
            return lambda r, p: self._one(p)
        order, indptr = self._ranked(counts)
        return lambda r, p: self._choose(p, order[indptr[r] : indptr[r + 1]], None)

    def _fit(self, papers: Sequence[Paper]) -> PhraseCounts | None:
        n = len(papers)
        self.n_docs_ = n
        min_df = 1 if n < 10 else 2
        # a phrase in more than max_df of the papers is generic -- but never demand fewer than 2
        max_df = 1.0 if n < 20 else max(self.max_df, 2.5 / n)
        self.analyzer_ = phrase_analyzer()
        # the title is repeated title_boost times: term counts are boosted, document counts not
        docs = (_doc(p, self.title_boost) for p in papers)
        c = count_phrase_stats(docs, min_df=min_df, max_df=max_df)
        self.bad_words_ = _bad_words(c)
        if not c.vocabulary:  # nothing recurs (or all texts empty)
            self.vocabulary_: dict[str, int] = {}
            self.rejected_: frozenset[str] = frozenset()
            self.idf_ = np.zeros(0)
            return None
        X = c.X
        df = np.diff(X.tocsc().indptr)
        topical = _topical(c, df)
        self.vocabulary_ = {t: i for t, i in c.vocabulary.items() if topical[i] and self._ok(t)}
        self.rejected_ = frozenset(c.vocabulary.keys() - self.vocabulary_.keys())
        self.idf_ = np.log((1.0 + n) / (1.0 + df)) + 1.0
        return c

    _ok = staticmethod(phrase_ok)

    def _ok_unseen(self, phrase: str, tf: int) -> bool:
        """Whether a phrase the fit did not count may fill up a paper's key phrases: the rules of
        :meth:`_ok`, no verb or comparative, and repeated when it is all everyday words."""
        if phrase in self.rejected_ or not self._ok(phrase):
            return False
        words = phrase.split()
        if any(w in self.bad_words_ for w in words):
            return False
        return tf >= 2 or any(english_zipf(w) < COMMON_ZIPF for w in words)

    def transform(self, papers: Sequence[Paper]) -> list[tuple[str, ...]]:
        """Key phrases of each paper, best first (its phrases counted afresh)."""
        if not hasattr(self, "vocabulary_"):
            raise NotFittedError("KeyphraseExtractor is not fitted yet; call fit(papers) first.")
        return [self._one(p) for p in papers]

    def _ranked(self, c: PhraseCounts) -> tuple[list[str], list[int]]:
        """Every row's known phrases, best first (score, then phrase), in one sort: the phrases
        row by row and the row offsets (CSR style)."""
        X = c.X
        phrases = sorted(c.vocabulary, key=c.vocabulary.__getitem__)  # by column
        vocabulary = self.vocabulary_
        terms = [t if t in vocabulary else None for t in phrases]
        known_col = np.array([t is not None for t in terms], dtype=bool)
        # a longer phrase counts a little more: 1 + 0.1 per extra word
        lengths = np.array([1 + 0.1 * t.count(" ") for t in phrases], dtype=np.float64)
        n_rows = X.shape[0]
        rows = np.repeat(np.arange(n_rows), np.diff(X.indptr))
        cols = X.indices
        known = known_col[cols]
        rows, cols, tf = rows[known], cols[known], X.data[known]
        # the same float operations, in the same order, as the per-phrase formula in _one
        scores = (-tf).astype(np.float64) * self.idf_[cols] * lengths[cols]
        order = np.lexsort((cols, scores, rows))  # columns are in phrase order: ties by phrase
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        return [terms[j] for j in cols[order].tolist()], indptr.tolist()

    def _counts(self, p: Paper) -> Counter[str]:
        return Counter(self.analyzer_(_doc(p, self.title_boost)))

    def _one(self, p: Paper) -> tuple[str, ...]:
        """Key phrases of one paper, its phrases counted afresh."""
        known: list[tuple[float, str]] = []
        counts = self._counts(p)
        for phrase, tf in counts.items():
            i = self.vocabulary_.get(phrase)
            if i is not None:
                known.append((-tf * float(self.idf_[i]) * (1 + 0.1 * phrase.count(" ")), phrase))
        known.sort()
        return self._choose(p, [ph for _, ph in known], counts)

    def _choose(
        self, p: Paper, known: Sequence[str], counts: Counter[str] | None
    ) -> tuple[str, ...]:
        """The best ``max_keyphrases`` of ``known`` (best first) that do not overlap, filled up to
        ``min_keyphrases`` with the paper's own phrases unseen in the corpus."""
        unique: list[tuple[float, str]] = []
        if len(known) < self.min_keyphrases:
            idf_unseen = math.log((1.0 + self.n_docs_) / 2.0) + 1.0
            counts = counts if counts is not None else self._counts(p)
            unique = [
                (-tf * idf_unseen, ph)
                for ph, tf in counts.items()
                if ph not in self.vocabulary_ and self._ok_unseen(ph, tf)
            ]
            unique.sort()
        chosen: list[str] = []
        for pool in (known, [ph for _, ph in unique]):
            for phrase in pool:
                if len(chosen) >= self.max_keyphrases:
                    break
                if pool is not known and len(chosen) >= self.min_keyphrases:
                    break
                if any(_overlap(phrase, c) for c in chosen):
                    continue
                chosen.append(phrase)
        return tuple(chosen)


def _overlap(a: str, b: str) -> bool:
    """Whether one phrase contains the other as whole words."""
    a2, b2 = f" {a} ", f" {b} "
    return a2 in b2 or b2 in a2
