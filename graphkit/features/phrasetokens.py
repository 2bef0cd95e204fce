"""Tokenising for key phrases: scikit-learn's token pattern, lower-cased, with stop words,
generic words (:data:`GENERIC_WORDS`) and punctuation as breaks that no phrase crosses.

:func:`phrase_analyzer` gives the phrases of one text (an analyzer for ``CountVectorizer``);
:func:`_token_ids` turns a whole corpus into one array of token ids, scanning each distinct
whitespace-separated piece of text once, for the bulk counting of :mod:`.phrasecount`.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .lexicon import wordset

__all__ = ["GENERIC_WORDS", "phrase_analyzer"]

#: Words that end a phrase: they describe the paper, not its topic.
GENERIC_WORDS = wordset(
    """
    paper papers propose proposes proposed proposing present presents presented introduce
    introduces introduced show shows shown showing demonstrate demonstrates demonstrated
    achieve achieves achieved achieving result results experimental experiments experiment
    extensive evaluation evaluations novel new existing previous prior recent recently
    state-of-the-art sota art work works study studies approach approaches method methods
    technique techniques framework frameworks problem problems performance performances
    significant significantly effective effectively efficient efficiently improve improves
    improved improvement improvements outperform outperforms outperforming baseline
    baselines based using use used uses via make makes making various different several
    including include includes respectively however furthermore moreover specifically
    particular particularly additionally finally first second third code available github
    publicly open-source https http www com org et al ie eg i.e e.g also well better best
    good large small high low key main simple strong superior comprehensive demonstrating
    consistently substantially notably remarkable competitive leading range wide across able
    need needs given way ways number numbers certain sheer ultimate goal goals common
    practice future research researchers percentage points degree pose poses challenge
    challenges remains remain unclear starting point exciting lowest highest perform
    performs performing poorly worse jointly considers consider considered requiring
    requires require necessary seamlessly integrating identifying enhance enhances enhancing
    reduce reduces reducing reduced compromising mitigate mitigates help helps significance
    important importantly typically usually often widely commonly generally compared
    comparison compare lack lead leads enable enables enabling allow allows provide provides
    providing obtain obtained order terms aim aims address addresses
    """
)

#: Words in "-ly" that are not adverbs (adverbs end a phrase).
_KEEP_LY = frozenset(
    ["anomaly", "family", "assembly", "supply", "monopoly", "early", "reply", "apply", "italy"]
)

_STOP = ENGLISH_STOP_WORDS | GENERIC_WORDS


def _is_stop(tok: str) -> bool:
    # adverbs ("extensively", "highly") end a phrase; "anomaly", "early" do not
    return (
        tok in _STOP
        or len(tok) < 2
        or (tok.endswith("ly") and len(tok) > 4 and tok not in _KEEP_LY)
    )


_CHUNK_RE = r"[.,;:!?()\[\]{}\"“”]|\s[-–—]\s|\s'|'\s"
_CHUNK = re.compile(_CHUNK_RE)
_TOKEN_PATTERN = r"(?u)\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b"
# one pass finds both: a chunk break (punctuation, a dash between spaces, a quote) or a token.
# Breaks are non-word characters, so a token's \b edges are the same as inside its chunk.
# (possessive runs: giving back a letter or digit could never end a token at a \b)
_SCAN = re.compile(f"{_CHUNK_RE}|" + r"\b[A-Za-z][A-Za-z0-9]*+(?:-[A-Za-z0-9]++)*\b")


class _Runs(dict):
    """token -> the token if it may be part of a phrase, else None; chunk breaks map to None.
    Filled on first sight (``__missing__``), so each distinct string is classified once."""

    def __missing__(self, tok: str) -> str | None:
        keep = tok if tok[0].isalpha() and not _is_stop(tok) else None
        if len(self) < 1_000_000:
            self[tok] = keep
        return keep


def _check_range(ngram_range: tuple[int, int]) -> tuple[int, int]:
    lo, hi = ngram_range
    if lo < 1 or hi < lo:
        raise ValueError(f"invalid ngram_range {ngram_range!r}: need 1 <= min <= max")
    return lo, hi


def phrase_analyzer(ngram_range: tuple[int, int] = (2, 3)) -> Callable[[str], list[str]]:
    """An analyzer for ``CountVectorizer``: lower-cased n-grams of adjacent words that never cross
    punctuation, stop words or generic words.  Tokens follow scikit-learn's token pattern.

    >>> phrase_analyzer()("We propose post-training quantization for LLMs, and speculative decoding.")
    ['post-training quantization', 'speculative decoding']
    """
    lo, hi = _check_range(ngram_range)
    scan = _SCAN.findall
    runs = _Runs()
    get = runs.__getitem__

    def analyze(text: str) -> list[str]:
        # a stop word or a chunk break becomes None; n-grams are windows without a None
        toks = list(map(get, scan(text.lower())))
        out: list[str] = []
        for n in range(lo, hi + 1):
            if n == 1:
                out += [t for t in toks if t]
            elif n == 2:
                out += [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False) if a and b]
            elif n == 3:
                out += [
                    f"{a} {b} {c}"
                    for a, b, c in zip(toks, toks[1:], toks[2:], strict=False)
                    if a and b and c
                ]
            else:
                out += [
                    " ".join(w) for w in zip(*(toks[i:] for i in range(n)), strict=False) if all(w)
                ]
        return out

    return analyze


#: Function words kept apart in the token stream (the rest of the stop words are plain breaks):
#: what follows a word tells its part of speech.  A word often followed by a determiner is a verb
#: or a preposition ("examines the", "ensures a", "converting this"), one often followed by
#: "than" a comparative ("faster than", "higher than"); neither belongs in a noun phrase.
_DETERMINERS = wordset("the a an this these those its their our his her how whether")
_DET, _THAN = -1, -2


class _TokenIds(dict):
    """token -> a positive id if it may be part of a phrase, :data:`_DET` or :data:`_THAN` for
    those function words, else 0 (other stop words, chunk breaks); ``words[id]`` is the token.
    Filled on first sight, like :class:`_Runs`."""

    def __init__(self) -> None:
        super().__init__()
        self.words = [""]

    def __missing__(self, tok: str) -> int:
        i = 0
        if tok[0].isalpha() and not _is_stop(tok):
            i = len(self.words)
            self.words.append(tok)
        elif tok in _DETERMINERS:
            i = _DET
        elif tok == "than":
            i = _THAN
        self[tok] = i
        return i


class _ChunkIds(dict):
    """A whitespace-free piece of lower-cased text -> the ids of its :data:`_SCAN` tokens, a 0 for
    each chunk break (:class:`_TokenIds`), as the bytes of an int32 array (pieces join fast),
    filled on first sight.  Breaks made of whitespace and a
    character ("x ' y", "x - y") are read off the piece's edges: a 0 before a leading quote,
    after a trailing one, and for a lone dash.  (At a text's start or end such a 0 is one the
    text's own scan does not give, but an n-gram never spans a text's edge anyway.)"""

    def __init__(self, ids: _TokenIds) -> None:
        super().__init__()
        self.ids = ids

    def __missing__(self, piece: str) -> bytes:
        if piece in ("-", "–", "—"):
            out = [0]
        else:
            out = [0] if piece[0] == "'" else []
            out += map(self.ids.__getitem__, _SCAN.findall(piece))
            if piece[-1] == "'":
                out.append(0)
        self[piece] = value = array("i", out).tobytes()
        return value


def _token_ids(docs: Iterable[str], ids: _TokenIds) -> tuple[np.ndarray, np.ndarray]:
    """All texts' token ids in one int32 array (as :func:`phrase_analyzer` reads them, a 0 for a
    stop word or a chunk break, each text followed by a 0, so no n-gram spans two texts) and the
    text each position belongs to.  Texts are split at whitespace first: the pieces recur, so
    each distinct one is scanned once."""
    pieces = _ChunkIds(ids).__getitem__
    end = array("i", [0]).tobytes()
    texts = [b"".join(map(pieces, doc.lower().split())) + end for doc in docs]
    lengths = np.array([len(t) // len(end) for t in texts], dtype=np.int64)
    tokens = np.frombuffer(b"".join(texts), dtype=np.intc).astype(np.int32, copy=False)
    return tokens, np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
