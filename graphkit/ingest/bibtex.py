"""Reader for BibTeX, built on ``bibtexparser`` 2.x (no hand-written parsing).

Names are split with ``SeparateCoAuthors``/``SplitNameParts`` and LaTeX is decoded with
``LatexDecodingMiddleware`` (``{\\"u}`` → ``ü``, ``{BERT}`` → ``BERT``).  Blocks the parser
cannot read become an :class:`~graphkit.errors.IngestError` with their line.

>>> from graphkit.ingest.record import ReadContext
>>> bib = '@article{k, title={{BERT}: M{\\\\"u}nchen}, author={Devlin, Jacob and M{\\\\"u}ller, J.}, year=2019}'
>>> [p] = parse_bibtex(bib, ReadContext("refs.bib"))
>>> p.title, p.authors, p.year, p.sources
('BERT: München', ('Jacob Devlin', 'J. Müller'), 2019, ('refs.bib:1',))
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    Entry,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)
from pylatexenc.latex2text import LatexNodes2Text

from ..model import Paper
from .normalise import arxiv_id_from_text, clean_text, normalise_arxiv_id
from .record import ReadContext, make_paper
from .source import Source

__all__ = ["read_bibtex", "parse_bibtex"]

log = logging.getLogger(__name__)

_NON_PAPER_TYPES = {"string", "preamble", "comment"}
_BRACES = re.compile(r"[{}]")
_LATEX = LatexNodes2Text()  # names: LatexDecodingMiddleware leaves NameParts undecoded


def _parse_stack() -> list[mw.Middleware]:
    return [
        mw.ResolveStringReferencesMiddleware(True),
        mw.RemoveEnclosingMiddleware(True),
        mw.SeparateCoAuthors(True),
        mw.SplitNameParts(True),
        mw.LatexDecodingMiddleware(True),
    ]


def _name(value: object) -> str:
    if isinstance(value, mw.NameParts):
        name = " ".join([*value.first, *value.von, *value.last])
        if value.jr:
            name += ", " + " ".join(value.jr)
    else:
        name = str(value)
    if "\\" in name:
        try:
            name = _LATEX.latex_to_text(name)
        except Exception as exc:  # pylatexenc raises assorted errors on broken LaTeX
            log.debug("cannot decode LaTeX in author name %r: %s", name, exc)
    return clean_text(_BRACES.sub("", name))


def _field(entry: Entry, *keys: str) -> str:
    lower = {k.lower(): k for k in entry.fields_dict}
    for key in keys:
        real = lower.get(key)
        if real is not None:
            value = entry.fields_dict[real].value
            if isinstance(value, str) and value.strip():
                return clean_text(_BRACES.sub("", value))
    return ""


def _authors(entry: Entry) -> list[str]:
    lower = {k.lower(): k for k in entry.fields_dict}
    key = lower.get("author")
    if key is None:
        return []
    value = entry.fields_dict[key].value
    values = value if isinstance(value, list) else [value]
    return [n for n in (_name(v) for v in values) if n and n.lower() != "others"]


def _arxiv(entry: Entry) -> str:
    eprint = _field(entry, "eprint", "arxivid", "arxiv")
    prefix = _field(entry, "archiveprefix", "eprinttype").lower()
    if eprint and (prefix in ("", "arxiv") or normalise_arxiv_id(eprint)):
        found = normalise_arxiv_id(eprint)
        if found:
            return found
    for key in ("journal", "note", "howpublished", "volume", "url"):
        found = arxiv_id_from_text(_field(entry, key))
        if found:
            return found
    return ""


def _paper(entry: Entry, ctx: ReadContext, line: int, record: int) -> Paper | None:
    title = _field(entry, "title")
    if not title:
        ctx.bad(
            f"entry '{entry.key}' has no title",
            line=line,
            hint="Add a title field, or use --skip-bad to skip such entries.",
        )
        return None
    return make_paper(
        ctx,
        ctx.where(line=line),
        title=title,
        abstract=_field(entry, "abstract"),
        authors=_authors(entry),
        date=_field(entry, "date") or _field(entry, "year"),
        url=_field(entry, "url"),
        arxiv_id=_arxiv(entry),
        doi=_field(entry, "doi"),
        categories=_field(entry, "keywords") or _field(entry, "primaryclass"),
    )


def parse_bibtex(text: str, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of BibTeX text, in file order."""
    library = bibtexparser.parse_string(text, parse_stack=_parse_stack())
    record = 0
    for block in library.blocks:
        line = (block.start_line or 0) + 1  # bibtexparser counts lines from 0
        if isinstance(block, DuplicateBlockKeyBlock | MiddlewareErrorBlock):
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
            record += 1
            paper = _paper(block, ctx, line, record)
            if paper is not None:
                yield paper


def _short(error: object) -> str:
    return clean_text(str(error)).split(". ")[0][:200] or "unreadable block"


def read_bibtex(source: Source, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of a BibTeX file."""
    yield from parse_bibtex(source.text(), ctx)
