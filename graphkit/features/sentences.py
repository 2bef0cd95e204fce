"""Sentence splitting shared by the name and mention extractors.

One regular-expression pass; abbreviations such as "e.g.", "i.e.", "et al.", "vs." and
decimal numbers do not end a sentence.

>>> split_sentences("We use e.g. BERT. It works (Smith et al. 2020). Accuracy is 93.5%.")
['We use e.g. BERT.', 'It works (Smith et al. 2020).', 'Accuracy is 93.5%.']
>>> split_sentences("We set the rank to a. We then tune c. It helps.")
['We set the rank to a.', 'We then tune c.', 'It helps.']
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "sentence_spans"]

#: Words that end with a dot without ending the sentence (compared without their final dot).
_ABBREV = frozenset(
    [
        "e.g",
        "i.e",
        "et",
        "al",
        "vs",
        "etc",
        "fig",
        "eq",
        "cf",
        "approx",
        "resp",
        "no",
        "ref",
        "sec",
        "Fig",
        "Eq",
        "No",
        "Ref",
        "Sec",
        "Figs",
        "Eqs",
    ]
)
# group 1 is the whitespace after the mark (so the next sentence starts at its end)
_BOUNDARY = re.compile(r"[.!?](?=(\s+)[\"“(\[]?[A-Z0-9])")
# the characters _LAST_WORD can end on ("$" also matches before a final newline)
_ABBREV_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n")
_LAST_WORD = re.compile(r"([A-Za-z.]+)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence in ``text``.

    >>> sentence_spans("One. Two.")
    [(0, 4), (5, 9)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        pos = m.start()
        if pos < start:
            continue
        # the word before the mark (letters and dots) may be an abbreviation
        if pos > start and text[pos - 1] in _ABBREV_CHARS:
            w = _LAST_WORD.search(text, max(start, pos - 12), pos)
            if w and w.group(1).lstrip(".") in _ABBREV:
                continue
        end = pos + 1
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end(1)
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped."""
    return [text[a:b].strip() for a, b in sentence_spans(text)]
