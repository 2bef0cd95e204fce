"""Context evidence for the name detector (:mod:`.detect`): what the words around a candidate
say about it -- a type word after it ("X dataset"), a context word before it ("on X", "such as
X"), lists and pairs of candidates ("X, Y and Z databases"), parentheses ("baselines (e.g., X)")
and a spelled-out acronym after it ("Green View Index (GVI)").  Eponyms before a head noun
("Granger causality", "Cronbach's alpha") are in :mod:`.eponyms`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence

from .lexicon import wordset

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
            # other fields' named methods: "MTT assay", "Wilcoxon test", "Glenn procedure"
            "test",
            "tests",
            "assay",
            "assays",
            "procedure",
            "procedures",
            "protocol",
        ),
        "method",
    ),
    **dict.fromkeys(
        (
            "metric",
            "metrics",
            "score",
            "scores",
            "measure",
            "index",
            # instruments: "Likert scale", "Beck Depression Inventory", "WHO criteria"
            "scale",
            "questionnaire",
            "inventory",
            "instrument",
            "criteria",
            "criterion",
        ),
        "metric",
    ),
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
#: Nouns after a symbol that make it a gene, protein, allele or cell marker of the life
#: sciences ("GSK3 activity", "BRCA1 mutations", "Wx-A1a allele", "IL6 levels"), not a name.
BIO_HEADS = wordset(
    """
    gene genes expression protein proteins mutation mutations mutant mutants allele alleles
    locus loci knockout knockdown mrna transcript transcripts transcription receptor receptors
    kinase kinases promoter polymorphism polymorphisms inhibitor inhibitors antibody antibodies
    deficiency signaling signalling pathway phosphorylation isoform isoforms homolog homologs
    homologue genotype genotypes haplotype haplotypes
    """
)
#: Adjectives that say the next name exists already ("the popular X", "compared to recent X");
#: they count only when the name ends its noun phrase ("previous CNER approaches": the
#: adjective is the approaches').
_EXISTING_BEFORE = wordset(
    """
    recent popular vanilla original standard existing prior previous classic classical
    conventional well-known widely-used off-the-shelf
    """
)
#: Verbs right before a name that compare with, use or build on an existing artefact.
_COMPARED_BEFORE = wordset(
    """
    outperforms outperforming surpasses surpassing beats extends extending fine-tune finetune
    fine-tuned finetuned upon adopt adopts adopted employ employs employed apply applies
    applied use uses used
    """
)
#: Words right before a name that introduce an existing artefact.
CONTEXT_BEFORE = (
    wordset(
        """
    on than e.g. e.g., eg such as including include includes like using use uses used via vs
    vs. versus against over with from to and or of namely i.e. i.e., both either
    pretrained pre-trained trained
    """
    )
    | _EXISTING_BEFORE
    | _COMPARED_BEFORE
)
_STRONG_BEFORE = (
    wordset("on than e.g. e.g., eg such including like using via vs vs. versus namely")
    | _EXISTING_BEFORE
)
#: Lower-case words that may follow a plain-word name without making it a modifier.
_FOLLOW_OK = wordset(
    """
    and or with for to on in as at by from which that who is are was were has have had can
    could will would may might to shows show achieves achieve performs perform outperforms
    also uses use while but than into over under via versus vs
    """
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|[Cc]opyright|[Aa]ll rights reserved|[Pp]ublished by")
_COPYRIGHT_BITS = ("©", "(c)", "opyright", "ll rights reserved", "ublished by")
_CITATION_AFTER = re.compile(r"\s*(?:\(\s*(?:\d{4}|[A-Z][a-z]+ et al)|et al\b|,\s*\d{4}\b|['’]s\b)")

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


_PAREN_ACRO = re.compile(r"\s*\(([A-Z][A-Za-z0-9-]{1,14})[),;]")


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
    ("the A, B, and C databases", "the X and Y procedures"): index -> that word."""
    out: dict[int, str] = {}
    chain = [0]
    for k in range(1, len(cands) + 1):
        joined = k < len(cands) and _LIST_GAP.fullmatch(text[cands[k - 1][1] : cands[k][0]])
        if joined:
            chain.append(k)
            continue
        if len(chain) >= 2:
            m = _NEXT_WORD.match(text, cands[chain[-1]][1])
            # "MEG and EEG data": a pair before the weak head "data" is no list of names
            if m and m.group(1).lower() in HEAD_TYPES and (len(chain) >= 3 or m.group(1) != "data"):
                out.update(dict.fromkeys(chain[:-1], m.group(1).lower()))
        chain = [k]
    return out


_LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_NEXT_WORD = re.compile(r"\s+([a-z]+)")


def _list_members(text: str, cands: list[tuple[int, int, bool]]) -> dict[int, int]:
    """Candidates joined to a neighbour by ", ", " and ", " or ", "/" (", and the"): index ->
    the index of the first item of their list."""
    out: dict[int, int] = {}
    for k in range(len(cands) - 1):
        gap = text[cands[k][1] : cands[k + 1][0]]
        if gap != " " and len(gap) <= 10 and gap.strip(" ,") in _LIST_JOINS:
            out[k + 1] = out.setdefault(k, k)
    return out


