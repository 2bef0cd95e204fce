"""Reference implementation of key-phrase counting, for tests only: ``count_phrases`` counts the
phrases of any analyzer with ``collections.Counter`` -- what ``CountVectorizer`` gives -- and is
what :func:`graphkit.features.keyphrases.count_ngrams` (the bulk integer counting the library
uses) is checked against."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

import numpy as np
import scipy.sparse as sp


def count_phrases(
    docs: Iterable[str],
    analyzer: Callable[[str], list[str]],
    *,
    min_df: int = 1,
    max_df: float = 1.0,
) -> tuple[dict[str, int], sp.csr_matrix]:
    """Document-term counts of ``analyzer``'s phrases: the vocabulary (phrase -> column, columns
    in sorted phrase order) and a CSR int32 matrix, keeping phrases in at least ``min_df`` and at
    most ``max_df`` (a share) of the documents -- what ``CountVectorizer(analyzer=analyzer,
    min_df=min_df, max_df=max_df).fit_transform(docs)`` gives, with the per-phrase counting done
    by ``collections.Counter`` instead of a Python loop.  An empty vocabulary comes back as
    ``({}, 0-column matrix)``.

    >>> voc, X = count_phrases(["b a b", "a c", "c d"], str.split, min_df=2)
    >>> voc, X.toarray().tolist()
    ({'a': 0, 'c': 1}, [[1, 0], [1, 1], [0, 1]])
    """
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__
    index = vocab.__getitem__
    cols: array[int] = array("q")
    vals: array[int] = array("q")
    indptr: array[int] = array("q", [0])
    for doc in docs:
        counts = Counter(analyzer(doc))
        cols.extend(map(index, counts))
        vals.extend(counts.values())
        indptr.append(len(cols))
    n_docs = len(indptr) - 1
    terms = list(vocab)
    del vocab
    j = np.frombuffer(cols, dtype=np.int64) if cols else np.zeros(0, dtype=np.int64)
    df = np.bincount(j, minlength=len(terms))
    high = max_df * n_docs
    keep = (df >= min_df) & (df <= high)
    if not terms or high < min_df or not keep.any():
        return {}, sp.csr_matrix((n_docs, 0), dtype=np.int32)
    kept = sorted(t for t, k in zip(terms, keep.tolist(), strict=True) if k)
    vocabulary = {t: i for i, t in enumerate(kept)}
    remap = np.full(len(terms), -1, dtype=np.int64)
    old = np.flatnonzero(keep)
    remap[old] = [vocabulary[terms[i]] for i in old.tolist()]
    new_j = remap[j]
    mask = new_j >= 0
    rows = np.repeat(np.arange(n_docs), np.diff(np.frombuffer(indptr, dtype=np.int64)))
    new_indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[mask], minlength=n_docs), out=new_indptr[1:])
    X = sp.csr_matrix(
        (
            np.frombuffer(vals, dtype=np.int64)[mask].astype(np.int32),
            new_j[mask].astype(np.int32),
            new_indptr.astype(np.int32),
        ),
        shape=(n_docs, len(kept)),
    )
    X.sort_indices()
    return vocabulary, X
