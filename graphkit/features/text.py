"""Text vectors: TF-IDF over title + abstract, for similarity edges and community labels.

``TextVectorizer`` wraps scikit-learn's ``TfidfVectorizer`` with settings chosen for paper
abstracts: the title counts a little more than the abstract (it is repeated ``title_weight``
times), term frequency is sublinear, English stop words are dropped, unigrams and bigrams are
kept, and rows are L2-normalised (so a dot product is a cosine).  ``min_df`` and ``max_df``
adapt to the corpus size so that a five-paper corpus still gets a vocabulary and a 75k-paper
corpus does not drown in one-off bigrams.

>>> from graphkit.model import Paper
>>> papers = [
...     Paper(id="a", title="Speculative decoding", abstract="Fast speculative decoding of LLMs."),
...     Paper(id="b", title="Draft models", abstract="Speculative decoding with a draft model."),
...     Paper(id="c", title="Graph layouts", abstract="Force-directed layouts of graphs."),
... ]
>>> vec = TextVectorizer().fit(papers)
>>> X = vec.transform(papers)
>>> X.shape[0], X.dtype.name
(3, 'float32')
>>> "speculative decoding" in vec.vocabulary_
True
>>> round(float((X[0] @ X[1].T).toarray()[0, 0]), 2) > round(float((X[0] @ X[2].T).toarray()[0, 0]), 2)
True
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from ..model import Paper

__all__ = ["TextVectorizer", "paper_text"]

log = logging.getLogger(__name__)

#: Corpora with fewer papers than this get ``min_df=1`` (every word counts) and no ``max_df``.
SMALL_CORPUS = 50


def paper_text(paper: Paper, *, title_weight: int = 2) -> str:
    """The text a paper is vectorised from: its title ``title_weight`` times, then the abstract.

    >>> paper_text(Paper(id="x", title="SpQR", abstract="Sparse quantization."))
    'SpQR. SpQR. Sparse quantization.'
    """
    title = (paper.title or "").strip().rstrip(".")
    parts = [title] * max(1, int(title_weight)) if title else []
    abstract = (paper.abstract or "").strip()
    if abstract:
        parts.append(abstract)
    return ". ".join(parts)


class TextVectorizer:
    """TF-IDF vectors of papers (title + abstract), in the scikit-learn style.

    Parameters
    ----------
    title_weight:
        How many times the title is repeated before the abstract (a mild boost under
        ``sublinear_tf``).
    ngram_range:
        Word n-grams to keep; ``(1, 2)`` keeps "speculative decoding" as a term.
    min_df:
        Minimum document frequency; ``None`` picks 1 below :data:`SMALL_CORPUS` papers and 2
        above (one-off bigrams are most of a large vocabulary and never link two papers).
    max_df:
        Terms in more than this share of papers are dropped (only applied from
        :data:`SMALL_CORPUS` papers up, so tiny corpora keep their shared words).
    max_features:
        Keep at most this many terms (the most frequent); ``None`` keeps all.
    sublinear_tf, stop_words, dtype:
        Passed to ``TfidfVectorizer``.

    Learned attributes: ``vocabulary_`` (term → column), ``feature_names_`` (array of terms),
    ``idf_`` (array), ``n_papers_``.  A corpus with no usable words at all (only stop words or
    empty titles) gets an empty vocabulary and zero-width vectors instead of an error.
    """

    def __init__(
        self,
        *,
        title_weight: int = 2,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | float | None = None,
        max_df: float = 0.5,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        stop_words: str | list[str] | None = "english",
        dtype: type = np.float32,
    ) -> None:
        self.title_weight = title_weight
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.stop_words = stop_words
        self.dtype = dtype

    # -- helpers -------------------------------------------------------------------------
    def _texts(self, papers: Sequence[Paper]) -> list[str]:
        return [paper_text(p, title_weight=self.title_weight) for p in papers]

    def _make(self, n: int) -> TfidfVectorizer:
        small = n < SMALL_CORPUS
        min_df = self.min_df if self.min_df is not None else (1 if small else 2)
        max_df = 1.0 if small else self.max_df
        return TfidfVectorizer(
            lowercase=True,
            strip_accents="unicode",
            stop_words=self.stop_words,
            ngram_range=tuple(self.ngram_range),
            min_df=min_df,
            max_df=max_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
            norm="l2",
            dtype=self.dtype,
        )

    # -- estimator API -------------------------------------------------------------------
    def fit(self, papers: Sequence[Paper]) -> TextVectorizer:
        """Learn the vocabulary and idf weights from ``papers``; returns ``self``."""
        self._fit(papers)
        return self

    def _fit(self, papers: Sequence[Paper]) -> sp.csr_matrix | None:
        texts = self._texts(papers)
        self.n_papers_ = len(texts)
        vec = self._make(len(texts))
        try:
            X = vec.fit_transform(texts)
        except ValueError as exc:  # empty vocabulary / everything pruned
            log.warning("TF-IDF found no usable terms (%s); text vectors are empty", exc)
            self._vec = None
            self.vocabulary_ = {}
            self.feature_names_ = np.array([], dtype=object)
            self.idf_ = np.array([], dtype=np.float64)
            return None
        self._vec = vec
        self.vocabulary_ = dict(vec.vocabulary_)
        self.feature_names_ = vec.get_feature_names_out()
        self.idf_ = vec.idf_
        log.info("TF-IDF: %d papers x %d terms, %d non-zeros", X.shape[0], X.shape[1], X.nnz)
        return X.tocsr()

    def _check_fitted(self) -> None:
        if not hasattr(self, "vocabulary_"):
            raise NotFittedError("TextVectorizer is not fitted yet; call fit(papers) first.")

    def transform(self, papers: Sequence[Paper]) -> sp.csr_matrix:
        """TF-IDF rows (L2-normalised, float32 CSR) of ``papers`` in the fitted vocabulary."""
        self._check_fitted()
        if self._vec is None:
            return sp.csr_matrix((len(papers), 0), dtype=self.dtype)
        return self._vec.transform(self._texts(papers)).tocsr()

    def fit_transform(self, papers: Sequence[Paper]) -> sp.csr_matrix:
        """``fit(papers)`` then ``transform(papers)``, tokenising the corpus only once."""
        X = self._fit(papers)
        if X is None:
            return sp.csr_matrix((len(papers), 0), dtype=self.dtype)
        return X

    def get_feature_names_out(self) -> np.ndarray:
        """The terms, in column order (scikit-learn's name for ``feature_names_``)."""
        self._check_fitted()
        return self.feature_names_
