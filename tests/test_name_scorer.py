"""The learnt weighting of the detector's evidence (graphkit/features/namescorer.py)."""

from __future__ import annotations

import pytest

from graphkit.features import detect
from graphkit.features.detect import NameDetector
from graphkit.features.namescorer import SCORER_PATH, NameScorer, evidence, load_scorer

TEXTS = [
    "We report results on KORVEX-21, BlueMarsh and QuillBench against Tobin's Q.",
    "Models were fitted with the Brannock proportional hazards model and Quorvex v. 2.1.",
    "Patients (n = 40) were scored with the ABCQ scale; ED50 was 4 mg.",
    "The Harbour Forced Aligner (HFA) and the Long Range Arena benchmark are used.",
]


def test_every_reason_has_a_kind_and_points():
    assert evidence("after:e.g.,+1.5") == ("after", 1.5)
    assert evidence("version:v. 2.1+2") == ("version", 2.0)
    assert evidence("gene-or-protein:allele-3") == ("gene-or-protein", -3.0)
    with pytest.raises(ValueError):
        evidence("no points")


@pytest.mark.parametrize("text", TEXTS)
def test_unit_weights_reproduce_the_hand_set_points(text):
    hand = NameDetector(scorer=None).detect(text)
    unit = NameDetector(scorer=NameScorer(-detect.THRESHOLD, {}, 0.0)).detect(text)
    assert [(d.name, d.kind, d.reasons) for d in unit] == [(d.name, d.kind, d.reasons) for d in hand]
    for h, u in zip(hand, unit, strict=True):
        assert u.score == pytest.approx(h.score - detect.THRESHOLD)


def test_weights_change_what_is_reported():
    text = TEXTS[0]
    none = NameScorer(-10.0, {}, 0.0)
    assert NameDetector(scorer=none).detect(text) == []


def test_shipped_scorer_matches_the_file():
    # no weights ship while the learnt scorer does not beat the hand-set points
    got = load_scorer()
    assert (got is None) == (not SCORER_PATH.exists())
    assert detect.SCORER is None or detect.SCORER.to_json() == got.to_json()
