"""``FeatureExtractor``: definitions, mentions and key phrases for every paper, sklearn-style.

``fit(papers)`` learns from the corpus

* ``names_`` -- every name a corpus paper defines (:mod:`.names`; besides, a paper whose title
  is the lexicon's introducing paper of a name defines that name), by canonical name (a corpus
  name that is a lexicon surface takes the lexicon's canonical name), with the sorted IDs of the
  papers defining it.  ``trigger`` says whether other papers' text is searched for it: not for
  names "defined" by 3+ papers ("SAR", "BEV": field terminology), nor names whose plain
  spelled-out form, or themselves if a plain word, other papers write in lower case
  ("Plug-and-Play (PnP)", "Knowledge Distillation", "Grounding"), nor acronyms the corpus
  spells out in two or more ways ("SAE": sparse autoencoder / spatial attention enhancement);
* ``candidates_`` -- unknown name-like tokens ("FooNet-3") that recur in at least
  ``min_candidate_df`` papers (default: 3, or one paper in 5,000 on large corpora) with exactly
  the same spelling; all-caps words, generic acronyms, units and tools
  (:data:`~graphkit.features.lexicon.NOT_NAMES`), versions and plurals of known names are never
  candidates;
* ``matcher_`` -- one Aho-Corasick automaton over all known surfaces (:mod:`.mentions`);
* ``keyphrases_`` -- the fitted :class:`~.keyphrases.KeyphraseExtractor`.

``transform(papers)`` gives one :class:`~graphkit.model.PaperFeatures` per paper, in order.  A
paper mentions each canonical name at most once (its first occurrence, title before abstract)
and never a name it defines itself (canonical names and aliases compared case-insensitively).

>>> from graphkit.model import Paper
>>> ps = [Paper(id="a", title="SpQR: A Sparse-Quantized Representation", abstract="We compress LLaMA-65B."),
...       Paper(id="b", title="Pruning study", abstract="We compare SpQR with SparseGPT on WikiText-2.")]
>>> feats = FeatureExtractor(min_keyphrases=0).fit_transform(ps)
>>> [d.name for d in feats[0].defines], [m.name for m in feats[0].mentions]
(['SpQR'], ['Llama'])
>>> [(m.name, m.source) for m in feats[1].mentions]
[('SpQR', 'corpus'), ('SparseGPT', 'lexicon'), ('WikiText-2', 'lexicon')]
"""

from __future__ import annotations

import functools
import logging
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import chain
from typing import Any

import ahocorasick
from sklearn.exceptions import NotFittedError

from ..model import Definition, Mention, Paper, PaperFeatures
from .keyphrases import KeyphraseExtractor
from .lexicon import (
    Lexicon,
    is_acronym_of,
    is_generic_acronym,
    is_valid_name,
    load_lexicon,
    looks_like_name,
)
from .mentions import BREAK, NameMatcher, mask_non_word
from .names import extract_definitions, local_acronyms
from .sentences import sentence_spans

__all__ = ["FeatureExtractor"]

logger = logging.getLogger(__name__)

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


