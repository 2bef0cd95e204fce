"""The attribute contract of the assembled graph, and the one place values are made safe.

Every writer (GraphML, GEXF, JSON, CSV, HTML) reads these names.  Values are plain Python
scalars (str, int, float, bool): lists are joined with ``"; "``, numpy scalars become Python
ones, and unknown values (None, NaN) are *omitted* rather than stored.

The value-safety rules live here, for the graph and for every writer: :func:`plain` and
:func:`clean_attrs` (what the graph stores), :func:`scalar` (a plain value of exactly a plain
type), ints beyond 64 bits as text (:data:`BIG`), lone surrogates (:func:`fix_surrogates`),
one type per attribute (:func:`unified_types`), spreadsheet formulas (:func:`defused`), and the
column scan a writer reads to learn which of these a graph needs (:func:`scan_records`).  What
XML 1.0 forbids is :mod:`graphkit.xmlwrite`'s (:func:`~graphkit.xmlwrite.strip_forbidden`).

Paper nodes (``kind="paper"``)
    label, title, abstract, authors ("; "), n_authors, date, year, iso_date, upvotes,
    organization, url, arxiv_id, doi, categories ("; "), sources ("; "),
    short_name, defines ("; "), mentions ("; "), keyphrases ("; ")
Method nodes (``kind="method"``, id ``"method:<Name>"``)
    label, title (full name), method_kind ("method"|"model"|"dataset"|"benchmark"),
    reference (introducing paper per the lexicon), n_mentions
Reference nodes (``kind="reference"``, id ``"reference:<key>"``; works cited by several corpus
papers but absent from it)
    label, title, reference (the key), n_citing (corpus papers citing it)
Paper nodes with references also carry references ("; "-joined keys), other_ids ("; "),
    cited_by_count (as the source gives it)
Added by analysis / layout (every node)
    degree, weighted_degree, pagerank, betweenness, eigenvector, community, community_label,
    x, y, size, color ("#rrggbb"); pagerank_cites (paper and reference nodes of a graph with cites)
Edges (one per pair, undirected graph): kinds ("keyword;similarity"), weight (combined); then,
on a pair with a text kind (every pair of a corpus without references)
    w_keyword, w_similarity, w_mention,
    keyword_terms ("; "), similarity (cosine), similarity_terms ("; "),
    mention_names ("; "), mention_evidence (sentence(s), " | "-joined), mention_from
    (id of the mentioning node; "; "-joined when both ends mention each other)
Citation edges (each kind's fields only on the pairs with that kind: ``cites``,
``cocitation``, ``coupling``)
    w_cites, cites_from (the citing node; "; "-joined when each cites the other),
    cites_evidence (the reference keys as written); w_cocitation, cocitation_shared (number of
    common citers), cocitation_evidence (the most specific of them); w_coupling,
    coupling_shared (number of common references), coupling_evidence
Graph
    name, n_papers, n_methods, modularity, n_communities, seed, n_references (with reference nodes)

>>> plain(("a", "b"))
'a; b'
>>> import numpy as np
>>> type(plain(np.float32(0.5))).__name__
'float'
>>> plain(None) is None and plain(float("nan")) is None
True
>>> clean_attrs({"a": None, "b": [1, 2], "c": 3})
{'b': '1; 2', 'c': 3}
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .xmlwrite import has_forbidden

__all__ = [
    "plain",
    "clean_attrs",
    "LIST_SEP",
    "PAPER",
    "METHOD",
    "REFERENCE",
    "Scalar",
    "BIG",
    "scalar",
    "writer_values",
    "fix_surrogates",
    "unified_types",
    "FORMULA_START",
    "looks_like_formula",
    "defused",
    "ALL_CHECKS",
    "Column",
    "scan_records",
]

#: What every writer is given: a plain scalar.
Scalar = str | int | float | bool

LIST_SEP = "; "
PAPER = "paper"
METHOD = "method"
REFERENCE = "reference"


_STR_ONLY = frozenset({str})


def plain(value: Any) -> str | int | float | bool | None:
    """Turn a value into a writer-safe scalar, or None when it should be omitted."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, str):
        return value
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return plain(value.item())
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        return LIST_SEP.join(str(v) for v in value)
    return str(value)


