"""FeatureExtractor and method_table on small real data."""

from __future__ import annotations

import pytest
from sklearn.exceptions import NotFittedError

from graphkit.features import FeatureExtractor, Lexicon, LexiconEntry, method_table
from graphkit.model import Paper

PAPERS = [
    Paper(
        id="spqr",
        title="SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression",
        abstract="We introduce the Sparse-Quantized Representation (SpQR). SpQR beats GPTQ on LLaMA-65B and Falcon.",
    ),
    Paper(
        id="gblm",
        title="Beyond Size: How Gradients Shape Pruning Decisions in Large Language Models",
        abstract=(
            "Prior approaches such as SparseGPT and Wanda ignore gradients. We present a method, "
            "termed Gradient-based Language Model Pruner (GBLM-Pruner). We compare with SpQR on LLaMA-2."
        ),
    ),
    Paper(
        id="other",
        title="A note",
        abstract="We fine-tune with Low-Rank Adaptation (LoRA) and GBLM-Pruner.",
    ),
]


def test_fit_transform_contract():
    fx = FeatureExtractor()
    assert fx.fit(PAPERS) is fx
    feats = fx.transform(PAPERS)
    assert [f.paper_id for f in feats] == ["spqr", "gblm", "other"]
    assert feats[0].short_name == "SpQR"
    assert fx.names_["GBLM-Pruner"].defined_by == ("gblm",)
    m = {x.name: x for x in feats[1].mentions}
    assert list(m) == ["SparseGPT", "Wanda", "SpQR", "Llama-2"]
    assert m["SpQR"].source == "corpus" and m["SparseGPT"].source == "lexicon"
    # a version keeps its surface and names its family; sizes fold ("LLaMA-65B" is Llama)
    assert m["Llama-2"].surface == "LLaMA-2" and m["Llama-2"].kind == "model"
    assert m["Llama-2"].family == "Llama" and m["Llama-2"].source == "lexicon"
    assert [(x.name, x.family) for x in feats[0].mentions if x.surface == "LLaMA-65B"] == [
        ("Llama", "")
    ]
    assert m["Wanda"].sentence.startswith("Prior approaches such as SparseGPT")
    assert [x.name for x in feats[2].mentions] == ["LoRA", "GBLM-Pruner"]


def test_never_mentions_itself_and_one_mention_per_name():
    feats = FeatureExtractor().fit_transform(PAPERS)
    assert "SpQR" not in {x.name for x in feats[0].mentions}
    for f in feats:
        names = [x.name for x in f.mentions]
        assert len(names) == len(set(names))


def test_not_fitted_and_deterministic():
    with pytest.raises(NotFittedError):
        FeatureExtractor().transform(PAPERS)
    a = FeatureExtractor().fit_transform(PAPERS)
    b = FeatureExtractor().fit_transform(list(PAPERS))
    assert a == b


def test_lexicon_off_or_custom():
    feats = FeatureExtractor(lexicon=False).fit_transform(PAPERS)
    assert {x.source for f in feats for x in f.mentions} <= {"corpus", "candidate"}
    lex = Lexicon(
        [
            LexiconEntry(
                "Wanda",
                "Pruning by Weights and activations",
                reference="A Simple and Effective Pruning Approach",
            )
        ]
    )
    feats = FeatureExtractor(lexicon=lex).fit_transform(PAPERS)
    # the custom lexicon knows Wanda, the corpus SpQR; SparseGPT and LLaMA-2 are detected from
    # their shape and context ("such as X and Y", "on X") without being known
    got = [(x.name, x.source) for x in feats[1].mentions]
    assert got == [
        ("SparseGPT", "candidate"),
        ("Wanda", "lexicon"),
        ("SpQR", "corpus"),
        ("LLaMA-2", "candidate"),
    ]


def test_method_table():
    feats = FeatureExtractor().fit_transform(PAPERS)
    rows = method_table(PAPERS, feats)
    by = {r.name: r for r in rows}
    assert by["SpQR"].introduced_by == ("spqr",) and by["SpQR"].mentioned_by == ("gblm",)
    assert by["SpQR"].reference == ""  # introduced in the corpus
    assert by["SparseGPT"].introduced_by == () and by["SparseGPT"].reference.startswith("SparseGPT")
    assert by["Llama"].mentioned_by == ("gblm", "spqr")
    assert rows[0].name == "Llama"  # most mentioning papers first
    assert by["GBLM-Pruner"].evidence == (
        ("other", "We fine-tune with Low-Rank Adaptation (LoRA) and GBLM-Pruner."),
    )


def test_candidates_need_recurrence():
    papers = [
        Paper(id=str(i), title=f"Paper {i}", abstract="We evaluate FooNet-7 today.")
        for i in range(3)
    ]
    papers.append(Paper(id="x", title="Other", abstract="BarNet9 appears once."))
    fx = FeatureExtractor(min_keyphrases=0).fit(papers)
    assert "FooNet-7" in fx.candidates_ and "BarNet9" not in fx.candidates_
    assert fx.transform(papers)[0].mentions[0].source == "candidate"


def test_empty_and_single_paper():
    assert FeatureExtractor().fit_transform([]) == []
    (f,) = FeatureExtractor().fit_transform([Paper(id="a", title="", abstract="")])
    assert f.defines == () and f.mentions == ()


def test_corpus_names_learn_from_the_corpus_pass():
    """The fit's corpus half (features/corpus_names.py) on the real abstracts above: a name
    defined by one paper triggers, its aliases become matcher surfaces, and frequent candidate
    tokens skip known surfaces, their versions and plurals."""
    from collections import Counter

    from graphkit.features.corpus_names import (
        corpus_names,
        count_corpus,
        frequent_candidates,
        matcher_surfaces,
        paper_candidates,
    )

    fx = FeatureExtractor(lexicon=False)
    fx._prepare()
    analyses = [fx._analyse(p) for p in PAPERS]
    corpus = count_corpus(fx.lexicon_, PAPERS, analyses)
    names = corpus_names(corpus, topic=set())
    assert names["SpQR"].defined_by == ("spqr",) and names["SpQR"].trigger
    assert names["GBLM-Pruner"].defined_by == ("gblm",)
    surfaces, full_names = matcher_surfaces(fx.lexicon_, names)
    assert surfaces["SpQR"] == "SpQR"
    assert "Sparse-Quantized Representation" in full_names["SpQR"]
    assert "GBLM-Pruner" in paper_candidates(PAPERS[2])
    df = Counter({"FooNet": 3, "SpQR-2": 5, "SpQRs": 4, "BarNet": 2, "SpQR": 9})
    assert frequent_candidates(df, surfaces, min_df=3) == {"FooNet": 3}
