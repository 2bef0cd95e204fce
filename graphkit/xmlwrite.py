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
...                      nodes=[("a", {"label": "A & B\\x00"}), ("b", {})],
...                      edges=[("a", "b", {"weight": 0.5})])
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


def _fields(
    parts: list[str], declared: list[Declared], data: Mapping[str, Any], close: str, attr: bool
) -> int:
    """Append ``prefix value close`` for each declared attribute in ``data``; how many.

    This is the innermost loop of both writers: values have their key's type (str, int, float
    or bool), so the type is looked up once per key and the common case, text with nothing
    to escape, costs a few ``in`` tests.
    """
    n = len(parts)
    for name, prefix, kind in declared:
        value = data.get(name)
        if value is None:
            continue
        if kind is str:
            if attr:
                if (
                    '"' in value
                    or "&" in value
                    or "<" in value
                    or ">" in value
                    or "\n" in value
                    or "\t" in value
                ):
                    value = escape_attr(value)
            elif "&" in value or "<" in value or ">" in value:
                value = escape_text(value)
        elif kind is bool:
            value = "true" if value else "false"
        else:
            value = repr(value)
        parts += (prefix, value, close)
    return (len(parts) - n) // 3


# --------------------------------------------------------------------------- GraphML


def write_graphml_stream(
    fh: IO[bytes],
    *,
    graph: Mapping[str, Scalar],
    node_keys: Sequence[KeySpec],
    edge_keys: Sequence[KeySpec],
    nodes: Iterable[tuple[str, Mapping[str, Scalar]]],
    edges: Iterable[tuple[str, str, Mapping[str, Scalar]]],
    chunk: int | None = None,
) -> None:
    """Write an undirected GraphML document to ``fh`` (see the module docstring).

    ``node_keys``/``edge_keys`` declare ``(name, type)`` in the order data is written; graph
    attributes get keys of their values' types.  Node ids are strings.
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

    for node_id, data in nodes:
        parts = [f'<node id="{escape_attr(node_id)}">\n']
        if _fields(parts, node_decl, data, "</data>\n", False):
            parts.append("</node>\n")
        else:
            parts[0] = parts[0][:-2] + "/>\n"
        out.write("".join(parts))
    for source, target, data in edges:
        parts = [f'<edge source="{escape_attr(source)}" target="{escape_attr(target)}">\n']
        if _fields(parts, edge_decl, data, "</data>\n", False):
            parts.append("</edge>\n")
        else:
            parts[0] = parts[0][:-2] + "/>\n"
        out.write("".join(parts))
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
    nodes: Iterable[tuple[str, str, Viz, Mapping[str, Scalar]]],
    edges: Iterable[tuple[str, str, float | None, Mapping[str, Scalar]]],
    chunk: int | None = None,
) -> None:
    """Write an undirected, static GEXF 1.2 document with viz data to ``fh``.

    ``nodes`` yields ``(id, label, viz, attrs)`` and ``edges`` ``(source, target, weight, attrs)``;
    edges get ids 0, 1, 2… in the order given.

    >>> import io
    >>> buf = io.BytesIO()
    >>> write_gexf_stream(buf, name="", creator="me", node_keys=[], edge_keys=[],
    ...                   nodes=[("a", "A", (1, 2, 3, 6.0, None, None), {})], edges=[])
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

    for node_id, label, (r, g, b, size, x, y), data in nodes:
        parts = [
            f'      <node id="{escape_attr(node_id)}" label="{escape_attr(label)}">\n'
            f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0"/>\n'
            f'        <viz:size value="{size!r}"/>\n'
        ]
        if x is not None and y is not None:
            parts.append(f'        <viz:position x="{x!r}" y="{y!r}" z="0.0"/>\n')
        _attvalues(parts, node_decl, data)
        parts.append("      </node>\n")
        out.write("".join(parts))
    out.write("    </nodes>\n    <edges>\n")
    for i, (source, target, weight, data) in enumerate(edges):
        w = "" if weight is None else f' weight="{weight!r}"'
        parts = [
            f'      <edge id="{i}" source="{escape_attr(source)}" target="{escape_attr(target)}"{w}'
        ]
        if _attvalues(parts, edge_decl, data, open_=">\n"):
            parts.append("      </edge>\n")
        else:
            parts.append("/>\n")
        out.write("".join(parts))
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    out.close()


def _attvalues(
    parts: list[str], declared: list[Declared], data: Mapping[str, Any], *, open_: str = ""
) -> bool:
    """Append ``<attvalues>`` for ``data`` to ``parts``; False when there is none."""
    start = len(parts)
    if not _fields(parts, declared, data, '"/>\n', True):
        return False
    parts.insert(start, f"{open_}        <attvalues>\n")
    parts.append("        </attvalues>\n")
    return True
