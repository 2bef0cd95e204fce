"""Sentence splitting shared by the name and mention extractors.

One regular-expression pass; abbreviations such as "e.g.", "i.e.", "et al.", "vs." and
decimal numbers do not end a sentence.

>>> split_sentences("We use e.g. BERT. It works (Smith et al. 2020). Accuracy is 93.5%.")
['We use e.g. BERT.', 'It works (Smith et al. 2020).', 'Accuracy is 93.5%.']
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "sentence_spans"]

_ABBREV = frozenset("e.g i.e et al vs etc fig eq cf approx resp no ref sec").__or__(
    frozenset(
        [
            "e.g",
            "i.e",
            "al",
            "vs",
            "etc",
            "Fig",
            "Eq",
            "cf",
            "approx",
            "resp",
            "No",
            "Ref",
            "Sec",
            "Figs",
            "Eqs",
        ]
    )
)
_BOUNDARY = re.compile(r"[.!?](?=\s+[\"“(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z.]+)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence in ``text``.

    >>> sentence_spans("One. Two.")
    [(0, 4), (5, 9)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.start() < start:
            continue
        w = _LAST_WORD.search(text, max(start, m.start() - 12), m.start())
        if w and w.group(1).lstrip(".") in _ABBREV:
            continue
        end = m.start() + 1
        if text[start:end].strip():
            spans.append((start, end))
        nxt = end
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        start = nxt
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped."""
    return [text[a:b].strip() for a, b in sentence_spans(text)]
