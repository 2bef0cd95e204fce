"""The XML rules of the GraphML and GEXF writers: escaping, what XML 1.0 forbids, streaming.

This is the only module that escapes XML or knows its forbidden characters; the format modules
(:mod:`graphkit.export.graphml`, :mod:`graphkit.export.gexf`) write their markup through it.
No element tree and no whole document is ever held in memory: records become text a batch at a
time (:func:`record_bodies`), and text is encoded and written to the binary file a chunk at a
time (:class:`ChunkWriter`).  Records' values already have their key's type (str, int, float or
bool); this module only knows XML:

- text and attribute values are escaped (``&``, ``<``, ``>``; in attributes also ``"``, tab and
  newline, which attribute normalisation would otherwise turn into spaces);
- what XML 1.0 cannot hold is made safe on each chunk: the forbidden control characters and
  U+FFFE/U+FFFF are dropped, lone surrogates become U+FFFD and a carriage return is written as
  ``&#13;`` (a parser would turn a raw one into a newline).  The markup written through this
  module contains none of those characters, so doing it per chunk is the same as doing it per
  value, only faster.

>>> import io
>>> declared = [("label", '  <data key="d0">', str), ("weight", '  <data key="d1">', float)]
>>> bodies = record_bodies([{"label": "A & B\\x00"}, {}, {"weight": 0.5}], declared, "</data>\\n", False)
>>> buf = io.BytesIO()
>>> out = ChunkWriter(buf)
>>> for body in bodies:
...     out.write(f"<node>\\n{body}</node>\\n")
>>> out.close()
>>> print(buf.getvalue().decode())
<node>
  <data key="d0">A &amp; B</data>
</node>
<node>
</node>
<node>
  <data key="d1">0.5</data>
</node>
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import IO, Any

__all__ = [
    "XML_DECL",
    "XSI",
    "KeySpec",
    "Declared",
    "escape_text",
    "escape_attr",
    "xml_safe",
    "strip_forbidden",
    "has_forbidden",
    "xml_type",
    "xml_value",
    "escaped_texts",
    "attr_texts",
    "record_bodies",
    "ChunkWriter",
]

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_DECL = "<?xml version='1.0' encoding='utf-8'?>\n"

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


def xml_type(kind: type) -> str:
    """The GraphML/GEXF attribute type of a Python type (``string`` for any other)."""
    return _XML_TYPES.get(kind, "string")


#: A declared attribute: name, the text written before its value, and its type.
Declared = tuple[str, str, type]


def xml_value(value: Any) -> str:
    """A value of any type as XML text (escaped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, int | float) else escape_text(str(value))


def escaped_texts(values: list[Any], kind: type, attr: bool) -> list[str]:
    """Values of one type as escaped XML text, a column at a time: the common case, text with
    nothing to escape, is one scan of the joined column; otherwise the joined column is
    escaped at once and split again on a separator no value holds.

    >>> escaped_texts(["a<b", "ok", 'say "x"'], str, True)
    ['a&lt;b', 'ok', 'say &quot;x&quot;']
    """
    if kind is str:
        sep = "\x00"  # forbidden in XML: only hostile text holds it (then one value at a time)
        joined = sep.join(values)
        if attr:
            if (
                '"' in joined
                or "&" in joined
                or "<" in joined
                or ">" in joined
                or "\n" in joined
                or "\t" in joined
            ):
                if joined.count(sep) == len(values) - 1:
                    return escape_attr(joined).split(sep)
                return list(map(escape_attr, values))
        elif "&" in joined or "<" in joined or ">" in joined:
            if joined.count(sep) == len(values) - 1:
                return escape_text(joined).split(sep)
            return list(map(escape_text, values))
        return values
    if kind is bool:
        return ["true" if v else "false" for v in values]
    return list(map(repr, values))


def record_bodies(
    records: Sequence[Mapping[str, Any]], declared: list[Declared], close: str, attr: bool
) -> list[str]:
    """Each record's declared attributes as ``prefix value close`` pieces, joined.

    This is the inner loop of both writers, run without a Python step per value: records
    with the same keys are written together, a column at a time (values have their key's
    type, so a column is converted and escaped by a few C calls), and a record is one join
    of its values and the markup between them.
    """
    key_sets = list(map(tuple, records))
    groups = {keys: i for i, keys in enumerate(dict.fromkeys(key_sets))}
    if len(groups) == 1:
        return _group_bodies(records, key_sets[0], declared, close, attr)
    # records sorted by group (in C), written a group at a time, then put back in file order
    group_of = list(map(groups.__getitem__, key_sets))
    order = sorted(range(len(records)), key=group_of.__getitem__)
    sizes = Counter(group_of)
    texts: list[str] = []
    start = 0
    for keys, i in groups.items():
        where = order[start : start + sizes[i]]
        start += sizes[i]
        texts += _group_bodies(list(map(records.__getitem__, where)), keys, declared, close, attr)
    return list(map(texts.__getitem__, sorted(range(len(order)), key=order.__getitem__)))


def _group_bodies(
    records: Sequence[Mapping[str, Any]],
    keys: tuple[str, ...],
    declared: list[Declared],
    close: str,
    attr: bool,
) -> list[str]:
    """:func:`record_bodies` of records that all have exactly ``keys``."""
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
            list(map(repr, column))
            if kind is int or kind is float
            else escaped_texts(column, kind, attr)
        )
        between = close
    columns.append([close] * n)
    return list(map("".join, zip(*columns, strict=True)))


def attr_texts(texts: Sequence[str]) -> list[str]:
    """``texts`` escaped for attribute values (a column at a time)."""
    return escaped_texts(list(texts), str, True)
