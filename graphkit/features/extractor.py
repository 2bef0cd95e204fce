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
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
from sklearn.exceptions import NotFittedError

from ..model import Definition, Mention, Paper, PaperFeatures
from .detect import Detected, NameDetector
from .keyphrases import KeyphraseExtractor
from .lexicon import (
    Lexicon,
    is_acronym_of,
    is_generic_acronym,
    is_valid_name,
    load_lexicon,
    looks_like_name,
    wordset,
)
from .mentions import BREAK, NameMatcher, mask_non_word
from .names import acronym_pairs, extract_definitions, local_acronyms
from .sentences import sentence_spans
from .tex import has_tex, strip_tex

__all__ = ["FeatureExtractor", "NameInfo", "fold"]

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
        self,
        p: Paper,
        spans: list[tuple[int, int]] | None = None,
        pairs: tuple[tuple[int, str, str], ...] | None = None,
    ) -> tuple[Definition, ...]:
        """Rule-based definitions plus the lexicon names whose introducing paper is ``p``."""
        found = extract_definitions(p, is_known=self._known_fn, spans=spans, pairs=pairs)
        names = self._ref_index.get(_norm_title(p.title), ())
        found = tuple(
            d for d in found if not (d.how == "title" and self._well_known(d.name, p.title))
        )
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

    def _analyse(self, p: Paper) -> _Analysis:
        """The per-paper work fit and transform share: sentence spans, definitions, the local
        acronyms and the candidate runs of the abstract."""
        abstract = p.abstract or ""
        spans = sentence_spans(abstract)
        pairs = acronym_pairs(abstract) if "(" in abstract else ()
        return _Analysis(
            self._extract(p, spans, pairs),
            local_acronyms(abstract, pairs),
            spans,
            NameDetector.runs(abstract, spans),
        )

    def _well_known(self, name: str, title: str) -> bool:
        """Whether ``name`` is a curated lexicon name ("ResNet") and ``title`` is not (a form
        of) its introducing paper's: a title prefix naming it is then about it ("ResNet: a
        re-implementation"), not a contribution.  A version ("CodeGen2" of CodeGen) is new."""
        canon = self.lexicon_.resolve(name)
        e = self.lexicon_.get(canon) if canon else None
        if e is None or e.source != "curated" or fold(canon) != fold(name):
            return False
        if not e.reference:
            return True
        wt = set(re.findall(r"[a-z0-9]+", title.lower()))
        wr = set(re.findall(r"[a-z0-9]+", e.reference.lower()))
        return len(wt & wr) < 0.6 * min(len(wt), len(wr))  # not a form of the reference

    def fit(self, papers: Sequence[Paper]) -> FeatureExtractor:
        """Learn names, candidates, the matcher and key phrases from ``papers``; returns self."""
        self._prepare()
        self._fit(papers, [self._analyse(p) for p in papers])
        self.keyphrases_.fit(papers)
        return self

    def fit_transform(self, papers: Sequence[Paper]) -> list[PaperFeatures]:
        """``fit(papers).transform(papers)``, analysing each paper once."""
        self._prepare()
        analyses = [self._analyse(p) for p in papers]
        self._fit(papers, analyses)
        return self._transform(papers, analyses, self.keyphrases_.fit_transform(papers))

    def _prepare(self) -> None:
        lex = self._lexicon()
        self.lexicon_ = lex
        self._known_fn = self._is_known(lex)
        ref_index: dict[str, list[str]] = defaultdict(list)
        for e in lex:
            if e.reference:
                ref_index[_norm_title(e.reference)].append(e.name)
        self._ref_index = {k: tuple(sorted(v)) for k, v in ref_index.items()}

    def _fit(self, papers: Sequence[Paper], analyses: Sequence[_Analysis]) -> None:
        lex = self.lexicon_
        info: dict[str, _NameAcc] = {}
        cand_df: Counter[str] = Counter()
        run_df: Counter[str] = Counter()
        acr_forms: dict[str, set[str]] = defaultdict(set)
        for p, an in zip(papers, analyses, strict=True):
            for df in an.defines:
                if not is_valid_name(df.name) or len(df.name.split()) > 5:
                    continue
                canon = lex.resolve(df.name) or df.name
                acc = info.get(canon)
                if acc is None:
                    e = lex.get(canon)
                    acc = info[canon] = _NameAcc(
                        e.kind if e is not None else _kind_from_title(p.title), e is not None
                    )
                acc.defined_by.add(p.id)
                if df.full_name and not acc.full_name:
                    acc.full_name = df.full_name
                acc.aliases.update(a for a in (df.name, *df.aliases) if a != canon)
            cand_df.update(_candidate_tokens(f"{p.title}. {p.abstract}"))
            abstract = p.abstract or ""
            run_df.update({abstract[a:b] for a, b, initial in an.runs if not initial})
            for acro, lf in an.local.items():
                acr_forms[acro].add(_norm_title(lf))
        plain = {a for k, v in info.items() for a in (k, *v.aliases) if not looks_like_name(a)}
        topic = _topic_phrases(papers, sorted(plain))
        self.names_ = {
            k: NameInfo(
                name=k,
                kind=v.kind,
                full_name=v.full_name,
                aliases=tuple(sorted(v.aliases)),
                defined_by=tuple(sorted(v.defined_by)),
                in_lexicon=v.in_lexicon,
                # a name "introduced" by 3+ papers, or whose spelled-out form (or itself, if a
                # plain word) others write in lower case, is terminology ("SAR", "Plug-and-Play
                # (PnP)", "Knowledge Distillation"): kept in names_, never matched elsewhere
                trigger=v.in_lexicon
                or (
                    len(v.defined_by) <= 2
                    and not ({k, *v.aliases} & topic)
                    and len(acr_forms.get(k, ())) <= 1
                ),
            )
            for k, v in sorted(info.items())
        }
        surfaces: dict[str, str] = {}
        full_names: dict[str, set[str]] = defaultdict(set)
        for e in lex:
            for s in e.surfaces:
                surfaces.setdefault(s, e.name)
            full_names[e.name].update(f for f in (e.full_name, *e.aliases) if " " in f)
        for canon, v in self.names_.items():
            if not v.trigger:
                continue
            surfaces.setdefault(canon, canon)
            if v.in_lexicon:
                continue  # the lexicon's own surfaces are enough
            for a in v.aliases:
                if a == canon or (" " in a and not _trigger_alias(a)):
                    continue
                surfaces.setdefault(a, canon)
            full_names[canon].update(a for a in (v.full_name, *v.aliases) if " " in a)
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
        # case- and punctuation-insensitive index of known spellings, for detected names
        self._folded = {}
        for s, canon in sorted(surfaces.items()):
            key = fold(s)
            if len(key) >= 3:
                self._folded.setdefault(key, canon)
        lower_df = _lower_counts(papers, {w for w, c in run_df.items() if c >= 2 and " " not in w})
        self.detector_ = NameDetector(
            corpus_df={w: c for w, c in run_df.items() if c >= 2},
            lower_df=lower_df,
            known=surfaces,
        )
        self.keyphrases_ = KeyphraseExtractor(
            max_keyphrases=self.max_keyphrases,
            min_keyphrases=self.min_keyphrases,
            max_df=self.max_phrase_df,
        )  # fitted by fit / fit_transform
        logger.info(
            "features: %d corpus names, %d candidates, %d surfaces",
            len(self.names_),
            len(self.candidates_),
            len(surfaces),
        )

    # -- transforming ----------------------------------------------------------------------
    def _source_kind(self, canon: str) -> tuple[str, str]:
        if canon in self.names_:
            return "corpus", self.names_[canon].kind
        e = self.lexicon_.get(canon)
        if e is not None:
            return "lexicon", e.kind
        return "candidate", "method"

    def transform(self, papers: Sequence[Paper]) -> list[PaperFeatures]:
        """One ``PaperFeatures`` per paper, in the same order."""
        if not hasattr(self, "matcher_"):
            raise NotFittedError("FeatureExtractor is not fitted yet; call fit(papers) first.")
        return self._transform(papers, [self._analyse(p) for p in papers])

    def _transform(
        self,
        papers: Sequence[Paper],
        analyses: Sequence[_Analysis],
        phrases: Sequence[tuple[str, ...]] | None = None,
    ) -> list[PaperFeatures]:
        if phrases is None:
            phrases = self.keyphrases_.transform(papers)
        return [
            PaperFeatures(p.id, an.defines, self._mentions(p, an), kp)
            for p, an, kp in zip(papers, analyses, phrases, strict=True)
        ]

    def _family(self, name: str) -> str:
        """The known name ``name`` is a version of ("GPT-4o" -> "GPT-4" if known, "MMLU-Pro" ->
        "MMLU", "LlaMA-2" -> "Llama"), or ``name`` itself."""
        cuts = [m.start() for m in _VERSION_CUT.finditer(name)]
        for cut in reversed(cuts):
            canon = self._folded.get(fold(name[:cut]))
            if canon:
                return canon
        return name

    def _mentions(self, p: Paper, an: _Analysis) -> tuple[Mention, ...]:
        own = {a.lower() for d in an.defines for a in (d.name, *d.aliases)}
        own.update(d.full_name.lower() for d in an.defines if d.full_name)
        own_folded = {fold(a) for a in own}
        seen: set[str] = set()
        out: list[Mention] = []
        for is_title, text, known_spans in (
            (True, p.title or "", None),
            (False, p.abstract or "", an.spans),
        ):
            hits, spans = self.matcher_.find_with_spans(
                text, local_acronyms=an.local, spans=known_spans
            )
            if spans == [] and text:
                spans = list(known_spans) if known_spans is not None else sentence_spans(text)
            found = []
            for h in hits:
                m = _LONGER.match(text, h.end)
                if m and m.group(1).lower() not in _ATTRIBUTIVE and h.name.lower() not in own:
                    # "CLIP-score": a longer name around a known one, which is its family
                    longer = text[h.start : m.end()]
                    found.append((h.start, m.end(), longer, longer, "", h.name))
                    continue
                name, fam = _variant(h.name, h.surface)
                found.append((h.start, h.end, name, h.surface, "", fam))
            found = self._with_detected(text, found, an, is_title, spans)
            starts = [a for a, _ in spans]
            for start, _end, name, surface, kind, family in found:
                if has_tex(name) or has_tex(surface):
                    name, surface = strip_tex(name), strip_tex(surface)
                    if not name or not is_valid_name(name):
                        continue
                if name in seen:
                    continue
                if (
                    name.lower() in own
                    or surface.lower() in own
                    or fold(surface) in own_folded
                    or (self._aliases.get(name, set()) & own)
                ):
                    continue
                source, known_kind = self._source_kind(family or name)
                seen.add(name)
                out.append(
                    Mention(
                        name,
                        surface,
                        _sentence(text, spans, starts, start),
                        kind if source == "candidate" and kind else known_kind,
                        source,
                        family if family and family != name else "",
                    )
                )
        return tuple(out)

    def _with_detected(
        self,
        text: str,
        found: list[tuple[int, int, str, str, str, str]],
        an: _Analysis,
        is_title: bool,
        spans: list[tuple[int, int]],
    ) -> list[tuple[int, int, str, str, str, str]]:
        """Matcher hits merged with detected names, longest span winning: a detected name that
        contains a hit ("CLIP-score" around "CLIP", "Video Swin Transformer" around "Swin
        Transformer") replaces it and keeps the hit's name as its family."""
        runs = None if is_title else an.runs
        surfaces = self.matcher_.surfaces
        det = self.detector_.detect(
            text, spans=spans, local_acronyms=an.local, title=is_title, runs=runs, skip=surfaces
        )
        if not det:
            return found
        out = list(found)
        for d in det:
            inside = [f for f in out if f[0] < d.end and d.start < f[1]]
            if any(f[0] <= d.start and d.end <= f[1] for f in inside):
                continue  # a known name covers it already
            # (the detector skips known names: ones the matcher's rules turned down here, such
            # as "Gemini" alone, are not reported)
            if inside and not all(
                d.start <= f[0] and f[1] <= d.end and _is_longer_name(text, f, d) for f in inside
            ):
                continue
            canon = self._folded.get(fold(d.name))
            family = self._family(d.name) if canon is None else ""
            if canon is not None:
                canon, family = _variant(canon, d.name)
            if inside:
                family = inside[0][2]
                canon = None
            out = [f for f in out if f not in inside]
            out.append((d.start, d.end, canon or d.name, d.name, d.kind, family))
        out.sort()
        return out


