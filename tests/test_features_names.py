"""Rules that find the names a paper defines (graphkit.features.names)."""

from __future__ import annotations

import pytest

from graphkit.features.names import extract_definitions, local_acronyms, title_name
from graphkit.model import Paper


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression",
            "SpQR",
        ),
        ("OVOR: OnePrompt with Virtual Outlier Regularization for Rehearsal-Free CIL", "OVOR"),
        (
            "Once for Both: Single Stage of Importance and Sparsity Search",
            "Once for Both",
        ),  # short, capitalised
        ("Lookahead: An Inference Acceleration Framework", "Lookahead"),
        ("MEAL V2: Boosting Vanilla ResNet-50 to 80%+ Top-1 Accuracy", "MEAL V2"),
        ("R-Tuning: Teaching Large Language Models to Refuse Unknown Questions", "R-Tuning"),
        ("Unraveling the Mystery of Scaling Laws: Part I", ""),  # gerund start
        ("Don't Retrieve, Generate: Prompting LLMs for Synthetic Training Data", ""),  # sentence
        (
            "How far away are truly hyperparameter-free learning algorithms: a study",
            "",
        ),  # question word
        ("Less is More: Fewer Interpretable Region via Submodular Subset Selection", ""),  # verb
        ("Long-Context LLMs Meet RAG: Overcoming Challenges", ""),  # verb
        (
            "Model Compression and Efficient Inference for Large Language Models: A Survey",
            "",
        ),  # long
        ("Survey: Something", ""),  # generic word
        ("LLM: a thing", ""),  # generic acronym
        ("A title without a colon", ""),
        # a prefix that pairs two things names neither
        ("QRV and TSK: Two Drivers of Trading Intent", ""),  # two acronyms
        ("Local mindset and SME growth: A configurational approach", ""),  # lower-case nouns
        ("Pixel Grids Versus Point Sets: Which Represents Shape Better", ""),
        ("Look and Answer: A Neural Captioner", "Look and Answer"),  # still one name
    ],
)
def test_title_rule(title, expected):
    assert title_name(title) == expected


def test_title_prefix_used_in_lower_case_is_a_topic():
    title = "Transductive Few-Shot Learning: Clustering is All You Need?"
    abstract = "We investigate clustering and transductive few-shot learning."
    assert title_name(title, abstract) == ""


def test_acronym_rule_checks_letters_and_needs_a_cue():
    p = Paper(
        id="x",
        title="Parallel Speculative Decoding with Adaptive Draft Length",
        abstract=(
            "Speculative decoding (SD) is popular. We propose a framework, namely Parallel "
            "spEculative decoding with Adaptive dRaft Length (PEARL). We study average treatment "
            "effect (ATE) and Reinforcement Learning (RRL)."
        ),
    )
    defs = extract_definitions(p)
    assert [d.name for d in defs] == ["PEARL"]
    assert defs[0].how == "acronym"
    assert defs[0].full_name == "Parallel spEculative decoding with Adaptive dRaft Length"


def test_acronym_after_referring_word_is_not_defined():
    p = Paper(
        id="x",
        title="T",
        abstract="This paper presents a study on the role of Classifier-Free Guidance (CFG).",
    )
    assert extract_definitions(p) == ()


def test_known_name_spelled_out_is_not_a_definition():
    p = Paper(
        id="x",
        title="T",
        abstract="We propose to improve Low-Rank Adaptation (LoRA) for new tasks.",
    )
    assert extract_definitions(p, is_known=lambda a, lf: a == "LoRA") == ()


def test_verb_rule_wants_the_object_not_a_modifier():
    p = Paper(
        id="x",
        title="T",
        abstract="We propose AdaLoRA, which allocates budget. We present a T2I model.",
    )
    assert [d.name for d in extract_definitions(p)] == ["AdaLoRA"]


def test_dubbed_rule_multiword_and_existing_things():
    p = Paper(
        id="x",
        title="T",
        abstract=(
            "We introduce an approach called Repeated Sampling of Random Subsets for training. "
            "We evaluate on the previous mainstream dataset called PHOENIX14T. "
            "We propose a novel metric called Balance score."
        ),
    )
    assert [d.name for d in extract_definitions(p)] == ["Repeated Sampling of Random Subsets"]


def test_title_prefix_folds_into_acronym():
    p = Paper(
        id="x",
        title="Score Forgetting Distillation: A Swift, Data-Free Method",
        abstract="This paper introduces Score Forgetting Distillation (SFD), an innovative approach.",
    )
    (d,) = extract_definitions(p)
    assert d.name == "SFD" and "Score Forgetting Distillation" in d.aliases


def test_invalid_names_are_dropped():
    p = Paper(
        id="x",
        title="3D: a thing",
        abstract="We propose LLMs, which help. We introduce GitHub, a site.",
    )
    assert extract_definitions(p) == ()


def test_local_acronyms():
    assert local_acronyms("Plug-and-Play (PnP) and Direct Preference Optimization (DPO).") == {
        "PnP": "Plug-and-Play",
        "DPO": "Direct Preference Optimization",
    }


def test_hostile_input_does_not_crash():
    for text in ("", "(", ")))(((", "((A))", ":" * 50, "We propose (X", "named", "x" * 10000):
        extract_definitions(Paper(id="x", title=text, abstract=text))


# -- session 4: referring verbs, "our X <head>", a second "we" clause ------------------------


@pytest.mark.parametrize(
    "abstract",
    [
        # an existing artefact compared with, built on or listed: no definition
        "Our aligner is trained on two corpora and outperforms Harbour Forced Aligner (HFA).",
        "Validated instruments such as the Morrow Anxiety Inventory (MAI) are widely used.",
        "We build upon Staged Policy Refinement (SPR) by adding a temporal reward.",
    ],
)
def test_spelled_out_acronym_after_a_referring_verb_is_no_definition(abstract):
    p = Paper(id="x", title="A Study of Alignment", abstract=abstract)
    assert [d.name for d in extract_definitions(p)] == []


def test_our_coined_name_before_a_head_noun_is_a_definition():
    p = Paper(
        id="x",
        title="Efficient Video Generation",
        abstract="Scaling to larger data, our QuillVid-2 model outperforms all open baselines.",
    )
    assert [d.name for d in extract_definitions(p)] == ["QuillVid-2"]


def test_second_clause_of_a_we_sentence_introduces_a_name():
    p = Paper(
        id="x",
        title="Seamless Panoramas",
        abstract=(
            "We also trace the seam artefacts to zero padding and introduce Wrapped Border "
            "Encoding to remove them."
        ),
    )
    assert [d.name for d in extract_definitions(p)] == ["Wrapped Border Encoding"]


def test_capitalised_run_in_apposition_after_the_proposed_thing_is_a_definition():
    p = Paper(
        id="x",
        title="Volcanic Plume Chemistry in the Laboratory",
        abstract=(
            "Here, we present a unique apparatus, the Cold Vent Ash Chamber, capable of "
            "reproducing plume chemistry at high temperature."
        ),
    )
    assert [d.name for d in extract_definitions(p)] == ["Cold Vent Ash Chamber"]

