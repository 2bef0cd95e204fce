"""Name shape and vetoes for the name detector (:mod:`.detect`): how name-like a token looks,
which spellings are never names, and general English word frequencies.

* :func:`_shape_points` -- points for a token's shape ("DiDeMo", "ERA5", "THUMOS-14": 2;
  "PIE-Bench": 1.5; "Proxy-Tuning", "FoV": 1; plain words and bare acronyms: 0);
* :func:`_plausible` -- vetoes: generic acronyms, units and companies, formulas, sizes, dates,
  locants, organisations, identifiers, the paper's own abbreviations of lower-case phrases;
* :func:`english_zipf` -- general-English frequency (``wordfreq``), the background that tells
  a rare word ("Adafactor") from an ordinary one ("Range").
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping

from .lexicon import NOT_NAMES, is_generic_acronym, is_valid_name, wordset

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
_ELEMENTS = wordset(
    """
    H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se
    Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Nd Sm Eu Gd Pt Au Hg
    Pb Bi U
    """
)
#: the noble gases: in no formula (so "NeMo" is not neon and molybdenum)
_NOBLE = frozenset(("He", "Ne", "Ar", "Kr", "Xe"))
#: a chemical formula ("H2O", "CaCl2", "CH3COO", "NaCl", "FePt"): two or more element symbols
#: with counts
_FORMULA = re.compile(
    "(?:(?:" + "|".join(sorted(_ELEMENTS - _NOBLE, key=len, reverse=True)) + r")\d*){2,}"
)
#: an amino-acid substitution ("A53T", "V600E", "G2019S"): a mutation, not a name
_MUTATION = re.compile(r"[ACDEFGHIKLMNPQRSTVWY]\d{2,4}[ACDEFGHIKLMNPQRSTVWY]")
#: an isotope ("C-14", "U-C-14" for uniformly labelled, "Pb-210"): an element and a mass number
_ISOTOPE = re.compile(
    r"(?:[A-Z]-)?(?:" + "|".join(sorted(_ELEMENTS, key=len, reverse=True)) + r")-\d{1,3}"
)
#: a potency or toxicity measure ("ED50", "LC50", "IC50", "LD90", "pEC50"): a quantity, not a name
_POTENCY = re.compile(r"p?(?:[EILT]?[CD]|GI|LT|TD|MI[CB])(?:50|90|95|99)")
#: a taxon above the genus by the endings of the biological nomenclature codes ("Kalotermitidae",
#: "Rosaceae", "Muscoidea", "Isoptera", "Copepoda", "Calanoida", "Actinomycetes"): organisms,
#: not artefacts
_TAXON = re.compile(
    r"[A-Z][a-z]{2,}(?:idae|inae|oidea|oideae|aceae|ales|ptera|poda|oida|phyta|phyceae|mycetes"
    r"|mycota|opsida|zoa|ota|etes|bacteria|microbia)"
    # and the endings of many bacterial genera ("Salinibacter", "Halomonas", "Streptococcus")
    r"|[A-Z][a-z]*(?:bacter|bacterium|bacillus|coccus|cocci|monas|vibrio|myces)"
)
#: symbols of the life and earth sciences that are concepts, not artefacts: nucleic acids
#: ("rRNA", "siRNA", "T-DNA"), interleukins and cell markers ("IL-6", "CD163", "TNF-alpha" is
#: a word), particulate matter ("PM2.5"), geological epochs ("Holocene") and soil orders
#: ("Andisols"); units ("MPa", "kOe", "Tbit", "mmHg")
_SCIENCE_SYMBOL = re.compile(
    r"(?:[a-z]{1,5}|[A-Z]-)?[RD]NAs?|(?:IL|CD|TNF|TGF|IFN)-?\d{1,3}[a-z]?|PM(?:10|2\.5|1)"
    r"|[A-Z][a-z]*cene|[A-Z][a-z]+sols|[kMGTP]?(?:Pa|Oe)|[kMGTP]bits?|mmHg"
    r"|[Ii]nterleukin-?\d{1,3}|TLR-?\d{1,2}"
    # an ion ("Ca2+", "Ce3+"), a statistic with its value ("OR 2.7", "HR 1.4"), a range of
    # labels ("I-IV", "S1-S5") or a numbered group ("Type 2", "Group 3")
    r"|[A-Z][a-z]?\d?[+-]|(?:OR|HR|RR|CI|AUC|IQR) \d[\d.]*|[IVX]+-[IVX]+|[A-Z]\d+-[A-Z]\d+"
    r"|(?:Type|Group|Grade|Stage|Phase|Class|Level|Cohort|Case|Step|Experiment|Study) \d{1,2}"
)
#: a structured abstract's heading glued to the next word ("ObjectivesMagnetoencephalography",
#: "MethodsSource", "summaryEntrepreneurs"): export debris, not a name
_HEADING_GLUED = re.compile(
    r"(?:[Bb]ackground|[Oo]bjectives?|[Mm]ethods|[Rr]esults|[Cc]onclusions?|[Ss]ignificance"
    r"|[Ss]ummary|[Pp]urpose|[Aa]ims|[Ff]indings)[A-Z][a-z-]+"
)
#: an adjective made of a person's name ("Gaussian", "Bayesian", "Euclidean", "Hamiltonian"):
#: alone it is a concept, not a name
_EPONYM_ADJECTIVE = re.compile(r"[A-Z][a-z]{3,}(?:ian|ean)")
#: words that make a capitalised run an organisation or a publisher, not an artefact
_ORGANISATION = wordset(
    """
    University Universities Institute Institutes Hospital Hospitals Ltd Inc Inc. Corporation
    Corp Company Department Ministry Council Association Foundation Center Centre School
    College Society Academy Agency Bureau Elsevier Springer Wiley Press Publishing Journal
    Committee Commission Organization Organisation Laboratory Laboratories Lab Labs Clinic
    Centers Centres Verlag GmbH KGaA
    """
)

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


def _plausible(name: str, local_acronyms: Mapping[str, str] | None) -> bool:
    """Vetoes: generic acronyms, units and companies, invalid names, the paper's own
    abbreviations of lower-case phrases, overlong runs."""
    if not _plausible_name(name):
        return False
    if local_acronyms and name in local_acronyms:
        lf = local_acronyms[name]
        first = lf.split(" ", 1)[0]
        if not any(w[:1].isupper() for w in lf.split()[1:]) and (
            lf[:1].islower() or (" " in lf and first.isupper() and name.startswith(first))
        ):
            # "average treatment effect (ATE)", "BAS drive (BAS-D)": the paper's abbreviation
            return False
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
    if _MUTATION.fullmatch(name) or _ISOTOPE.fullmatch(name):
        return False  # "A53T", "C-14": a mutation, an isotope
    if _POTENCY.fullmatch(name) or _TAXON.fullmatch(name) or _SCIENCE_SYMBOL.fullmatch(name):
        return False  # "ED50", "Isoptera", "rRNA", "IL-6", "MPa": a measure, a taxon, a symbol
    if _HEADING_GLUED.fullmatch(name):
        return False  # "MethodsSource": a heading glued to the first word
    if _EPONYM_ADJECTIVE.fullmatch(name) and english_zipf(name) < 4.0:
        return False  # "Gaussian", "Bayesian" alone (not "Guardian", an ordinary word)
    if sum(map(str.isalnum, name)) < 3 or (len(name) == 2 and name.isupper()):
        return False  # "FR", "G-S": too short to be told from an abbreviation
    if words[0] in _MONTHS:
        return False  # "July 2002": a date
    if not _ORGANISATION.isdisjoint(words) or _URLISH.search(name) or _FORMULA.fullmatch(name):
        return False
    if all(w in _FUNCTION or is_generic_acronym(w) for w in words):
        return False
    parts = [x for w in words for x in w.split("-") if x]
    # "Retrieval-Augmented Generation": the long form of a generic acronym; a name made of
    # acronyms ("VQA-RAD", "SLAKE-En") spells nothing out
    return (
        len(parts) < 2
        or not all(x[:1].isupper() and x[1:].islower() for x in parts if x[:1].isalpha())
        or not is_generic_acronym("".join(x[0] for x in parts).upper())
    )


#: Endings of the Latin epithet of a species ("ruber", "coli", "brevis", "japonica", "sapiens")
_EPITHET = re.compile(r"[a-z]{2,}(?:us|um|a|is|ae|ii|i|er|ens|ans|ica|ensis|oides|ella|ata|ana|ina)")


def genus_in(text: str, name: str) -> bool:
    """Whether the plain word ``name`` is a genus in ``text``: followed somewhere by a
    lower-case Latin epithet that is no English word, in full or with its initial ("Salinibacter
    ruber", "C. brevis"): an organism, not an artefact.

    >>> genus_in("Strains of Salinibacter ruber grew; S. ruber was dominant.", "Salinibacter")
    True
    >>> genus_in("We train Quorvex models on Quorvex data.", "Quorvex")
    False
    """
    for lead in (name + " ", name[0] + ". "):
        i = text.find(lead)
        while i >= 0:
            j = i + len(lead)
            k = j
            while k < len(text) and "a" <= text[k] <= "z":
                k += 1
            word = text[j:k]
            if (
                (i == 0 or not text[i - 1].isalnum())
                and _EPITHET.fullmatch(word)
                and english_zipf(word) < 2.5
            ):
                return True
            i = text.find(lead, i + 1)
    return False
