"""Rules 3 and 4 of the definition finder (:mod:`.names`): the name after a proposal verb
("we propose / introduce / present ... X", "We ... and introduce X", "our X model") and after a
naming word ("dubbed / called / named / termed / denoted as / referred to as X").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..model import Definition
from .acronyms import _clean, _words
from .lexicon import GENERIC_ACRONYMS, is_generic_acronym, looks_like_name, wordset

__all__ = ["verb_definitions", "dubbed_definitions", "GENERIC_TITLE_WORDS"]

#: Words that are no name on their own (a title "Survey: ...", "called Benchmark").
GENERIC_TITLE_WORDS = wordset(
    """
    survey overview tutorial review introduction preface perspective position report
    benchmark dataset editorial abstract appendix conclusion part chapter
    """
)

_VERB_TAIL = (
    r"\s+(?:also\s+|further\s+|then\s+|first\s+)?"
    r"(?:propose|introduce|present|develop|design|build|release|create|construct|curate|devise|"
    r"contribute|open-source)s?\b([^.;:!?]*)"
)
_VERB_RE = re.compile(r"\b(?:we|this (?:paper|work)|here we)" + _VERB_TAIL, re.IGNORECASE)
# "We also trace the cause ... and introduce X": the verb of a second clause of a "we" sentence
# (scanned on lower-cased text: the literal "and" lets the regex engine skip to it)
_AND_VERB_RE = re.compile(
    r"and\s+(?:also\s+|further\s+|then\s+)?(?:propose|introduce|present|develop|design)s?\b"
    r"([^.;:!?]*)"
)
_WE_BEFORE = re.compile(r"\b[Ww]e\s+\w+[^.;:!?]*$")
# "our MAD-LTX model outperforms ...": a coined name before a head noun, after "our"
_OUR_NAME = re.compile(r"\b[Oo]ur\s+([A-Za-z][\w+.-]*[\w+])\s+([a-z]+)\b")
# the same on lower-cased ASCII text, case-sensitive, each branch opening with a letter (w, t,
# h) and the word-start test after it: the regex engine can then skip to those letters
_VERB_LOWER_RE = re.compile(
    r"(?:w(?<!\w.)e|t(?<!\w.)his (?:paper|work)|h(?<!\w.)ere we)" + _VERB_TAIL
)
_DUBBED_RE = re.compile(
    r"\b(?:dubbed|called|named|termed|coined|nicknamed|we (?:call|name|term|dub)(?: (?:it|this|them))?"
    r"|denoted(?: as| by)?|referred to as|(?:we )?refer to (?:[\w-]+ ){1,5}?as|abbreviated as)"
    r"\s*[\"“'‘]?\s*"
    r"((?:[A-Z][\w+-]*|[a-z]+[A-Z][\w+-]*)(?:\.\d+)?"
    r"(?:(?:[ ](?:of|for|with|in|on|to|and|the|a))?[ ](?!(?:And|Or|As|We|Our|The|In|It)\b)[A-Z][\w+-]*){0,5})"
)
#: Words just before "called X" that say X already exists ("the popular dataset called X").
_EXISTING = wordset(
    """
    previous prior existing popular well-known standard mainstream public publicly known so-
    called commonly widely classic classical conventional traditional famous
    """
)
_ADJ_SUFFIX = re.compile(r"-(?:based|aware|like|style|free|guided|driven|specific|level|wise)$")
_CLAUSE = wordset(
    """
    which that to for and with is as in on by from where whose achieves achieving using uses
    """
)


# "a novel approach, ScenTest, ...": a name in apposition to the proposed thing
_APPOSITION = re.compile(
    r"\s*(?:(?:a|an|the|our)\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:approach|method|framework|model|system|algorithm|technique|tool|toolkit|dataset|"
    r"benchmark|pipeline|architecture|metric|library|agent|strategy|module),\s+"
    r"([A-Za-z][\w+.-]*[\w+])\s*[,(]"
)
# the same with a run of two to six capitalised words after any noun and an optional "the"
_APPOSITION_RUN = re.compile(
    r"\s*(?:(?:a|an|the|our)\s+)?(?:[\w-]+\s+){0,4}?[a-z][\w-]*,\s+(?:the\s+)?"
    r"((?:[A-Z][\w+-]*)(?:\s+[A-Z][\w+-]*){1,5})\s*[,(]"
)
_CLAUSE_END = re.compile(
    r"\s(?:that|which|to|for|by|where|whose|of|on|in|from|about)\s|,\s(?!dubbed|called|named)"
)
_PAREN_TOKEN = re.compile(r"\(([^()]{2,30})\)")
_POSSESSIVE = re.compile(r"(?:'s|’s)$")
# literal words one of which every _DUBBED_RE match contains (a cheap test before the regex)
_DUBBED_WORDS = (
    "dubbed",
    "called",
    "named",
    "termed",
    "coined",
    "we call",
    "we name",
    "we term",
    "we dub",
    "denoted",
    "refer",
    "abbreviated",
)


_SMALL = wordset(
    """
    a an the of for and or in on to with by at from vs via
    """
)


def _first_name_token(text: str, limit: int = 8) -> str:
    clause = _CLAUSE_END.split(text + " ", maxsplit=1)[0]
    for m in _PAREN_TOKEN.finditer(" ".join(_words(clause)[: limit + 6])):
        tok = _clean(m.group(1))
        if looks_like_name(tok) and not is_generic_acronym(tok):
            return tok
    words = _words(clause)
    for i, raw in enumerate(words[:limit]):
        tok = _clean(raw.split("(")[-1])
        if _ADJ_SUFFIX.search(tok):
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        ends = raw[-1:] in ",.;:)" or not nxt or nxt[:1] in '("“' or nxt.lower() in _CLAUSE
        if not ends and not (
            nxt.lower().strip(",.;") in _HEAD_NOUNS and looks_like_name(_clean(raw))
        ):
            continue  # "we present a T2I model": the token modifies a noun, it is not the name
        tok = _POSSESSIVE.sub("", tok)
        if tok and looks_like_name(tok) and not is_generic_acronym(tok) and len(tok) <= 40:
            return tok
    return _title_case_run(words[:limit])


#: Nouns that a coined name may stand before ("a novel AfLite algorithm").
_HEAD_NOUNS = wordset(
    """
    method approach framework model algorithm module architecture strategy technique system
    pipeline scheme mechanism network benchmark dataset metric loss protocol toolkit library
    """
)
_RUN_LEAD = wordset(
    """
    a an the novel new simple lightweight general unified effective efficient generic flexible
    yet and so-called
    """
)


def _title_case_run(words: Sequence[str]) -> str:
    """A run of two to six capitalised words opening the clause after its determiners and
    adjectives, ended by a lower-case word or punctuation ("introduce Circular Latent Encoding
    to ...", "we propose a Progressive Injection Schedule that ..."), unless it spells out a
    generic acronym ("Graph Neural Network")."""
    i = 0
    while i < len(words) and words[i].lower() in _RUN_LEAD:
        i += 1
    run: list[str] = []
    for raw in words[i:]:
        if raw[:1] in '("“':
            break
        tok = raw.strip("\"“”'‘’()")
        if not tok[:1].isupper() or (run and tok.lower() in _SMALL):
            break
        if tok.rstrip(",.;:").isupper():
            break  # an acronym after the run is its abbreviation ("Adaptive Guidance AG")
        run.append(tok.rstrip(",.;:"))
        if raw[-1:] in ",.;:)":
            break
    if not 2 <= len(run) <= 6:
        return ""
    name = " ".join(run)
    initials = "".join(w[0] for w in run)
    if is_generic_acronym(initials) or initials.upper() in GENERIC_ACRONYMS:
        return ""
    return name


def verb_definitions(
    abstract: str, is_known: Callable[[str, str], bool] | None
) -> list[Definition]:
    """Rule 3: the name each "we propose / introduce / ..." clause of ``abstract`` introduces."""
    if abstract.isascii():  # lower() keeps offsets: scan case-sensitively, quote the original
        verbs = [abstract[m.start(1) : m.end(1)] for m in _VERB_LOWER_RE.finditer(abstract.lower())]
    else:
        verbs = [m.group(1) for m in _VERB_RE.finditer(abstract)]
    if " and " in abstract:
        # str.lower keeps the offsets of ASCII text; other text is scanned as it is
        low = abstract.lower() if abstract.isascii() else abstract
        verbs += [
            abstract[m.start(1) : m.end(1)]
            for m in _AND_VERB_RE.finditer(low)
            if (m.start() == 0 or not low[m.start() - 1].isalnum())
            and _WE_BEFORE.search(abstract, max(0, m.start() - 200), m.start())
        ]
    found = []
    for clause in verbs:
        if clause.lstrip().startswith(("upon ", "on ")):
            continue  # "we build upon/on X": X exists already
        tok = _first_name_token(clause)
        if not tok and (m := _APPOSITION.match(clause)) and looks_like_name(m.group(1)):
            tok = m.group(1)  # "we propose a novel approach, ScenTest, that ..."
        if not tok and (m := _APPOSITION_RUN.match(clause)):
            tok = m.group(1)  # "we present a unique apparatus, the Foo Gas-Ash Reactor, ..."
        if tok and not (is_known is not None and is_known(tok, "")):
            found.append(Definition(tok, (), "verb", ""))
    if "our " in abstract or "Our " in abstract:
        for m in _OUR_NAME.finditer(abstract):
            tok, head = m.group(1), m.group(2)
            if (
                head in _HEAD_NOUNS
                and not (tok.isalpha() and tok.isupper())  # "our ASLP method": a task
                and looks_like_name(tok)
                and not is_generic_acronym(tok)
                and not (is_known is not None and is_known(tok, ""))
            ):
                found.append(Definition(tok, (), "verb", ""))
    return found


def _dubbed_start(abstract: str) -> int:
    """Where a :data:`_DUBBED_RE` match can start at the earliest, or -1 if ``abstract`` has
    none: every match begins at one of the :data:`_DUBBED_WORDS`, or at most four characters
    before one ("we refer", "nicknamed"); the regex looks at the text before the position it
    starts from, so its ``\\b`` tests are unchanged."""
    first = -1
    for word in _DUBBED_WORDS:
        i = abstract.find(word)
        if i >= 0 and (first < 0 or i < first):
            first = i
    return max(0, first - 4) if first >= 0 else -1


def dubbed_definitions(
    abstract: str, is_known: Callable[[str, str], bool] | None
) -> list[Definition]:
    """Rule 4: names after "dubbed / called / named / ..." in ``abstract``."""
    start = _dubbed_start(abstract)
    found: list[Definition] = []
    for m in _DUBBED_RE.finditer(abstract, start) if start >= 0 else ():
        name = _clean(m.group(1))
        before = {
            w.lower().strip(",;") for w in _words(abstract[max(0, m.start() - 60) : m.start()])[-4:]
        }
        if before & _EXISTING:
            continue  # "the previous mainstream dataset called PHOENIX14T" exists already
        if not name or is_generic_acronym(name) or name.lower() in GENERIC_TITLE_WORDS:
            continue
        first = name.split(" ")[0]
        if " " in name and looks_like_name(first):
            name = first  # "named DyLAN for LLM-agent": a coined token is the whole name
        if not looks_like_name(name) and len(name) < 3:
            continue
        if is_known is not None and is_known(name, ""):
            continue  # "a technique called Low-Rank Adaptation": a known name, used
        after = abstract[m.end() : m.end() + 2]
        if (
            " " not in name
            and not looks_like_name(name)
            and after[:1] not in ("", ",", ".", ";", ":", "(", ")", '"', "”", "'")
        ):
            continue  # "called Balance score": a plain word followed by more words is not the name
        found.append(Definition(name, (), "dubbed", ""))
    return found