class FeatureExtractor:
    """Definitions, mentions and key phrases per paper (see module doc).

    ``lexicon``: True for the packaged lexicon, False for none, or a :class:`Lexicon`.
    """

    def __init__(
        self,
        *,
        lexicon: bool | Lexicon = True,
        max_keyphrases: int = 8,
        min_keyphrases: int = 3,
        min_candidate_df: int | None = None,
        max_phrase_df: float = 0.05,
    ) -> None:
        self.lexicon = lexicon
        self.max_keyphrases = max_keyphrases
        self.min_keyphrases = min_keyphrases
        self.min_candidate_df = min_candidate_df
        self.max_phrase_df = max_phrase_df

    # -- fitting ---------------------------------------------------------------------------
    def _lexicon(self) -> Lexicon:
        if isinstance(self.lexicon, Lexicon):
            return self.lexicon
        return load_lexicon() if self.lexicon else Lexicon()

    def _is_known(self, lex: Lexicon) -> Any:
        def is_known(acro: str, long_form: str) -> bool:
            canon = lex.resolve(acro)
            if canon is None:
                return False
            if not long_form:
                return True
            e = lex.get(canon)
            if e is not None and e.source == "curated":
                return True  # a well-known name spelled out ("... (LLaMA)") is used, not introduced
            forms = {f.lower() for f in (e.full_name, *e.aliases) if f} if e else set()
            return long_form.lower() in forms or (
                e is not None
                and is_acronym_of(acro, e.full_name)
                and _same_words(long_form, e.full_name)
            )

        return is_known

    def _extract(
        self, p: Paper, spans: list[tuple[int, int]] | None = None
    ) -> tuple[Definition, ...]:
        """Rule-based definitions plus the lexicon names whose introducing paper is ``p``."""
        found = extract_definitions(p, is_known=self._known_fn, spans=spans)
        names = self._ref_index.get(_norm_title(p.title), ())
        if not names:
            return found
        have = {a.lower() for d in found for a in (d.name, *d.aliases)}
        extra = []
        for name in names:
            e = self.lexicon_.get(name)
            if name.lower() in have or e is None:
                continue
            full = e.full_name if e.full_name != name else ""
            extra.append(Definition(name, (full,) if full else (), "title", full))
        return found + tuple(extra)

    def fit(self, papers: Sequence[Paper]) -> FeatureExtractor:
        """Learn names, candidates, the matcher and key phrases from ``papers``; returns self."""
        lex = self._lexicon()
        self.lexicon_ = lex
        self._known_fn = self._is_known(lex)
        ref_index: dict[str, list[str]] = defaultdict(list)
        for e in lex:
            if e.reference:
                ref_index[_norm_title(e.reference)].append(e.name)
        self._ref_index = {k: tuple(sorted(v)) for k, v in ref_index.items()}
        info: dict[str, dict[str, Any]] = {}
        cand_df: Counter[str] = Counter()
        acr_forms: dict[str, set[str]] = defaultdict(set)
        cache: dict[str, tuple[str, str, tuple[Definition, ...], dict[str, str], array[int]]] = {}
        for p in papers:
            spans = sentence_spans(p.abstract or "")
            d = self._extract(p, spans)
            for df in d:
                if not is_valid_name(df.name) or len(df.name.split()) > 5:
                    continue
                canon = lex.resolve(df.name) or df.name
                entry = info.setdefault(
                    canon,
                    {
                        "name": canon,
                        "kind": lex.get(canon).kind if canon in lex else _kind_from_title(p.title),
                        "full_name": "",
                        "aliases": set(),
                        "defined_by": set(),
                        "in_lexicon": canon in lex,
                    },
                )
                entry["defined_by"].add(p.id)
                if df.full_name and not entry["full_name"]:
                    entry["full_name"] = df.full_name
                entry["aliases"].update(a for a in (df.name, *df.aliases) if a != canon)
            cand_df.update(_candidate_tokens(f"{p.title}. {p.abstract}"))
            local = local_acronyms(p.abstract or "")
            for acro, lf in local.items():
                acr_forms[acro].add(_norm_title(lf))
            # kept for transform: the paper's definitions, local acronyms, sentence offsets
            cache[p.id] = (p.title, p.abstract, d, local, array("q", chain.from_iterable(spans)))
        self._defs_cache = cache
        plain = {a for k, v in info.items() for a in (k, *v["aliases"]) if not looks_like_name(a)}
        topic = _topic_phrases(papers, sorted(plain))
        for k, v in info.items():
            # a name "introduced" by 3+ papers, or whose spelled-out form (or itself, if a plain
            # word) others write in lower case, is terminology ("SAR", "Plug-and-Play (PnP)",
            # "Knowledge Distillation"): kept in names_, never matched in other papers
            v["trigger"] = v["in_lexicon"] or (
                len(v["defined_by"]) <= 2
                and not ({k, *v["aliases"]} & topic)
                and len(acr_forms.get(k, ())) <= 1
            )
        self.names_ = {
            k: {
                **v,
                "aliases": tuple(sorted(v["aliases"])),
                "defined_by": tuple(sorted(v["defined_by"])),
            }
            for k, v in sorted(info.items())
        }
        surfaces: dict[str, str] = {}
        full_names: dict[str, set[str]] = defaultdict(set)
        for e in lex:
            for s in e.surfaces:
                surfaces.setdefault(s, e.name)
            full_names[e.name].update(f for f in (e.full_name, *e.aliases) if " " in f)
        for canon, v in self.names_.items():
            if not v["trigger"]:
                continue
            surfaces.setdefault(canon, canon)
            if v["in_lexicon"]:
                continue  # the lexicon's own surfaces are enough
            for a in v["aliases"]:
                if a == canon or (" " in a and not _trigger_alias(a)):
                    continue
                surfaces.setdefault(a, canon)
            if not v["in_lexicon"]:
                full_names[canon].update(a for a in (v["full_name"], *v["aliases"]) if " " in a)
        n = len(papers)
        min_df = self.min_candidate_df or max(3, math.ceil(n / 5000))
        self.candidates_ = {
            tok: df
            for tok, df in sorted(cand_df.items())
            if df >= min_df
            and tok not in surfaces
            and tok.split("-")[0] not in surfaces  # "ResNet-18": a version of a known name
            and tok[:-1] not in surfaces  # "ViTs": a plural of one
        }
        for tok in self.candidates_:
            surfaces[tok] = tok
        families = [e.name for e in lex if e.kind == "model"]
        self.matcher_ = NameMatcher(surfaces, families=families, full_names=full_names)
        self._aliases = defaultdict(set)
        for s, canon in surfaces.items():
            self._aliases[canon].add(s.lower())
        self.keyphrases_ = KeyphraseExtractor(
            max_keyphrases=self.max_keyphrases,
            min_keyphrases=self.min_keyphrases,
            max_df=self.max_phrase_df,
        ).fit(papers)
        logger.info(
            "features: %d corpus names, %d candidates, %d surfaces",
            len(self.names_),
            len(self.candidates_),
            len(surfaces),
        )
        return self

    # -- transforming ----------------------------------------------------------------------
    def _definitions(
        self, p: Paper
    ) -> tuple[tuple[Definition, ...], dict[str, str], list[tuple[int, int]]]:
        """The paper's definitions, local acronyms and abstract sentence spans (from fit when it
        saw the same paper)."""
        cached = self._defs_cache.get(p.id)
        if cached is not None and cached[0] == p.title and cached[1] == p.abstract:
            flat = iter(cached[4])
            return cached[2], cached[3], list(zip(flat, flat, strict=True))
        spans = sentence_spans(p.abstract or "")
        return self._extract(p, spans), local_acronyms(p.abstract or ""), spans

    def _source_kind(self, canon: str) -> tuple[str, str]:
        if canon in self.names_:
            return "corpus", self.names_[canon]["kind"]
        e = self.lexicon_.get(canon)
        if e is not None:
            return "lexicon", e.kind
        return "candidate", "method"

    def transform(self, papers: Sequence[Paper]) -> list[PaperFeatures]:
        """One ``PaperFeatures`` per paper, in the same order."""
        if not hasattr(self, "matcher_"):
            raise NotFittedError("FeatureExtractor is not fitted yet; call fit(papers) first.")
        phrases = self.keyphrases_.transform(papers)
        out = []
        for p, kp in zip(papers, phrases, strict=True):
            defs, local, spans = self._definitions(p)
            mentions = self._mentions(p, defs, local, spans)
            out.append(PaperFeatures(p.id, defs, mentions, kp))
        return out

    def fit_transform(self, papers: Sequence[Paper]) -> list[PaperFeatures]:
        """``fit(papers).transform(papers)``."""
        return self.fit(papers).transform(papers)

    def _mentions(
        self,
        p: Paper,
        defs: tuple[Definition, ...],
        local: dict[str, str],
        abstract_spans: list[tuple[int, int]],
    ) -> tuple[Mention, ...]:
        own = {a.lower() for d in defs for a in (d.name, *d.aliases)}
        seen: set[str] = set()
        out: list[Mention] = []
        for text, known_spans in ((p.title or "", None), (p.abstract or "", abstract_spans)):
            hits, spans = self.matcher_.find_with_spans(
                text, local_acronyms=local, spans=known_spans
            )
            if not hits:
                continue
            starts = [a for a, _ in spans]
            for h in hits:
                if h.name in seen:
                    continue
                if (
                    h.name.lower() in own
                    or h.surface.lower() in own
                    or (self._aliases.get(h.name, set()) & own)
                ):
                    continue
                source, kind = self._source_kind(h.name)
                seen.add(h.name)
                out.append(
                    Mention(
                        h.name, h.surface, _sentence(text, spans, starts, h.start), kind, source
                    )
                )
        return tuple(out)


