"""Streaming GraphML and GEXF writers: records in, UTF-8 XML out in ~1 MB chunks.

No element tree and no whole document is ever held in memory: each node and edge becomes a few
lines of text, and text is encoded and written to the binary file ``fh`` a chunk at a time.
The caller (:mod:`graphkit.export`) gives records whose values already have their key's type
(str, int, float or bool), in a fixed order; this module only knows XML:

- text and attribute values are escaped (``&``, ``<``, ``>``; in attributes also ``"``, tab and
  newline, which attribute normalisation would otherwise turn into spaces);
- what XML 1.0 cannot hold is made safe on each chunk: the forbidden control characters and
  U+FFFE/U+FFFF are dropped, lone surrogates become U+FFFD and a carriage return is written as
  ``&#13;`` (a parser would turn a raw one into a newline).  The markup written here contains
  none of those characters, so doing it per chunk is the same as doing it per value, only faster.

>>> import io
>>> buf = io.BytesIO()
>>> write_graphml_stream(buf, graph={}, node_keys=[("label", str)], edge_keys=[("weight", float)],
...                      node_batches=[(["a", "b"], [{"label": "A & B\\x00"}, {}])],
...                      edge_batches=[(["a"], ["b"], [{"weight": 0.5}])])
>>> print(buf.getvalue().decode().split("<graph ")[1])
edgedefault="undirected">
<node id="a">
  <data key="d0">A &amp; B</data>
</node>
<node id="b"/>
<edge source="a" target="b">
  <data key="d1">0.5</data>
</edge>
</graph>
</graphml>
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import IO, Any

__all__ = [
    "GRAPHML_NS",
    "GEXF_NS",
    "GEXF_VIZ_NS",
    "KeySpec",
    "Viz",
    "escape_text",
    "escape_attr",
    "xml_safe",
    "strip_forbidden",
    "has_forbidden",
    "ChunkWriter",
    "write_graphml_stream",
    "write_gexf_stream",
]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
#: GEXF 1.2 as networkx, Gephi and graphology read it (networkx only knows the "draft" URIs).
GEXF_NS = "http://www.gexf.net/1.2draft"
GEXF_VIZ_NS = "http://www.gexf.net/1.2draft/viz"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_DECL = "<?xml version='1.0' encoding='utf-8'?>\n"

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_FORBIDDEN_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_CHUNK = 1 << 20  # characters per write

KeySpec = tuple[str, type]
Scalar = str | int | float | bool


def escape_text(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` for XML character data.

    >>> escape_text("a < b & c")
    'a &lt; b &amp; c'
    """
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_attr(text: str) -> str:
    """Escape text for a double-quoted XML attribute value (tab and newline kept as references).

    >>> escape_attr('say "hi"\\n')
    'say &quot;hi&quot;&#10;'
    """
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#9;")
    return text


def _forbidden(match: re.Match[str]) -> str:
    return "\ufffd" if match.group() >= "\ud800" and match.group() <= "\udfff" else ""


def strip_forbidden(text: str) -> str:
    """Drop what XML 1.0 forbids, lone surrogates → U+FFFD (for a value, before escaping).

    >>> strip_forbidden("a\\x00b\\x07c\\r")
    'abc\\r'
    """
    if not _FORBIDDEN.search(text):
        return text
    return _FORBIDDEN.sub(_forbidden, text)


def xml_safe(text: str) -> str:
    """Drop what XML 1.0 forbids, lone surrogates → U+FFFD, carriage returns → ``&#13;``.

    Only for text whose markup was written by this module (it has none of those characters).

    >>> xml_safe("a\\x00b\\ud800c\\r")
    'ab\\ufffdc&#13;'
    """
    if _FORBIDDEN.search(text):
        text = _FORBIDDEN.sub(_forbidden, text)
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _encoded_if_safe(text: str, forbidden: bytes) -> bytes | None:
    """``text`` as UTF-8, or None when it holds a lone surrogate, U+FFFE/U+FFFF or a byte of
    ``forbidden`` (checks on the bytes run at C speed, far faster than a regex on the text;
    U+FFFE/U+FFFF are looked for in the text, where finding one character is quickest)."""
    if "\ufffe" in text or "\uffff" in text:
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return None
    if len(data.translate(None, forbidden)) != len(data):
        return None
    return data


