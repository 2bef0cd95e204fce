"""The writer view of a graph: records made safe for a format, without copying the graph.

:class:`WriterView` is what every writer in :mod:`graphkit.export` reads: nodes sorted by id,
edges by their sorted ends, attributes made safe by the rules of :mod:`graphkit.schema` (plain
scalars, text without what the format cannot hold, and for GraphML, GEXF and CSV one type per
attribute), found by one scan of the graph (:class:`GraphScan`) before writing.
:func:`prepared` builds a copy from the same view.

>>> import networkx as nx
>>> G = nx.Graph([("b", "a")])
>>> G.nodes["a"]["year"], G.nodes["b"]["year"] = 2023, "2024?"
>>> view = WriterView(G, xml=True)
>>> [(n, dict(d)) for n, d in view.nodes()], [(u, v) for u, v, _ in view.edges()]
([('a', {'year': '2023'}), ('b', {'year': '2024?'})], [('a', 'b')])
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any

import networkx as nx

from ..errors import GraphFileError
from ..schema import (
    Column,
    Scalar,
    fix_surrogates,
    unified_types,
    writer_values,
)
from ..xmlwrite import strip_forbidden
from .scan import GraphScan

__all__ = [
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "STYLE_KEYS",
    "BATCH",
    "Plan",
    "WriterView",
    "prepared",
    "to_str",
    "ordered",
]

log = logging.getLogger(__name__)

#: First columns of the node CSV, always present in this order; other attributes follow sorted.
NODE_COLUMNS: tuple[str, ...] = (
    "id", "kind", "label", "title", "short_name", "year", "date", "authors", "n_authors",
    "organization", "url", "arxiv_id", "doi", "categories", "community", "community_label",
    "degree", "weighted_degree", "pagerank", "betweenness", "eigenvector", "x", "y", "size",
    "color", "method_kind", "reference", "n_mentions", "defines", "mentions", "keyphrases",
    "abstract",
)  # fmt: skip
#: First columns of the edge CSV, always present in this order; other attributes follow sorted.
EDGE_COLUMNS: tuple[str, ...] = (
    "source", "target", "kinds", "weight", "w_keyword", "w_similarity", "w_mention",
    "similarity", "keyword_terms", "similarity_terms", "mention_names", "mention_from",
    "mention_evidence",
)  # fmt: skip
#: Node keys the GraphML/GEXF writers derive from ``color``.
STYLE_KEYS = ("r", "g", "b")
#: Records a writer gets at a time (a batch is converted and written a column at a time).
BATCH = 250


def to_str(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


class Plan:
    """What a scan of all node (or all edge) attributes found.

    ``types``: each attribute's one type once cleaned (XML) or its types (JSON);
    ``convert``: attributes whose values need converting to that type;
    ``safe``: raw keys whose every value is already clean, so records holding only those keys
    are used as they are, without a cleaned copy;
    ``formula``: (with ``formula=True``) attributes where a text may start like a spreadsheet
    formula, so that CSV checks only those cells; ``whole``: every key is safe, so that no
    record needs a cleaned copy.
    """

    __slots__ = ("types", "convert", "safe", "formula", "whole")

    def __init__(
        self,
        types: dict[str, type],
        convert: dict[str, type],
        safe: frozenset[Any],
        formula: frozenset[str],
        whole: bool = False,
    ) -> None:
        self.types, self.convert, self.safe, self.formula = types, convert, safe, formula
        self.whole = whole


class WriterView:
    """A writer-safe, sorted view of ``G``: cleaned records one at a time, never a copy.

    ``xml`` strips XML-forbidden characters and gives each attribute one type; with
    ``fix_text=False`` string *values* are left for the XML writer to fix per chunk (node ids
    and attribute names are always fixed here).  ``style`` adds color/size/r/g/b to nodes;
    ``formula`` finds the attributes whose text may start like a spreadsheet formula.
    Records may be ``G``'s own attribute dicts: callers read them and never change them.
    The sorting and the scan of the attributes come from ``scan`` (a :class:`GraphScan` of
    ``G``, shared by several writers) or, by default, from a scan made for this view alone.
    ``G._node``/``G._adj`` (networkx's documented dict-of-dicts, what subclasses build on) are
    read directly: the public views cost a Python call per item, a third of the time here.
    """

    def __init__(
        self,
        G: nx.Graph,
        *,
        xml: bool,
        fix_text: bool = True,
        style: bool = False,
        formula: bool = False,
        scan: GraphScan | None = None,
    ) -> None:
        checks = frozenset(
            ([("xml" if xml else "json")] if fix_text else []) + (["formula"] if formula else [])
        )
        if scan is None:
            scan = GraphScan(G, checks=checks)
        elif scan.source is not G or scan.n_nodes != G.number_of_nodes():
            raise ValueError("scan= is a scan of another graph (or the graph changed since)")
        elif not checks <= scan.checks:
            raise ValueError(f"scan= lacks the checks {sorted(checks - scan.checks)}")
        self.scan = scan
        self.G = G = scan.G
        self.xml = xml
        self.style = style
        self._formula = formula
        self._keyfix = strip_forbidden if xml else fix_surrogates
        self._fix: Callable[[str], str] | None = self._keyfix if fix_text else None
        self._keys: dict[Any, str] = {}
        self.order = scan.order
        keyfix = self._keyfix
        self.ids: list[Hashable] = [keyfix(n) if isinstance(n, str) else n for n in self.order]
        unique = {str(i) for i in self.ids} if xml else set(self.ids)
        if len(unique) != len(self.ids):
            raise GraphFileError(
                "two node ids become the same once made safe for the file",
                hint="Remove control characters from node ids before exporting"
                + (" (and do not mix ids such as 1 and '1')." if xml else "."),
            )

    # -- cleaning

    def _name(self, key: Any) -> str:
        name = self._keys.get(key)
        if name is None:
            name = self._keys[key] = self._keyfix(str(key))
        return name

    def clean(
        self, attrs: Mapping[Any, Any], safe: frozenset[Any] = frozenset()
    ) -> Mapping[str, Scalar]:
        """Plain scalars only: unknown values dropped, big ints as text, keys and text fixed.

        ``attrs`` itself comes back when all its keys are in ``safe``.
        """
        if safe.issuperset(attrs):
            return attrs
        return writer_values(attrs, self._fix, self._name)

    def _scan(
        self, columns: Mapping[Any, Column]
    ) -> tuple[dict[str, set[type]], frozenset[Any], frozenset[str]]:
        """Types each attribute takes once cleaned, keys needing no cleaning, formula-like names."""
        fix = self._fix is not None
        seen: dict[str, set[type]] = {}
        safe = set()
        formula = set()
        for key, column in columns.items():
            name = self._name(key)
            if column.types:
                seen.setdefault(name, set()).update(column.types)
            text_fix = fix and (column.forbidden if self.xml else column.surrogates)
            if not (column.bad or text_fix) and type(key) is str and name == key:
                safe.add(key)
            if self._formula and column.formula:
                formula.add(key)
        # a key whose values get cleaned may start like a formula only once cleaned: check all
        risky = frozenset(self._keys[k] for k in formula | (columns.keys() - safe))
        return seen, frozenset(safe), risky

    def _plan(self, columns: Mapping[Any, Column]) -> Plan:
        seen, safe, formula = self._scan(columns)
        if self.xml:
            types, convert = unified_types(seen)
        else:
            types, convert = {k: next(iter(v)) for k, v in seen.items()}, {}
        # a key whose values get converted is never safe: its records must be copied
        safe = frozenset(k for k in safe if self._keys[k] not in convert)
        return Plan(types, convert, safe, formula, whole=safe.issuperset(columns))

    @cached_property
    def graph(self) -> dict[str, Scalar]:
        """The cleaned graph attributes, sorted by name."""
        return dict(sorted(self.clean(self.G.graph).items()))

    @cached_property
    def _node_plan(self) -> tuple[Plan, dict[Any, tuple[str, float]]]:
        """The node plan, and the styles to apply (when the graph has none of its own)."""
        plan = self._plan(self.scan.node_columns)
        styles: dict[Any, tuple[str, float]] = {}
        if self.style:
            styles = self.scan.styles
            for key in ("size", *STYLE_KEYS, *(("color",) if styles else ())):
                plan.convert.pop(key, None)
            plan.types.update(size=float, r=int, g=int, b=int)
            if styles:
                plan.types["color"] = str
        return plan, styles

    @cached_property
    def _edge_plan(self) -> Plan:
        return self._plan(self.scan.edge_columns)

    @property
    def node_plan(self) -> Plan:
        """What the scan of the node attributes found (see :class:`Plan`)."""
        return self._node_plan[0]

    @property
    def edge_plan(self) -> Plan:
        """What the scan of the edge attributes found (see :class:`Plan`)."""
        return self._edge_plan

    @property
    def node_types(self) -> dict[str, type]:
        """Every node attribute (and, with ``style``, the style keys) with its one type."""
        return self._node_plan[0].types

    @property
    def edge_types(self) -> dict[str, type]:
        """Every edge attribute with its one type."""
        return self._edge_plan.types

    # -- records

    def node_batches(
        self, size: int | None = None
    ) -> Iterator[tuple[list[Hashable], list[Mapping[str, Scalar]]]]:
        """``(ids, records)`` of up to ``size`` (default :data:`BATCH`) nodes, in id order."""
        size = size or BATCH
        node_data = self.G._node
        plan, styles = self._node_plan
        convert, safe, clean = plan.convert, plan.safe, self.clean
        style = self.style
        order, ids = self.order, self.ids
        for start in range(0, len(order), size):
            nodes = order[start : start + size]
            batch = list(map(node_data.__getitem__, nodes))
            if not plan.whole:
                batch = [clean(d, safe) for d in batch]
            if style or convert:
                batch = list(map(dict, batch))
                for node, data in zip(nodes, batch, strict=True):
                    if convert:
                        _convert(data, convert)
                    if style:
                        if styles:
                            data["color"], data["size"] = styles[node]
                        data["size"] = float(data["size"])
                        data["r"], data["g"], data["b"] = _rgb(str(data.get("color", "")))
            yield ids[start : start + size], batch  # type: ignore[misc]

    def edge_batches(
        self, size: int | None = None
    ) -> Iterator[tuple[list[Hashable], list[Hashable], list[Mapping[str, Scalar]]]]:
        """``(source ids, target ids, records)`` of up to ``size`` edges, in file order."""
        size = size or BATCH
        plan = self._edge_plan
        convert, safe, clean = plan.convert, plan.safe, self.clean
        sources, targets, records = self.scan.edge_index
        get = self.ids.__getitem__
        for start in range(0, len(records), size):
            end = start + size
            batch = records[start:end]
            if not plan.whole:
                batch = [clean(d, safe) for d in batch]
            if convert:
                batch = list(map(dict, batch))
                for data in batch:
                    _convert(data, convert)  # type: ignore[arg-type]
            yield list(map(get, sources[start:end])), list(map(get, targets[start:end])), batch

    def nodes(self) -> Iterator[tuple[Hashable, Mapping[str, Scalar]]]:
        """``(id, attrs)`` in id order."""
        for ids, batch in self.node_batches():
            yield from zip(ids, batch, strict=True)

    def edges(self) -> Iterator[tuple[Hashable, Hashable, Mapping[str, Scalar]]]:
        """``(source id, target id, attrs)``, ends and edges in id order."""
        for sources, targets, batch in self.edge_batches():
            yield from zip(sources, targets, batch, strict=True)


def _convert(data: dict[str, Scalar], convert: Mapping[str, type]) -> None:
    for key, kind in convert.items():
        value = data.get(key)
        if value is not None and type(value) is not kind:
            data[key] = to_str(value) if kind is str else kind(value)


@functools.lru_cache(maxsize=4096)  # a graph has a few dozen colours
def _rgb(color: str) -> tuple[int, int, int]:
    """``"#4e79a7"`` → (78, 121, 167); anything unreadable → grey."""
    text = color.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        return 204, 204, 204


def ordered(keys: Iterable[str], first: Iterable[str]) -> list[str]:
    """``first`` (those present) then the other keys sorted."""
    keys = set(keys)
    head = [k for k in dict.fromkeys(first) if k in keys]
    return head + sorted(keys - set(head))


def prepared(G: nx.Graph, *, xml: bool = True) -> nx.Graph:
    """A writer-safe copy of ``G`` (see the module docstring); the writers stream instead.

    ``xml=True`` (GraphML, GEXF, CSV) also strips control characters and gives each attribute
    one type; ``xml=False`` (JSON) keeps values exactly, so JSON round-trips.

    >>> import networkx as nx
    >>> G = nx.Graph([(2, 1)])
    >>> G.nodes[1]["year"], G.nodes[2]["year"] = 2023, "2024?"
    >>> H = prepared(G)
    >>> list(H.nodes(data="year")), list(H.edges)
    ([(1, '2023'), (2, '2024?')], [(1, 2)])
    """
    view = WriterView(G, xml=xml)
    H = nx.Graph()
    H.graph.update(view.clean(G.graph))
    H.add_nodes_from(view.nodes())
    H.add_edges_from(view.edges())
    return H