def clean_attrs(attrs: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    """Apply :func:`plain` to every value, dropping the ones that are unknown."""
    out: dict[str, str | int | float | bool] = {}
    for key, value in attrs.items():
        t = type(value)
        if t is str or t is int or t is bool:  # what plain() returns unchanged (or equal)
            out[key] = value
        elif t is float:
            if value - value == 0.0:  # not NaN nor ±inf
                out[key] = value
        elif (t is tuple or t is list) and set(map(type, value)) <= _STR_ONLY:
            out[key] = LIST_SEP.join(value)
        else:
            v = plain(value)
            if v is not None:
                out[key] = v
    return out


# --------------------------------------------------------------------------- writer safety

#: No 64-bit type in GraphML/GEXF/orjson holds an int this large: writers give it as text.
BIG = 2**63
#: A text starting with one of these runs as a formula in spreadsheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What a scan can check text values for: XML-forbidden characters (``"xml"``), lone
#: surrogates (``"json"``) and a start like a spreadsheet formula (``"formula"``).
ALL_CHECKS: frozenset[str] = frozenset({"xml", "json", "formula"})

_SURROGATES = re.compile("[\ud800-\udfff]")
_FLOAT_KEYS = ("x", "y", "size", "weight")
_INT_KEYS = ("r", "g", "b", "community", "degree")
_BATCH = 20_000  # records read as columns at a time by the scan
_FORMULA_FIRST = frozenset(FORMULA_START)  # all one character long
_first_char = operator.itemgetter(slice(0, 1))


def scalar(value: Any) -> Scalar | None:
    """:func:`plain`, and of exactly a plain type (str enums, numpy.str_… become str).

    >>> import enum
    >>> class Kind(str, enum.Enum):
    ...     PAPER = "paper"
    >>> type(scalar(Kind.PAPER)).__name__
    'str'
    """
    value = plain(value)
    if value is None or type(value) in (str, int, float, bool):
        return value
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return str(value)


def writer_values(
    attrs: Mapping[Any, Any],
    fix: Callable[[str], str] | None = None,
    name: Callable[[Any], str] = str,
) -> dict[str, Scalar]:
    """``attrs`` as a writer takes them: plain scalars of exactly their type (:func:`scalar`),
    unknown values (None, NaN, ±inf) dropped, ints beyond 64 bits (:data:`BIG`) as text, text
    through ``fix`` (what the format cannot hold), keys through ``name``.

    >>> writer_values({"a": float("nan"), "b": 2**70, "c": ("x", "y"), 3: True})
    {'b': '1180591620717411303424', 'c': 'x; y', '3': True}
    """
    out: dict[str, Scalar] = {}
    for key, value in attrs.items():
        t = type(value)
        if t is str:
            if fix is not None:
                value = fix(value)
        elif t is float:
            if value - value != 0.0:  # NaN or ±inf
                continue
        elif t is int:
            if not -BIG < value < BIG:
                value = str(value)
        elif t is not bool:
            value = scalar(value)
            if value is None:
                continue
            if type(value) is int and not -BIG < value < BIG:
                value = str(value)
            elif fix is not None and type(value) is str:
                value = fix(value)
        out[name(key)] = value
    return out


def fix_surrogates(text: str) -> str:
    """Lone surrogates (which UTF-8 cannot hold) become U+FFFD.

    >>> fix_surrogates("half " + chr(0xD800) + " pair")
    'half \ufffd pair'
    """
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


def has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def unified_types(seen_types: Mapping[str, set[type]]) -> tuple[dict[str, type], dict[str, type]]:
    """One type per attribute: ``(types, conversions)``; conversions only where values differ.

    int + float → float, bool + int → int, anything + str → str; layout and style keys keep
    their numeric type.

    >>> unified_types({"a": {int, float}, "b": {int}, "c": {int, str}})
    ({'a': <class 'float'>, 'b': <class 'int'>, 'c': <class 'str'>}, {'a': <class 'float'>, 'c': <class 'str'>})
    """
    types: dict[str, type] = {}
    convert: dict[str, type] = {}
    for key, seen in seen_types.items():
        if len(seen) == 1:
            kind = next(iter(seen))
        else:
            kind = float if seen <= {int, float} else int if seen <= {bool, int} else str
        if key in _FLOAT_KEYS and seen <= {int, float, bool}:
            kind = float
        elif key in _INT_KEYS and seen <= {bool, int}:
            kind = int
        types[key] = kind
        if seen != {kind}:
            convert[key] = kind
    return types, convert


def looks_like_formula(value: Any) -> bool:
    """Whether a spreadsheet would run ``value`` as a formula (before :func:`defused`)."""
    return type(value) is str and value.startswith(FORMULA_START)


def any_formula(texts: list[str]) -> bool:
    """Whether any of ``texts`` starts like a formula (as :func:`looks_like_formula`, in C)."""
    return not _FORMULA_FIRST.isdisjoint(map(_first_char, texts))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def defused(value: Any) -> Any:
    """A text starting like a spreadsheet formula (and not a number) gets a leading ``'``.

    >>> defused("=1+1"), defused("-0.5"), defused("plain")
    ("'=1+1", '-0.5', 'plain')
    """
    if type(value) is str and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


class Column:
    """What a scan found about one attribute key over all nodes (or all edges).

    ``types``: the types its values take once cleaned; ``bad``: some value is not a plain
    str/int/float/bool or is NaN, infinite or too big; ``forbidden``/``surrogates``: some text
    holds what XML forbids / a lone surrogate; ``formula``: some text starts like a
    spreadsheet formula.  Flags of checks the scan was not asked for stay False.
    """

    __slots__ = ("types", "bad", "forbidden", "surrogates", "formula")

    def __init__(self) -> None:
        self.types: set[type] = set()
        self.bad = False
        self.forbidden = False
        self.surrogates = False
        self.formula = False


def scan_records(records: list[Mapping[Any, Any]], checks: frozenset[str]) -> dict[Any, Column]:
    """Scan every attribute of ``records`` (see :class:`Column`) for ``checks``.

    Records are grouped by their keys and read a column at a time (in C, in batches); only
    what types cannot tell is looked at: NaN, ints beyond 64 bits, text to fix, odd objects.

    >>> col = scan_records([{"a": 1}, {"a": float("nan")}, {"a": "=x"}], ALL_CHECKS)["a"]
    >>> sorted(t.__name__ for t in col.types), col.bad, col.formula
    (['int', 'str'], True, True)
    """
    groups: dict[tuple[Any, ...], list[Mapping[Any, Any]]] = {}
    for d in records:
        keys = tuple(d)
        group = groups.get(keys)
        if group is None:
            groups[keys] = [d]
        else:
            group.append(d)
    columns: dict[Any, Column] = {}
    getters = {}
    for keys, group in groups.items():
        for start in range(0, len(group), _BATCH):
            batch = group[start : start + _BATCH]
            for key in keys:
                get = getters.get(key) or getters.setdefault(key, operator.itemgetter(key))
                column = columns.get(key) or columns.setdefault(key, Column())
                _scan_column(list(map(get, batch)), column, checks)
    return columns


def _scan_column(values: list[Any], column: Column, checks: frozenset[str]) -> None:
    """Add what ``values`` (of one key) show to ``column``."""
    found = column.types
    types = set(map(type, values))
    for t in types:
        same = [v for v in values if type(v) is t] if len(types) > 1 else values
        if t is bool:
            found.add(t)
        elif t is str:
            found.add(t)
            _scan_texts(same, column, checks)
        elif t is float:
            total = sum(same)
            if total - total == 0.0 or any(v - v == 0.0 for v in same):
                found.add(t)
            if total - total != 0.0:  # a NaN or infinity (or a sum that overflowed)
                column.bad = True
        elif t is int and min(same) > -BIG and max(same) < BIG:
            found.add(t)
        else:  # big ints, numpy scalars, lists, None…
            column.bad = True
            for v in same:
                v = scalar(v)
                if v is not None:
                    found.add(str if type(v) is int and not -BIG < v < BIG else type(v))


def _scan_texts(texts: list[str], column: Column, checks: frozenset[str]) -> None:
    """Check ``texts`` (of one key) for what ``checks`` asks."""
    forbidden = "xml" in checks and _any_needs_fix(has_forbidden, texts)
    column.forbidden |= forbidden
    # a lone surrogate is also forbidden in XML: when that was checked, only look again if so
    if "json" in checks and ("xml" not in checks or forbidden):
        column.surrogates |= _any_needs_fix(has_surrogates, texts)
    if "formula" in checks and not column.formula:
        column.formula = any_formula(texts)


def _any_needs_fix(
    needs_fix: Callable[[str], bool], texts: list[str], *, batch: int = 2000
) -> bool:
    """Whether any of ``texts`` needs fixing (checked ``batch`` texts at a time)."""
    return any(needs_fix("".join(texts[i : i + batch])) for i in range(0, len(texts), batch))
