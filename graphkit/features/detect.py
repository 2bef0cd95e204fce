"""Per-document name detection: named artefacts a paper mentions, found without knowing them.

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

import functools
import math
import re
from bisect import bisect_right
from collections.abc import Container, Iterable, Mapping, Sequence
from typing import NamedTuple

from .lexicon import NOT_NAMES, is_generic_acronym, is_valid_name, wordset
from .sentences import sentence_spans

__all__ = ["NameDetector", "Detected", "THRESHOLD", "HEAD_TYPES", "english_zipf"]

#: Score a candidate needs to be reported.
THRESHOLD = 2.0

#: Head nouns after a name and the mention type they give.
HEAD_TYPES: Mapping[str, str] = {
    **dict.fromkeys(("dataset", "datasets", "corpus", "corpora", "data"), "dataset"),
    **dict.fromkeys(
        ("benchmark", "benchmarks", "suite", "challenge", "leaderboard", "testbed"), "benchmark"
    ),
    **dict.fromkeys(
        (
            "model",
            "models",
            "llm",
            "llms",
            "backbone",
            "backbones",
            "encoder",
            "decoder",
            "network",
            "networks",
            "architecture",
            "transformer",
            "detector",
            "classifier",
            "tokenizer",
            "embeddings",
            "vlm",
            "vlms",
        ),
        "model",
    ),
    **dict.fromkeys(
        (
            "method",
            "methods",
            "algorithm",
            "algorithms",
            "approach",
            "framework",
            "optimizer",
            "technique",
            "loss",
            "baseline",
            "baselines",
            "attack",
            "defense",
            "sampler",
        ),
        "method",
    ),
    **dict.fromkeys(("metric", "metrics", "score", "scores", "measure", "index"), "metric"),
    **dict.fromkeys(
        (
            "library",
            "toolkit",
            "package",
            "simulator",
            "engine",
            "platform",
            "software",
            "tool",
            "tools",
            "api",
            "compiler",
            "solver",
            "database",
            "databases",
            "toolbox",
        ),
        "tool",
    ),
}
#: Words right before a name that introduce an existing artefact.
CONTEXT_BEFORE = wordset(
    """
    on than e.g. e.g., eg such as including include includes like using use uses used via vs
    vs. versus against over with from to and or of namely i.e. i.e., both either
    outperforms outperforming surpasses surpassing beats extends extending fine-tune finetune
    fine-tuned finetuned pretrained pre-trained trained
    """
)
_STRONG_BEFORE = wordset("on than e.g. e.g., eg such including like using via vs vs. versus namely")
#: Lower-case words that may follow a plain-word name without making it a modifier.
_FOLLOW_OK = wordset(
    """
    and or with for to on in as at by from which that who is are was were has have had can
    could will would may might to shows show achieves achieve performs perform outperforms
    also uses use while but than into over under via versus vs
    """
)
#: Capitalised words that start or join a run but are never (part of) a name on their own.
_FUNCTION = wordset(
    """
    A An The This That These Those Our We Its It In On Of For With By To From At As Is Are
    And Or But If When While Where Which Who Whose How What Why Although Though Unlike
    Moreover Furthermore However Thus Hence Therefore Finally First Second Third Then Here
    Also Both Each Every All Some Many Most Such Other Another Existing Recent Prior Previous
    Experiments Experimental Results Extensive Specifically Additionally Importantly Notably
    Code Data Dataset Datasets Benchmark Benchmarks Model Models Method Methods Table Figure
    Fig Section Appendix Eq Equation Theorem Lemma Definition Algorithm Proposition Corollary
    Step Stage Phase Part Task Tasks Human Humans English Chinese Yes No Large Small Deep Neural
    Language Vision Learning Network Networks Graph Graphs
    """
)
_SMALL_JOIN = wordset("of for de la von van der and")
_CAP = r"(?:[A-Z]|\d+[A-Za-z])[A-Za-z0-9+#]*(?:[-.'’][A-Za-z0-9#]+)*\+*"
# the look-ahead lets the regex engine skip to the next capital or digit before the look-behind
_RUN = re.compile(
    rf"(?=[A-Z0-9])(?<![\w.'’+#-]){_CAP}"
    rf"(?:[ ](?:{_CAP}|(?:\d\.\d{{1,2}}|\d{{1,4}})(?!\w|\.\d)|(?:of|for|de|la|von|van|der)[ ](?=[A-Z][a-z]+\b){_CAP}))*"
)
_HYPHENS = re.compile(r"[-‐]")
_FIRST_ALNUM = re.compile(r"[A-Za-z0-9]")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#]*(?:[-.'’][A-Za-z0-9#]+)*\+*")
_PLAIN_CAP = re.compile(r"[A-Z][a-z]+")
_URLISH = re.compile(r"\.[a-z]{2,}\b|www|https?|github", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?[A-Za-z]?")
_SHAPED = re.compile(r"(?=.*[A-Za-z])(?:.*[a-z].*[A-Z]|.*[A-Za-z].*\d|.*\d.*[A-Za-z])")
_ACRO = re.compile(r"[A-Z][A-Z0-9]+")
_ID = re.compile(r"\d{5,}")
# "3B-parameter", "7B": a size, not a name
_SIZE_LED = re.compile(r"\d+(?:\.\d+)?[BMKT]?(?:-[a-z]+)?$|\d+(?:\.\d+)?[BMKT]-[a-z]")
# chemical locants: "1-ethenyl-4-ethyl-benzene", "E-1-propene", "1-Oxa-4"
_LOCANT = re.compile(r"(?:^|-)\d+(?:,\d+)*-(?:[a-z]|[A-Z][a-z]+-\d)|-\d+-[a-z]")
_MONTHS = wordset(
    """
    January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Spring Summer Autumn Winter
    """
)
# numbers that continue a name ("Pascal VOC 2012", "Llama 3.1"), not a score ("58.9")
_VERSION_NUMBER = re.compile(r"\d{1,4}|\d\.\d{1,2}")
# numeric formats and hardware configurations: "INT8", "FP16", "W4A16", "W8A8KV4"
_FORMAT = re.compile(r"(?:U?INT|FP|BF|TF)\d+|(?:(?:[WAK]|KV)\d+){2,}(?:-\w+)?")
# a whitespace-delimited token with a URL marker; the look-behind starts it at a token's start
# (where the leftmost match starts anyway), so a long token is not rescanned from every offset
_URL = re.compile(r"(?<!\S)\S*(?:https?://|www\.|github\.com|\.io/|\.org/)\S*")
_URL_BITS = ("://", "www.", "github.com", ".io/", ".org/")
_ELEMENTS = [
    "H",
    "He",
    "Li",
    "Be",
    "B",
    "C",
    "N",
    "O",
    "F",
    "Ne",
    "Na",
    "Mg",
    "Al",
    "Si",
    "P",
    "S",
    "Cl",
    "Ar",
    "K",
    "Ca",
    "Sc",
    "Ti",
    "V",
    "Cr",
    "Mn",
    "Fe",
    "Co",
    "Ni",
    "Cu",
    "Zn",
    "Ga",
    "Ge",
    "As",
    "Se",
    "Br",
    "Kr",
    "Rb",
    "Sr",
    "Y",
    "Zr",
    "Nb",
    "Mo",
    "Tc",
    "Ru",
    "Rh",
    "Pd",
    "Ag",
    "Cd",
    "In",
    "Sn",
    "Sb",
    "Te",
    "I",
    "Xe",
    "Cs",
    "Ba",
    "La",
    "Ce",
    "Nd",
    "Sm",
    "Eu",
    "Gd",
    "Pt",
    "Au",
    "Hg",
    "Pb",
    "Bi",
    "U",
]
#: a chemical formula ("H2O", "CaCl2", "CH3COO"): two or more element symbols with counts
_FORMULA = re.compile("(?:(?:" + "|".join(sorted(_ELEMENTS, key=len, reverse=True)) + r")\d*){2,}")
#: words that make a capitalised run an organisation or a publisher, not an artefact
_ORGANISATION = wordset(
    """
    University Universities Institute Institutes Hospital Hospitals Ltd Inc Inc. Corporation
    Corp Company Department Ministry Council Association Foundation Center Centre School
    College Society Academy Agency Bureau Elsevier Springer Wiley Press Publishing Journal
    Committee Commission Organization Organisation Laboratory Laboratories Lab Labs Clinic
    """
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|[Cc]opyright|[Aa]ll rights reserved|[Pp]ublished by")
_COPYRIGHT_BITS = ("©", "(c)", "opyright", "ll rights reserved", "ublished by")
_CITATION_AFTER = re.compile(r"\s*(?:\(\s*(?:\d{4}|[A-Z][a-z]+ et al)|et al\b|,\s*\d{4}\b|['’]s\b)")


#: Zipf value given to a word that is not among general English's ~29,000 commonest.
RARE_ZIPF = 2.0


@functools.cache
def _english() -> dict[str, float]:
    """``wordfreq``'s small English list (the ~29,000 words of Zipf frequency >= 3) as word ->
    Zipf frequency: loaded once in a fraction of a second, then plain dictionary look-ups
    (``wordfreq.zipf_frequency`` tokenises every word it is asked about, too slow per token)."""
    from wordfreq import get_frequency_dict

    return {w: math.log10(f) + 9 for w, f in get_frequency_dict("en", wordlist="small").items()}


def english_zipf(word: str) -> float:
    """Zipf frequency of ``word`` in general English, :data:`RARE_ZIPF` if it is not one of the
    commonest ~29,000 words.

    >>> english_zipf("range") > 4 > english_zipf("charades") == english_zipf("adafactor")
    True
    """
    return _english().get(word.lower(), RARE_ZIPF)


class Detected(NamedTuple):
    """One detected name: ``name`` as written, its character span, type and score with reasons."""

    name: str
    start: int
    end: int
    kind: str
    score: float
    reasons: tuple[str, ...]


@functools.lru_cache(maxsize=65536)
def _shape_points(tok: str) -> float:
    core = tok.rstrip("+")
    if "-" in core:
        parts = [part for part in core.split("-") if part]
        if not parts or _ID.search(core):
            return 0.0
        if (
            any(c.isupper() for c in parts[0])
            and any(c.isdigit() for c in core)
            and any(c.isalpha() for c in core)
            and not _FORMAT.fullmatch(core)
        ):
            return 2.0  # "THUMOS-14", "Qwen-7B": letters and a number across a hyphen
        acro = [
            x for x in parts if _ACRO.fullmatch(x) and len(x) >= 2 and not is_generic_acronym(x)
        ]
        if acro and any(x[:1].isupper() and x not in acro for x in parts):
            return 1.5  # "PIE-Bench", "RF-Solver": an acronym joined to a capitalised word
        if len(parts) >= 2 and all(_PLAIN_CAP.fullmatch(x) for x in parts):
            return 1.0  # "Proxy-Tuning" mid-sentence (the corpus may say it is "few-shot")
        return max(map(_shape_points, parts))
    if _ID.search(core):
        return 0.0  # "NCT01844349": an identifier
    if _ACRO.fullmatch(core) and not any(c.islower() for c in core):
        if any(c.isdigit() for c in core):
            return 2.0 if not _FORMULA.fullmatch(core) else 0.0
        return 0.0  # a bare acronym needs a type word, corpus evidence or the lexicon
    if _SHAPED.match(core):
        if not any(c.isupper() for c in core) or _ID.search(core):
            return 0.0  # "x86", "1million": no capital; "NCT01844349": an identifier
        if _NUMBER.fullmatch(core):
            return 0.0
        if len(core) <= 3 and not any(c.isdigit() for c in core):
            return 1.0  # "FoV", "IoU": short mixed-case abbreviations are weaker evidence
        return 2.0
    return 0.0


#: Words that neither make a run alone nor start one: shapeless function words, small joins.
_SKIP_ALONE = frozenset({w for w in _FUNCTION if _shape_points(w) == 0} | _SMALL_JOIN)


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or (tok[:1].isdigit() and any(c.isalpha() for c in tok))


def _shouting(text: str) -> bool:
    split = text.split()
    if sum(map(str.isupper, split)) < 3:  # most sentences: stop at the cheap count
        return False
    words = [w for w in split if sum(c.isalpha() for c in w) >= 2]
    return len(words) >= 4 and sum(w.isupper() for w in words) > 0.6 * len(words)


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) > 0.7 * len(words)


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
    ) -> None:
        self.corpus_df = corpus_df or {}
        self.lower_df = lower_df or {}
        self.known = frozenset(known)
        self.threshold = threshold
        self._facts_cache: dict[str, tuple] = {}

    # -- candidates ----------------------------------------------------------------------
    @staticmethod
    def runs(
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
    def score(
        self, text: str, start: int, end: int, initial: bool, prev_words: Sequence[str], nxt: str
    ) -> tuple[float, str, list[str]]:
        """Score, type and reasons of the candidate ``text[start:end]``.

        The evidence that depends on the spelling alone (shape, lexicon, versions, rarity,
        corpus counts) is worked out once per distinct spelling (:meth:`_facts`); only the
        context (the words around it) is looked at per candidate."""
        name = text[start:end]
        words, shape, bare, lead, plain, df, tail = self._facts(name)
        score = lead[0]
        reasons = list(lead[1])
        kind = lead[2]
        if len(words) >= 2 and _spelled_out(text, end, words):
            score += 1
            reasons.append("spelled-out+1")  # "Green View Index (GVI)"
        score += plain[0]
        reasons.extend(plain[1])
        head = nxt.lower()
        if head in HEAD_TYPES:
            kind = HEAD_TYPES[head]
            pts = 1.0 if head.endswith("s") and head[:-1] in HEAD_TYPES else 2.0
            score += pts
            reasons.append(f"type:{head}+{pts:g}")  # plural: a category ("VQA datasets")
        prev = prev_words[-1].lower() if prev_words else ""
        # the last words of "such as", "compared to/with" are context words themselves
        if prev in CONTEXT_BEFORE:
            strong = prev in _STRONG_BEFORE or (
                prev == "as" and len(prev_words) >= 2 and prev_words[-2].lower() == "such"
            )
            # an acronym right after "on"/"than"/"e.g." is most often a named artefact
            pts = (
                (1.5 if bare else 1.0) if strong else (0.0 if len(words) > 1 and not shape else 0.5)
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
            elif zipf >= 4.0:
                score -= 1
                reasons.append("common-word-1")
            if initial:
                score -= 2
                reasons.append("sentence-start-2")
        score += df[0]
        reasons.extend(df[1])
        if tail and not kind:
            score -= 1
            reasons.append("bare-acronym-1")  # "ATE", "MIL": an abbreviation, unless typed
        return score, kind, reasons

    def _facts(self, name: str) -> tuple:
        """The evidence about ``name`` that needs no context, memoised per spelling (a pure
        function of the spelling and the detector's fixed tables, so results do not depend on
        the order names are met in): (words, shape, whether it is a bare acronym, (points,
        reasons, kind) before the context, (points, reasons, zipf or None) of the plain-word
        tests, (points, reasons) of the corpus counts, whether an untyped bare acronym loses a
        point)."""
        got = self._facts_cache.get(name)
        if got is not None:
            return got
        words = name.split()
        reasons: list[str] = []
        score = 0.0
        kind = ""
        shape = 0.0
        for w in words:
            if not is_generic_acronym(w):
                pts = _shape_points(w)
                if pts > shape:
                    shape = pts
        if shape:
            score += shape
            reasons.append(f"shape+{shape:g}")
        known = name in self.known
        if known:
            score += 2
            reasons.append("lexicon+2")
        last = words[-1].lower()
        if len(words) > 1 and last in HEAD_TYPES and not last.endswith("s"):
            kind = HEAD_TYPES[last]
            score += 1
            reasons.append(f"named-{last}+1")  # "Green View Index", "Long Range Benchmark"
        lead = (score, tuple(reasons), kind)
        score, reasons = 0.0, []
        if len(words) > 1 and _VERSION_NUMBER.fullmatch(words[-1]):
            score += 1
            reasons.append("versioned+1")  # "Pascal VOC 2012"
        if known:
            pass
        elif len(words) > 1 and any(
            " ".join(words[:k]) in self.known for k in range(1, len(words))
        ):
            score += 1.5
            reasons.append("known-family+1.5")
        zipf = None
        if not shape and len(words) == 1:
            parts = [w for w in _HYPHENS.split(name) if w[:1].isalpha() and not w.isupper()]
            zipf = min(map(english_zipf, parts)) if parts else 3.5  # acronyms: no rarity
        plain = (score, tuple(reasons), zipf)
        score, reasons = 0.0, []
        df = self.corpus_df.get(name, 0)
        if df >= 2:
            # other papers write it so too; worth less for a plain word ("Gaussian")
            pts = (2.0 if df >= 5 else 1.0) * (1.0 if shape >= 1.5 else 0.5)
            score += pts
            reasons.append(f"corpus:{df}+{pts:g}")
        low = self.lower_df.get(name.lower(), 0)
        if low and 3 * low >= df and shape < 1.5:
            score -= 2
            reasons.append(f"lower-case:{low}-2")  # an ordinary word ("Transformer")
        counts = (score, tuple(reasons))
        acro = _ACRO.fullmatch(name) is not None
        tail = len(words) == 1 and acro and not any(c.isdigit() for c in name) and not known
        bare = len(words) == 1 and acro and name.isupper()
        got = self._facts_cache[name] = (words, shape, bare, lead, plain, counts, tail)
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
        # every _URL match holds one of the _URL_BITS: most texts skip the regex scan
        urls = (
            [m.span() for m in _URL.finditer(text)]
            if any(map(text.__contains__, _URL_BITS))
            else []
        )
        # the substrings every _COPYRIGHT match contains: most texts skip the regex scan
        notice = (
            any(map(text.__contains__, _COPYRIGHT_BITS)) and _COPYRIGHT.search(text) is not None
        )
        out: list[Detected] = []
        seen: set[str] = set()
        listed = _list_members(text, cands)
        chain_type = _chain_types(text, cands)
        for k, (s, e, initial) in enumerate(cands):
            name = text[s:e]
            if name.endswith(("'s", "’s")):  # _POSSESSIVE (a run has no newline)
                name = name[:-2]
            name = name.strip(" .'’")
            if initial and " " in name:
                first, rest = name.split(" ", 1)
                if _PLAIN_CAP.fullmatch(first) and english_zipf(first) >= 3.0:
                    s += len(first) + 1  # "Using QLoRA": the sentence's first word is not the name
                    name, initial = rest, False
            e = s + len(name)
            if notice and (
                _COPYRIGHT.search(text, max(0, s - 80), s) or _COPYRIGHT.search(text[s:e])
            ):
                continue
            if urls and any(a <= s < b for a, b in urls):
                continue
            if not name or name in seen or name in skip or not _plausible(name, local_acronyms):
                continue
            if title_case and max(_shape_points(w) for w in name.split()) < 1.5:
                continue  # a title in Title Case: capitals say nothing
            # the last two words before it (all that :meth:`score` looks at)
            prev_words = [w.lstrip("([") for w in text[max(0, s - 40) : s].split()[-2:]]
            if prev_words and prev_words[-1].endswith("("):
                prev_words = [*prev_words[:-1], prev_words[-1].rstrip("(")]
            m = _TOKEN.search(text, e, min(len(text), e + 30))
            nxt = m.group() if m and text[e : m.start()].strip() in ("", "-") else ""
            score, kind, reasons = self.score(text, s, e, initial, prev_words, nxt)
            if k in listed and (" " in name or max(_shape_points(w) for w in name.split())):
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
            if s > 0 and text[s - 1] == "(" and e < len(text) and text[e : e + 1] in "),;":
                score += 0.5
                reasons.append("parenthesised+0.5")
            if score >= self.threshold:
                seen.add(name)
                out.append(Detected(name, s, e, kind or "method", score, tuple(reasons)))
        return out


_WORD_BEFORE = re.compile(r"(\w+)\s*$")


def _paren_type(text: str, start: int) -> str:
    """The type noun before the parenthesis that the name at ``start`` is listed in
    ("databases (MEDLINE, EMBASE)", "baselines (e.g., FooNet)"), or ''."""
    a = text.rfind("(", max(0, start - 120), start)
    if a < 0 or ")" in text[a:start] or ". " in text[a:start]:
        return ""
    m = _WORD_BEFORE.search(text, max(0, a - 30), a)
    if m is None:
        return ""
    head = m.group(1).lower()
    return head if head in HEAD_TYPES else ""


_PAREN_ACRO = re.compile(r"\s*\(([A-Z][A-Za-z0-9-]{1,14})\)")


def _spelled_out(text: str, end: int, words: Sequence[str]) -> bool:
    """Whether the run is followed by "(ACRO)" spelling its initials (a named thing)."""
    if len(words) < 2:
        return False
    m = _PAREN_ACRO.match(text, end)
    if m is None:
        return False
    initials = "".join(w[0] for w in words if w[:1].isupper()).upper()
    acro = "".join(c for c in m.group(1) if c.isupper())
    return (
        len(acro) >= 2
        and initials.startswith(acro[:2])
        and acro in initials + acro[len(initials) :]
    )


def _chain_types(text: str, cands: list[tuple[int, int, bool]]) -> dict[int, str]:
    """Candidates of a list whose last item is followed by a singular or plural type word
    ("the A, B, and C databases"): index -> that word."""
    out: dict[int, str] = {}
    chain = [0]
    for k in range(1, len(cands) + 1):
        joined = k < len(cands) and _LIST_GAP.fullmatch(text[cands[k - 1][1] : cands[k][0]])
        if joined:
            chain.append(k)
            continue
        if len(chain) >= 3:
            m = _NEXT_WORD.match(text, cands[chain[-1]][1])
            if m and m.group(1).lower() in HEAD_TYPES:
                out.update(dict.fromkeys(chain[:-1], m.group(1).lower()))
        chain = [k]
    return out


_LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_NEXT_WORD = re.compile(r"\s+([a-z]+)")


def _list_members(text: str, cands: list[tuple[int, int, bool]]) -> set[int]:
    """Indices of candidates joined to a neighbour by ", ", " and ", " or " or "/"."""
    out: set[int] = set()
    for k in range(len(cands) - 1):
        gap = text[cands[k][1] : cands[k + 1][0]]
        if gap.strip(" ,") in ("", "and", "or", "/", "&") and len(gap) <= 6 and gap != " ":
            out.update((k, k + 1))
    return out


def _plausible(name: str, local_acronyms: Mapping[str, str] | None) -> bool:
    """Vetoes: generic acronyms, units and companies, invalid names, the paper's own
    abbreviations of lower-case phrases, overlong runs."""
    if not _plausible_name(name):
        return False
    if local_acronyms and name in local_acronyms:
        lf = local_acronyms[name]
        if not any(w[:1].isupper() for w in lf.split()[1:]) and lf[:1].islower():
            return False  # "average treatment effect (ATE)": the paper's abbreviation
    return True


@functools.lru_cache(maxsize=65536)
def _plausible_name(name: str) -> bool:
    words = name.split()
    if len(words) > 6 or len(name) < 2:
        return False
    if name in NOT_NAMES or is_generic_acronym(name) or not is_valid_name(name):
        return False
    if _FORMAT.fullmatch(name) or _SIZE_LED.match(name) or _LOCANT.search(name):
        return False
    if sum(map(str.isalnum, name)) < 3 or (len(name) == 2 and name.isupper()):
        return False  # "FR", "G-S": too short to be told from an abbreviation
    if words[0] in _MONTHS:
        return False  # "July 2002": a date
    if not _ORGANISATION.isdisjoint(words) or _URLISH.search(name) or _FORMULA.fullmatch(name):
        return False
    if all(w in _FUNCTION or is_generic_acronym(w) for w in words):
        return False
    parts = [x for w in words for x in w.split("-") if x]
    # "Retrieval-Augmented Generation": the long form of a generic acronym
    return len(parts) < 2 or not is_generic_acronym("".join(x[0] for x in parts).upper())