def has_forbidden(text: str) -> bool:
    """Whether ``text`` holds what XML 1.0 forbids (control characters, U+FFFE/U+FFFF, lone
    surrogates); tab, newline and carriage return are allowed.

    >>> has_forbidden("tab\\tok"), has_forbidden("bell\\x07"), has_forbidden("half \\ud800")
    (False, True, True)
    """
    return _encoded_if_safe(text, _FORBIDDEN_BYTES) is None


class ChunkWriter:
    """Collect text pieces and write them to a binary file as XML-safe UTF-8, ~1 MB at a time.

    >>> import io
    >>> buf = io.BytesIO()
    >>> out = ChunkWriter(buf)
    >>> out.write("<a>x\\x07</a>")
    >>> out.close()
    >>> buf.getvalue()
    b'<a>x</a>'
    """

    def __init__(self, fh: IO[bytes], *, chunk: int | None = None) -> None:
        self._fh = fh
        self._chunk = chunk or _CHUNK
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        """Queue ``text``; flush when a chunk is full."""
        self._parts.append(text)
        self._size += len(text)
        if self._size >= self._chunk:
            self.flush()

    def flush(self) -> None:
        """Write what is queued."""
        if not self._parts:
            return
        text = "".join(self._parts)
        self._parts.clear()
        self._size = 0
        data = _encoded_if_safe(text, _FORBIDDEN_BYTES + b"\r")
        if data is None:
            data = xml_safe(text).encode("utf-8")
        self._fh.write(data)

    def close(self) -> None:
        """Write what is queued (the file itself stays open: it belongs to the caller)."""
        self.flush()


#: Attribute types, the same words in GraphML and GEXF (``long``: ints are 64-bit).
_XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}

#: A declared attribute: name, the text written before its value, and its type.
Declared = tuple[str, str, type]


def _value(value: Any) -> str:
    """A value of any type as XML text (escaped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, int | float) else escape_text(str(value))


def _texts(values: list[Any], kind: type, attr: bool) -> list[str]:
    """Values of one type as escaped XML text (a column at a time: the common case, text with
    nothing to escape, is one scan of the joined column)."""
    if kind is str:
        joined = "".join(values)
        if attr:
            if (
                '"' in joined
                or "&" in joined
                or "<" in joined
                or ">" in joined
                or "\n" in joined
                or "\t" in joined
            ):
                return list(map(escape_attr, values))
        elif "&" in joined or "<" in joined or ">" in joined:
            return list(map(escape_text, values))
        return values
    if kind is bool:
        return ["true" if v else "false" for v in values]
    return list(map(repr, values))


def _bodies(
    records: Sequence[Mapping[str, Any]], declared: list[Declared], close: str, attr: bool
) -> list[str]:
    """Each record's declared attributes as ``prefix value close`` pieces, joined.

    This is the inner loop of both writers, run without a Python step per value: records
    with the same keys are written together, a column at a time (values have their key's
    type, so a column is converted and escaped by a few C calls), and a record is one join
    of its values and the markup between them.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, keys in enumerate(map(tuple, records)):
        group = groups.get(keys)
        if group is None:
            groups[keys] = [i]
        else:
            group.append(i)
    if len(groups) == 1:
        return _group_bodies(records, next(iter(groups)), declared, close, attr)
    bodies = [""] * len(records)
    for keys, where in groups.items():
        texts = _group_bodies([records[i] for i in where], keys, declared, close, attr)
        for i, text in zip(where, texts, strict=True):
            bodies[i] = text
    return bodies


