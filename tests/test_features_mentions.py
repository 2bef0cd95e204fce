"""The one-pass mention matcher (graphkit.features.mentions) and the lexicon."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.features import load_lexicon
from graphkit.features.lexicon import is_valid_name, looks_like_name, spells_acronym
from graphkit.features.mentions import NameMatcher

M = NameMatcher(
    {
        "Llama": "Llama",
        "LLaMA": "Llama",
        "LoRA": "LoRA",
        "CIFAR-10": "CIFAR-10",
        "CIFAR10": "CIFAR-10",
        "CIFAR-100": "CIFAR-100",
        "SmoothQuant": "SmoothQuant",
        "Adam": "Adam",
        "Lookahead": "Lookahead",
        "FIRST": "FIRST",
        "SAM": "SAM",
    },
    families=["Llama"],
    full_names={"SAM": ["segment anything model"]},
)


def names(text, **kw):
    return [(h.name, h.surface) for h in M.find(text, **kw)]


def test_versions_fold_onto_the_family():
    assert names("We use LLaMA-2, Llama 3.1 8B and Llama-3-70B.") == [
        ("Llama", "LLaMA-2"),
        ("Llama", "Llama 3.1 8B"),
        ("Llama", "Llama-3-70B"),
    ]


def test_spelling_variants_and_longest_match():
    assert names("CIFAR10 and CIFAR-100.") == [("CIFAR-10", "CIFAR10"), ("CIFAR-100", "CIFAR-100")]


def test_word_boundaries_and_compounds():
    assert names("QA-LoRA and SmoothQuant+ are not LoRA-based SmoothQuantX.") == [("LoRA", "LoRA")]


def test_possessive_and_plural():
    assert names("LLaMA's weights") == [("Llama", "LLaMA's")]


def test_case_sensitive():
    assert names("a llama and lora") == []


def test_context_words_for_ambiguous_names():
    assert names("Adam wrote this.") == []
    assert names("We train with the Adam optimizer.") == [("Adam", "Adam")]


def test_plain_word_not_at_sentence_start():
    assert names("Lookahead decoding is fast.") == []
    assert names("We compare with Lookahead.") == [("Lookahead", "Lookahead")]


def test_all_caps_sentence():
    assert names("THE FIRST STEP IS HARD.") == []


def test_local_acronym_with_another_meaning_shadows():
    text = "Sharpness-Aware Minimization (SAM) helps."
    assert names(text, local_acronyms={"SAM": "Sharpness-Aware Minimization"}) == []
    text = "Segment Anything Model (SAM) helps."
    assert names(text, local_acronyms={"SAM": "Segment Anything Model"}) == [("SAM", "SAM")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_hostile_text_never_crashes_and_spans_are_consistent(text):
    for h in M.find(text):
        assert text[h.start : h.end].rstrip() == h.surface


def test_packaged_lexicon():
    lex = load_lexicon()
    assert lex is load_lexicon()  # cached
    e = lex.get("SparseGPT")
    assert e.arxiv_id == "2301.00774" and e.kind == "method"
    assert lex.resolve("LLaMA") == "Llama" and lex.resolve("CIFAR10") == "CIFAR-10"
    for generic in (
        "LLM",
        "RAG",
        "CNN",
        "GPU",
        "Dropout",
        "Attention",
        "dhf",
        "Coresets",
        "Weight Tying",
    ):
        assert lex.get(generic) is None and lex.resolve(generic) is None
    assert len(lex) > 500


def test_name_shape_rules():
    assert looks_like_name("SpQR") and looks_like_name("GPT-4") and not looks_like_name("Dropout")
    assert not is_valid_name("7B") and not is_valid_name("LLM-based") and is_valid_name("RS2")
    assert spells_acronym("PnP", "Plug-and-Play") and not spells_acronym("APA", "Adaptation")


def test_values_formulas_and_concept_acronyms_are_not_uses():
    m = NameMatcher({"MAE": "MAE", "H2O": "H2O", "QRT": "QRT", "LoRA": "LoRA"})
    found = lambda text, **kw: [h.name for h in m.find(text, **kw)]  # noqa: E731
    # a measured value, not the known method
    assert found("Our model achieves MAE = 2.6 on the test set.") == []
    assert found("We compare MAE and LoRA.") == ["MAE", "LoRA"]
    # a chemical formula among others
    assert found("An atmosphere of H2O, CO2 and SO2 was generated.") == []
    assert found("We evict tokens with H2O.") == ["H2O"]
    # no known expansion, and the paper spells it out as a lower-case concept
    assert (
        found(
            "The quartz resonance test (QRT) was run.",
            local_acronyms={"QRT": "quartz resonance test"},
        )
        == []
    )
    assert found("We run QRT.", local_acronyms={"QRT": "Quick Rank Tuner"}) == ["QRT"]


def test_a_short_known_acronym_naming_a_substance_is_no_mention():
    m = NameMatcher({"DHA": "DHA", "AMP": "AMP", "AIME": "AIME"})
    text = "DHA concentrations rose through cyclic AMP. AIME-level problems stay hard."
    assert [h.name for h in m.find(text)] == ["AIME"]
    assert [h.name for h in m.find("We compare DHA with AMP on AIME.")] == ["DHA", "AMP", "AIME"]
