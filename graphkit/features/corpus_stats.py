"""Corpus statistics the feature extractor's fit learns from: candidate name tokens
(:func:`_candidate_tokens`), phrases other papers write in lower case (:func:`_topic_phrases`),
lower-case counts of capitalised words (:func:`_lower_counts`), and the small text keys they use.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import ahocorasick

from ..model import Paper
from .lexicon import is_generic_acronym, is_valid_name, looks_like_name
from .mentions import BREAK, mask_non_word
from .nameshape import _plausible_name

# tokens with a capital after the first letter, or a digit: the only shapes a candidate can have
# (not after a word character, "@", "/", ".", "+" or "-"; possessive runs never backtrack, which
# cannot change a match here but saves the regex engine most of its work)
_CAND_TOKEN = re.compile(
    r"\b(?<![@/.+-])[A-Za-z][a-z]*+[A-Z0-9][A-Za-z0-9]*+(?:-(?=[A-Z0-9])[A-Za-z0-9]++)*(?![\w@+#])"
)


def _candidate_tokens(text: str) -> set[str]:
    return {tok for tok in _CAND_TOKEN.findall(text) if _is_candidate(tok)}


@functools.lru_cache(maxsize=65536)
def _is_candidate(tok: str) -> bool:
    """Whether a token of the right shape can be a candidate name (memoised: tokens recur)."""
    if len(tok) < 4 or tok.isupper() or not is_valid_name(tok):
        return False
    if not any(c.isupper() for c in tok[1:]) and not any(c.isdigit() for c in tok):
        return False
    if all(_PLAIN_PART.fullmatch(part) for part in tok.split("-")):
        return False  # "Few-Shot", "Low-Rank": capitalised ordinary words
    # the detector's vetoes too (formulas, taxa, units, symbols: "NaCl", "Bacteroidetes",
    # "rRNA", "MPa")
    return sum(c.isalpha() for c in tok) >= 3 and looks_like_name(tok) and _plausible_name(tok)


_PLAIN_PART = re.compile(r"[A-Z]?[a-z]+")


def _kind_from_title(title: str) -> str:
    low = title.lower()
    if "benchmark" in low:
        return "benchmark"
    if "dataset" in low or "corpus" in low:
        return "dataset"
    return "method"


def _trigger_alias(alias: str) -> bool:
    """A long form is matched as a surface only if it has 2-8 words and a capitalised word that is
    not a generic acronym ("multimodal LLM" is not a name)."""
    words = alias.split()
    return 2 <= len(words) <= 8 and any(
        w[:1].isupper() and not is_generic_acronym(w) for w in words
    )


def _lower_counts(papers: Sequence[Paper], words: set[str]) -> Counter[str]:
    """Per capitalised word of ``words``, the number of papers writing it in lower case."""
    return _count_hits(papers, _lower_finder(words))


def _lower_finder(words: set[str]) -> PaperHits:
    """``lower_in(paper)``: the lower-cased words of ``words`` the paper's abstract writes."""
    lowered = {w.lower() for w in words}
    if not lowered:
        return lambda p: ()

    def lower_in(p: Paper) -> set[str]:
        # punctuation to spaces, then one C-level split and set intersection
        return lowered.intersection((p.abstract or "").translate(_PUNCT_SPACE).split())

    return lower_in


_PUNCT_SPACE = str.maketrans(dict.fromkeys(".,;:()[]\"'", " "))

#: A function of one paper giving the strings found in it (each once), counted per paper.
PaperHits = Callable[[Paper], Iterable[str]]


def _topic_phrases(papers: Sequence[Paper], phrases: list[str]) -> set[str]:
    """The phrases whose lower-case form occurs in at least two papers written differently from
    the phrase, with no letter or digit touching it (see :func:`_topic_finder`)."""
    return _in_two(_count_hits(papers, _topic_finder(phrases)))


