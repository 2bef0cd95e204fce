"""The fast paths of the feature stage (issue 6) give exactly what the plain code gave.

Two kinds of checks:

* **golden outputs** -- ``tests/data/features/golden_outputs.json`` holds SHA-256 digests of the
  ``PaperFeatures`` the extractor produced *before* the speed-up, on the seeds (per paper) and on
  a 2,000-paper slice of the shared arXiv corpus (fit on all; fit on 1,000 and transform the
  other 1,000).  The outputs must stay byte-identical.  Regenerate the file only for an intended
  rule change: ``python tests/test_features_fastpaths.py --regenerate``.
* **reference implementations** -- the plain versions of each rewritten piece (kept below) and
  the fast ones agree on real text and on hypothesis-generated strings.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import re
import sys
from dataclasses import astuple
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keyphrase_reference import count_phrases
from shared_data import SHARED
from sklearn.feature_extraction.text import CountVectorizer

from graphkit.features import FeatureExtractor
from graphkit.features.corpus_stats import _CAND_TOKEN, _topic_phrases, _topic_phrases_plain
from graphkit.features.keyphrases import KeyphraseExtractor
from graphkit.features.lexicon import _spells_acronym_general, load_lexicon, spells_acronym
from graphkit.features.mentions import NameMatcher, mask_non_word
from graphkit.features.names import local_acronyms, sentence_acronyms
from graphkit.features.phrasecount import count_ngrams
from graphkit.features.phrasetokens import _CHUNK, _TOKEN_PATTERN, _is_stop, phrase_analyzer
from graphkit.features.sentences import _ABBREV, _LAST_WORD, sentence_spans, split_sentences
from graphkit.features.verbdefs import _VERB_LOWER_RE, _VERB_RE
from graphkit.model import Paper

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "data" / "features" / "golden_outputs.json"
CORPUS = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"


# -- golden outputs -------------------------------------------------------------------------
def canonical(feats) -> list:
    """PaperFeatures as plain nested lists (the form the digests are taken of)."""
    return [
        [
            f.paper_id,
            [list(astuple(d)) for d in f.defines],
            [list(astuple(m)) for m in f.mentions],
            list(f.keyphrases),
        ]
        for f in feats
    ]


def digest(obj) -> str:
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _seeds() -> list[Paper]:
    ingest = pytest.importorskip("graphkit.ingest")
    return list(ingest.load_corpus([str(ROOT / "seeds")]).papers)


def _arxiv(n: int) -> list[Paper]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in itertools.islice(fh, n)]
    return [Paper(id=r["id"], title=r["title"], abstract=r.get("summary") or "") for r in rows]


def _outputs(which: str) -> list:
    if which == "seeds":
        return canonical(FeatureExtractor().fit_transform(_seeds()))
    papers = _arxiv(2000)
    if which == "arxiv2000":
        return canonical(FeatureExtractor().fit_transform(papers))
    fx = FeatureExtractor().fit(papers[:1000])
    return canonical(fx.transform(papers[1000:]))


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_seed_outputs_identical_to_before(golden):
    out = _outputs("seeds")
    changed = [row[0] for row in out if golden["seed_papers"].get(row[0]) != digest(row)[:16]]
    assert not changed, f"features changed for {len(changed)} seed papers, e.g. {changed[:5]}"
    assert digest(out) == golden["digests"]["seeds"]


def test_fit_then_transform_equals_fit_transform_and_uncached_path():
    papers = _seeds()
    fx = FeatureExtractor().fit(papers)
    a = fx.transform(papers)
    assert a == FeatureExtractor().fit_transform(papers)
    # the same papers under other IDs miss every per-paper cache of fit: same features
    renamed = [Paper(id=f"x{p.id}", title=p.title, abstract=p.abstract) for p in papers]
    b = fx.transform(renamed)
    assert [(f.defines, f.mentions, f.keyphrases) for f in a] == [
        (f.defines, f.mentions, f.keyphrases) for f in b
    ]


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
@pytest.mark.parametrize("which", ["arxiv2000", "arxiv1000_unseen1000"])
def test_arxiv_slice_outputs_identical_to_before(golden, which):
    assert digest(_outputs(which)) == golden["digests"][which]


# -- reference implementations (the code before the speed-up) --------------------------------
def ref_spells_acronym(acronym: str, phrase: str) -> bool:
    """The code before the ASCII fast path: its character-wise search is kept in the library
    as the general (non-ASCII) case."""
    short = [c for c in acronym if c.isalnum()]
    if not short or not phrase or short[0].lower() != phrase[0].lower():
        return False
    return _spells_acronym_general(short, phrase)


def ref_phrase_analyzer(ngram_range=(2, 3)):
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


_REF_BOUNDARY = re.compile(r"[.!?](?=\s+[\"“(\[]?[A-Z0-9])")


def ref_sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _REF_BOUNDARY.finditer(text):
        if m.start() < start:
            continue
        w = _LAST_WORD.search(text, max(start, m.start() - 12), m.start())
        if w and w.group(1).lstrip(".") in _ABBREV:
            continue
        end = m.start() + 1
        if text[start:end].strip():
            spans.append((start, end))
        nxt = end
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        start = nxt
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


REF_CAND_TOKEN = re.compile(
    r"(?<![\w@/.+-])[A-Za-z][a-z]*[A-Z0-9][A-Za-z0-9]*(?:-(?=[A-Z0-9])[A-Za-z0-9]+)*(?![\w@+#])"
)

# strings made of the characters the rewritten rules look at
_TEXT = st.text(
    alphabet=st.sampled_from(list("aAbBeEgGiIsSxXzZ019 .,;:!?-–'\"“”()[]@/+#_\n\té")),
    max_size=60,
)
_SAMPLE_WORDS = """
we We WE this paper work here propose proposes introduce present also the of a e.g. i.e. vs. al.
Fig. No. LoRA GPT-4 ResNet-50 FooNet-7 SpQR post-training quantization speculative decoding
extensively anomaly ( ) . , ; - – ' " 3D x
"""
_WORDS = st.lists(st.sampled_from(_SAMPLE_WORDS.split() + ["\n", "  ", "é"]), max_size=40).map(
    " ".join
)


def _real_texts(n: int = 300) -> list[str]:
    papers = _seeds()
    texts = [t for p in papers for t in (p.title, p.abstract)]
    if CORPUS.exists():
        texts += [t for p in _arxiv(n) for t in (p.title, p.abstract)]
    return texts


@pytest.fixture(scope="module")
def real_texts() -> list[str]:
    return _real_texts()


@given(st.text(alphabet="aAbB1-. é", max_size=6), st.text(alphabet="aAbBcC1- .é", max_size=14))
@settings(max_examples=400, deadline=None)
def test_spells_acronym_equals_reference(acro, phrase):
    assert spells_acronym(acro, phrase) == ref_spells_acronym(acro, phrase)


@given(st.one_of(_TEXT, _WORDS))
@settings(max_examples=300, deadline=None)
def test_phrase_analyzer_equals_reference(text):
    assert sorted(phrase_analyzer()(text)) == sorted(ref_phrase_analyzer()(text))
    assert sorted(phrase_analyzer((1, 4))(text)) == sorted(ref_phrase_analyzer((1, 4))(text))


def test_phrase_analyzer_on_real_text(real_texts):
    new, ref = phrase_analyzer(), ref_phrase_analyzer()
    for t in real_texts:
        assert sorted(new(t)) == sorted(ref(t)), t


@given(st.one_of(_TEXT, _WORDS))
@settings(max_examples=400, deadline=None)
def test_sentence_spans_equal_reference(text):
    assert sentence_spans(text) == ref_sentence_spans(text)


def test_sentence_spans_on_real_text(real_texts):
    for t in real_texts:
        assert sentence_spans(t) == ref_sentence_spans(t)


@given(st.one_of(_TEXT, _WORDS))
@settings(max_examples=400, deadline=None)
def test_candidate_and_verb_regexes_equal_reference(text):
    assert _CAND_TOKEN.findall(text) == REF_CAND_TOKEN.findall(text)
    if text.isascii():
        fast = [text[m.start(1) : m.end(1)] for m in _VERB_LOWER_RE.finditer(text.lower())]
        assert fast == [m.group(1) for m in _VERB_RE.finditer(text)]


def test_count_phrases_equals_count_vectorizer(real_texts):
    docs = real_texts[:400]
    for min_df, max_df in ((1, 1.0), (2, 1.0), (2, 0.05)):
        voc, X = count_phrases(docs, phrase_analyzer(), min_df=min_df, max_df=max_df)
        vec = CountVectorizer(analyzer=ref_phrase_analyzer(), min_df=min_df, max_df=max_df)
        Y = vec.fit_transform(docs)
        assert voc == vec.vocabulary_
        assert X.dtype == np.int32 and (X != Y).nnz == 0
    assert count_phrases([], phrase_analyzer())[0] == {}
    assert count_phrases(["the of", ""], phrase_analyzer())[0] == {}


def _same_counts(docs, ngram_range=(2, 3), min_df=1, max_df=1.0) -> None:
    voc, X = count_ngrams(docs, ngram_range, min_df=min_df, max_df=max_df)
    ref_voc, Y = count_phrases(docs, phrase_analyzer(ngram_range), min_df=min_df, max_df=max_df)
    assert list(voc.items()) == list(ref_voc.items())
    assert X.shape == Y.shape and X.has_sorted_indices == Y.has_sorted_indices
    for part in ("data", "indices", "indptr"):
        a, b = getattr(X, part), getattr(Y, part)
        assert a.dtype == b.dtype and np.array_equal(a, b), part


def test_count_ngrams_equals_count_phrases(real_texts):
    docs = real_texts[:400]
    for min_df, max_df in ((1, 1.0), (2, 1.0), (2, 0.05), (3, 0.01)):
        _same_counts(docs, min_df=min_df, max_df=max_df)
    for ngram_range in ((1, 1), (1, 4), (3, 3)):
        _same_counts(docs, ngram_range, min_df=2)
    _same_counts([])
    _same_counts(["the of", ""])
    _same_counts(_EDGE_DOCS, (1, 3))
    _same_counts(_EDGE_DOCS + _EDGE_DOCS, min_df=2)


# a break made of whitespace and a dash or quote, at a text's edges too; other whitespace
_EDGE_DOCS = [
    "sparse — attention",
    "sparse – attention - heads",
    "sparse -- attention -x heads",
    "sparse ' attention 'heads' matter'",
    "'sparse attention' - ",
    "- sparse attention '",
    "sparse\u00a0attention\u2009heads\x1cmatter\x85now\u3000here",
    "naïve attention a_b heads 3d sparse-attention 2-d maps",
]


# whitespace of every kind, quotes and dashes next to it: the pieces count_ngrams splits at
_SPACED = st.lists(
    st.sampled_from(
        _SAMPLE_WORDS.split()
        + ["'", "'s", "x'", "-", "–", "—", "--", "-x", "é", "naïve", "a_b", "3d", "2-d"]
        + [" ", "\n", "\t", "\u00a0", "\u2009", "\x1c", "\x85", "\u3000", ""]
    ),
    max_size=30,
).map("".join)


@given(st.lists(st.one_of(_TEXT, _WORDS, _SPACED), max_size=6))
@settings(max_examples=300, deadline=None)
def test_count_ngrams_equals_count_phrases_on_generated_text(docs):
    _same_counts(docs)
    _same_counts(docs, (1, 3))
    _same_counts(docs + docs, min_df=2)


def test_keyphrases_cached_rows_equal_fresh_counts():
    papers = _seeds()
    kx = KeyphraseExtractor().fit(papers)
    renamed = [Paper(id=f"x{p.id}", title=p.title, abstract=p.abstract) for p in papers]
    assert kx.transform(papers) == kx.transform(renamed)


def test_local_acronyms_cache_returns_fresh_dicts():
    text = "We use Retrieval-Augmented Generation (RAG) here."
    a = local_acronyms(text)
    a["X"] = "y"
    assert local_acronyms(text) == {"RAG": "Retrieval-Augmented Generation"}


def test_sentence_acronyms_equal_per_sentence_scans(real_texts):
    for t in real_texts:
        spans = sentence_spans(t)
        expected = [local_acronyms(t[a:b].strip()) for a, b in spans]
        assert sentence_acronyms(t, spans) == expected, t


_PAREN_WORDS = st.lists(
    st.sampled_from(
        _SAMPLE_WORDS.split()
        + ["Low-Rank", "Adaptation", "(LoRA)", "(LoRA).", "(LRA),", "Rank", "Low", "(RL)"]
        + ["Sparse", "Quantized", "Representation", "(SpQR)", "(SQR;", "e.g.", "Fig.", "\n"]
    ),
    max_size=60,
).map(" ".join)


@given(_PAREN_WORDS)
@settings(max_examples=400, deadline=None)
def test_sentence_acronyms_equal_per_sentence_scans_on_generated_text(text):
    spans = sentence_spans(text)
    assert sentence_acronyms(text, spans) == [local_acronyms(text[a:b].strip()) for a, b in spans]


def test_mask_non_word_matches_isalnum_everywhere():
    chars = "".join(map(chr, range(sys.maxunicode + 1)))
    for underscore in (True, False):
        masked = mask_non_word(chars, underscore=underscore)
        expected = "".join(c if c.isalnum() or (underscore and c == "_") else "\0" for c in chars)
        assert masked == expected
        ascii_chars = chars[:128]
        assert mask_non_word(ascii_chars, underscore=underscore) == masked[:128]


def ref_occurrences(surfaces: dict[str, str], text: str) -> set[tuple[int, int, str, str]]:
    """The occurrences the plain matcher kept before its boundary checks: every surface found
    by an automaton over the raw text, minus those preceded by a word character when the surface
    starts with a letter or digit."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for surface in sorted(surfaces):
        if surface.strip():
            auto.add_word(surface, (surface, surfaces[surface]))
    if not len(auto):
        return set()
    auto.make_automaton()
    out = set()
    for end_idx, (surface, name) in auto.iter(text):
        start = end_idx - len(surface) + 1
        if start > 0:
            prev = text[start - 1]
            if (prev.isalnum() or prev == "_") and surface[0].isalnum():
                continue
        out.add((end_idx, start, surface, name))
    return out