def _group_bodies(
    records: Sequence[Mapping[str, Any]],
    keys: tuple[str, ...],
    declared: list[Declared],
    close: str,
    attr: bool,
) -> list[str]:
    """:func:`_bodies` of records that all have exactly ``keys``."""
    present = set(keys)
    fields = [(name, prefix, kind) for name, prefix, kind in declared if name in present]
    if not fields:
        return [""] * len(records)
    n = len(records)
    columns: list[list[str]] = []
    between = ""  # the markup between two values: a close, then the next prefix
    for name, prefix, kind in fields:
        column = list(map(itemgetter(name), records))
        columns.append([between + prefix] * n)
        columns.append(
            list(map(repr, column)) if kind is int or kind is float else _texts(column, kind, attr)
        )
        between = close
    columns.append([close] * n)
    return list(map("".join, zip(*columns, strict=True)))


def _attr_texts(texts: Sequence[str]) -> list[str]:
    """``texts`` escaped for attribute values (a column at a time)."""
    return _texts(list(texts), str, True)


# --------------------------------------------------------------------------- GraphML


def write_graphml_stream(
    fh: IO[bytes],
    *,
    graph: Mapping[str, Scalar],
    node_keys: Sequence[KeySpec],
    edge_keys: Sequence[KeySpec],
    node_batches: Iterable[tuple[Sequence[str], Sequence[Mapping[str, Scalar]]]],
    edge_batches: Iterable[tuple[Sequence[str], Sequence[str], Sequence[Mapping[str, Scalar]]]],
    chunk: int | None = None,
) -> None:
    """Write an undirected GraphML document to ``fh`` (see the module docstring).

    ``node_keys``/``edge_keys`` declare ``(name, type)`` in the order data is written; graph
    attributes get keys of their values' types.  Nodes come in batches ``(ids, records)``,
    edges in batches ``(sources, targets, records)``; ids are strings.
    """
    out = ChunkWriter(fh, chunk=chunk)
    head = [
        _DECL,
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{_XSI}" '
        f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">\n',
    ]
    n_keys = 0

    def declare(kind: str, specs: Iterable[KeySpec]) -> list[Declared]:
        nonlocal n_keys
        declared = []
        for name, typ in specs:
            kid = f"d{n_keys}"
            n_keys += 1
            head.append(
                f'<key id="{kid}" for="{kind}" attr.name="{escape_attr(name)}" '
                f'attr.type="{_XML_TYPES.get(typ, "string")}"/>\n'
            )
            declared.append((name, f'  <data key="{kid}">', typ))
        return declared

    graph_keys = declare("graph", ((k, type(v)) for k, v in graph.items()))
    node_decl = declare("node", node_keys)
    edge_decl = declare("edge", edge_keys)
    head.append('<graph edgedefault="undirected">\n')
    for name, open_, _ in graph_keys:
        head.append(f"{open_[2:]}{_value(graph[name])}</data>\n")
    out.write("".join(head))

    for ids, records in node_batches:
        bodies = _bodies(records, node_decl, "</data>\n", False)
        out.write(
            "".join(
                [
                    f'<node id="{i}">\n{body}</node>\n' if body else f'<node id="{i}"/>\n'
                    for i, body in zip(_attr_texts(ids), bodies, strict=True)
                ]
            )
        )
    for sources, targets, records in edge_batches:
        bodies = _bodies(records, edge_decl, "</data>\n", False)
        ends = zip(_attr_texts(sources), _attr_texts(targets), bodies, strict=True)
        out.write(
            "".join(
                [
                    f'<edge source="{u}" target="{v}">\n{body}</edge>\n'
                    if body
                    else f'<edge source="{u}" target="{v}"/>\n'
                    for u, v, body in ends
                ]
            )
        )
    out.write("</graph>\n</graphml>\n")
    out.close()


# --------------------------------------------------------------------------- GEXF

#: A node's viz data: r, g, b (0-255), size, and x, y (None when not laid out).
Viz = tuple[int, int, int, float, float | None, float | None]


