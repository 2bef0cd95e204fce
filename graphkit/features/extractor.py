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

``transform(papers)`` gives one :class:`~graphkit.model.PaperFeatures` per paper, in order
(its mentions found by :class:`~.paper_mentions.MentionFinder`, which the fit builds).  A
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

import logging
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sklearn.exceptions import NotFittedError

from ..model import Definition, Paper, PaperFeatures
from ..shared_map import shared_map
from .acronyms import acronym_pairs, local_acronyms
from .corpus_names import (
    NameInfo,
    corpus_names,
    count_corpus,
    frequent_candidates,
    matcher_surfaces,
    paper_candidates,
    paper_counts,
)
from .corpus_stats import _in_two, _norm_title, _same_words
from .detect import NameDetector
from .keyphrases import KeyphraseExtractor
from .lexicon import Lexicon, is_acronym_of, load_lexicon
from .mentions import NameMatcher
from .names import extract_definitions
from .paper_mentions import MentionFinder, PaperAnalysis
from .sentences import sentence_spans
from .variants import fold

__all__ = ["FeatureExtractor", "NameInfo", "fold"]

logger = logging.getLogger(__name__)


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
        processes: int = 1,
    ) -> None:
        self.lexicon = lexicon
        self.max_keyphrases = max_keyphrases
        self.min_keyphrases = min_keyphrases
        self.min_candidate_df = min_candidate_df
        self.max_phrase_df = max_phrase_df
        self.processes = processes

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

    def _analyse(self, p: Paper) -> PaperAnalysis:
        """The per-paper work fit and transform share: sentence spans, definitions, the local
        acronyms and the candidate runs of the abstract."""
        abstract = p.abstract or ""
        spans = sentence_spans(abstract)
        pairs = acronym_pairs(abstract) if "(" in abstract else ()
        return PaperAnalysis(
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
        """``fit(papers).transform(papers)``, analysing each paper once.

        With ``processes`` >= 2 the per-paper work (the analyses, then each paper's mentions
        and key phrases) is shared with a forked child (:func:`graphkit.shared_map.shared_map`),
        and the key-phrase fit runs here while the child starts on the analyses: the same
        features, in the same order."""
        self._prepare()
        forked = self.processes >= 2
        ranker: list[Any] = []  # the key phrases' fit, made by before(): needs only the papers

        def before() -> None:
            ranker.append(self.keyphrases_.fit_ranker(papers))

        def analyse(lo: int, hi: int) -> list[tuple[PaperAnalysis, set[str]]]:
            return [(self._analyse(p), paper_candidates(p)) for p in papers[lo:hi]]

        both = shared_map(analyse, len(papers), forked=forked, before=before)
        analyses = [an for an, _ in both]
        self._fit(papers, analyses, [c for _, c in both])
        del both
        phrases_of = ranker[0]
        finder = self._finder

        def features(lo: int, hi: int) -> list[PaperFeatures]:
            return [
                PaperFeatures(p.id, an.defines, finder.mentions(p, an), phrases_of(i, p))
                for i, p, an in zip(range(lo, hi), papers[lo:hi], analyses[lo:hi], strict=True)
            ]

        return shared_map(features, len(papers), forked=forked)

    def _prepare(self) -> None:
        lex = self._lexicon()
        self.lexicon_ = lex
        self._known_fn = self._is_known(lex)
        ref_index: dict[str, list[str]] = defaultdict(list)
        for e in lex:
            if e.reference:
                ref_index[_norm_title(e.reference)].append(e.name)
        self._ref_index = {k: tuple(sorted(v)) for k, v in ref_index.items()}
        self.keyphrases_ = KeyphraseExtractor(
            max_keyphrases=self.max_keyphrases,
            min_keyphrases=self.min_keyphrases,
            max_df=self.max_phrase_df,
        )  # fitted by fit / fit_transform

    def _fit(
        self,
        papers: Sequence[Paper],
        analyses: Sequence[PaperAnalysis],
        candidates: Sequence[set[str]] | None = None,
    ) -> None:
        """Learn from the papers and their analyses (and candidate tokens, if already found:
        :func:`.corpus_names.paper_candidates` of each paper); :mod:`.corpus_names` has the
        counting and the rules."""
        corpus = count_corpus(self.lexicon_, papers, analyses, candidates)
        topic_df, lower_df = paper_counts(papers, corpus, forked=self.processes >= 2)
        self.names_ = corpus_names(corpus, _in_two(topic_df))
        surfaces, full_names = matcher_surfaces(self.lexicon_, self.names_)
        n = len(papers)
        min_df = self.min_candidate_df or max(3, math.ceil(n / 5000))
        self.candidates_ = frequent_candidates(corpus.cand_df, surfaces, min_df)
        for tok in self.candidates_:
            surfaces[tok] = tok
        families = [e.name for e in self.lexicon_ if e.kind == "model"]
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
        self.detector_ = NameDetector(
            corpus_df={w: c for w, c in corpus.run_df.items() if c >= 2},
            lower_df=lower_df,
            known=surfaces,
        )
        self._finder = MentionFinder(
            names=self.names_,
            lexicon=self.lexicon_,
            matcher=self.matcher_,
            detector=self.detector_,
            folded=self._folded,
            aliases=self._aliases,
        )
        logger.info(
            "features: %d corpus names, %d candidates, %d surfaces",
            len(self.names_),
            len(self.candidates_),
            len(surfaces),
        )

    # -- transforming ----------------------------------------------------------------------
    def transform(self, papers: Sequence[Paper]) -> list[PaperFeatures]:
        """One ``PaperFeatures`` per paper, in the same order."""
        if not hasattr(self, "matcher_"):
            raise NotFittedError("FeatureExtractor is not fitted yet; call fit(papers) first.")
        return self._transform(papers, [self._analyse(p) for p in papers])

    def _transform(
        self,
        papers: Sequence[Paper],
        analyses: Sequence[PaperAnalysis],
        phrases: Sequence[tuple[str, ...]] | None = None,
    ) -> list[PaperFeatures]:
        if phrases is None:
            phrases = self.keyphrases_.transform(papers)
        return [
            PaperFeatures(p.id, an.defines, self._finder.mentions(p, an), kp)
            for p, an, kp in zip(papers, analyses, phrases, strict=True)
        ]
