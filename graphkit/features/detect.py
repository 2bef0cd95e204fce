"""Per-document name detection: named artefacts a paper mentions, found without knowing them.

Modules: candidates in :mod:`.namecands`, token shape and vetoes in :mod:`.nameshape`, the words
around a candidate in :mod:`.namecontext`, the evidence of the spelling alone in
:mod:`.namefacts`; the scoring here.

A *candidate* is a run of capitalised or name-shaped tokens in one sentence of the abstract
("Long Range Arena", "Pascal VOC 2012", "THUMOS-14", "HouseCat6D", "Adafactor"), or a
name-shaped token of the title.  Each candidate gets an additive score from evidence a reader
can check (:class:`Evidence` lists the reasons); candidates scoring at least
:data:`THRESHOLD` are mentions.

Evidence (points):

* **shape** -- a token with an inner capital or a letter-digit mix ("DiDeMo", "ERA5",
  "GPT-4o": +2); an all-caps acronym of 3+ letters ("MMLU": +1.5; two letters need a digit);
  plain capitalised words ("Charades") get nothing from their shape;
* **type word** -- a following head noun says what it is: "X dataset/benchmark/model/corpus/
  metric/library/..." (+2, and gives the mention's type);
* **context** -- a word before it that introduces an existing artefact: "on X", "than X",
  "e.g. X", "such as X", "using X", "including X", "like X", "vs. X", "via X" (+1);
  being an item of a list or a pair with another candidate ("X, Y and Z", "X and Y"), or in
  parentheses ("(e.g., X)") (+1);
* **rarity** -- a plain word that is rare in general English (word-frequency from the
  ``wordfreq`` package: Zipf < 3; "Charades", "Adafactor") +1; a run of common words
  ("Long Range Arena") gets no rarity point and needs context or a type word;
* **lists** -- "datasets such as X and Y", "the X, Y and Z databases", "X and Y procedures" type
  every item; an item of a list holding a confirmed name gains a point (:meth:`~NameDetector._select`);
* **version or citation after it** -- "Fluent v. 14.5" (+2, a tool); "X (Smith et al., 2020)"
  (+1.5, for a multi-word or shaped name);
* **corpus** -- the same spelling in other papers of the corpus, away from a sentence start
  (+1 from two papers, +2 from five); a spelling that the corpus also writes in lower case
  (the word is ordinary: "Transformer") -1.

Penalties and vetoes: the first word of a sentence alone is never a plain-word candidate; generic
acronyms (LLM, CNN, ...), units and companies (:data:`~.lexicon.NOT_NAMES`) and the paper's own
abbreviations of lower-case phrases ("average treatment effect (ATE)") are never names; in a
sentence or title written in capitals only shaped tokens with digits count.

>>> d = NameDetector()
>>> [(c.name, c.kind) for c in d.detect("We evaluate on THUMOS-14 and the Long Range Arena benchmark.")]
[('THUMOS-14', 'dataset'), ('Long Range Arena', 'benchmark')]
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from typing import NamedTuple

from .eponyms import EPONYM_HEADS, EPONYM_NAMED, _eponym_head, _possessive_eponym
from .namecands import _blocked_regions, _trimmed, candidate_runs
from .namecontext import (
    _CITATION_AFTER,
    _CITED_AFTER,
    _COMPARED_BEFORE,
    _COPYRIGHT,
    _EXISTING_BEFORE,
    _FOLLOW_OK,
    _NEXT_WORD,
    _PAREN_ACRO,
    _STRONG_BEFORE,
    BIO_HEADS,
    CONTEXT_BEFORE,
    HEAD_TYPES,
    _chain_types,
    _intro_cues,
    _intro_type,
    _list_members,
    _measured,
    _paren_type,
    _spelled_out,
    _version_after,
)
from .namefacts import _without_vendor, spelling_facts
from .namescorer import NameScorer, load_scorer
from .nameshape import (
    _NUMBER,
    _TOKEN,
    _plausible,
    _shape_points,
    _title_case,
    english_zipf,
    genus_in,
)

__all__ = ["NameDetector", "Detected", "THRESHOLD", "HEAD_TYPES", "english_zipf"]

#: Score a candidate needs to be reported (with the hand-set points).
THRESHOLD = 2.0
#: Learnt weights of the evidence (:mod:`.namescorer`) if a weights file is present (none ships:
#: they did not beat the hand-set points), else None and the hand-set points are used.
SCORER: NameScorer | None = load_scorer()
#: An ordinary English word before a head noun is a phrase ("Feedback task"), not an eponym
#: ("Fisher information", Zipf 4.0; "Cox model", 3.9).
_EPONYM_ZIPF = 4.1


class Detected(NamedTuple):
    """One detected name: ``name`` as written, its character span, type and score with reasons."""

    name: str
    start: int
    end: int
    kind: str
    score: float
    reasons: tuple[str, ...]


class NameDetector:
    """Scores candidate names in a text (rules in the module doc).

    ``corpus_df`` maps a candidate spelling to the number of corpus papers using it mid-sentence;
    ``lower_df`` maps a lower-case spelling to the number of papers writing it in lower case.
    ``known`` are spellings known to be names (the lexicon), ``excluded`` spellings never to
    report (lower-case folded).
    """

    def __init__(
        self,
        *,
        corpus_df: Mapping[str, int] | None = None,
        lower_df: Mapping[str, int] | None = None,
        known: Iterable[str] = (),
        threshold: float = THRESHOLD,
        scorer: NameScorer | None | bool = True,
    ) -> None:
        self.corpus_df = corpus_df or {}
        self.lower_df = lower_df or {}
        self.known = frozenset(known)
        if scorer is True:
            scorer = SCORER  # the shipped weights (None: the hand-set points)
        self.scorer = scorer or None
        self.threshold = threshold if scorer is None else scorer.threshold
        # the points of being listed, and of being listed with a confirmed name
        self._list_pts = 0.5 * (scorer.weight("list") if scorer else 1.0)
        self._with_name_pts = scorer.weight("listed-with-name") if scorer else 1.0
        self._facts_cache: dict[str, tuple] = {}

    # -- candidates ----------------------------------------------------------------------
    #: Candidate runs of a text (:func:`.namecands.candidate_runs`).
    runs = staticmethod(candidate_runs)

    def score(
        self, text: str, start: int, end: int, initial: bool, prev_words: Sequence[str], nxt: str
    ) -> tuple[float, str, list[str]]:
        """Score, type and reasons of the candidate ``text[start:end]``.

        The evidence that depends on the spelling alone (shape, lexicon, versions, rarity,
        corpus counts) is worked out once per distinct spelling (:meth:`_facts`); only the
        context (the words around it) is looked at per candidate."""
        name = text[start:end]
        words, shape, bare, lead, plain, df, _tail = self._facts(name)
        score = lead[0]
        reasons = list(lead[1])
        kind = lead[2]
        spelled = len(words) >= 2 and _spelled_out(text, end, words)
        if spelled:
            score += 1
            reasons.append("spelled-out+1")  # "Green View Index (GVI)"
        score += plain[0]
        reasons.extend(plain[1])
        head = nxt.lower()
        if head in BIO_HEADS and name not in self.known:
            score -= 3
            reasons.append(f"gene-or-protein:{head}-3")  # "GSK3 activity", "Wx-A1a allele"
        elif head in HEAD_TYPES:
            kind = HEAD_TYPES[head]
            pts = 1.0 if head.endswith("s") and head[:-1] in HEAD_TYPES else 2.0
            score += pts
            reasons.append(f"type:{head}+{pts:g}")  # plural: a category ("VQA datasets")
        prev = prev_words[-1].lower() if prev_words else ""
        # the last words of "such as", "compared to/with" are context words themselves
        if prev in _EXISTING_BEFORE and head[:1].islower():
            prev = ""  # "previous CNER approaches": the adjective belongs to the noun
        if prev in CONTEXT_BEFORE:
            strong = prev in _STRONG_BEFORE or (
                prev == "as" and len(prev_words) >= 2 and prev_words[-2].lower() == "such"
            )
            # an acronym right after "on"/"than"/"e.g." is most often a named artefact
            # a run of plain words after a weak context word is most often a phrase, unless
            # it spells out an acronym after a verb of comparison or use ("outperforms Foo
            # Bar Aligner (FBA)"; "and Logistic Regression (LR)" is no evidence)
            pts = (
                (1.5 if bare else 1.0)
                if strong
                else (
                    1.0
                    if spelled and prev in _COMPARED_BEFORE
                    else 0.0
                    if len(words) > 1 and not shape
                    else 0.5
                )
            )
            score += pts
            reasons.append(f"after:{prev}+{pts:g}")
            if prev == "on" and not kind:
                kind = "dataset"  # "evaluated on X"
        if plain[2] is not None:
            zipf = plain[2]
            if _CITATION_AFTER.match(text, end):
                score -= 3
                reasons.append("person-cited-3")
            if head and head[:1].islower() and head not in HEAD_TYPES and head not in _FOLLOW_OK:
                score -= 1
                reasons.append(f"modifies:{head}-1")  # "Lyapunov function", "Euler angles"
            if zipf < 3.0:
                score += 1
                reasons.append("rare+1")
                if genus_in(text, name):
                    score -= 3
                    reasons.append("genus-3")  # "Salinibacter ruber": an organism
            elif zipf >= 4.0:
                score -= 1
                reasons.append("common-word-1")
            if initial:
                score -= 2
                reasons.append("sentence-start-2")
        score += df[0]
        reasons.extend(df[1])
        return score, kind, reasons

    def _facts(self, name: str) -> tuple:
        """:func:`.namefacts.spelling_facts` of ``name``, memoised per spelling (a pure function
        of the spelling and the detector's fixed tables, so results do not depend on the order
        names are met in)."""
        got = self._facts_cache.get(name)
        if got is None:
            got = self._facts_cache[name] = spelling_facts(
                name, self.known, self.corpus_df, self.lower_df
            )
        return got

    def detect(
        self,
        text: str,
        *,
        spans: Sequence[tuple[int, int]] | None = None,
        local_acronyms: Mapping[str, str] | None = None,
        title: bool = False,
        runs: list[tuple[int, int, bool]] | None = None,
        skip: Container[str] = (),
    ) -> list[Detected]:
        """Detected names of ``text`` in order of position (one per spelling); ``runs`` are
        :meth:`runs` of the text if the caller has them.  Spellings in ``skip`` are never
        reported (the caller's known names): the same as dropping them from the result, as a
        spelling only ever hides later candidates of the same spelling, but they are not
        scored."""
        if not text:
            return []
        if title:
            spans = [(0, len(text))]
        cands = runs if runs is not None else self.runs(text, spans)
        if not cands:
            return []
        title_case = title and _title_case(text)
        if title_case:
            cands = [
                (m.start(), m.end(), False)
                for s, e, _ in cands
                for m in _TOKEN.finditer(text, s, e)
                if _shape_points(m.group()) >= 1.5
            ]
        urls, notice = _blocked_regions(text)
        cues = _intro_cues(text)
        listed = _list_members(text, cands)
        chain_type = _chain_types(text, cands)
        scored: list[tuple[int, Detected]] = []
        confirmed: set[int] = set()  # candidates that are known names (``skip``)
        # spellings already reaching the threshold -> whether without their list point
        passed: dict[str, bool] = {}
        for k, (s, e, initial) in enumerate(cands):
            s, name, initial = _trimmed(text, s, e, initial)
            if " " in name and name not in self.known:
                s, name = _without_vendor(s, name, self.known)
            e = s + len(name)
            possessive = ""
            first = name.split(" ", 1)[0]
            if first.endswith(("'s", "’s")) and first[1:-2].islower():
                pe, possessive = _possessive_eponym(text, s + len(first) - 2)  # "Tobin's Q"
                if pe:
                    name, e = text[s:pe], pe
            elif text.startswith(("'s ", "’s "), e) and " " not in name and name[1:].islower():
                pe, possessive = _possessive_eponym(text, e)
                if pe:
                    name, e = text[s:pe], pe  # "Cronbach's alpha", "Amdahl's law"
            if notice and (
                _COPYRIGHT.search(text, max(0, s - 80), s) or _COPYRIGHT.search(text[s:e])
            ):
                continue
            if urls and any(a <= s < b for a, b in urls):
                continue
            if name in skip or name in passed:
                if passed.get(name, True):
                    confirmed.add(k)  # a known name, or a later use of a confirmed one
                continue
            if not name or not _plausible(name, local_acronyms):
                continue
            if title_case and max(_shape_points(w) for w in name.split()) < 1.5:
                continue  # a title in Title Case: capitals say nothing
            score, kind, reasons, e = self._in_context(
                text, s, e, initial, k, listed, chain_type, cues, possessive
            )
            name = text[s:e]
            scored.append((k, Detected(name, s, e, kind, score, tuple(reasons))))
            if score >= self.threshold:  # _select only adds points: reported whatever follows
                passed[name] = score - self._list_pts * (k in listed) >= self.threshold
        found = self._select(scored, confirmed, listed)
        if local_acronyms and found:
            # an acronym spelled out by a detected name is the same mention: keep the long form
            names = {d.name for d in found}
            found = [d for d in found if local_acronyms.get(d.name) not in names]
        return found

    def _in_context(
        self,
        text: str,
        s: int,
        e: int,
        initial: bool,
        k: int,
        listed: Mapping[int, int],
        chain_type: Mapping[int, str],
        cues: tuple[list[int], list[str]],
        possessive: str = "",
    ) -> tuple[float, str, list[str], int]:
        """Score, type, reasons and end of candidate ``k`` (``text[s:e]``): :meth:`score`, then
        the evidence of the list, parentheses or sentence it stands in; the end moves past a
        head noun that is part of an eponym's name ("Granger causality").  ``possessive`` is
        the type of a possessive eponym's name ("Cronbach's alpha")."""
        name = text[s:e]
        if possessive:
            reasons = ["eponym's+3", *(["sentence-start-2"] if initial else [])]
            score = self.scorer.score(reasons) if self.scorer else 3.0 - 2.0 * initial
            return score, possessive, reasons, e
        # the last two words before it (all that :meth:`score` looks at)
        prev_words = [w.lstrip("([") for w in text[max(0, s - 40) : s].split()[-2:]]
        if prev_words and prev_words[-1].endswith("("):
            prev_words = [*prev_words[:-1], prev_words[-1].rstrip("(")]
        m = _TOKEN.search(text, e, min(len(text), e + 30))
        nxt = m.group() if m and text[e : m.start()].strip() in ("", "-") else ""
        if not nxt and " " in name and (p := _PAREN_ACRO.match(text, e)) and p.group(0)[-1] == ")":
            # the head noun after a spelled-out acronym: "Massively Multilingual Speech (MMS) model"
            m = _NEXT_WORD.match(text, p.end())
            nxt = m.group(1) if m else ""
        score, kind, reasons = self.score(text, s, e, initial, prev_words, nxt)
        if k in listed:
            score += 0.5
            reasons.append("list+0.5")
        if not kind and k in chain_type:
            kind = HEAD_TYPES[chain_type[k]]
            score += 2
            reasons.append(f"list-of:{chain_type[k]}+2")
        if not kind and "(" in text[max(0, s - 120) : s] and (lead := _paren_type(text, s)):
            kind = HEAD_TYPES[lead]
            score += 2
            reasons.append(f"listed-under:{lead}+2")
        if cues[0] and (lead := _intro_type(text, s, cues)):
            kind = kind or HEAD_TYPES[lead]
            score += 2
            reasons.append(f"introduced-by:{lead}+2")  # "datasets such as X and Y"
        if not kind and _measured(text, s):
            kind = "metric"
            score += 2
            reasons.append("measured-in+2")  # "a 2.6% improvement in X"
        if s > 0 and text[s - 1] == "(" and e < len(text) and text[e : e + 1] in "),;":
            score += 0.5
            reasons.append("parenthesised+0.5")
        if (
            text[e : e + 2].lstrip().startswith(("(", "["))
            and (" " in name or self._facts(name)[1])
            and _CITED_AFTER.match(text, e)
        ):
            score += 1.5
            reasons.append("cited+1.5")  # "the Harbour Model (Smith et al., 2020)", "X [12]"
        if (version := _version_after(text, e)) and not _NUMBER.fullmatch(name.split()[-1]):
            kind = kind or "tool"
            score += 2
            reasons.append(f"version:{version}+2")  # "ANSYS Fluent v. 14.5"
        facts = self._facts(name)
        if (
            not kind
            and " " not in name
            and facts[1] < 1.5  # a shaped name ("ImageNet classification") needs no head
            and (facts[4][2] is None or facts[4][2] < _EPONYM_ZIPF)
            and (head := _eponym_head(text, e, name))[0]
        ):
            # "Granger causality", "Stroop task", "Cox proportional hazards model", "LISREL
            # program": a name before a head noun of a method, measure, model or tool
            kind = EPONYM_HEADS[head[0]]
            # a head after other nouns is weaker evidence ("Chromosome karyotype analysis"),
            # except a tool's after an acronym ("ARIS modeling tool")
            gapped = head[1] - e > len(head[0]) + 1
            pts = 1.0 if gapped and not name.isupper() else 2.0
            if (
                reasons
                and reasons[-1].startswith("modifies:")
                or any(r.startswith("modifies:") for r in reasons)
            ):
                pts += 1.0  # the head noun it modifies is what makes it a name
            score += pts
            reasons.append(f"eponym-{head[0]}+{pts:g}")
            if (
                head[0] in EPONYM_NAMED
                and not name.isupper()
                and (not gapped or kind == "metric")  # "Dice similarity coefficient"
            ):
                e = head[1]  # the head is part of a plain-word name: "Stroop task"
        if facts[6] and not kind:
            score -= 1
            reasons.append("bare-acronym-1")  # "ATE", "MIL": an abbreviation, unless typed
        if self.scorer is not None:
            score = self.scorer.score(reasons, text[s:e])  # the same evidence, learnt weights
        return score, kind, reasons, e

    def _select(
        self,
        scored: list[tuple[int, Detected]],
        confirmed: set[int],
        listed: Mapping[int, int],
    ) -> list[Detected]:
        """The scored candidates that reach the threshold, one per spelling; an item of a list
        holding a confirmed name (a known one, or one that reaches the threshold on its own)
        gains a point: "Matlab, Simulink, and the Real-Time Workshop".  A name confirms its
        neighbours only if it reaches the threshold without the point for being listed."""
        # a name confirms its neighbours if it reaches the threshold without its own list point
        confirmed = confirmed | {
            k for k, d in scored if d.score - self._list_pts * (k in listed) >= self.threshold
        }
        lists = {listed[k] for k in confirmed if k in listed}
        out: list[Detected] = []
        seen: set[str] = set()
        for k, d in scored:
            score, reasons = d.score, d.reasons
            if score < self.threshold and listed.get(k, -1) in lists:
                score += self._with_name_pts
                reasons = (*reasons, "listed-with-name+1")
            if score >= self.threshold and d.name not in seen:
                seen.add(d.name)
                out.append(d._replace(kind=d.kind or "method", score=score, reasons=reasons))
        return out
