"""TextVectorizer: TF-IDF over title + abstract, scikit-learn contract, adaptive pruning."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from shared_data import SHARED
from sklearn.exceptions import NotFittedError

from graphkit.features.text import SMALL_CORPUS, TextVectorizer, paper_text
from graphkit.model import Paper

CORPUS = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"

PAPERS = [
    Paper(id="a", title="Speculative decoding", abstract="Fast speculative decoding of LLMs."),
    Paper(id="b", title="Draft models", abstract="Speculative decoding with a draft model."),
    Paper(id="c", title="Graph layouts", abstract="Force-directed layouts of graphs."),
]


def test_estimator_contract():
    vec = TextVectorizer(min_df=1, max_features=50)
    assert vec.min_df == 1 and vec.max_features == 50 and not hasattr(vec, "vocabulary_")
    with pytest.raises(NotFittedError):
        vec.transform(PAPERS)
    assert vec.fit(PAPERS) is vec
    X = vec.transform(PAPERS)
    assert sp.isspmatrix_csr(X) and X.dtype == np.float32 and X.shape == (3, len(vec.vocabulary_))
    assert list(vec.get_feature_names_out()) == list(vec.feature_names_)
    assert all(vec.feature_names_[i] == t for t, i in vec.vocabulary_.items())
    Y = TextVectorizer(min_df=1, max_features=50).fit_transform(PAPERS)
    assert (abs(X - Y) > 1e-6).nnz == 0


def test_rows_unit_length_bigrams_stop_words():
    vec = TextVectorizer()
    X = vec.fit_transform(PAPERS)
    assert np.allclose(sp.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    assert "speculative decoding" in vec.vocabulary_
    assert "of" not in vec.vocabulary_ and "with" not in vec.vocabulary_
    S = (X @ X.T).toarray()
    assert S[0, 1] > S[0, 2] and S[0, 1] > S[1, 2]


def test_title_counts_more_than_abstract():
    p = Paper(id="x", title="alpha", abstract="beta")
    assert paper_text(p) == "alpha. alpha. beta"
    X = TextVectorizer().fit_transform([p, Paper(id="y", title="gamma", abstract="delta")])
    vec = TextVectorizer().fit([p])
    row = vec.transform([p]).toarray()[0]
    assert row[vec.vocabulary_["alpha"]] > row[vec.vocabulary_["beta"]]
    assert X.shape[0] == 2


def test_min_df_adapts_to_corpus_size():
    words = [f"w{i}" for i in range(SMALL_CORPUS + 10)]
    small = [Paper(id=w, title=f"{w} common", abstract="") for w in words[:5]]
    large = [
        Paper(id=w, title=f"{w} common shared{i % 2}", abstract="") for i, w in enumerate(words)
    ]
    assert "w0" in TextVectorizer().fit(small).vocabulary_  # tiny corpus keeps one-off words
    vocab = TextVectorizer().fit(large).vocabulary_
    assert "w0" not in vocab and "shared0" in vocab  # one-off words dropped at scale
    assert "common" not in vocab  # in every paper: above max_df
    assert "common" in TextVectorizer().fit(small).vocabulary_  # max_df not applied when tiny


def test_empty_and_stop_word_only_corpus():
    papers = [Paper(id="a", title="The", abstract=""), Paper(id="b", title="of and", abstract="")]
    vec = TextVectorizer()
    X = vec.fit_transform(papers)
    assert X.shape == (2, 0) and vec.vocabulary_ == {}
    assert vec.transform(papers).shape == (2, 0)
    assert TextVectorizer().fit_transform([]).shape[0] == 0


def test_deterministic():
    a = TextVectorizer().fit_transform(PAPERS)
    b = TextVectorizer().fit_transform(PAPERS)
    assert (a != b).nnz == 0


def test_seed_papers():
    ingest = pytest.importorskip("graphkit.ingest")
    if not hasattr(ingest, "load_corpus"):
        pytest.skip("ingest stage not available")
    papers = list(ingest.load_corpus([str(SEEDS)]).papers)
    vec = TextVectorizer()
    X = vec.fit_transform(papers)
    assert X.shape[0] == len(papers) and X.shape[1] > 1000
    assert np.diff(X.indptr).min() > 0  # every seed paper has words
    assert "speculative decoding" in vec.vocabulary_


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared arXiv corpus not present")
def test_arxiv_slice():
    import orjson

    papers = []
    with gzip.open(CORPUS, "rb") as fh:
        for line in fh:
            r = orjson.loads(line)
            papers.append(Paper(id=r["id"], title=r["title"] or "", abstract=r["summary"] or ""))
            if len(papers) == 2000:
                break
    vec = TextVectorizer()
    X = vec.fit_transform(papers)
    df = np.bincount(X.indices, minlength=X.shape[1])
    assert df.min() >= 2 and df.max() <= 0.5 * len(papers)
