"""Key phrases (graphkit.features.keyphrases)."""

from __future__ import annotations

import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from graphkit.features.keyphrases import KeyphraseExtractor, count_phrase_stats, phrase_analyzer
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


# -- key phrases that are topics: hand-made abstracts from several fields -----------------------
_BASINS = [
    "Nile",
    "Murray",
    "Danube",
    "Mekong",
    "Volta",
    "Indus",
    "Loire",
    "Tagus",
    "Orange",
    "Niger",
    "Ebro",
    "Rhone",
]


def _field_corpus() -> list[Paper]:
    """Abstracts written for these tests (hydrology, cardiology, economics, supply chains,
    machine learning), 40 papers: each field repeats its own topics; a few phrases are spread
    over all fields, said once in passing."""
    papers = []
    for i, basin in enumerate(_BASINS):  # hydrology: a bursty topic in 12 papers
        papers.append(
            Paper(
                id=f"h{i}",
                title=f"Groundwater recharge in the {basin} basin",
                abstract=(
                    f"This article examines the groundwater recharge of the {basin} basin from well "
                    "records. Groundwater recharge falls after droughts; catchment runoff rises. "
                    + ("A multivariate analysis of rainfall supports this. " if i % 2 else "")
                    + ("One possible reason is irrigation. " if i < 2 else "")
                ),
            )
        )
    for i in range(8):  # cardiology
        papers.append(
            Paper(
                id=f"c{i}",
                title=f"Atrial fibrillation after cardiac surgery, cohort {i}",
                abstract=(
                    "We study atrial fibrillation in patients after cardiac surgery. Atrial "
                    "fibrillation raised stroke risk"
                    + (", and a multivariate analysis adjusted for age." if i % 2 else ".")
                    + (" A possible reason is inflammation." if i == 0 else "")
                ),
            )
        )
    for i in range(8):  # economics
        papers.append(
            Paper(
                id=f"e{i}",
                title=f"Monetary policy shocks and wage inequality in region {i}",
                abstract=(
                    "This article examines how monetary policy shocks move wage inequality. "
                    "Monetary policy tightening widens wage inequality"
                    + (" in a multivariate analysis." if i % 2 else ".")
                ),
            )
        )
    for i in range(4):  # supply chains: everyday words, repeated
        papers.append(
            Paper(
                id=f"s{i}",
                title=f"Resilient sourcing, case {i}",
                abstract=(
                    "We model a supply chain under port closures. The supply chain recovers faster "
                    "than expected when sourcing is dual; faster convergence follows."
                ),
            )
        )
    for i in range(8):  # machine learning: a cut-off piece, a comparative
        papers.append(
            Paper(
                id=f"m{i}",
                title=f"Quantized transformers for edge devices, variant {i}",
                abstract=(
                    "Low-bit quantization causes severe accuracy degradation in transformers. We "
                    "reduce severe accuracy degradation with outlier channels and reach faster "
                    "convergence; training is faster than full precision"
                    + (" in a multivariate analysis." if i % 2 else ".")
                ),
            )
        )
    return papers


@pytest.fixture(scope="module")
def fitted():
    papers = _field_corpus()
    kx = KeyphraseExtractor(max_df=0.5, min_keyphrases=0)
    return kx, papers, kx.fit_transform(papers)


def test_topics_of_each_field_are_kept(fitted):
    kx, papers, out = fitted
    by_id = dict(zip([p.id for p in papers], out, strict=True))
    assert "groundwater recharge" in by_id["h0"]
    assert "atrial fibrillation" in by_id["c3"]
    assert "wage inequality" in by_id["e2"]
    assert any("monetary policy" in ph for ph in by_id["e2"])  # or "monetary policy shocks"
    assert "supply chain" in by_id["s1"]  # everyday words, but the papers repeat it
    assert "severe accuracy degradation" in by_id["m0"]


def test_verbs_comparatives_and_cut_off_pieces_are_not_phrases(fitted):
    kx, _, out = fitted
    flat = {ph for row in out for ph in row}
    # "examines" is followed by a determiner, "faster" by "than"; "severe accuracy" never ends
    # a noun phrase (always "... degradation")
    assert {"examines", "faster"} <= kx.bad_words_
    for ph in ("article examines", "faster convergence", "severe accuracy"):
        assert ph not in flat and ph in kx.rejected_, ph
    assert "severe accuracy degradation" in kx.vocabulary_


def test_everyday_and_evenly_spread_phrases_are_not_topics(fitted):
    kx, _, out = fitted
    flat = {ph for row in out for ph in row}
    # all everyday English words, never repeated: a remark, not a topic
    assert "possible reason" in kx.rejected_ and "possible reason" not in flat
    # in 14 papers of every field, never repeated by one: spread evenly
    assert "multivariate analysis" in kx.rejected_ and "multivariate analysis" not in flat


def test_rejected_phrases_never_fill_up():
    papers = _field_corpus()
    kx = KeyphraseExtractor(max_df=0.5, min_keyphrases=8, max_keyphrases=8).fit(papers)
    flat = {ph for row in kx.transform(papers) for ph in row}
    assert not flat & kx.rejected_
    assert not any(w in kx.bad_words_ for ph in flat for w in ph.split())


def test_fit_transform_equals_fit_then_transform_and_keeps_no_corpus_rows():
    papers = _field_corpus()
    kx = KeyphraseExtractor(max_df=0.5)
    a = kx.fit_transform(papers)
    assert a == KeyphraseExtractor(max_df=0.5).fit(papers).transform(papers)
    # the same texts under other ids: nothing of fit is looked up by paper
    renamed = [Paper(id=f"x{p.id}", title=p.title, abstract=p.abstract) for p in papers]
    assert kx.transform(renamed) == a
    # the fitted state is the vocabulary and word lists, nothing per paper
    assert not [
        k
        for k, v in vars(kx).items()
        if isinstance(v, (sp.spmatrix, list, dict)) and k not in ("vocabulary_",)
    ]
    assert len(kx.idf_) == len(kx.vocabulary_) + len(kx.rejected_)


def test_phrase_stats_count_contexts():
    c = count_phrase_stats(
        ["the model examines the data. severe accuracy degradation", "severe accuracy drop"]
    )
    col = c.vocabulary
    assert c.occurrences[col["severe accuracy"]] == 2 and c.run_final[col["severe accuracy"]] == 0
    assert c.run_final[col["accuracy degradation"]] == 1
    words = c.word_text
    i = words.index("examines")
    assert (c.word_count[i], c.word_det[i], c.word_after_det[i]) == (1, 1, 0)
    j = words.index("model")
    assert (c.word_det[j], c.word_after_det[j]) == (0, 1)
    row = c.words[col["severe accuracy drop"]]
    assert [words[w] for w in row] == ["severe", "accuracy", "drop"]
