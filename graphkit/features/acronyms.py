"""Rule 2 of :mod:`.names`: acronyms a paper spells out, "Long Form Words (ACRO)".

:func:`acronym_pairs` scans an abstract once for "(ACRO)" and reads each acronym's long form off
the words before it (the shortest run, starting at a word initial, whose letters spell the
acronym in order: :func:`~graphkit.features.lexicon.is_acronym_of`); :func:`local_acronyms` and
:func:`sentence_acronyms` index those pairs for the whole text and per sentence, and
:func:`acronym_definitions` decides which of them the paper introduces (the rule in
:mod:`.names`'s module doc).  The small text helpers the other rules share live here too.

>>> local_acronyms("We propose Score Forgetting Distillation (SFD), a fast sampler.")
{'SFD': 'Score Forgetting Distillation'}
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from ..model import Definition
from .lexicon import GENERIC_ACRONYMS, is_acronym_of, is_generic_acronym, spells_acronym, wordset

__all__ = [
    "acronym_pairs",
    "local_acronyms",
    "sentence_acronyms",
    "acronym_definitions",
]

_CUES = re.compile(
    r"\b(?:novel|new|propose[sd]?|proposing|introduce[sd]?|introducing|present(?:s|ed)?|"
    r"develop(?:s|ed)?|design(?:s|ed)?|called|named|dubbed|termed|coined|"
    r"our (?:\w+[ -])?(?:method|approach|framework|model|algorithm|technique|system|dataset|"
    r"benchmark|metric|strategy|module|architecture|loss|pipeline|scheme))\b",
    re.IGNORECASE,
)


# the same, case-sensitive, for lower-cased ASCII text (twice as fast as the case-blind scan)
_CUES_LOWER = re.compile(_CUES.pattern)


def _has_cue(text: str) -> bool:
    """Whether ``text`` holds a proposal cue (:data:`_CUES`)."""
    if text.isascii():
        return _CUES_LOWER.search(text.lower()) is not None
    return _CUES.search(text) is not None


#: Words that cannot be part of an acronym's long form (the form then ran into the sentence).
_NOT_IN_LONG_FORM = wordset(
    """
    we our us propose proposed present introduce introduced named called dubbed termed is
    are was were
    """
)


_ACRO_RE = re.compile(r"\(\s*([A-Za-z][\w+.-]*?[A-Za-z0-9+])(?:s)?\s*[;,)]")


#: Words just before a long form that say the acronym is referred to, not introduced.
_REFERRING = wordset(
    """
    of on in by from like with than over versus vs using via under such including e.g. i.e.
    for to into across about at between among within through towards toward and or
    """
)
#: Verbs that compare with, use or build on an existing artefact, also before a determiner
#: ("outperforms Foo Bar Aligner (FBA)", "we build upon the Foo Bar Optimisation (FBO)").
_REFERRING_VERBS = wordset(
    """
    upon outperform outperforms outperformed outperforming surpass surpasses surpassing beat
    beats against use uses used employ employs employed employing adopt adopts adopted
    adopting apply applies applied applying extend extends extended extending follow follows
    following
    """
)
#: Determiners skipped before a :data:`_REFERRING_VERBS` word or "such as" ("such as the ...").
_DETERMINERS = wordset("the a an")


def _referred_to(before: list[str]) -> bool:
    """Whether the last words ``before`` a long form refer to it as an existing thing: a
    :data:`_REFERRING` word right before it, or a :data:`_REFERRING_VERBS` word or "such as"
    before its determiners ("via a Foo Bar (FB)" stays a definition: "via a" is how papers
    introduce their own parts).

    >>> _referred_to("instruments such as the".split()), _referred_to("we propose the".split())
    (True, False)
    >>> _referred_to("computed via".split()), _referred_to("computed via a".split())
    (True, False)
    """
    words = [w.lower().strip(",;") for w in before]
    if words and words[-1] in _REFERRING:
        return True
    while words and words[-1] in _DETERMINERS:
        words.pop()
    if not words:
        return False
    return words[-1] in _REFERRING_VERBS or (words[-1] == "as" and words[-2:-1] == ["such"])


_ALNUM_RUN = re.compile(r"[a-z0-9]+")


def _clean(tok: str) -> str:
    return tok.strip(" \t\"“”'‘’.,;:()[]{}-")


def _words(text: str) -> list[str]:
    return text.split()


def _occurs_as_words(needle: str, text: str) -> bool:
    """Whether ``needle`` occurs in ``text`` with no word character or hyphen touching it (what
    ``re.search(r"(?<![\\w-])" + re.escape(needle) + r"(?![\\w-])", text)`` finds, without
    compiling a pattern per title).

    >>> _occurs_as_words("few-shot learning", "on few-shot learning."), _occurs_as_words("ab", "abc")
    (True, False)
    """
    n = len(needle)
    i = text.find(needle)
    while i >= 0:
        before = text[i - 1] if i else ""
        after = text[i + n : i + n + 1]
        if not (before and (before.isalnum() or before in "_-")) and not (
            after and (after.isalnum() or after in "_-")
        ):
            return True
        i = text.find(needle, i + 1)
    return False


def _long_form(before: str, acronym: str) -> str:
    """Shortest run of words ending ``before`` whose initials spell ``acronym`` (or '')."""
    words = _words(before)
    n = len([c for c in acronym if c.isalnum()])
    initial = next((c for c in acronym if c.isalnum()), "").lower()
    if not initial:
        return ""
    for k in range(1, min(len(words), n + 5) + 1):
        first = words[-k]
        if not first[0].isalnum() or first[0].lower() != initial:
            continue
        cand = " ".join(words[-k:])
        if is_acronym_of(acronym, cand):
            return _clean(cand)
    return ""


_BEFORE_SPLIT = re.compile(r"[.;:!?(\[]\s")


_COMMA_SPLIT = re.compile(r",\s")


@functools.lru_cache(maxsize=8192)
def _checked_long_form(before: str, acro: str) -> str:
    """The long form of ``acro`` ending ``before``, or '' if it fails a check (memoised: the same
    pair is met again when sentences and whole abstracts are scanned)."""
    lf = _long_form(before, acro)
    if lf and any(w.lower() in _NOT_IN_LONG_FORM for w in _words(lf)):
        return ""
    if lf and not spells_acronym(acro, lf):
        return ""  # "Reinforcement Learning (RRL)": the capitals do not spell the acronym
    return lf


def local_acronyms(
    text: str, pairs: Sequence[tuple[int, str, str]] | None = None
) -> dict[str, str]:
    """Every "Long Form (ACRO)" pair in ``text``: acronym -> long form (``pairs``:
    :func:`acronym_pairs` of ``text`` if the caller has them).

    >>> local_acronyms("We use Retrieval-Augmented Generation (RAG) and Radio Access Networks (RANs).")
    {'RAG': 'Retrieval-Augmented Generation', 'RAN': 'Radio Access Networks'}
    """
    if pairs is None:
        if "(" not in text:
            return {}
        pairs = acronym_pairs(text)
    return _first_per_acronym(pairs)


def _first_per_acronym(pairs: Iterable[tuple[int, str, str]]) -> dict[str, str]:
    """Acronym -> its first non-empty long form, in order of first success."""
    out: dict[str, str] = {}
    for _, acro, lf in pairs:
        if lf and acro not in out:
            out[acro] = lf
    return out


def acronym_pairs(text: str) -> tuple[tuple[int, str, str], ...]:
    """Every "(ACRO)" of ``text`` that may be an acronym: (offset of the match, acronym, its
    checked long form or '').  The feature extractor scans each abstract once and hands the
    pairs to :func:`extract_definitions` and :func:`local_acronyms`."""
    out: list[tuple[int, str, str]] = []
    for m in _ACRO_RE.finditer(text):
        acro = m.group(1)
        if len(acro) > 15 or sum(map(str.isupper, acro)) < 2:
            continue
        start = max(0, m.start() - 200)
        before = _BEFORE_SPLIT.split(text[start : m.start()])[-1]
        before = _COMMA_SPLIT.split(before)[-1] if len(_words(before)) > 12 else before
        out.append((m.start(), acro, _checked_long_form(before, acro)))
    return tuple(out)


def sentence_acronyms(
    text: str,
    spans: Sequence[tuple[int, int]],
    pairs: Sequence[tuple[int, str, str]] | None = None,
) -> list[dict[str, str]]:
    """:func:`local_acronyms` of each sentence ``text[a:b].strip()`` of ``spans``
    (:func:`~graphkit.features.sentences.sentence_spans` of ``text``), from one scan of the
    whole text.

    The same as scanning each sentence: no "(ACRO)" match spans a sentence boundary (a match has
    no ".", "!" or "?" before whitespace), and a long form is looked for after the last ". " (or
    "; ", "( ", ...) before the acronym, so the text before the sentence only adds whitespace
    in front of it, which the word-based long-form search ignores.

    >>> text = "We use Low-Rank Adaptation (LoRA). Then Low-Rank Adaptation (LoRA) again."
    >>> sentence_acronyms(text, [(0, 34), (35, 74)])
    [{'LoRA': 'Low-Rank Adaptation'}, {'LoRA': 'Low-Rank Adaptation'}]
    """
    if "(" not in text or not spans:
        return [{} for _ in spans]
    starts = [a for a, _ in spans]
    by_sentence: list[list[tuple[int, str, str]]] = [[] for _ in spans]
    for pair in acronym_pairs(text) if pairs is None else pairs:
        by_sentence[bisect_right(starts, pair[0]) - 1].append(pair)
    return [_first_per_acronym(pairs) for pairs in by_sentence]


def acronym_definitions(
    sentences: list[str],
    title: str,
    *,
    is_known: Callable[[str, str], bool] | None = None,
    acronyms: Sequence[dict[str, str]] | None = None,
    own: Sequence[str] = (),
) -> list[Definition]:
    """Acronyms the abstract defines (rule 2). ``is_known(acro, long_form)`` says whether the pair
    is a known lexicon name expanded the usual way (then it is not a definition); ``acronyms``
    are the sentences' :func:`local_acronyms` if the caller has them already; ``own`` are names
    the paper introduces already (its title name): a spelled-out acronym in a sentence that
    names one of them is a named part of it ("a central component of UltraX is the Foo Bar
    Schedule (FBS)")."""
    title_words = {w.lower().strip(",.") for w in _words(title)}
    if acronyms is None:
        acronyms = [local_acronyms(sent) for sent in sentences]
    out: list[Definition] = []
    for sent, local in zip(sentences, acronyms, strict=True):
        for acro, lf in local.items():
            if is_generic_acronym(acro) or acro.upper() in GENERIC_ACRONYMS:
                continue
            if acro.isupper() and len(acro) <= 2:
                continue  # "SD", "BO", "AT": abbreviations, not coined names
            pos = sent.find(lf)
            cue_at_hand = pos >= 0 and _cue_at_hand(sent, pos, pos + len(lf))
            if acro.isupper() and not _has_capital_word(lf, sent) and not cue_at_hand:
                continue  # "average treatment effect (ATE)": a topic abbreviation
            if is_known is not None and is_known(acro, lf):
                continue
            lf_words = [w.lower() for w in _words(lf)]
            in_title = sum(w in title_words for w in lf_words) / max(1, len(lf_words))
            coined = not acro.isupper()  # "HyPO", "DisBack", "S4": written like a new name
            is_title = len(lf_words) >= 2 and _norm(lf) in (
                _norm(title),
                _norm(title.split(":")[0]),
            )
            if pos > 0 and _referred_to(_words(sent[:pos])[-3:]):
                continue  # "the role of Classifier-Free Guidance (CFG)"
            part_of_own = any(n and n != acro and _occurs_as_words(n, sent) for n in own)
            if (
                is_title
                or cue_at_hand
                or part_of_own
                or _has_cue(sent)
                or (coined and (in_title >= 0.6 or acro in title))
            ):
                out.append(Definition(acro, (lf,), "acronym", lf))
    return out


#: a proposal right before a long form: "we propose a (novel, lightweight) ...", "our ..."
_CUE_BEFORE = re.compile(
    r"(?:\b(?:propos|introduc|present|develop|design|build|buil|construct|devis|formulat)\w*"
    r"|\bour|\bnovel|\bnew|\bcalled|\bnamed|\btermed|\bdubbed)"
    r"(?:\s+(?:a|an|the|novel|new|simple|lightweight|general|unified|yet|and|effective|efficient|"
    r"generic|flexible|so-called|\w+-\w+))*\s*$",
    re.IGNORECASE,
)


#: a proposal right after "(ACRO)": "... (ACRO) is proposed", "(ACRO) designed for ..."
_CUE_AFTER = re.compile(
    r"\s*\([^)]*\)\s*,?\s*(?:(?:which|that)\s+)?(?:(?:is|are|was|were)\s+)?"
    r"(?:(?:first|newly)\s+)?(?:proposed|introduced|designed|developed|presented)\b",
    re.IGNORECASE,
)


def _cue_at_hand(sent: str, start: int, end: int) -> bool:
    """Whether a proposal cue touches the long form ``sent[start:end]`` (rule 2)."""
    return bool(_CUE_BEFORE.search(sent[max(0, start - 80) : start]) or _CUE_AFTER.match(sent, end))


def _norm(text: str) -> str:
    return " ".join(_ALNUM_RUN.findall(text.lower()))


def _has_capital_word(long_form: str, sentence: str) -> bool:
    """Whether a long form has a capitalised word other than the sentence's first word."""
    words = _words(long_form)
    first = sentence.lstrip(' "“(').startswith(long_form)
    return any(w[0].isupper() for w in words[1 if first else 0 :])
