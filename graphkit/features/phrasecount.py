"""Phrase counting for key phrases: the n-gram counts of a corpus's token stream.

Texts are tokenised like scikit-learn's token pattern, lower-cased, by one regular-expression
pass per distinct whitespace-separated piece of text (:mod:`.phrasetokens`); an n-gram is an
integer (its (n-1)-gram prefix and one more token) counted by numpy, and only the phrases kept
are ever built as strings (:func:`count_phrase_stats`).  N-grams never cross punctuation, a
stop word or a generic word (:data:`GENERIC_WORDS`), so every phrase is a run of adjacent
words in original order -- what :func:`phrase_analyzer` gives ``CountVectorizer`` one text at a
time.  :class:`PhraseCounts` also holds the corpus statistics the key-phrase rules judge
phrases by (:mod:`.keyphrases`), from the same pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .phrasetokens import (
    _DET,
    _THAN,
    GENERIC_WORDS,
    _check_range,
    _token_ids,
    _TokenIds,
    phrase_analyzer,
)

__all__ = [
    "GENERIC_WORDS",
    "PhraseCounts",
    "phrase_analyzer",
    "count_ngrams",
    "count_phrase_stats",
]


def _ngram_ids(tokens: np.ndarray, prev: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """The n-grams one token longer than ``prev`` (the ids of the (n-1)-grams starting at each
    position, 0 or less for none): their ids at each position (1-based, 0 for none) and, per id,
    its code ``prefix id * base + last token``."""
    last = tokens[len(tokens) - len(prev) + 1 :]
    prev = prev[: len(last)]
    valid = (prev > 0) & (last > 0)
    code = prev[valid].astype(np.int64) * base + last[valid]
    codes, inverse = np.unique(code, return_inverse=True)
    grams = np.zeros(len(last), dtype=np.int32)
    grams[valid] = inverse.ravel() + 1
    return grams, codes


def _word_ids(ids: np.ndarray, codes: list[np.ndarray], base: int) -> list[np.ndarray]:
    """The word ids, position by position, of the n-grams with the given (1-based) ``ids``,
    ``codes`` as from :func:`_ngram_ids` for n = 2, 3, ... (empty for unigrams)."""
    parts = []
    for level in reversed(codes):
        ids, last = np.divmod(level[ids - 1], base)
        parts.append(last)
    parts.append(ids)
    return parts[::-1]


@dataclass
class PhraseCounts:
    """What :func:`count_phrase_stats` counts.  Columns are phrases in sorted order.

    * ``vocabulary`` -- phrase -> column; ``X`` -- document x phrase counts (CSR int32);
    * ``words`` -- (columns x longest n) word ids of each phrase, 0-padded; ``word_text[id]``;
    * ``occurrences``, ``run_final`` -- per column: times the phrase occurs, and times it ends a
      run of content words (a stop word or punctuation follows: it ends a noun phrase there);
    * ``word_count``, ``word_det``, ``word_after_det``, ``word_than`` -- per word id:
      occurrences, times a determiner follows it, times one precedes it, times "than" follows.
    """

    vocabulary: dict[str, int]
    X: sp.csr_matrix
    words: np.ndarray
    word_text: list[str]
    occurrences: np.ndarray
    run_final: np.ndarray
    word_count: np.ndarray
    word_det: np.ndarray
    word_after_det: np.ndarray
    word_than: np.ndarray


def count_ngrams(
    docs: Iterable[str],
    ngram_range: tuple[int, int] = (2, 3),
    *,
    min_df: int = 1,
    max_df: float = 1.0,
) -> tuple[dict[str, int], sp.csr_matrix]:
    """The n-gram counts ``CountVectorizer(analyzer=phrase_analyzer(ngram_range), min_df=...,
    max_df=...).fit_transform(docs)`` gives (vocabulary, CSR int32 matrix), counted in bulk: the
    texts become token ids, an n-gram is an integer (its (n-1)-gram prefix and one more token)
    counted by numpy, and only the phrases kept are ever built as strings.

    >>> voc, X = count_ngrams(["fast decoding of speculative drafts", "fast decoding wins"], min_df=2)
    >>> voc, X.toarray().tolist()
    ({'fast decoding': 0}, [[1], [1]])
    """
    c = count_phrase_stats(docs, ngram_range, min_df=min_df, max_df=max_df)
    return c.vocabulary, c.X


def count_phrase_stats(
    docs: Iterable[str],
    ngram_range: tuple[int, int] = (2, 3),
    *,
    min_df: int = 1,
    max_df: float = 1.0,
) -> PhraseCounts:
    """:func:`count_ngrams` plus the corpus statistics :class:`KeyphraseExtractor` judges phrases
    by (see :class:`PhraseCounts`), all from the same token-id pass."""
    lo, hi = _check_range(ngram_range)
    ids = _TokenIds()
    tokens, doc_of = _token_ids(docs, ids)
    n_docs = int(doc_of[-1]) + 1 if len(doc_of) else 0
    base = len(ids.words)
    contexts = _word_contexts(tokens, base)
    terms = _term_counts(tokens, doc_of, base, lo, hi)
    high = max_df * n_docs
    keep = (terms.df >= min_df) & (terms.df <= high)
    if not terms.first_term[-1] or high < min_df or not keep.any():
        return PhraseCounts(
            {}, sp.csr_matrix((n_docs, 0), dtype=np.int32), np.zeros((0, hi), dtype=np.int64),
            ids.words, np.zeros(0, np.int64), np.zeros(0, np.int64), *contexts,
        )  # fmt: skip
    kept = np.flatnonzero(keep)
    words = _phrase_words(terms, kept, base, lo, hi)
    text = ids.words
    phrases = [" ".join(text[w] for w in row_ if w) for row_ in words.tolist()]
    order = sorted(range(len(phrases)), key=phrases.__getitem__)  # columns in phrase order
    vocabulary = {phrases[i]: j for j, i in enumerate(order)}
    column = np.full(terms.n_terms, -1, dtype=np.int64)
    column[kept[order]] = np.arange(len(order))
    j = column[terms.term]
    mask = j >= 0
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms.row[mask], minlength=n_docs), out=indptr[1:])
    X = sp.csr_matrix(
        (terms.tf[mask].astype(np.int32), j[mask].astype(np.int32), indptr.astype(np.int32)),
        shape=(n_docs, len(order)),
    )
    X.sort_indices()
    by_column = kept[order]
    return PhraseCounts(
        vocabulary,
        X,
        words[order],
        text,
        terms.occ[by_column],
        terms.run_final[by_column],
        *contexts,
    )


def _word_contexts(
    tokens: np.ndarray, base: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per word id: occurrences, times a determiner follows it, times one precedes it, times
    "than" follows (:class:`PhraseCounts`)."""
    content = tokens > 0
    following = np.zeros_like(tokens)
    following[:-1] = tokens[1:]
    word_count = np.bincount(tokens[content], minlength=base)
    word_det = np.bincount(tokens[content & (following == _DET)], minlength=base)
    preceding = np.zeros_like(tokens)
    preceding[1:] = tokens[:-1]
    word_after_det = np.bincount(tokens[content & (preceding == _DET)], minlength=base)
    del preceding
    word_than = np.bincount(tokens[content & (following == _THAN)], minlength=base)
    return word_count, word_det, word_after_det, word_than