#: Words after "Name-" that use the name ("LoRA-based") rather than form a longer name.
_ATTRIBUTIVE = wordset(
    """
    based style like free guided driven aware tuned only specific level wise inspired type
    enhanced augmented generated initialized initialised trained pretrained pre-trained
    finetuned fine-tuned compatible friendly related derived supervised conditioned powered
    """
)
# a hyphenated word after a known name ("-score" in "CLIP-score")
_LONGER = re.compile(r"[-‐]([A-Za-z][a-z]+)(?![\w-])")
# where a version or variant part may start: a hyphen or space, a digit after a letter
_VERSION_CUT = re.compile(r"(?<=\w)[-‐ ]|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[a-z])")


def _is_longer_name(text: str, hit: tuple, d: Detected) -> bool:
    """Whether the detected span around a matcher hit is a longer name, not a use of it."""
    tail = text[hit[1] : d.end]
    if tail.startswith(("-", "‐")):
        word = tail[1:].split("-")[0].lower()
        return word not in _ATTRIBUTIVE
    return True


# size, format and release suffixes that fold a surface onto its model ("LLaMA-65B", "-Instruct")
_SIZE_TAIL = re.compile(
    r"(?:[-‐ _](?:\d+(?:\.\d+)?[BbMmKkTt]|[Ii]nstruct|[Cc]hat|[Bb]ase|[Ll]arge|[Ss]mall|[Tt]iny|"
    r"[Mm]ini|[Mm]edium|XX?L|[Hh]f|it|[Ii]nt\d|fp16|bf16|GGUF|AWQ|GPTQ|\d+[Kk]?-?context)|'s|’s|s)+$"
)


