"""Find known names in a text in one pass: the mention matcher.

All surfaces (canonical names and aliases of the lexicon, the corpus's own definitions and the
learned candidates) go into one Aho-Corasick automaton (pyahocorasick), so a text is scanned once
whatever the number of names: the cost is linear in the corpus size.  A hit counts only if:

* **case** -- it matches a surface exactly as written (aliases list other spellings);
* **word boundaries** -- no letter or digit touches it, and it is not the tail of a hyphenated
  compound ("QA-LoRA" does not mention LoRA); a hyphen after it is fine when a lower-case word
  follows ("LoRA-based"), and so are version/size suffixes, which fold onto the family
  ("LLaMA-2-7B", "Llama 3.1 8B", "ResNet-50", "BERT-base" -> Llama, Llama, ResNet, BERT);
  a plural "s" or possessive "'s" is tolerated ("LLaMA's");
* **longest match** -- overlapping hits keep the leftmost, then the longest ("CIFAR-100" over
  "CIFAR-10", "SmoothQuant+" over "SmoothQuant");
* **ordinary words** -- a name that is a plain capitalised word ("Lookahead", "Chimera") does not
  count at the start of a sentence, and names listed in
  :data:`~graphkit.features.lexicon.CONTEXT_WORDS` ("Adam", "Phi") need a context word in the
  sentence ("optimizer", "model"); all-caps names are ignored in all-caps sentences;
* **local acronyms** -- an acronym the paper spells out differently from the known expansion
  ("Sharpness-Aware Minimization (SAM)" vs. "Segment Anything Model") is the paper's own
  abbreviation, not the known name; a name without a known expansion is shadowed by a
  lower-case one ("docosahexaenoic acid (DHA)": a concept of the paper);
* **not a use** -- a value ("MAE = 2.6") or a chemical formula among others ("H2O, CO2 and
  SO2") is not a mention of the known name.

>>> m = NameMatcher({"Llama": "Llama", "LoRA": "LoRA", "CIFAR-10": "CIFAR-10"}, families=["Llama"])
>>> [(h.surface, h.name) for h in m.find("We tune LLaMA-2 and Llama 3.1 8B with LoRA-based QA-LoRA on CIFAR-10.")]
[('Llama 3.1 8B', 'Llama'), ('LoRA', 'LoRA'), ('CIFAR-10', 'CIFAR-10')]
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import ahocorasick

from .lexicon import CONTEXT_WORDS
from .nameshape import _FORMULA
from .sentences import sentence_spans

__all__ = ["NameMatcher", "Hit", "sentence_of", "is_plain_word"]

_PART = (
    r"(?:[-‐]v?\d+(?:\.\d+)*(?:[xX]\d+)?[BbMmKkTt]?"
    r"|[ ]v?\d+(?:\.\d+)*(?:[BbMm])?"
    r"|[ ]\d+(?:\.\d+)?[BbMm]"
    r"|-[A-Z]{1,2}(?:/\d+)?"
    r"|-(?:[Ii]nstruct|[Cc]hat|[Bb]ase|[Ll]arge|[Ss]mall|[Tt]iny|[Mm]ini|[Mm]edium|XL|XXL|[Pp]ro"
    r"|[Tt]urbo|[Cc]oder|[Hh]f|it|[Vv]\d+(?:\.\d+)*))(?![\w+#])"
)
_SUFFIX = re.compile(rf"(?:{_PART})*")
_SUFFIX_NO_SPACE = re.compile(rf"(?:(?![ ]){_PART})*")
_PLURAL = re.compile(r"(?:'s|’s|s)(?![\w])")
_PLAIN = re.compile(r"[A-Z][a-z]+")
_QUANTITY = re.compile(r"\s*(?:=|<|>|≤|≥|≈)\s*[-−]?\d")
#: after a short acronym, a noun of an amount of a substance ("DHA concentrations", "AMP
#: levels", "ATP production"): the acronym is a chemical there, not the known method
_SUBSTANCE_AFTER = re.compile(
    r" (?:concentrations?|contents?|levels?|accumulation|yields?|production|synthesis"
    r"|biosynthesis|uptake|release|secretion|supplementation|intake|metabolism|degradation)\b"
)
# a token of a formula with a count ("CO2", "SO4"), for the formula-among-others test
_FORMULA_IN = re.compile(r"\b(?:[A-Z][a-z]?\d*){1,4}\d\b")

#: The character :func:`mask_non_word` writes in place of a non-word character.
BREAK = "\0"
# non-word characters: ``\W`` matches exactly the characters c with neither c.isalnum() nor
# c == "_" (checked over all of Unicode in the tests); the second also breaks at "_"
_NON_WORD = re.compile(r"\W")
_NON_ALNUM = re.compile(r"[\W_]")
_ASCII_NON_WORD = bytes(c if chr(c).isalnum() or c == 95 else 0 for c in range(256))
_ASCII_NON_ALNUM = bytes(c if chr(c).isalnum() else 0 for c in range(256))


def mask_non_word(text: str, *, underscore: bool = True) -> str:
    """``text`` with every character that is not a letter or a digit (nor "_", if
    ``underscore``) replaced by :data:`BREAK`, offsets unchanged.

    An Aho-Corasick key ``BREAK + mask_non_word(word)`` then matches the masked text only where
    ``word``'s masked form starts after a non-word character (or at the start, if the text is
    masked behind a ``BREAK``), so word-internal hits ("ea" in "search") are never reported.

    >>> [mask_non_word("GPT-4 a_b", underscore=u).replace(BREAK, "|") for u in (True, False)]
    ['GPT|4|a_b', 'GPT|4|a|b']
    """
    if text.isascii():
        table = _ASCII_NON_WORD if underscore else _ASCII_NON_ALNUM
        return text.encode("ascii").translate(table).decode("ascii")
    return (_NON_WORD if underscore else _NON_ALNUM).sub(BREAK, text)


def _overlap(a: str, b: str) -> bool:
    """Whether two long forms share at least half of their words ("masked autoencoders" and
    "masked auto-encoder" do not, "segment anything model" and "segment anything" do)."""
    wa, wb = set(re.findall(r"[a-z0-9]+", a)), set(re.findall(r"[a-z0-9]+", b))
    return bool(wa and wb) and len(wa & wb) >= 0.5 * min(len(wa), len(wb))


def is_plain_word(name: str) -> bool:
    """A capitalised ordinary-looking word ("Lookahead", "Adam"), which needs extra care.

    >>> is_plain_word("Lookahead"), is_plain_word("SpQR")
    (True, False)
    """
    return _PLAIN.fullmatch(name) is not None


@dataclass(frozen=True, slots=True)
class Hit:
    """One accepted occurrence: canonical ``name``, ``surface`` as written, character span."""

    name: str
    surface: str
    start: int
    end: int


def sentence_of(text: str, spans: list[tuple[int, int]], pos: int) -> str:
    """The sentence of ``text`` (given its ``spans``) containing character ``pos``."""
    i = bisect_right([a for a, _ in spans], pos) - 1
    if i < 0:
        return text.strip()
    a, b = spans[i]
    return text[a:b].strip()


class NameMatcher:
    """Aho-Corasick matcher from surfaces to canonical names (rules in the module doc).

    ``families`` are canonical names whose space-separated version numbers fold onto them
    ("Llama 3.1 8B"); every name takes hyphenated versions ("ResNet-50").
    """

    def __init__(
        self,
        surfaces: Mapping[str, str],
        *,
        families: Iterable[str] = (),
        full_names: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.surfaces = dict(surfaces)
        self.families = frozenset(families)
        # canonical -> lower-cased long forms it is known under (for local-acronym shadowing)
        self.full_names = {k: {f.lower() for f in v} for k, v in (full_names or {}).items()}
        self._auto = _masked_automaton(self.surfaces)
        self._empty = len(self._auto) == 0

    def __len__(self) -> int:
        return len(self.surfaces)

    def find(self, text: str, *, local_acronyms: Mapping[str, str] | None = None) -> list[Hit]:
        """Accepted, non-overlapping hits in ``text``, in order of position."""
        return self.find_with_spans(text, local_acronyms=local_acronyms)[0]

    def find_with_spans(
        self,
        text: str,
        *,
        local_acronyms: Mapping[str, str] | None = None,
        spans: list[tuple[int, int]] | None = None,
    ) -> tuple[list[Hit], list[tuple[int, int]]]:
        """:meth:`find`, plus the sentence spans of ``text`` (:func:`.sentence_spans`) it used,
        so that a caller quoting the sentences need not split the text again (the spans are
        empty when nothing matched).  Pass ``spans`` if you have them already.

        >>> m = NameMatcher({"LoRA": "LoRA"})
        >>> hits, spans = m.find_with_spans("Intro. We use LoRA here.")
        >>> [(h.name, h.start) for h in hits], spans
        ([('LoRA', 14)], [(0, 6), (7, 24)])
        """
        if self._empty or not text:
            return [], []
        n = len(text)
        raw: list[tuple[int, int, str, str]] = []
        for end_idx, start, surface, name in self._occurrences(text):
            if start > 1 and text[start - 1] in "-‐/" and text[start - 2].isalnum():
                continue
            end = end_idx + 1
            if surface[-1].isalnum():
                rx = _SUFFIX if name in self.families else _SUFFIX_NO_SPACE
                end = rx.match(text, end).end()
                if (surface[-1].isupper() or surface[-1].isdigit() or end > end_idx + 1) and (
                    m := _PLURAL.match(text, end)
                ):
                    end = m.end()
                elif text.startswith(("'s", "’s"), end):
                    end += 2
            if end < n:
                nxt = text[end]
                if (nxt.isalnum() or nxt in "_+#") and surface[-1].isalnum():
                    continue
                if nxt in "-‐" and not (end + 1 < n and text[end + 1].islower()):
                    continue
                if nxt == "." and end + 1 < n and text[end + 1].isalnum():
                    continue
            if _QUANTITY.match(text, end):
                continue  # "MAE = 2.6": a measured value, not a use of the known name
            if len(surface) <= 5 and surface.isupper() and (
                _SUBSTANCE_AFTER.match(text, end) or text.endswith("cyclic ", 0, start)
            ):
                continue  # "DHA concentrations", "cyclic AMP": a substance
            raw.append((start, end, surface, name))
        if not raw:
            return [], []
        # leftmost, then longest span, then the longest surface ("GPT-4" beats "GPT" + "-4")
        raw.sort(key=lambda h: (h[0], -(h[1] - h[0]), -len(h[2]), h[2]))
        if spans is None:
            spans = sentence_spans(text)
        starts = [a for a, _ in spans]
        out: list[Hit] = []
        last_end = -1
        for start, end, surface, name in raw:
            if start < last_end:
                continue
            i = bisect_right(starts, start) - 1
            s_a, s_b = spans[i] if i >= 0 else (0, n)
            sent = text[s_a:s_b]
            extended = end - start > len(surface) and text[start + len(surface)] in "-‐ "
            if not self._accept(
                text, start, surface, name, s_a, sent, local_acronyms, versioned=extended
            ):
                continue
            out.append(Hit(name, text[start:end].rstrip(), start, end))
            last_end = end
        return out, spans

    def _occurrences(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """(end index, start, surface, canonical name) of every occurrence of a surface in
        ``text`` not preceded by a letter, digit or "_" if the surface starts with one.

        The automaton (:func:`_masked_automaton`) runs over :func:`mask_non_word` of the text
        behind a :data:`BREAK`, so masked offsets are one more than the text's; a masked hit is
        an occurrence of each surface of its key that the text really holds there."""
        for masked_end, entries in self._auto.iter(BREAK + mask_non_word(text)):
            end_idx = masked_end - 1
            for surface, name in entries:
                start = end_idx - len(surface) + 1
                if start >= 0 and text.startswith(surface, start):
                    yield end_idx, start, surface, name

    def _accept(
        self,
        text: str,
        start: int,
        surface: str,
        name: str,
        sent_start: int,
        sent: str,
        local_acronyms: Mapping[str, str] | None,
        *,
        versioned: bool = False,
    ) -> bool:
        if is_plain_word(surface) and not sent[: start - sent_start].strip(" \t\"“'‘(["):
            return False  # "Lookahead ..." at the start of a sentence is an ordinary word
        ctx = None if versioned else CONTEXT_WORDS.get(name)  # "Kinetics-400" is unambiguous
        if ctx is not None:
            low = sent.lower()
            if not any(w in low for w in ctx):
                return False
        if surface.isupper() and len(surface) >= 3 and _shouted(sent):
            return False  # SHOUTED SENTENCE: "FIRST" is a word here
        if local_acronyms and surface in local_acronyms:
            long_form = local_acronyms[surface]
            known = self.full_names.get(name, set())
            if not known:
                # nothing says what the known acronym stands for; a lower-case long form is a
                # concept of the paper's ("docosahexaenoic acid (DHA)"), as in the detector
                return not (long_form[:1].islower() and long_form.islower())
            long_form = long_form.lower()
            if long_form not in known and not any(_overlap(long_form, k) for k in known):
                return False  # the paper's own abbreviation with another meaning
        # "H2O, CO2, SO2 and HCl": a chemical formula among others
        return not (
            _FORMULA.fullmatch(surface) and _FORMULA_IN.search(sent.replace(surface, "", 1))
        )


def _masked_automaton(surfaces: Mapping[str, str]) -> ahocorasick.Automaton:
    """An automaton over masked text (:func:`mask_non_word`): a surface starting with a letter or
    digit is keyed ``BREAK + mask_non_word(surface)`` (it cannot follow a word character),
    any other surface ``mask_non_word(surface)``; each key holds its (surface, canonical name)
    pairs, in sorted surface order."""
    keys: dict[str, list[tuple[str, str]]] = {}
    for surface in sorted(surfaces):
        if surface.strip():
            key = (BREAK if surface[0].isalnum() else "") + mask_non_word(surface)
            keys.setdefault(key, []).append((surface, surfaces[surface]))
    auto = ahocorasick.Automaton()
    for key, entries in keys.items():
        auto.add_word(key, tuple(entries))
    if keys:
        auto.make_automaton()
    return auto


@functools.lru_cache(maxsize=1024)
def _shouted(sent: str) -> bool:
    """Whether most words of two letters or more (and at least five of them) are in capitals.

    >>> _shouted("WE PROPOSE A NEW METHOD FOR THIS"), _shouted("We compare GPTQ and AWQ on OPT.")
    (True, False)
    """
    # it takes at least four capitalised words; most sentences have fewer, and we stop there
    if sum(map(str.isupper, sent.split())) < 4:
        return False
    words = [w for w in sent.split() if sum(c.isalpha() for c in w) >= 2]
    return len(words) >= 5 and sum(w.isupper() for w in words) > 0.6 * len(words)
