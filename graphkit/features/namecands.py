"""Candidates of the name detector (:mod:`.detect`): where the capitalised or name-shaped runs
of a text are, how a run is trimmed to its name ("Using QLoRA" -> "QLoRA", "LLaMA's" -> "LLaMA"),
and the regions no name is taken from (URLs, publisher notices).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from .lexicon import is_generic_acronym
from .namecontext import _COPYRIGHT, _COPYRIGHT_BITS, HEAD_TYPES
from .nameshape import (
    _FIRST_ALNUM,
    _FUNCTION,
    _NUMBER,
    _PLAIN_CAP,
    _SKIP_ALONE,
    _SMALL_JOIN,
    _URL,
    _URL_BITS,
    _shouting,
    english_zipf,
)
from .sentences import sentence_spans

_CAP = r"(?:[A-Z]|\d+[A-Za-z])[A-Za-z0-9+#]*(?:[-.'’][A-Za-z0-9#]+)*\+*"
# the look-ahead lets the regex engine skip to the next capital or digit before the look-behind
_RUN = re.compile(
    rf"(?=[A-Z0-9])(?<![\w.'’+#-]){_CAP}"
    rf"(?:[ ](?:{_CAP}|(?:\d\.\d{{1,2}}|\d{{1,4}})(?!\w|\.\d)|(?:of|for|de|la|von|van|der)[ ](?=[A-Z][a-z]+\b){_CAP}))*"
)


def candidate_runs(
    text: str, spans: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int, bool]]:
    """Candidate runs of ``text``: (start, end, sentence-initial) character spans.

    One regular-expression pass finds the maximal runs of capitalised tokens joined by
    single spaces (with version numbers and inner "of"/"for"/"de" words); only the runs are
    then looked at word by word, so the cost follows the number of capitalised words.
    """
    if spans is None:
        spans = sentence_spans(text)
    out: list[tuple[int, int, bool]] = []
    if not spans:
        return out
    starts = [a for a, _ in spans]
    firsts: dict[int, int] = {}
    shouts: dict[int, bool] = {}
    for m in _RUN.finditer(text):
        run = m.group()
        single = " " not in run  # most runs are one word
        if single and (run in _SKIP_ALONE or _NUMBER.fullmatch(run)):
            continue
        s0 = m.start()
        k = bisect_right(starts, s0) - 1
        if k < 0:
            continue
        first = firsts.get(k)
        if first is None:
            a, b = spans[k]
            fm = _FIRST_ALNUM.search(text, a, b)
            first = firsts[k] = fm.start() if fm else a
        if single:
            if k not in shouts:
                a, b = spans[k]
                shouts[k] = _shouting(text[a:b])
            if shouts[k] and not any(c.isdigit() for c in run):
                continue
            out.append((s0, m.end(), s0 == first))
            continue
        words = run.split(" ")
        if k not in shouts:
            a, b = spans[k]
            shouts[k] = _shouting(text[a:b])
        if shouts[k] and not any(c.isdigit() for c in m.group()):
            continue
        offs = []
        pos = s0
        for w in words:
            offs.append(pos)
            pos += len(w) + 1
        lo, hi = 0, len(words) - 1
        while lo <= hi and (words[lo] in _SKIP_ALONE or _NUMBER.fullmatch(words[lo])):
            lo += 1
        while hi >= lo and (
            (words[hi] in _FUNCTION and not (hi - lo >= 2 and words[hi].lower() in HEAD_TYPES))
            or words[hi] in _SMALL_JOIN
            or (hi > lo and is_generic_acronym(words[hi]))
        ):
            hi -= 1
        if lo <= hi:
            out.append((offs[lo], offs[hi] + len(words[hi]), offs[lo] == first))
    return out


# -- scoring -------------------------------------------------------------------------


def _blocked_regions(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Spans of URLs in ``text``, and whether it holds a copyright notice (names there are the
    publisher's); most texts hold neither and skip the regex scans."""
    # every _URL match holds one of the _URL_BITS, every _COPYRIGHT match one of its bits
    urls = [m.span() for m in _URL.finditer(text)] if any(map(text.__contains__, _URL_BITS)) else []
    notice = any(map(text.__contains__, _COPYRIGHT_BITS)) and _COPYRIGHT.search(text) is not None
    return urls, notice


def _trimmed(text: str, s: int, e: int, initial: bool) -> tuple[int, str, bool]:
    """A run's start, name and whether it starts its sentence, without a possessive "'s",
    stray punctuation or a leading ordinary sentence-initial word ("Using QLoRA")."""
    name = text[s:e]
    if name.endswith(("'s", "’s")):  # _POSSESSIVE (a run has no newline)
        name = name[:-2]
    name = name.strip(" .'’")
    if initial and " " in name:
        first, rest = name.split(" ", 1)
        if _PLAIN_CAP.fullmatch(first) and english_zipf(first) >= 3.0:
            if rest.split(" ", 1)[0] in _SMALL_JOIN:
                return s, "", initial  # "Deployment of Transformer": no name left
            return s + len(first) + 1, rest, False
    return s, name, initial