_LIST_JOINS = frozenset(("", "and", "or", "/", "&", "and the", "or the"))
_INTRO = re.compile(
    r"\b([a-z]+)\s*,?\s*\(?(?:such as|including|like|namely|e\.g\.,?|i\.e\.,?|for example,?)\s+"
    r"(?:the\s+)?"
)
# what may stand between the cue and a later list item: names, commas, "and"/"or", "the"
# (possessive: the alternatives start with different characters, so no backtracking is needed;
# a plain ``*`` here would try every split of a long token, exponential in its length)
_LIST_SO_FAR = re.compile(
    r"(?:[\s,/&]++|\band\b|\bor\b|\bthe\b|[A-Z0-9][\w.+#-]*+|\([^()]{0,40}\))*+"
)


#: The cue literals of :data:`_INTRO` (every match holds one).
_CUE_LITERALS = ("such as", "including", "like", "namely", "e.g.", "i.e.", "for example")


def _intro_cues(text: str) -> tuple[list[int], list[str]]:
    """Where the list cues of ``text`` end ("datasets such as ", "methods, including the ") and
    the word before each (found once per text; most texts have none).

    The same as ``_INTRO.finditer(text)`` (ends, lower-cased first groups), without letting the
    regex try every word of the text: each cue literal is found with ``str.find``; a match
    through the cue at ``c`` can only start where the lower-case word before the separators
    before ``c`` starts, so ``_INTRO.match`` is tried there, cue by cue from the left, skipping
    cues inside the last match (by "feat", session 5: 1.2 s -> 0.17 s per 10k papers)."""
    starts = []
    for lit in _CUE_LITERALS:
        k = text.find(lit)
        while k >= 0:
            starts.append(k)
            k = text.find(lit, k + 1)
    if not starts:
        return [], []
    starts.sort()
    ends: list[int] = []
    heads: list[str] = []
    pos = 0
    for c in starts:
        if c < pos:
            continue
        i = c  # back over the separators _INTRO allows before the cue, then over the word
        while i > 0 and (text[i - 1] in " ,(" or text[i - 1].isspace()):
            i -= 1
        j = i
        while j > 0 and "a" <= text[j - 1] <= "z":
            j -= 1
        if pos <= j < i and (m := _INTRO.match(text, j)) is not None:
            ends.append(m.end())
            heads.append(m.group(1).lower())
            pos = m.end()
    return ends, heads


def _intro_type(text: str, start: int, cues: tuple[list[int], list[str]]) -> str:
    """The type noun introducing the list the name at ``start`` stands in ("datasets such as
    X and Y", "baseline methods, including the X"), or '': the last cue of ``cues``
    (:func:`_intro_cues`) before the name, at most 160 characters back, with only list
    material (names, commas, "and", "the") between them."""
    i = bisect_right(cues[0], start) - 1
    if i < 0 or cues[0][i] < start - 160:
        return ""
    head = cues[1][i]
    if head not in HEAD_TYPES or not _LIST_SO_FAR.fullmatch(text, cues[0][i], start):
        return ""
    return head


_VERSION_AFTER = re.compile(
    r"\s*,?\s*\(?(?:v\.?\s*|version\s+|ver\.\s*|release\s+)(\d+(?:\.\d+)*)\b"
)


def _version_after(text: str, end: int) -> str:
    """The version number written after a name ("Fluent v. 14.5", "SPSS version 21",
    "Stata (version 15)"), or ''."""
    m = _VERSION_AFTER.match(text, end)
    return m.group(1) if m else ""


# a citation right after a name: "(Smith et al., 2020)", "(DAS, Geiger et al. (2024))", "[12]"
_CITED_AFTER = re.compile(
    r"\s*(?:\((?:[A-Z][\w-]*[,;]\s*)?[A-Z][\w'’-]+(?:\s+et\s+al\.?|\s+(?:and|&)\s+[A-Z][\w'’-]+)?"
    r",?\s*\(?\d{4}|\[\d+(?:\s*[,–-]\s*\d+)*\])"
)


# a measure right before a name: "in terms of X", "a 2.6% improvement in X", "gains of up to
# 10.5% in X": the name is what is measured, a metric
_MEASURED_IN = re.compile(
    r"(?:\bin\s+terms\s+of|\b(?:improvement|gain|reduction|increase|decrease|drop|boost|rise"
    r"|degradation)s?\b[^.;:()]{0,30}?\bin)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _measured(text: str, start: int) -> bool:
    """Whether the name at ``start`` is measured by a gain or loss ("a 2.6% improvement in X",
    "in terms of X"); the regex runs only after "in", "of" or "the", so most candidates cost a
    slice.

    >>> text = "a 2.6% improvement in SSIM and better in terms of the NDCG, not on MMLU"
    >>> [_measured(text, text.index(n)) for n in ("SSIM", "NDCG", "MMLU")]
    [True, True, False]
    """
    if not text[max(0, start - 4) : start].endswith(("in ", "of ", "the ")):
        return False
    return _MEASURED_IN.search(text, max(0, start - 60), start) is not None