_SURFACES = {
    **{s: e.name for e in load_lexicon() for s in e.surfaces},
    "+": "+",
    "(ab": "(ab",
    "_x": "_x",
    "a_b": "a_b",
    "é-Net": "é-Net",
    "LoRA ": "LoRA",
    "GPT 4": "GPT",
}


def test_name_matcher_occurrences_equal_plain_automaton(real_texts):
    m = NameMatcher(_SURFACES)
    for t in real_texts + ["+x+", "(ab (ab", "_x a_b x_x", "naïve é-Net", "LoRA  GPT-4"]:
        assert set(m._occurrences(t)) == ref_occurrences(_SURFACES, t), t


@given(st.one_of(_TEXT, _WORDS, _SPACED))
@settings(max_examples=300, deadline=None)
def test_name_matcher_occurrences_equal_plain_automaton_on_generated_text(text):
    small = {"LoRA": "LoRA", "GPT-4": "GPT-4", "x": "x", "-x": "-x", "a_b": "a_b", "'s": "'s"}
    assert set(NameMatcher(small)._occurrences(text)) == ref_occurrences(small, text)


_PHRASES = [
    "Few-Shot Learning",
    "Speculative Decoding",
    "Knowledge Distillation",
    "knowledge distillation",
    "Grounding",
    "Post-Training Quantization",
    "EA",
    "A_B",
    "Naïve Bayes",
    "x-",
]