def _sentence(text: str, spans: list[tuple[int, int]], starts: list[int], pos: int) -> str:
    from bisect import bisect_right

    i = bisect_right(starts, pos) - 1
    if i < 0:
        return text.strip()
    a, b = spans[i]
    return text[a:b].strip()


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
    df: Counter[str] = Counter()
    for p in papers:
        text = f"{p.title} {p.abstract}"
        low = text.lower()
        if len(low) != len(text):
            continue
        seen = set()
        # masked offsets are one more than the text's; a key is its phrase plus two breaks
        for end, entries in auto.iter(BREAK + mask_non_word(low, underscore=False) + BREAK):
            for low_ph, ph in entries:
                start = end - len(ph) - 1
                if low.startswith(low_ph, start) and not text.startswith(ph, start):
                    seen.add(ph)  # a use written differently from the name (lower case)
        df.update(seen)
    return {ph for ph, n in df.items() if n >= 2}


def _topic_phrases_plain(papers: Sequence[Paper], phrases: list[str]) -> set[str]:
    """The phrases whose lower-case form occurs in at least two papers (one automaton pass over
    the lower-cased texts, each hit checked for word boundaries)."""
    if not phrases:
        return set()
    auto = ahocorasick.Automaton()
    for ph in phrases:
        auto.add_word(ph.lower(), ph)
    auto.make_automaton()
    df: Counter[str] = Counter()
    for p in papers:
        text = f"{p.title} {p.abstract}"
        low = text.lower()
        if len(low) != len(text):
            continue
        seen = set()
        for end, ph in auto.iter(low):  # a use written differently from the name (lower case)
            start = end - len(ph) + 1
            if (
                (start == 0 or not text[start - 1].isalnum())
                and (end + 1 >= len(text) or not text[end + 1].isalnum())
                and text[start : end + 1] != ph
            ):
                seen.add(ph)
        df.update(seen)
    return {ph for ph, n in df.items() if n >= 2}


def _norm_title(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def _same_words(a: str, b: str) -> bool:
    wa = set(re.findall(r"[a-z]+", a.lower()))
    wb = set(re.findall(r"[a-z]+", b.lower()))
    return bool(wa) and len(wa & wb) >= 0.6 * max(len(wa), len(wb))
