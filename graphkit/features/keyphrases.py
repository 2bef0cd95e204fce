"""Key phrases: the 2-3 word method/topic phrases that describe a paper, learned from the corpus.

Candidates are word 2- and 3-grams of title + abstract (scikit-learn's token pattern; n-grams never
cross punctuation, a stop word or a generic word, so every phrase is a run of adjacent words in
original order), tokenised by one regular-expression pass per distinct whitespace-separated
piece of text and counted by :func:`count_ngrams` -- the counts ``CountVectorizer`` gives (and
:func:`count_phrases` with :func:`phrase_analyzer`), with every n-gram an integer counted by
numpy: only the phrases kept are built as strings.  A phrase is kept in the vocabulary when it

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
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import Paper
from .lexicon import wordset

__all__ = [
    "KeyphraseExtractor",
    "GENERIC_PHRASES",
    "GENERIC_WORDS",
    "END_WORDS",
    "phrase_analyzer",
    "count_phrases",
    "count_ngrams",
]

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


_CHUNK_RE = r"[.,;:!?()\[\]{}\"“”]|\s[-–—]\s|\s'|'\s"
_CHUNK = re.compile(_CHUNK_RE)
_TOKEN_PATTERN = r"(?u)\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b"
# one pass finds both: a chunk break (punctuation, a dash between spaces, a quote) or a token.
# Breaks are non-word characters, so a token's \b edges are the same as inside its chunk.
# (possessive runs: giving back a letter or digit could never end a token at a \b)
_SCAN = re.compile(f"{_CHUNK_RE}|" + r"\b[A-Za-z][A-Za-z0-9]*+(?:-[A-Za-z0-9]++)*\b")


class _Runs(dict):
    """token -> the token if it may be part of a phrase, else None; chunk breaks map to None.
    Filled on first sight (``__missing__``), so each distinct string is classified once."""

    def __missing__(self, tok: str) -> str | None:
        keep = tok if tok[0].isalpha() and not _is_stop(tok) else None
        if len(self) < 1_000_000:
            self[tok] = keep
        return keep


def _check_range(ngram_range: tuple[int, int]) -> tuple[int, int]:
    lo, hi = ngram_range
    if lo < 1 or hi < lo:
        raise ValueError(f"invalid ngram_range {ngram_range!r}: need 1 <= min <= max")
    return lo, hi


def phrase_analyzer(ngram_range: tuple[int, int] = (2, 3)) -> Callable[[str], list[str]]:
    """An analyzer for ``CountVectorizer``: lower-cased n-grams of adjacent words that never cross
    punctuation, stop words or generic words.  Tokens follow scikit-learn's token pattern.

    >>> phrase_analyzer()("We propose post-training quantization for LLMs, and speculative decoding.")
    ['post-training quantization', 'speculative decoding']
    """
    lo, hi = _check_range(ngram_range)
    scan = _SCAN.findall
    runs = _Runs()
    get = runs.__getitem__

    def analyze(text: str) -> list[str]:
        # a stop word or a chunk break becomes None; n-grams are windows without a None
        toks = list(map(get, scan(text.lower())))
        out: list[str] = []
        for n in range(lo, hi + 1):
            if n == 1:
                out += [t for t in toks if t]
            elif n == 2:
                out += [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False) if a and b]
            elif n == 3:
                out += [
                    f"{a} {b} {c}"
                    for a, b, c in zip(toks, toks[1:], toks[2:], strict=False)
                    if a and b and c
                ]
            else:
                out += [
                    " ".join(w) for w in zip(*(toks[i:] for i in range(n)), strict=False) if all(w)
                ]
        return out

    return analyze


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


class _TokenIds(dict):
    """token -> a positive id if it may be part of a phrase, else 0 (stop words, chunk breaks);
    ``words[id]`` is the token.  Filled on first sight, like :class:`_Runs`."""

    def __init__(self) -> None:
        super().__init__()
        self.words = [""]

    def __missing__(self, tok: str) -> int:
        i = 0
        if tok[0].isalpha() and not _is_stop(tok):
            i = len(self.words)
            self.words.append(tok)
        self[tok] = i
        return i


class _ChunkIds(dict):
    """A whitespace-free piece of lower-cased text -> the ids of its :data:`_SCAN` tokens, a 0 for
    each chunk break (:class:`_TokenIds`), as the bytes of an int32 array (pieces join fast),
    filled on first sight.  Breaks made of whitespace and a
    character ("x ' y", "x - y") are read off the piece's edges: a 0 before a leading quote,
    after a trailing one, and for a lone dash.  (At a text's start or end such a 0 is one the
    text's own scan does not give, but an n-gram never spans a text's edge anyway.)"""

    def __init__(self, ids: _TokenIds) -> None:
        super().__init__()
        self.ids = ids

    def __missing__(self, piece: str) -> bytes:
        if piece in ("-", "–", "—"):
            out = [0]
        else:
            out = [0] if piece[0] == "'" else []
            out += map(self.ids.__getitem__, _SCAN.findall(piece))
            if piece[-1] == "'":
                out.append(0)
        self[piece] = value = array("i", out).tobytes()
        return value


def _token_ids(docs: Iterable[str], ids: _TokenIds) -> tuple[np.ndarray, np.ndarray]:
    """All texts' token ids in one int32 array (as :func:`phrase_analyzer` reads them, a 0 for a
    stop word or a chunk break, each text followed by a 0, so no n-gram spans two texts) and the
    text each position belongs to.  Texts are split at whitespace first: the pieces recur, so
    each distinct one is scanned once."""
    pieces = _ChunkIds(ids).__getitem__
    end = array("i", [0]).tobytes()
    texts = [b"".join(map(pieces, doc.lower().split())) + end for doc in docs]
    lengths = np.array([len(t) // len(end) for t in texts], dtype=np.int64)
    tokens = np.frombuffer(b"".join(texts), dtype=np.intc).astype(np.int32, copy=False)
    return tokens, np.repeat(np.arange(len(texts), dtype=np.int32), lengths)


def _ngram_ids(tokens: np.ndarray, prev: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """The n-grams one token longer than ``prev`` (the ids of the (n-1)-grams starting at each
    position, 0 for none): their ids at each position (1-based, 0 for none) and, per id, its code
    ``prefix id * base + last token``."""
    last = tokens[len(tokens) - len(prev) + 1 :]
    prev = prev[: len(last)]
    valid = (prev > 0) & (last > 0)
    code = prev[valid].astype(np.int64) * base + last[valid]
    codes, inverse = np.unique(code, return_inverse=True)
    grams = np.zeros(len(last), dtype=np.int32)
    grams[valid] = inverse.ravel() + 1
    return grams, codes


def _phrases(ids: np.ndarray, codes: list[np.ndarray], base: int, words: list[str]) -> list[str]:
    """The text of the n-grams with the given (1-based) ``ids``, ``codes`` as from
    :func:`_ngram_ids` for n = 2, 3, ... (empty for unigrams)."""
    parts = []
    for level in reversed(codes):
        ids, last = np.divmod(level[ids - 1], base)
        parts.append(last.tolist())
    parts.append(ids.tolist())
    return [" ".join(map(words.__getitem__, w)) for w in zip(*reversed(parts), strict=True)]


def count_ngrams(
    docs: Iterable[str],
    ngram_range: tuple[int, int] = (2, 3),
    *,
    min_df: int = 1,
    max_df: float = 1.0,
) -> tuple[dict[str, int], sp.csr_matrix]:
    """What ``count_phrases(docs, phrase_analyzer(ngram_range), min_df=..., max_df=...)`` gives,
    counted in bulk: the texts become token ids, an n-gram is an integer (its (n-1)-gram prefix
    and one more token) counted by numpy, and only the phrases kept are ever built as strings.

    >>> voc, X = count_ngrams(["fast decoding of speculative drafts", "fast decoding wins"], min_df=2)
    >>> voc, X.toarray().tolist()
    ({'fast decoding': 0}, [[1], [1]])
    """
    lo, hi = _check_range(ngram_range)
    ids = _TokenIds()
    tokens, doc_of = _token_ids(docs, ids)
    n_docs = int(doc_of[-1]) + 1 if len(doc_of) else 0
    base = len(ids.words)
    # the n-grams of each length in turn; terms number those of lengths lo..hi consecutively
    grams, codes = tokens, []
    keys, first_term = [], [0]
    for n in range(1, hi + 1):
        if n > 1:
            grams, level_codes = _ngram_ids(tokens, grams, base)
            codes.append(level_codes)
        if n >= lo:
            keys.append((first_term[-1], grams))
            first_term.append(first_term[-1] + (len(codes[-1]) if n > 1 else base - 1))
    n_terms = max(first_term[-1], 1)
    # every (document, term) pair with its count, in document order
    pairs, tf = np.unique(
        np.concatenate(
            [
                doc_of[pos].astype(np.int64) * n_terms + (g[pos] + (first - 1))
                for first, g in keys
                for pos in [np.flatnonzero(g)]
            ]
        ),
        return_counts=True,
    )
    row, term = np.divmod(pairs, n_terms)
    df = np.bincount(term, minlength=n_terms)
    high = max_df * n_docs
    keep = (df >= min_df) & (df <= high)
    if not first_term[-1] or high < min_df or not keep.any():
        return {}, sp.csr_matrix((n_docs, 0), dtype=np.int32)
    kept = np.flatnonzero(keep)
    phrases: list[str] = []
    for i, n in enumerate(range(lo, hi + 1)):
        level = kept[(kept >= first_term[i]) & (kept < first_term[i + 1])]
        phrases += _phrases(level - first_term[i] + 1, codes[: n - 1], base, ids.words)
    order = sorted(range(len(phrases)), key=phrases.__getitem__)  # columns in phrase order
    vocabulary = {phrases[i]: j for j, i in enumerate(order)}
    column = np.full(n_terms, -1, dtype=np.int64)
    column[kept[order]] = np.arange(len(order))
    j = column[term]
    mask = j >= 0
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(row[mask], minlength=n_docs), out=indptr[1:])
    X = sp.csr_matrix(
        (tf[mask].astype(np.int32), j[mask].astype(np.int32), indptr.astype(np.int32)),
        shape=(n_docs, len(order)),
    )
    X.sort_indices()
    return vocabulary, X


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
        self.analyzer_ = phrase_analyzer()
        # the title is repeated title_boost times: term counts are boosted, document counts not
        docs = (_doc(p, self.title_boost) for p in papers)
        self._rows: dict[str, tuple[str, str, int]] = {}
        vocabulary, X = count_ngrams(docs, min_df=min_df, max_df=max_df)
        if not vocabulary:  # nothing recurs (or all texts empty)
            self.vocabulary_: dict[str, int] = {}
            self.idf_ = np.zeros(0)
            return self
        df = np.asarray((X > 0).sum(axis=0)).ravel()
        self.vocabulary_ = {t: i for t, i in vocabulary.items() if self._ok(t)}
        self.idf_ = np.log((1.0 + n) / (1.0 + df)) + 1.0
        phrases = sorted(vocabulary, key=vocabulary.__getitem__)  # by column
        self._terms = [t if t in self.vocabulary_ else None for t in phrases]
        self._known = np.array([t is not None for t in self._terms], dtype=bool)
        # a longer phrase counts a little more: 1 + 0.1 per extra word
        self._lengths = np.array([1 + 0.1 * t.count(" ") for t in phrases], dtype=np.float64)
        self._X = X
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
        rows = [self._row(p) for p in papers]
        ranked = self._ranked() if any(r >= 0 for r in rows) else None
        out = []
        for p, r in zip(papers, rows, strict=True):
            if r >= 0 and ranked is not None:
                order, indptr = ranked
                out.append(self._choose(p, order[indptr[r] : indptr[r + 1]], None))
            else:
                out.append(self._one(p))
        return out

    def _row(self, p: Paper) -> int:
        """The paper's row of the fitted count matrix, or -1 if fit did not see this paper."""
        row = self._rows.get(p.id)
        if row is not None and row[0] == p.title and row[1] == p.abstract:
            return row[2]
        return -1

    def _ranked(self) -> tuple[list[str], list[int]]:
        """Every row's known phrases, best first (score, then phrase), in one sort: the phrases
        row by row and the row offsets (CSR style)."""
        X = self._X
        n_rows = X.shape[0]
        rows = np.repeat(np.arange(n_rows), np.diff(X.indptr))
        cols = X.indices
        known = self._known[cols]
        rows, cols, tf = rows[known], cols[known], X.data[known]
        # the same float operations, in the same order, as the per-phrase formula in _one
        scores = (-tf).astype(np.float64) * self.idf_[cols] * self._lengths[cols]
        order = np.lexsort((cols, scores, rows))  # columns are in phrase order: ties by phrase
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        terms = self._terms
        return [terms[j] for j in cols[order].tolist()], indptr.tolist()

    def _counts(self, p: Paper) -> Counter[str]:
        return Counter(self.analyzer_(_doc(p, self.title_boost)))

    def _one(self, p: Paper) -> tuple[str, ...]:
        """Key phrases of a paper fit did not see (its phrases counted afresh)."""
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
                if ph not in self.vocabulary_ and self._ok(ph)
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