def test_topic_phrases_equal_plain_scan():
    papers = _seeds()
    if CORPUS.exists():
        papers += _arxiv(2000)
    papers += [
        Paper(id=str(i), title=t, abstract=a)
        for i, (t, a) in enumerate(
            [
                ("few-shot learning", "ea, grounding; naïve bayes x- a_b"),
                ("Few-shot learning", "search EA grounding_ naïve bayes x-y"),
                ("İstanbul few-shot learning", "ea grounding"),
                ("", "Knowledge distillation and speculative decoding, post-training quantization"),
                ("", "knowledge-distillation, speculative decoding x- a_b ea"),
            ]
        )
    ]
    real = sorted({a for p in _seeds() for a in (p.title.split(":")[0],) if a})
    for phrases in (_PHRASES, real, sorted(_PHRASES + real), ["İx"] + _PHRASES):
        assert _topic_phrases(papers, phrases) == _topic_phrases_plain(papers, phrases)


def _regenerate() -> None:  # pragma: no cover - maintenance helper
    outs = {k: _outputs(k) for k in ("seeds", "arxiv2000", "arxiv1000_unseen1000")}
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    data["digests"] = {k: digest(v) for k, v in outs.items()}
    data["seed_papers"] = dict(sorted((row[0], digest(row)[:16]) for row in outs["seeds"]))
    GOLDEN.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__" and "--regenerate" in sys.argv:  # pragma: no cover
    _regenerate()


def test_single_letter_words_end_sentences():
    """Regression: the abbreviation set was built from the characters of a string, so any
    sentence ending in a one-letter word from it ("GPT-4o.", "of a.") ran on into the next."""
    text = "We compare with GPT-4o. Results improve. We set k to a. It helps, e.g. on MMLU. Done."
    assert split_sentences(text) == [
        "We compare with GPT-4o.",
        "Results improve.",
        "We set k to a.",
        "It helps, e.g. on MMLU.",
        "Done.",
    ]