@functools.lru_cache(maxsize=65536)
def _variant(canon: str, surface: str) -> tuple[str, str]:
    """(name, family) of a known name written as ``surface``: a version or variant of it that
    is a different artefact ("GPT-4o" of GPT-4, "Llama 3.1 8B" -> "Llama 3.1" of Llama,
    "MMLU-Pro" of MMLU) is named as written without its size suffix, with the known name as its
    family; sizes and spellings ("LLaMA-65B", "LLaMA") fold onto the known name.

    >>> _variant("Llama", "Llama 3.1 8B"), _variant("Llama", "LLaMA-65B"), _variant("GPT-4", "GPT-4o")
    (('Llama 3.1', 'Llama'), ('Llama', ''), ('GPT-4o', 'GPT-4'))
    """
    core = _SIZE_TAIL.sub("", surface).replace("‐", "-").strip(" -")
    fc, fk = fold(core), fold(canon)
    if not core or fc == fk or not fc.startswith(fk) or fold(surface) == fk:
        return canon, ""
    # the part of the surface that spells the known name is written the known way
    n, i = 0, 0
    while i < len(core) and n < len(fk):
        if core[i].isalnum():
            n += 1
        i += 1
    rest = core[i:]
    return (canon + rest if rest[:1] in "- " else canon + rest), canon