def _topic_finder(phrases: list[str]) -> PaperHits:
    """``found_in(paper)``: the ``phrases`` whose lower-case form its title + abstract writes
    differently from the phrase, with no letter or digit touching it (what
    :func:`_topic_phrases_plain` counts, in one automaton pass over each text masked by
    :func:`~.mentions.mask_non_word`: the keys carry a break at both ends, so hits inside words
    are never reported).  Texts whose lower case changes their length are skipped (offsets
    must agree)."""
    if not phrases:
        return lambda p: ()
    lowered = {ph.lower(): ph for ph in phrases}  # the last phrase of a lower-case form wins
    if any(not low or len(low) != len(ph) for low, ph in lowered.items()):
        return _hits_per_paper(_plain_hits(phrases))
    keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for low, ph in lowered.items():
        keys[BREAK + mask_non_word(low, underscore=False) + BREAK].append((low, ph))
    auto = ahocorasick.Automaton()
    for key, entries in keys.items():
        auto.add_word(key, tuple(entries))
    auto.make_automaton()

    def hits(text: str, low: str) -> Iterator[str]:
        # masked offsets are one more than the text's; a key is its phrase plus two breaks
        for end, entries in auto.iter(BREAK + mask_non_word(low, underscore=False) + BREAK):
            for low_ph, ph in entries:
                start = end - len(ph) - 1
                if low.startswith(low_ph, start) and not text.startswith(ph, start):
                    yield ph  # a use written differently from the name (lower case)

    return _hits_per_paper(hits)


def _topic_phrases_plain(papers: Sequence[Paper], phrases: list[str]) -> set[str]:
    """The phrases whose lower-case form occurs in at least two papers (one automaton pass over
    the lower-cased texts, each hit checked for word boundaries)."""
    if not phrases:
        return set()
    return _in_two(_count_hits(papers, _hits_per_paper(_plain_hits(phrases))))


def _plain_hits(phrases: list[str]) -> Callable[[str, str], Iterator[str]]:
    """``hits(text, lower-cased text)`` of :func:`_topic_phrases_plain`."""
    auto = ahocorasick.Automaton()
    for ph in phrases:
        auto.add_word(ph.lower(), ph)
    auto.make_automaton()

    def hits(text: str, low: str) -> Iterator[str]:
        for end, ph in auto.iter(low):  # a use written differently from the name (lower case)
            start = end - len(ph) + 1
            if (
                (start == 0 or not text[start - 1].isalnum())
                and (end + 1 >= len(text) or not text[end + 1].isalnum())
                and text[start : end + 1] != ph
            ):
                yield ph

    return hits


def _hits_per_paper(hits: Callable[[str, str], Iterable[str]]) -> PaperHits:
    """``hits(text, lower-cased text)`` as a function of a paper's title + abstract (each hit
    once; none when lower-casing changes the text's length: offsets must agree)."""

    def found_in(p: Paper) -> set[str]:
        text = f"{p.title} {p.abstract}"
        low = text.lower()
        return set(hits(text, low)) if len(low) == len(text) else set()

    return found_in


def _count_hits(papers: Iterable[Paper], found_in: PaperHits) -> Counter[str]:
    """Per string ``found_in`` gives, the number of ``papers`` it is found in."""
    df: Counter[str] = Counter()
    for p in papers:
        df.update(found_in(p))
    return df


def _in_two(df: Mapping[str, int]) -> set[str]:
    """The phrases of a :func:`_count_hits` count found in at least two papers."""
    return {ph for ph, n in df.items() if n >= 2}


_ALNUM_LOWER = re.compile(r"[a-z0-9]+")


def _norm_title(title: str) -> str:
    return " ".join(_ALNUM_LOWER.findall(title.lower()))


def _same_words(a: str, b: str) -> bool:
    wa = set(re.findall(r"[a-z]+", a.lower()))
    wb = set(re.findall(r"[a-z]+", b.lower()))
    return bool(wa) and len(wa & wb) >= 0.6 * max(len(wa), len(wb))
