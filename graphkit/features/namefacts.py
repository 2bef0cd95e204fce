"""The evidence about a candidate name that needs no context (:mod:`.detect`): its shape, the
lexicon, a version number or a known family in it, its rarity in English and how the corpus
writes it; and the vendor's acronym a coined name may carry ("ESI OpenFOAM").
"""

from __future__ import annotations

from collections.abc import Container, Mapping

from .lexicon import is_generic_acronym
from .namecontext import HEAD_TYPES
from .nameshape import _ACRO, _HYPHENS, _VERSION_NUMBER, _shape_points, english_zipf

__all__ = ["spelling_facts"]


def spelling_facts(
    name: str, names: Container[str], corpus_df: Mapping[str, int], lower_df: Mapping[str, int]
) -> tuple:
    """The evidence about ``name`` that needs no context (``names``: the known names;
    ``corpus_df`` / ``lower_df``: the detector's corpus counts): (words, shape, whether it is a bare acronym, (points,
    reasons, kind) before the context, (points, reasons, zipf or None) of the plain-word
    tests, (points, reasons) of the corpus counts, whether an untyped bare acronym loses a
    point)."""
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
    known = name in names
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
    elif len(words) > 1 and any(" ".join(words[:k]) in names for k in range(1, len(words))):
        score += 1.5
        reasons.append("known-family+1.5")
    zipf = None
    if not shape and len(words) == 1:
        parts = [w for w in _HYPHENS.split(name) if w[:1].isalpha() and not w.isupper()]
        zipf = min(map(english_zipf, parts)) if parts else 3.5  # acronyms: no rarity
    plain = (score, tuple(reasons), zipf)
    score, reasons = 0.0, []
    df = corpus_df.get(name, 0)
    if df >= 2:
        # other papers write it so too; worth less for a plain word ("Gaussian")
        pts = (2.0 if df >= 5 else 1.0) * (1.0 if shape >= 1.5 else 0.5)
        score += pts
        reasons.append(f"corpus:{df}+{pts:g}")
    low = lower_df.get(name.lower(), 0)
    if low and 3 * low >= df and shape < 1.5:
        score -= 2
        reasons.append(f"lower-case:{low}-2")  # an ordinary word ("Transformer")
    counts = (score, tuple(reasons))
    acro = _ACRO.fullmatch(name) is not None
    tail = len(words) == 1 and acro and not any(c.isdigit() for c in name) and not known
    bare = len(words) == 1 and acro and name.isupper()
    return (words, shape, bare, lead, plain, counts, tail)


def _without_vendor(s: int, name: str, known: Container[str]) -> tuple[int, str]:
    """A two-word name without its vendor's acronym: "ESI OpenFOAM" -> "OpenFOAM", "NVIDIA
    TensorRT" -> "TensorRT" (an all-caps word before a coined, mixed-case name); "ANSYS Fluent"
    and "MS MARCO" keep both words (the second is no coined name by itself).

    >>> _without_vendor(0, "ESI OpenFOAM", ()), _without_vendor(0, "ANSYS Fluent", ())
    ((4, 'OpenFOAM'), (0, 'ANSYS Fluent'))
    """
    first, _, rest = name.partition(" ")
    if (
        " " not in rest
        and first.isalpha()
        and first.isupper()
        and 2 <= len(first) <= 6
        and first not in known
        and any(c.islower() for c in rest)
        and _shape_points(rest) >= 2
    ):
        return s + len(first) + 1, rest
    return s, name
