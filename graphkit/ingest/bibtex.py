"""Reader for BibTeX, built on ``bibtexparser`` 2.x (no hand-written parsing).

bibtexparser splits the text into entries and fields; only the fields graphkit reads are then
LaTeX-decoded (``{\\"u}`` → ``ü``, ``{BERT}`` → ``BERT``): the common markup by
:func:`~graphkit.ingest.latex.decode_latex`, the rest by pylatexenc as bibtexparser's ``LatexDecodingMiddleware``
does.  Names with braces are split by bibtexparser's name functions.  Large files are parsed by
forked workers (:data:`PARALLEL_MIN_CHARS`).  Blocks the parser cannot read become an
:class:`~graphkit.errors.IngestError` with their line.

>>> from graphkit.ingest.record import ReadContext
>>> bib = '@article{k, title={{BERT}: M{\\\\"u}nchen}, author={Devlin, Jacob and M{\\\\"u}ller, J.}, year=2019}'
>>> [p] = parse_bibtex(bib, ReadContext("refs.bib"))
>>> p.title, p.authors, p.year, p.sources
('BERT: München', ('Jacob Devlin', 'J. Müller'), 2019, ('refs.bib:1',))
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator

from bibtexparser import middlewares as mw
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    Entry,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)
from pylatexenc.latex2text import LatexNodes2Text

from ..model import Paper
from .bibsplit import FastEntry, split_entries
from .latex import decode_latex, has_markup, unbraced
from .normalise import arxiv_id_from_text, clean_text, normalise_arxiv_id
from .record import ReadContext, make_paper
from .source import Source

__all__ = ["read_bibtex", "parse_bibtex", "decode_latex"]

log = logging.getLogger(__name__)

_NON_PAPER_TYPES = {"string", "preamble", "comment"}
_LATEX = LatexNodes2Text()  # names, as before: the default decoder (not bibtexparser's)


#: bibtexparser's decoder (pylatexenc set up as its LatexDecodingMiddleware does: math kept
#: verbatim, ``\\url{x}`` as ``x``), for the words :func:`decode_latex` leaves to it.
_DECODER = mw.LatexDecodingMiddleware(True)


def _latex_value(text: str) -> str:
    return _DECODER._transform_python_value_string(text)[0]  # (text, error): as written on error


#: " and " between names (BibTeX's separator; braces protect an "and" inside a name).
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _split_names(value: str) -> list[object]:
    """An author list split into names: ``Last, First`` and ``Last, Jr, First`` turned into
    ``First Last[, Jr]`` here when no braces are involved (bibtexparser's character-by-character
    name parsing took a fifth of the reading time); with braces, bibtexparser's own
    ``split_multiple_persons_names``/``parse_single_name_into_parts`` decide."""
    if "{" in value:
        return [
            mw.names.parse_single_name_into_parts(n, strict=False)
            for n in mw.names.split_multiple_persons_names(value)
        ]
    return [_flip(n) for n in _AND.split(value.strip()) if n.strip()]


def _flip(name: str) -> str:
    parts = [" ".join(p.split()) for p in name.split(",")]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}".strip()
    if len(parts) == 3:
        return f"{parts[2]} {parts[0]}".strip() + (f", {parts[1]}" if parts[1] else "")
    return " ".join(name.split())


def _unenclosed(value: str) -> str:
    """A value without its enclosing braces or quotes (bibtexparser's own rule, applied to the
    fields read rather than by a middleware over every field)."""
    if value[:1] == "{" and value[-1:] == "}" and len(value) >= 2:  # the common case, as
        inner = value[1:-1]  # bibtexparser's own fast path decides it
        if "{" not in inner and "}" not in inner and not inner.endswith("\\"):
            return inner
    return mw.RemoveEnclosingMiddleware._strip_enclosing(value)[0]


def _name(value: object) -> str:
    if isinstance(value, mw.NameParts):
        name = " ".join([*value.first, *value.von, *value.last])
        if value.jr:
            name += ", " + " ".join(value.jr)
    else:
        name = str(value)
    return clean_text(unbraced(decode_latex(name, _latex_name)))


def _latex_name(name: str) -> str:
    try:
        return _LATEX.latex_to_text(name)
    except Exception as exc:  # pylatexenc raises assorted errors on broken LaTeX
        log.debug("cannot decode LaTeX in author name %r: %s", name, exc)
        return name


def _field(fields: dict[str, object], *keys: str, clean: bool = True) -> str:
    """The first of ``keys`` with a non-empty value, braces removed (``fields``: lowercase key
    → value, made once per entry); white space collapsed unless not ``clean`` (for the
    abstract, which make_paper cleans anyway: a second pass over the longest value)."""
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            value = unbraced(decode_latex(_unenclosed(value), _latex_value))
            return clean_text(value) if clean else value
    return ""


def _authors(fields: dict[str, object]) -> list[str]:
    value = fields.get("author")
    if not isinstance(value, str):
        return []
    value = _unenclosed(value)
    if "{" in value or has_markup(value):
        names = [_name(v) for v in _split_names(value)]
    else:  # plain names: _name would give each back unchanged
        names = _split_names(value)  # type: ignore[assignment]
    return [n for n in names if n and n.lower() != "others"]


def _arxiv(fields: dict[str, object]) -> str:
    eprint = _field(fields, "eprint", "arxivid", "arxiv")
    prefix = _field(fields, "archiveprefix", "eprinttype").lower()
    if eprint and (prefix in ("", "arxiv") or normalise_arxiv_id(eprint)):
        found = normalise_arxiv_id(eprint)
        if found:
            return found
    for key in ("journal", "note", "howpublished", "volume", "url"):
        found = arxiv_id_from_text(_field(fields, key))
        if found:
            return found
    return ""


def _paper(
    key: str, pairs: Iterable[tuple[str, object]], ctx: ReadContext, line: int
) -> Paper | None:
    fields: dict[str, object] = {}
    for name, value in pairs:  # the first of a repeated key, as fields_dict keeps it
        fields.setdefault(name.lower(), value)
    title = _field(fields, "title")
    if not title:
        ctx.bad(
            f"entry '{key}' has no title",
            line=line,
            hint="Add a title field, or use --skip-bad to skip such entries.",
        )
        return None
    return make_paper(
        ctx,
        ctx.where(line=line),
        title=title,
        abstract=_field(fields, "abstract", clean=False),
        authors=_authors(fields),
        date=_field(fields, "date") or _field(fields, "year"),
        url=_field(fields, "url"),
        arxiv_id=_arxiv(fields),
        doi=_field(fields, "doi"),
        categories=_field(fields, "keywords") or _field(fields, "primaryclass"),
    )


#: BibTeX texts at least this long (~2,500 arXiv-style entries) are cut at entry boundaries and
#: parsed by forked workers, one per core (bibtexparser is pure Python; the papers come back
#: pickled, in file order, with the same lines).  A text with ``@string`` macros is parsed
#: whole, since its entries may use macros defined in another part.
PARALLEL_MIN_CHARS = 4_000_000
_ENTRY_START = re.compile(r"\n(?=[ \t]*@[A-Za-z]+[ \t]*[{(])")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _chunks(text: str, n: int) -> list[tuple[int, str]]:
    """``text`` cut into ``n`` parts at the starts of entries: ``(lines before it, part)``."""
    cuts = [0]
    for i in range(1, n):
        m = _ENTRY_START.search(text, max(cuts[-1], len(text) * i // n))
        if m is None:
            break
        cuts.append(m.end())
    cuts.append(len(text))
    out, lines = [], 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a < b:
            out.append((lines, text[a:b]))
            lines += text.count("\n", a, b)
    return out


def _parse_part(text: str, path: str, skip_bad: bool, lines_before: int) -> tuple[list, list]:
    """The papers and the bad records of one part (what a worker sends back)."""
    ctx = ReadContext(path, skip_bad=skip_bad)
    papers = list(_parse_blocks(text, ctx, lines_before))
    return papers, ctx.bad_records


def parse_bibtex(text: str, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of BibTeX text, in file order (large texts parsed in parallel)."""
    from ..parallel import Forked, can_fork

    workers = _cores()
    if len(text) < PARALLEL_MIN_CHARS or workers < 2 or not can_fork() or "@string" in text.lower():
        yield from _parse_blocks(text, ctx, 0)
        return
    (first_lines, first), *rest = _chunks(text, workers)
    jobs = [Forked(_parse_part, part, ctx.path, ctx.skip_bad, lines) for lines, part in rest]
    try:
        papers = list(_parse_blocks(first, ctx, first_lines))
        results = [job.result() for job in jobs]
    finally:
        for job in jobs:
            job.cancel()
    yield from papers
    for more, bad in results:
        ctx.bad_records.extend(bad)
        yield from more