@dataclass
class _Terms:
    """The n-grams of lengths ``lo..hi`` numbered as terms (those of each length consecutively,
    length n from ``first_term[n - lo]`` on; ``codes`` per length 2, 3, ... as from
    :func:`_ngram_ids`), with per term its occurrences, run-final occurrences and document
    frequency, and the (row, term, tf) of every document's term counts, in document order."""

    n_terms: int
    first_term: list[int]
    codes: list[np.ndarray]
    occ: np.ndarray
    run_final: np.ndarray
    df: np.ndarray
    row: np.ndarray
    term: np.ndarray
    tf: np.ndarray


def _term_counts(tokens: np.ndarray, doc_of: np.ndarray, base: int, lo: int, hi: int) -> _Terms:
    """Every n-gram occurrence counted per term and per (document, term) (a text ends with a 0
    token, so the token after an n-gram always exists)."""
    # the n-grams of each length in turn; terms number those of lengths lo..hi consecutively
    grams, codes = np.where(tokens > 0, tokens, 0), []
    keys, first_term = [], [0]
    for n in range(1, hi + 1):
        if n > 1:
            grams, level_codes = _ngram_ids(tokens, grams, base)
            codes.append(level_codes)
        if n >= lo:
            keys.append((first_term[-1], grams, n))
            first_term.append(first_term[-1] + (len(codes[-1]) if n > 1 else base - 1))
    n_terms = max(first_term[-1], 1)
    occ = np.zeros(n_terms, dtype=np.int64)
    run_final = np.zeros(n_terms, dtype=np.int64)
    pair_keys = []
    for first, g, n in keys:
        pos = np.flatnonzero(g)
        term_at = g[pos].astype(np.int64) + (first - 1)
        occ += np.bincount(term_at, minlength=n_terms)
        run_final += np.bincount(term_at[tokens[pos + n] <= 0], minlength=n_terms)
        pair_keys.append(doc_of[pos].astype(np.int64) * n_terms + term_at)
    pairs, tf = np.unique(
        np.concatenate(pair_keys) if pair_keys else np.zeros(0, dtype=np.int64),
        return_counts=True,
    )
    del pair_keys
    row, term = np.divmod(pairs, n_terms)
    df = np.bincount(term, minlength=n_terms)
    return _Terms(n_terms, first_term, codes, occ, run_final, df, row, term, tf)


def _phrase_words(terms: _Terms, kept: np.ndarray, base: int, lo: int, hi: int) -> np.ndarray:
    """(kept terms x hi) word ids of the ``kept`` terms, 0-padded, in term order."""
    words = np.zeros((len(kept), hi), dtype=np.int64)
    start = 0
    first_term = terms.first_term
    for i, n in enumerate(range(lo, hi + 1)):
        level = kept[(kept >= first_term[i]) & (kept < first_term[i + 1])]
        for k, part in enumerate(_word_ids(level - first_term[i] + 1, terms.codes[: n - 1], base)):
            words[start : start + len(level), k] = part
        start += len(level)
    return words