def write_gexf_stream(
    fh: IO[bytes],
    *,
    name: str,
    creator: str,
    node_keys: Sequence[KeySpec],
    edge_keys: Sequence[KeySpec],
    node_batches: Iterable[
        tuple[Sequence[str], Sequence[str], Sequence[Viz], Sequence[Mapping[str, Scalar]]]
    ],
    edge_batches: Iterable[
        tuple[Sequence[str], Sequence[str], Sequence[float | None], Sequence[Mapping[str, Scalar]]]
    ],
    chunk: int | None = None,
) -> None:
    """Write an undirected, static GEXF 1.2 document with viz data to ``fh``.

    Nodes come in batches ``(ids, labels, vizs, records)`` and edges in batches ``(sources,
    targets, weights, records)``; edges get ids 0, 1, 2… in the order given.

    >>> import io
    >>> buf = io.BytesIO()
    >>> write_gexf_stream(buf, name="", creator="me", node_keys=[], edge_keys=[],
    ...                   node_batches=[(["a"], ["A"], [(1, 2, 3, 6.0, None, None)], [{}])],
    ...                   edge_batches=[])
    >>> b'<viz:color r="1" g="2" b="3" a="1.0"/>' in buf.getvalue()
    True
    """
    out = ChunkWriter(fh, chunk=chunk)
    head = [
        _DECL,
        f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{GEXF_VIZ_NS}" xmlns:xsi="{_XSI}" '
        f'xsi:schemaLocation="{GEXF_NS} {GEXF_NS}/gexf.xsd" version="1.2">\n',
        f"  <meta>\n    <creator>{escape_text(creator)}</creator>\n  </meta>\n",
        '  <graph defaultedgetype="undirected" mode="static"'
        + (f' name="{escape_attr(name)}">\n' if name else ">\n"),
    ]

    def declare(kind: str, specs: Sequence[KeySpec], first: int) -> list[Declared]:
        if not specs:
            return []
        head.append(f'    <attributes class="{kind}" mode="static">\n')
        declared = []
        for i, (key, typ) in enumerate(specs, start=first):
            head.append(
                f'      <attribute id="{i}" title="{escape_attr(key)}" '
                f'type="{_XML_TYPES.get(typ, "string")}"/>\n'
            )
            declared.append((key, f'          <attvalue for="{i}" value="', typ))
        head.append("    </attributes>\n")
        return declared

    node_decl = declare("node", node_keys, 0)
    edge_decl = declare("edge", edge_keys, len(node_keys))
    head.append("    <nodes>\n")
    out.write("".join(head))

    for ids, labels, vizs, records in node_batches:
        bodies = _bodies(records, node_decl, '"/>\n', True)
        rows = zip(_attr_texts(ids), _attr_texts(labels), vizs, bodies, strict=True)
        out.write("".join([_gexf_node(*row) for row in rows]))
    out.write("    </nodes>\n    <edges>\n")
    n_edges = 0
    for sources, targets, weights, records in edge_batches:
        bodies = _bodies(records, edge_decl, '"/>\n', True)
        rows = zip(_attr_texts(sources), _attr_texts(targets), weights, bodies, strict=True)
        out.write("".join([_gexf_edge(i, *row) for i, row in enumerate(rows, start=n_edges)]))
        n_edges += len(records)
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    out.close()


def _gexf_node(node_id: str, label: str, viz: Viz, body: str) -> str:
    r, g, b, size, x, y = viz
    text = (
        f'      <node id="{node_id}" label="{label}">\n'
        f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0"/>\n'
        f'        <viz:size value="{size!r}"/>\n'
    )
    if x is not None and y is not None:
        text += f'        <viz:position x="{x!r}" y="{y!r}" z="0.0"/>\n'
    if body:
        text += f"        <attvalues>\n{body}        </attvalues>\n"
    return text + "      </node>\n"


def _gexf_edge(i: int, source: str, target: str, weight: float | None, body: str) -> str:
    w = "" if weight is None else f' weight="{weight!r}"'
    head = f'      <edge id="{i}" source="{source}" target="{target}"{w}'
    if body:
        return f"{head}>\n        <attvalues>\n{body}        </attvalues>\n      </edge>\n"
    return head + "/>\n"
