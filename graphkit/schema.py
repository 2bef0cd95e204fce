"""The attribute contract of the assembled graph, and the one place values are made safe.

Every writer (GraphML, GEXF, JSON, CSV, HTML) reads these names.  Values are plain Python
scalars (str, int, float, bool): lists are joined with ``"; "``, numpy scalars become Python
ones, and unknown values (None, NaN) are *omitted* rather than stored.

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
    x, y, size, color ("#rrggbb")
Edges (one per pair, undirected graph)
    kinds ("keyword;similarity"), weight (combined), w_keyword, w_similarity, w_mention,
    keyword_terms ("; "), similarity (cosine), similarity_terms ("; "),
    mention_names ("; "), mention_evidence (sentence(s), " | "-joined), mention_from
    (id of the mentioning node; "; "-joined when both ends mention each other)
Citation edges (only on pairs with a citation kind: ``cites``, ``cocitation``, ``coupling``)
    w_cites, cites_from (the citing node; "; "-joined when each cites the other),
    cites_evidence (the reference keys as written), w_cocitation, cocitation_shared (number of
    common citers), cocitation_evidence (the most specific of them), w_coupling,
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
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["plain", "clean_attrs", "LIST_SEP", "PAPER", "METHOD", "REFERENCE"]

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
