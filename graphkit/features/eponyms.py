"""Eponyms for the name detector (:mod:`.detect`): a person's or place's name before a head
noun is a named method, measure or task of any field ("Granger causality", "Stroop task", "Cox
proportional hazards model", "LISREL program"), and so is a possessive one ("Cronbach's alpha",
"Tobin's Q", "Amdahl's law").  Split from :mod:`.namecontext`, which keeps the other context
evidence and re-exports these names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .lexicon import wordset

#: Head nouns that make a person's or place's name before them a named method, measure or task
#: of any field ("Granger causality", "Stroop task", "Kaplan-Meier survival analysis", "Cox
#: proportional hazards model", "Wilcoxon signed-rank test", "LISREL program"), with the type
#: they give.  Only looked at after a capitalised word that is not an adjective of nationality
#: or of a concept ("Gaussian", "Bayesian": their nouns are concepts) -- see :func:`_eponym_head`.
EPONYM_HEADS: Mapping[str, str] = {
    **dict.fromkeys(
        [
            "analysis",
            "test",
            "task",
            "paradigm",
            "causality",
            "procedure",
            "technique",
            "method",
            "algorithm",
            "estimator",
            "estimation",
            "regression",
            "transform",
            "filter",
            "sampling",
            "decomposition",
            "correction",
            "equation",
            "equations",
            "law",
            "theorem",
            "inequality",
            "function",
            "repair",
            "operation",
        ],
        "method",
    ),
    **dict.fromkeys(
        [
            "index",
            "coefficient",
            "correlation",
            "score",
            "scoring",
            "scale",
            "inventory",
            "questionnaire",
            "criterion",
            "criteria",
            "distance",
            "statistic",
        ],
        "metric",
    ),
    **dict.fromkeys(("model",), "model"),
    **dict.fromkeys(["program", "software", "package", "toolbox", "tool"], "tool"),
}
#: Heads that are part of the name they follow ("Granger causality", "Stroop task", "Likert
#: scale"): a plain-word eponym is reported with them; before the others the eponym alone is the
#: name ("Cox" of "Cox proportional hazards model", "LISREL" of "LISREL program").
EPONYM_NAMED = frozenset(
    [
        "causality",
        "task",
        "paradigm",
        "equation",
        "equations",
        "law",
        "theorem",
        "inequality",
        "function",
        "transform",
        "filter",
        "coefficient",
        "correlation",
        "scale",
        "inventory",
        "questionnaire",
        "criterion",
        "criteria",
        "distance",
        "index",
        "statistic",
        "regression",
        "sampling",
        "decomposition",
        "correction",
        "estimator",
    ]
)
# up to three lower-case words, then a head noun: "(proportional hazards) model"
_EPONYM_RUN = re.compile(
    r"[ -]((?:[a-z][a-z-]*[ ]){0,3}?)("
    + "|".join(sorted(EPONYM_HEADS, key=len, reverse=True))
    + r")\b(?![-'’])"
)
#: Words that may not stand between an eponym and its head noun (the head then belongs to
#: another phrase: "Cox was used to model", "Smith and colleagues' analysis").
_EPONYM_GAP_STOP = wordset(
    """
    a an the of for and or with to in on at by from as is are was were be been being has have
    had this that these those which who we our their its it not can could may might will would
    should used using based than into over under between after before during while also both
    each such other more most less new novel proposed first second
    """
)
#: Heads that make an all-caps word a named artefact ("LISREL program", "ARIS modeling tool"):
#: before the others an acronym is most often a substance, a technique or a concept ("GC-MS
#: analysis", "DHA yield coefficient").
_ACRONYM_HEADS = frozenset(("program", "software", "package", "toolbox", "tool"))
#: Adjective endings: "Gaussian process", "Bayesian analysis", "Euclidean distance", "Arabic
#: text classification" -- concept adjectives, not names.
_ADJECTIVE_END = ("ian", "ean", "ic", "al", "ese", "ish", "ive", "ous", "ary", "ed", "ing")


def _eponym_head(text: str, end: int, name: str) -> tuple[str, int]:
    """The head noun that makes ``name`` (ending at ``end``) a named method, measure or task,
    and where the head ends; ('', 0) if there is none.

    >>> t = "using the Cox proportional hazards model and Bayesian analysis"
    >>> _eponym_head(t, t.index("Cox") + 3, "Cox"), _eponym_head(t, t.index("Bayesian") + 8, "Bayesian")
    (('model', 40), ('', 0))
    """
    last = name.rsplit(" ", 1)[-1].rsplit("-", 1)[-1]
    if last.lower().endswith(_ADJECTIVE_END) and not last.isupper():
        return "", 0
    m = _EPONYM_RUN.match(text, end)
    if m is None:
        return "", 0
    gap = m.group(1).split()
    # no function word, adverb or verb between them ("X enables task", "X consistently ...")
    if any(w in _EPONYM_GAP_STOP or w.endswith(("ly", "es")) for w in gap):
        return "", 0
    if last.isupper() and (m.group(2) not in _ACRONYM_HEADS or len(gap) > 1):
        return "", 0
    return m.group(2), m.end()


_GREEK = "alpha beta gamma delta kappa lambda rho sigma tau chi omega"
# after an eponym's "'s": a letter or Greek letter ("Tobin's Q", "Cronbach's alpha", "Cohen's
# d"), a t-test, or (lower-case words and) an eponym head ("Amdahl's law", "Fisher's exact test")
_POSSESSIVE_HEAD = re.compile(
    r"['’]s[ ](?:(?:[A-Zd]|" + _GREEK.replace(" ", "|") + r"|t-test)\b(?![-'’.]\w)|"
    r"((?:[a-z][a-z-]*[ ]){0,2}?)("
    + "|".join(sorted(EPONYM_HEADS, key=len, reverse=True))
    + r")\b(?![-'’]))"
)


def _possessive_eponym(text: str, end: int) -> tuple[int, str]:
    """Where an eponym's possessive name ends and the type it gives ("Tobin's Q", "Cronbach's
    alpha", "Amdahl's law"), for the capitalised word ending at ``end`` before "'s"; (0, '') if
    what follows is no named measure or law ("Smith's work").

    >>> t = "Cronbach's alpha and Amdahl's law, not Smith's results"
    >>> [_possessive_eponym(t, t.index(w) + len(w)) for w in ("Cronbach", "Amdahl", "Smith")]
    [(16, 'metric'), (33, 'method'), (0, '')]
    """
    m = _POSSESSIVE_HEAD.match(text, end)
    if m is None:
        return 0, ""
    if m.group(2) is None:
        return m.end(), "metric"
    if any(w in _EPONYM_GAP_STOP or w.endswith(("ly", "es")) for w in m.group(1).split()):
        return 0, ""
    return m.end(), EPONYM_HEADS[m.group(2)]
