"""Corpus statistics the feature extractor's fit learns from: candidate name tokens
(:func:`_candidate_tokens`), phrases other papers write in lower case (:func:`_topic_phrases`),
lower-case counts of capitalised words (:func:`_lower_counts`), and the small text keys they use.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

import ahocorasick

from ..model import Paper
from .lexicon import is_generic_acronym, is_valid_name, looks_like_name
from .mentions import BREAK, mask_non_word

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
    return sum(c.isalpha() for c in tok) >= 3 and looks_like_name(tok)


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
    if not words:
        return Counter()
    lowered = {w.lower() for w in words}
    out: Counter[str] = Counter()
    for p in papers:  # punctuation to spaces, then one C-level split and set intersection
        out.update(lowered.intersection((p.abstract or "").translate(_PUNCT_SPACE).split()))
    return out


_PUNCT_SPACE = str.maketrans(dict.fromkeys(".,;:()[]\"'", " "))


def _topic_phrases(papers: Sequence[Paper], phrases: list[str]) -> set[str]:
    """The phrases whose lower-case form occurs in at least two papers written differently from
    the phrase, with no letter or digit touching it (what :func:`_topic_phrases_plain` finds, in
    one automaton pass over each text masked by :func:`~.mentions.mask_non_word`: the keys carry
    a break at both ends, so hits inside words are never reported)."""
    if not phrases:
        return set()
    lowered = {ph.lower(): ph for ph in phrases}  # the last phrase of a lower-case form wins
    if any(not low or len(low) != len(ph) for low, ph in lowered.items()):
        return _topic_phrases_plain(papers, phrases)
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

    return _in_two_papers(papers, hits)


def _topic_phrases_plain(papers: Sequence[Paper], phrases: list[str]) -> set[str]:
    """The phrases whose lower-case form occurs in at least two papers (one automaton pass over
    the lower-cased texts, each hit checked for word boundaries)."""
    if not phrases:
        return set()
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

    return _in_two_papers(papers, hits)


def _in_two_papers(papers: Sequence[Paper], hits: Callable[[str, str], Iterable[str]]) -> set[str]:
    """The phrases ``hits(text, lower-cased text)`` finds in at least two papers' title +
    abstract (texts whose lower case changes their length are skipped: offsets must agree)."""
    df: Counter[str] = Counter()
    for p in papers:
        text = f"{p.title} {p.abstract}"
        low = text.lower()
        if len(low) == len(text):
            df.update(set(hits(text, low)))
    return {ph for ph, n in df.items() if n >= 2}


_ALNUM_LOWER = re.compile(r"[a-z0-9]+")


def _norm_title(title: str) -> str:
    return " ".join(_ALNUM_LOWER.findall(title.lower()))


def _same_words(a: str, b: str) -> bool:
    wa = set(re.findall(r"[a-z]+", a.lower()))
    wb = set(re.findall(r"[a-z]+", b.lower()))
    return bool(wa) and len(wa & wb) >= 0.6 * max(len(wa), len(wb))
