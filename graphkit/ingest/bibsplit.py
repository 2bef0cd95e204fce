"""BibTeX text cut into entries fast, exactly as ``bibtexparser``'s splitter cuts it.

bibtexparser's :class:`~bibtexparser.splitter.Splitter` walks the text mark by mark (every
brace, quote, comma, ``=`` and newline) through several method calls each: half of the time of
reading a BibTeX file.  Here the common shape of an entry -- ``@type{key, name = value, ...}``
with values made of brace groups (nested up to :data:`MAX_DEPTH` deep), quoted strings and bare
words -- is matched by regular expressions (atomic groups, so nothing backtracks) and gives the
same type, key, field names, values and line as bibtexparser gives.  Whatever does not have
that shape (a ``(``-delimited entry, deeper braces, an unclosed value, a duplicate field,
``@comment``/``@preamble``, an ``@`` where a block may start, ``{"}``) is left to bibtexparser,
one block at a time, so its entries and errors come from bibtexparser itself.

Blocks are cut where bibtexparser would abort an unclosed entry anyway: at an ``@type{`` or
``@type(`` that starts a line.

>>> [(line, e.entry_type, e.key, e.fields) for line, e in split_entries(
...     '@Article{k1, title = {A {B} c}, year = 2020,}\\n\\n@misc{k2, note="x, y"}')]
[(0, 'article', 'k1', [('title', '{A {B} c}'), ('year', '2020')]), (2, 'misc', 'k2', [('note', '"x, y"')])]
>>> [(line, type(b).__name__) for line, b in split_entries('\\n@article(k, title={x})')]
[(1, 'Entry')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import Block

__all__ = ["FastEntry", "split_entries", "MAX_DEPTH"]

#: Brace nesting the fast path follows inside one value (``{A {B {C {D}}}}`` is 4 deep).
MAX_DEPTH = 5

#: Where bibtexparser starts a block and aborts an unclosed one: ``@type{``/``@type(`` after
#: nothing but white space on its line (its ``_BLOCK_START`` plus ``_is_at_line_start``).
_BLOCK_START = re.compile(r"@\w*[ \t]*(?=[{(])")
_STRING = re.compile(r"@[sS][tT][rR][iI][nN][gG]")

# A mark character (``{``, ``}``, ``"``, ``,``) right after a backslash is plain text for
# bibtexparser (its marks are ``(?<!\\)[...]``): a run of backslashes takes the next character
# with it, whatever follows.
_ESCAPED = r"\\+[\s\S]?"


def _group(depth: int) -> str:
    if depth == 0:
        return r"\{(?>[^{}\\]+|" + _ESCAPED + r")*+\}"
    return r"\{(?>[^{}\\]+|" + _ESCAPED + "|" + _group(depth - 1) + r")*+\}"


_QUOTED = r'"(?>[^"\\]+|' + _ESCAPED + r')*+"'  # braces inside quotes do not count
_VALUE = r'(?>[^{}",\\]+|' + _ESCAPED + "|" + _group(MAX_DEPTH - 1) + "|" + _QUOTED + ")*+"
_NAME = r'[^{}",=\\@]*'  # a field name: no mark, no backslash, no block start
#: A whole entry: ``@type{key,`` (an entry without fields is left to bibtexparser), its
#: ``name = value`` fields separated by commas (one may end the list), the closing ``}``.
_ENTRY = re.compile(
    r"@(\w*)[ \t]*\{(" + _NAME + r"),((?>" + _NAME + "=" + _VALUE + r",)*+(?:"
    + _NAME + "=" + _VALUE + r")?)\s*\}"
)  # fmt: skip
#: The fields of an entry's body (already checked by _ENTRY).
_FIELD = re.compile("(" + _NAME + ")=(" + _VALUE + ")")
_NOT_ENTRIES = ("comment", "preamble", "string")


@dataclass(frozen=True, slots=True)
class FastEntry:
    """An entry as bibtexparser's splitter makes it: ``entry_type`` lowercased, ``key`` and
    field names as written (stripped), values raw (enclosing braces or quotes kept)."""

    entry_type: str
    key: str
    fields: list[tuple[str, str]]


def _match(chunk: str) -> FastEntry | None:
    """``chunk`` (one block and the text after it up to the next block) as an entry, or None
    when it is not of the common shape."""
    m = _ENTRY.match(chunk)
    if m is None or m.group(1).lower() in _NOT_ENTRIES:
        return None
    if "@" in chunk[m.end() :] or '{"}' in chunk:  # maybe another block; bibtexparser's quotes
        return None
    fields = [(k.strip(), v.strip()) for k, v in _FIELD.findall(m.group(3))]
    keys = {k for k, _ in fields}
    if len(keys) < len(fields) or "" in keys:  # bibtexparser: a duplicate-field/error block
        return None
    return FastEntry(m.group(1).lower(), m.group(2).strip(), fields)


def split_entries(text: str, first_line: int = 0) -> Iterator[tuple[int, FastEntry | Block]]:
    """The blocks of BibTeX ``text`` in order, each with its line (counted from 0, plus
    ``first_line``): a :class:`FastEntry` for each entry of the common shape, bibtexparser's
    own blocks (entries, strings, comments, failed blocks) for the rest.

    Text with ``@string`` macros goes to bibtexparser whole (an entry may use a macro that
    another part defines, which its ``ResolveStringReferencesMiddleware`` resolves).
    """
    if _STRING.search(text):
        yield from _bibtexparser_blocks(text, first_line, resolve_strings=True)
        return
    starts = _line_starts_of_blocks(text)
    if not starts:
        yield from _bibtexparser_blocks(text, first_line)
        return
    head = text[: starts[0]]
    line = first_line + head.count("\n")
    if "@" in head:  # a block bibtexparser may start mid-line: let it decide
        yield from _bibtexparser_blocks(head, first_line)
    starts.append(len(text))
    for a, b in zip(starts, starts[1:], strict=False):
        chunk = text[a:b]
        at = chunk.index("@")
        entry = _match(chunk[at:])
        if entry is not None:
            yield line + chunk.count("\n", 0, at), entry
        else:
            yield from _bibtexparser_blocks(chunk, line)
        line += chunk.count("\n")


def _line_starts_of_blocks(text: str) -> list[int]:
    """Where the lines start on which a block starts (``@`` after white space only)."""
    out = []
    for m in _BLOCK_START.finditer(text):  # (a regex anchored at line starts is 5x slower)
        at = m.start()
        line = text.rfind("\n", 0, at) + 1
        if line == at or text[line:at].isspace():
            out.append(line)
    return out


def _bibtexparser_blocks(
    text: str, first_line: int, *, resolve_strings: bool = False
) -> Iterator[tuple[int, Block]]:
    from bibtexparser import middlewares as mw

    stack = [mw.ResolveStringReferencesMiddleware(True)] if resolve_strings else []
    library = bibtexparser.parse_string(text, parse_stack=stack)
    for block in library.blocks:
        yield first_line + (block.start_line or 0), block