def _parse_blocks(text: str, ctx: ReadContext, lines_before: int) -> Iterator[Paper]:
    keys: set[str] = set()
    for start, block in split_entries(text, lines_before):
        line = start + 1  # bibtexparser counts lines from 0
        if isinstance(block, FastEntry):
            if block.entry_type not in _NON_PAPER_TYPES:
                _note_duplicate(block.key, keys, ctx, line)
                paper = _paper(block.key, block.fields, ctx, line)
                if paper is not None:
                    yield paper
            continue
        if isinstance(block, DuplicateBlockKeyBlock | MiddlewareErrorBlock):
            if isinstance(block, MiddlewareErrorBlock):
                log.info("%s:%d: %s; reading the entry anyway", ctx.path, line, block.error)
            block = block.ignore_error_block
        if isinstance(block, ParsingFailedBlock):
            ctx.bad(
                f"invalid BibTeX: {_short(block.error)}",
                line=line,
                hint="Check braces, quotes and commas in this entry.",
            )
            continue
        if isinstance(block, Entry) and block.entry_type.lower() not in _NON_PAPER_TYPES:
            _note_duplicate(block.key, keys, ctx, line)
            paper = _paper(block.key, ((f.key, f.value) for f in block.fields), ctx, line)
            if paper is not None:
                yield paper


def _note_duplicate(key: str, keys: set[str], ctx: ReadContext, line: int) -> None:
    """Log an entry key seen before in this text (the entry is read all the same)."""
    if key in keys:
        log.info("%s:%d: Duplicate entry key '%s'; reading the entry anyway", ctx.path, line, key)
    keys.add(key)


def _short(error: object) -> str:
    return clean_text(str(error)).split(". ")[0][:200] or "unreadable block"


def read_bibtex(source: Source, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of a BibTeX file."""
    yield from parse_bibtex(source.text(), ctx)