@dataclass(frozen=True, slots=True)
class NameInfo:
    """A name some corpus paper defines (``names_`` values).

    ``trigger`` says whether other papers' text is searched for it (module doc)."""

    name: str
    kind: str
    full_name: str = ""
    aliases: tuple[str, ...] = ()
    defined_by: tuple[str, ...] = ()
    in_lexicon: bool = False
    trigger: bool = True


@dataclass(slots=True)
class _NameAcc:
    kind: str
    in_lexicon: bool
    full_name: str = ""
    aliases: set[str] = field(default_factory=set)
    defined_by: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Analysis:
    defines: tuple[Definition, ...]
    local: dict[str, str]
    spans: list[tuple[int, int]]
    runs: list[tuple[int, int, bool]]


_FOLD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=131072)
def fold(name: str) -> str:
    """Lower-case letters and digits of ``name``: the key of case- and punctuation-insensitive
    matching ("LlaMA-2" and "Llama 2" -> "llama2")."""
    return _FOLD.sub("", name.lower())


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


_ALNUM_LOWER = re.compile(r"[a-z0-9]+")


def _norm_title(title: str) -> str:
    return " ".join(_ALNUM_LOWER.findall(title.lower()))


def _same_words(a: str, b: str) -> bool:
    wa = set(re.findall(r"[a-z]+", a.lower()))
    wb = set(re.findall(r"[a-z]+", b.lower()))
    return bool(wa) and len(wa & wb) >= 0.6 * max(len(wa), len(wb))
