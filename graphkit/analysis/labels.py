"""A short human label for each community, from its most distinctive terms (c-TF-IDF).

The terms of a node are its key phrases, the names it defines and the names it mentions
(``keyphrases``/``defines``/``mentions``, ``"; "``-joined), and for a method node its own name.
A term scores ``tf(t, c) * log(1 + A / f(t))`` in community ``c``, where ``tf`` counts the members
of ``c`` carrying ``t``, ``f`` counts all nodes carrying ``t`` and ``A`` is the average community
size: frequent inside, rare outside.  Terms are compared case-insensitively; a term that contains
(or is contained in) a better one already chosen, as whole words, is skipped, so "speculative
decoding" and "speculative decoding methods" do not both appear.  Terms are listed best first;
ties: higher ``tf``, then alphabetical (case-insensitive).

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("a", keyphrases="speculative decoding; draft model", defines="Medusa")
>>> G.add_node("b", keyphrases="speculative decoding; draft model", mentions="Medusa")
>>> G.add_node("c", keyphrases="speculative decoding; speculative decoding methods")
>>> G.add_node("d", keyphrases="weight quantization", defines="GPTQ")
>>> community_labels(G, {"a": 0, "b": 0, "c": 0, "d": 1})
{0: 'speculative decoding · draft model · Medusa', 1: 'GPTQ · weight quantization'}
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping

import networkx as nx

from ..schema import LIST_SEP

__all__ = ["community_labels", "node_terms", "LABEL_SEP", "TERM_ATTRS"]

LABEL_SEP = " · "
#: Node attributes whose ``"; "``-joined values are a node's terms.
TERM_ATTRS = ("keyphrases", "defines", "mentions")
_MAX_TERM_CHARS = 60
_NON_WORD = re.compile(r"[\W_]+")
_SPLIT = LIST_SEP.strip()


def node_terms(data: Mapping[str, object]) -> list[str]:
    """The distinct terms of one node (as written), in attribute order.

    >>> node_terms({"keyphrases": "LoRA; low-rank adaptation", "mentions": "lora; GPT-4"})
    ['LoRA', 'low-rank adaptation', 'GPT-4']
    >>> node_terms({"kind": "method", "label": "SparseGPT"})
    ['SparseGPT']
    """
    seen: set[str] = set()
    out: list[str] = []
    values: list[str] = []
    if data.get("kind") == "method" and data.get("label"):
        values.append(str(data["label"]))
    for attr in TERM_ATTRS:
        raw = data.get(attr)
        if isinstance(raw, str) and raw:
            values.extend(raw.split(_SPLIT))
    for value in values:
        term = " ".join(value.split())
        if term and len(term) <= _MAX_TERM_CHARS:
            key = term.casefold()
            if key not in seen:
                seen.add(key)
                out.append(term)
    return out


def community_labels(
    G: nx.Graph, partition: Mapping[Hashable, int], *, n_terms: int = 3
) -> dict[int, str]:
    """``{community: "term · term · term"}`` for every community in ``partition``.

    A community without terms is labelled by its best-connected member's short name, label
    or id.
    """
    tf: dict[int, Counter[str]] = defaultdict(Counter)
    df: Counter[str] = Counter()
    surface_count: Counter[str] = Counter()  # written form -> nodes (its key is its casefold)
    members: dict[int, list[Hashable]] = defaultdict(list)
    keys_of: dict[int, list[str]] = defaultdict(list)  # one key per (member, term)
    all_terms: list[str] = []
    nodes = G.nodes
    for node, c in partition.items():
        members[c].append(node)
        terms = node_terms(nodes[node] if node in G else {})
        if terms:
            keys_of[c].extend([t.casefold() for t in terms])
            all_terms.extend(terms)
    if not members:
        return {}
    for c, keys in keys_of.items():  # counted in bulk: one Counter call per community
        tf[c] = Counter(keys)
        df.update(tf[c])
    surface_count.update(all_terms)
    avg = len(partition) / len(members)
    labels: dict[int, str] = {}
    chosen_of: dict[int, list[str]] = {}
    log_avg = math.log
    for c in sorted(members):
        # best first: score desc, then tf desc, then key (keys are unique within a community);
        # the few best of a big community's thousands of terms are almost always enough, so
        # they are taken first (heap) and the whole list sorted only if they are not
        scored = [(-(n * log_avg(1.0 + avg / df[key])), -n, key) for key, n in tf[c].items()]
        few = 8 * n_terms
        chosen = _choose(heapq.nsmallest(few, scored), n_terms)
        if len(chosen) < n_terms and len(scored) > few:
            chosen = _choose(sorted(scored), n_terms)
        chosen_of[c] = chosen
    needed = {k for chosen in chosen_of.values() for k in chosen}
    best: dict[str, tuple[int, str]] = {}  # key -> (-count, written form), the smallest wins
    for term, count in surface_count.items():
        key = term.casefold()
        if key in needed:
            cand = (-count, term)
            if key not in best or cand < best[key]:
                best[key] = cand
    for c, chosen in chosen_of.items():
        if chosen:
            labels[c] = LABEL_SEP.join(best[k][1] for k in chosen)
        else:
            labels[c] = _fallback(G, members[c])
    return labels


def _choose(ranked: list[tuple[float, int, str]], n_terms: int) -> list[str]:
    """The first ``n_terms`` keys of ``ranked`` that neither contain nor are contained in
    (as whole words) one chosen before."""
    chosen: list[str] = []
    for _, _, key in ranked:
        if len(chosen) >= n_terms:
            break
        words = _words(key)
        if any(_contains(words, _words(o)) or _contains(_words(o), words) for o in chosen):
            continue
        chosen.append(key)
    return chosen


def _words(text: str) -> tuple[str, ...]:
    return tuple(_NON_WORD.sub(" ", text).split())


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    """Whether ``inner`` occurs in ``outer`` as a run of whole words."""
    k = len(inner)
    return k > 0 and any(outer[i : i + k] == inner for i in range(len(outer) - k + 1))


def _fallback(G: nx.Graph, members: list[Hashable]) -> str:
    best = min(members, key=lambda n: (-(G.degree(n) if n in G else 0), str(n)))
    data = G.nodes[best] if best in G else {}
    text = " ".join(str(data.get("short_name") or data.get("label") or best).split())
    return text if len(text) <= _MAX_TERM_CHARS else text[: _MAX_TERM_CHARS - 1] + "…"
