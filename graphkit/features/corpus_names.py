"""What :class:`~.extractor.FeatureExtractor`'s fit learns about names from the whole corpus.

One pass over the papers and their analyses (:func:`count_corpus`) gathers the names they
define, candidate tokens, mid-sentence capitalised runs and the long forms of each local
acronym; two per-paper counts (:func:`paper_counts`) find the plain names other papers write in
lower case; from those :func:`corpus_names` makes ``names_`` (with each name's ``trigger``),
:func:`matcher_surfaces` every spelling the matcher looks for, and :func:`frequent_candidates`
the unknown name-like tokens that recur.  The rules are described in the module doc of
:mod:`.extractor`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Paper
from ..shared_map import shared_map
from .corpus_stats import (
    _candidate_tokens,
    _count_hits,
    _kind_from_title,
    _lower_finder,
    _norm_title,
    _topic_finder,
    _trigger_alias,
)
from .lexicon import Lexicon, is_valid_name, looks_like_name
from .paper_mentions import PaperAnalysis

__all__ = [
    "NameInfo",
    "count_corpus",
    "paper_counts",
    "corpus_names",
    "matcher_surfaces",
    "frequent_candidates",
    "paper_candidates",
]


@dataclass(frozen=True, slots=True)
class NameInfo:
    """A name some corpus paper defines (``names_`` values).

    ``trigger`` says whether other papers' text is searched for it (module doc of
    :mod:`.extractor`)."""

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


@dataclass(slots=True)
class _Corpus:
    """What :func:`count_corpus` gathers in its pass over the corpus."""

    info: dict[str, _NameAcc] = field(default_factory=dict)
    cand_df: Counter[str] = field(default_factory=Counter)
    run_df: Counter[str] = field(default_factory=Counter)
    acr_forms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def paper_candidates(p: Paper) -> set[str]:
    """The candidate name tokens of one paper's title and abstract (counted by the fit)."""
    return _candidate_tokens(f"{p.title}. {p.abstract}")


def count_corpus(
    lex: Lexicon,
    papers: Sequence[Paper],
    analyses: Sequence[PaperAnalysis],
    candidates: Sequence[set[str]] | None = None,
) -> _Corpus:
    """One pass over the papers and their analyses (and candidate tokens, if already found:
    :func:`paper_candidates` of each paper): the names they define, candidate tokens,
    mid-sentence capitalised runs and the long forms of each local acronym."""
    corpus = _Corpus()
    info = corpus.info
    if candidates is None:
        candidates = [paper_candidates(p) for p in papers]
    for p, an, cands in zip(papers, analyses, candidates, strict=True):
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
        corpus.cand_df.update(cands)
        abstract = p.abstract or ""
        corpus.run_df.update({abstract[a:b] for a, b, initial in an.runs if not initial})
        for acro, lf in an.local.items():
            corpus.acr_forms[acro].add(_norm_title(lf))
    return corpus


def paper_counts(
    papers: Sequence[Paper], corpus: _Corpus, *, forked: bool
) -> tuple[Counter[str], Counter[str]]:
    """Two per-paper counts over the corpus (one pass, shared with a forked child when
    ``forked``): per plain-word name or alias (not name-shaped: "Knowledge Distillation"), the
    papers writing it in lower case (:func:`.corpus_stats._topic_finder`), and per capitalised
    mid-sentence run of 2+ papers, the papers writing it in lower case
    (:func:`.corpus_stats._lower_finder`, for the detector)."""
    info = corpus.info
    plain = {a for k, v in info.items() for a in (k, *v.aliases) if not looks_like_name(a)}
    topic_in = _topic_finder(sorted(plain))
    words = {w for w, c in corpus.run_df.items() if c >= 2 and " " not in w}
    lower_in = _lower_finder(words)

    def count(lo: int, hi: int) -> list[tuple[Counter[str], Counter[str]]]:
        part = papers[lo:hi]
        return [(_count_hits(part, topic_in), _count_hits(part, lower_in))]

    topic_df: Counter[str] = Counter()
    lower_df: Counter[str] = Counter()
    # merged in chunk order: the same counts, keys in the same order, as one pass
    for topic, lower in shared_map(count, len(papers), forked=forked):
        topic_df.update(topic)
        lower_df.update(lower)
    return topic_df, lower_df


def corpus_names(corpus: _Corpus, topic: set[str]) -> dict[str, NameInfo]:
    """``names_``: every defined name with the papers defining it and whether it triggers
    (``topic``: the plain names and aliases other papers write in lower case)."""
    info, acr_forms = corpus.info, corpus.acr_forms
    return {
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


def matcher_surfaces(
    lexicon: Lexicon, names: dict[str, NameInfo]
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Every spelling the matcher looks for (surface -> canonical name: the lexicon's, then
    the triggering corpus names and their aliases) and each name's multi-word long forms."""
    surfaces: dict[str, str] = {}
    full_names: dict[str, set[str]] = defaultdict(set)
    for e in lexicon:
        for s in e.surfaces:
            surfaces.setdefault(s, e.name)
        full_names[e.name].update(f for f in (e.full_name, *e.aliases) if " " in f)
    for canon, v in names.items():
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
    return surfaces, full_names


def frequent_candidates(
    cand_df: Counter[str], surfaces: dict[str, str], min_df: int
) -> dict[str, int]:
    """``candidates_``: the candidate tokens of at least ``min_df`` papers that are not known
    surfaces, versions ("ResNet-18") or plurals ("ViTs") of one, with their paper counts."""
    return {
        tok: df
        for tok, df in sorted(cand_df.items())
        if df >= min_df
        and tok not in surfaces
        and tok.split("-")[0] not in surfaces  # "ResNet-18": a version of a known name
        and tok[:-1] not in surfaces  # "ViTs": a plural of one
    }
