"""Names a paper introduces ("defines"), found by four explainable rules.

1. **title** -- the part of the title before the first ": " is a name when it is short and
   name-like.  It is rejected when it
   * ends with "?" or starts with a question word (how, what, why, when, which, who, is, are,
     do, does, can, should, ...) or a function word / gerund ("The", "A", "On", "Towards",
     "Rethinking", "Unraveling", ...);
   * contains a verb from :data:`VERBS` ("is", "are", "meet", "matters", "don't", ...) -- a
     sentence, not a name;
   * has more than :data:`MAX_TITLE_WORDS` words, or more than 3 words with no name-like token
     (:func:`~graphkit.features.lexicon.looks_like_name`: "SpQR", "OnePrompt", "GPT-4", "BERT");
   * has several words and is written in lower case somewhere in the paper's own abstract
     ("transductive few-shot learning") -- then it is a topic phrase, not a coined name;
   * is a generic acronym ("LLM", "RAG") or a generic word ("Survey", "Overview").
   Accepted: "SpQR", "OVOR", "Once for Both", "Lookahead", "MEAL V2".
2. **acronym** -- "Long Form Words (ACRO)" in the abstract, where the acronym's letters can be
   read in order from the preceding words starting at a word initial
   (:func:`~graphkit.features.lexicon.is_acronym_of`).  It is a definition only if the sentence
   has a proposal cue ("propose", "introduce", "novel", "called", "our method", ...), or if the
   acronym is written like a coined name (not all capitals: "HyPO", "DisBack") and most of the
   long form's words are in the title, or if the long form is the title (or its start).  The
   long form must not follow a referring word ("the role of Classifier-Free Guidance (CFG)").  Two-letter all-caps acronyms ("SD", "BO") and all-caps
   acronyms of lower-case long forms ("average treatment effect (ATE)") are abbreviations, not
   names.  A known lexicon name expanded the usual way ("Low-Rank Adaptation (LoRA)") is a
   mention, not a definition.
3. **verb** -- "we propose / introduce / present / develop ... X" where X is a name-like
   token in parentheses, or the first name-like token within the next eight words of the same
   clause that ends a phrase ("we propose AdaLoRA, which ..."); a token followed by a noun
   modifies it ("we present a T2I model") and is not a name.

Every definition must be a valid name (:func:`~graphkit.features.lexicon.is_valid_name`:
not "3D", "7B", "LLMs", "GitHub").
4. **dubbed** -- "dubbed / called / named / termed / coined / denoted (as) / referred to as /
   we refer to ... as X": X a name-like token or up to
   six capitalised words joined by small words ("called Repeated Sampling of Random Subsets");
   a single plain word must end the phrase ("called Balance score" names no "Balance"), and
   "the popular/existing/previous ... called X" refers to something that exists already.

Definitions of the same name merge; a title prefix equal to an acronym's long form becomes its
alias ("Score Forgetting Distillation" -> SFD).

>>> from graphkit.model import Paper
>>> p = Paper(id="x", title="OVOR: OnePrompt with Virtual Outlier Regularization",
...           abstract="We propose OnePrompt, a single prompt.")
>>> [(d.name, d.how) for d in extract_definitions(p)]
[('OVOR', 'title'), ('OnePrompt', 'verb')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..model import Definition, Paper
from .acronyms import (
    _clean,
    _has_cue,
    _occurs_as_words,
    _words,
    acronym_definitions,
    acronym_pairs,
    local_acronyms,
    sentence_acronyms,
)
from .lexicon import is_generic_acronym, is_valid_name, looks_like_name, wordset
from .sentences import sentence_spans
from .tex import has_tex, strip_tex
from .verbdefs import _SMALL, GENERIC_TITLE_WORDS, dubbed_definitions, verb_definitions

__all__ = [
    "extract_definitions",
    "title_name",
    "acronym_definitions",
    "local_acronyms",
    "acronym_pairs",
    "sentence_acronyms",
    "VERBS",
    "MAX_TITLE_WORDS",
]

#: Longest title prefix (in words) still read as a name when it contains a name-like token.
MAX_TITLE_WORDS = 5

QUESTION_WORDS = wordset(
    """
    how what why when where which who whom whose is are was were do does did can could
    should would will shall may might must
    """
)
#: Words that make a title prefix a sentence or a topic description rather than a name.
VERBS = wordset(
    """
    is are was were be been being am do does did don't doesn't isn't aren't can can't cannot
    should shouldn't would will won't may might must has have had meet meets matter matters
    make makes made need needs tell tells learn learns work works help helps win wins drive
    drives yield yields boost boosts improve improves go goes get gets let let's says say
    beats beat exist exists hurt hurts shape shapes
    """
)
LEADING_STOP = wordset(
    """
    a an the on of in for to towards toward beyond from with without via by at into about
    rethinking revisiting unraveling unveiling understanding exploring investigating
    analyzing analysing evaluating assessing improving enhancing leveraging learning
    training making scaling harnessing demystifying benchmarking measuring mitigating
    reducing accelerating enabling boosting compressing quantizing pruning efficient
    position please
    """
)


_TITLE_PREFIX = re.compile(r"\s*([^:]{1,80}?)\s*:\s+\S")


def title_name(title: str, abstract: str = "") -> str:
    """The name a title introduces before its first colon, or "" (rules in the module doc).

    >>> title_name("SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression")
    'SpQR'
    >>> title_name("Once for Both: Single Stage of Importance and Sparsity Search")
    'Once for Both'
    >>> title_name("Unraveling the Mystery of Scaling Laws: Part I")
    ''
    >>> title_name("Don't Retrieve, Generate: Prompting LLMs for Synthetic Training Data")
    ''
    """
    m = _TITLE_PREFIX.match(title)
    if not m:
        return ""
    prefix = _clean(m.group(1))
    if not prefix or "?" in prefix or "," in prefix:
        return ""
    words = _words(prefix)
    low = [w.lower().strip("\"“”'‘’") for w in words]
    if low[0] in QUESTION_WORDS or low[0] in LEADING_STOP:
        return ""
    if any(w in VERBS for w in low):
        return ""
    if len(words) == 1 and (low[0] in GENERIC_TITLE_WORDS or is_generic_acronym(words[0])):
        return ""
    if any(w in GENERIC_TITLE_WORDS for w in low[-1:]) and len(words) > 1:
        return ""
    if _two_things(words, low):
        return ""
    named = looks_like_name(prefix)
    if len(words) > MAX_TITLE_WORDS or (not named and len(words) > 3):
        return ""
    if not named and not all(w[0].isupper() or w.lower() in _SMALL for w in words):
        return ""
    if len(words) > 1 and _occurs_as_words(prefix.lower(), abstract):
        return ""  # used as an ordinary lower-case phrase: a topic, not a name
    return prefix


def _two_things(words: Sequence[str], low: Sequence[str]) -> bool:
    """Whether a title prefix pairs two things instead of naming one: "X Versus Y", "BIS and
    BAS" (two acronyms), "Global mindset and SME internationalization" (lower-case nouns around
    "and"); "Show and Tell", "Plan-and-Solve" stay names.

    >>> _two_things("BIS and BAS".split(), "bis and bas".split())
    True
    >>> _two_things("Show and Tell".split(), "show and tell".split())
    False
    """
    if any(w in ("versus", "vs", "vs.") for w in low):
        return True
    if "and" not in low[1:-1] and "or" not in low[1:-1]:
        return False
    k = low.index("and") if "and" in low[1:-1] else low.index("or")
    left, right = words[k - 1], words[k + 1]
    if _ACRONYM.fullmatch(left) and _ACRONYM.fullmatch(right):
        return True
    return any(
        w[:1].islower() and w.lower() not in _SMALL for w in words if w.lower() not in ("and", "or")
    )


_ACRONYM = re.compile(r"[A-Z][A-Z0-9]+s?")


def _title_confirmed(name: str, abstract: str) -> bool:
    """A title prefix is a definition only if the abstract confirms the contribution: no
    abstract to say otherwise, or a proposal cue in the abstract and the name written in it
    (or the name coined-looking: "SpQR")."""
    if not abstract.strip():
        return True
    if not _has_cue(abstract) and not _WE_OUR.search(abstract):
        return False
    return looks_like_name(name) or _occurs_as_words(name.lower(), abstract.lower())


_WE_OUR = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Tt]his (?:paper|work|study|article))\b")


def extract_definitions(
    paper: Paper,
    *,
    is_known: Callable[[str, str], bool] | None = None,
    spans: Sequence[tuple[int, int]] | None = None,
    pairs: Sequence[tuple[int, str, str]] | None = None,
) -> tuple[Definition, ...]:
    """Names ``paper`` introduces, title rule first, merged by name (see module doc).

    ``is_known(acro, long_form)`` tells acronyms of known names apart from new ones; ``spans``
    are the abstract's :func:`~graphkit.features.sentences.sentence_spans` and ``pairs`` its
    :func:`acronym_pairs` if the caller has them already.

    >>> from graphkit.model import Paper
    >>> p = Paper(id="x", title="Parallel Speculative Decoding with Adaptive Draft Length",
    ...           abstract="We propose Parallel spEculative decoding with Adaptive dRaft Length (PEARL).")
    >>> d = extract_definitions(p)[0]
    >>> d.name, d.how, d.full_name
    ('PEARL', 'acronym', 'Parallel spEculative decoding with Adaptive dRaft Length')
    """
    abstract = paper.abstract or ""
    if spans is None:
        spans = sentence_spans(abstract)
    if pairs is None:
        pairs = acronym_pairs(abstract) if "(" in abstract else ()
    acronyms = sentence_acronyms(abstract, spans, pairs)
    # the sentences matter only to the acronym rule, and only where one spells an acronym out
    sentences = [abstract[a:b].strip() for a, b in spans] if any(acronyms) else []
    # "we propose Long Form Words (LFW)" -> "we propose LFW" for the verb and dubbed rules
    for acro, lf in local_acronyms(abstract, pairs).items():
        abstract = abstract.replace(f"{lf} ({acro})", acro).replace(f"{lf}({acro})", acro)
    found: list[Definition] = []
    t = title_name(paper.title or "", abstract)
    if t and _title_confirmed(t, abstract):
        found.append(Definition(t, (), "title", ""))
    if sentences:
        found.extend(
            acronym_definitions(
                sentences,
                paper.title or "",
                is_known=is_known,
                acronyms=acronyms,
                own=(t,) if t else (),
            )
        )
    found.extend(verb_definitions(abstract, is_known))
    found.extend(dubbed_definitions(abstract, is_known))
    found = [_untex(d) for d in found]
    return _merge([d for d in found if d.name and is_valid_name(d.name)])


def _untex(d: Definition) -> Definition:
    """The definition with LaTeX markup stripped from its name, aliases and full name."""
    if not (has_tex(d.name) or has_tex(d.full_name) or any(map(has_tex, d.aliases))):
        return d
    aliases = tuple(a for a in (strip_tex(a) for a in d.aliases) if a)
    return Definition(strip_tex(d.name), aliases, d.how, strip_tex(d.full_name))


def _merge(found: list[Definition]) -> tuple[Definition, ...]:
    """Merge definitions of the same name; a title prefix that is an acronym's long form (or an
    acronym's long form's alias) folds into the acronym."""
    by_name: dict[str, Definition] = {}
    order: list[str] = []
    acr_long = {d.full_name.lower(): d.name for d in found if d.how == "acronym" and d.full_name}
    for d in found:
        name = d.name
        if d.how == "title" and name.lower() in acr_long:
            name = acr_long[name.lower()]
            d = Definition(name, (d.name,), "title", d.name)
        if name in by_name:
            old = by_name[name]
            aliases = tuple(dict.fromkeys(old.aliases + d.aliases))
            by_name[name] = Definition(name, aliases, old.how, old.full_name or d.full_name)
        else:
            by_name[name] = d
            order.append(name)
    # a lone word that is only an alias of another definition is dropped
    alias_set = {a for d in by_name.values() for a in d.aliases}
    return tuple(by_name[n] for n in order if not (n in alias_set and by_name[n].how != "title"))
