"""What every reader shares: the per-file context and the one way a ``Paper`` is built.

Readers collect raw fields (strings as found) and hand them to :func:`make_paper`, which cleans
them, derives arXiv ID/DOI/year and the stable ID.  A record that cannot be a paper (no title)
goes to :meth:`ReadContext.bad`, which raises :class:`~graphkit.errors.IngestError` or, with
``skip_bad``, counts and logs it.

>>> ctx = ReadContext("papers.csv")
>>> p = make_paper(ctx, "papers.csv:2", title=" BERT:  Pre-training ", url="https://arxiv.org/abs/1810.04805v2")
>>> p.id, p.title, p.arxiv_id
('arxiv:1810.04805', 'BERT: Pre-training', '1810.04805')
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import IngestError
from ..model import Paper
from .normalise import (
    arxiv_id_from_text,
    clean_text,
    dedupe,
    normalise_arxiv_id,
    normalise_doi,
    paper_id,
    parse_date,
    split_authors,
)
from .refs import reference_keys

__all__ = ["ReadContext", "make_paper", "BadRecord"]

log = logging.getLogger(__name__)

_NEW_STYLE = re.compile(r"^(\d\d)(\d\d)\.\d{4,5}$")
#: The longest title and abstract kept, in characters (the longest real ones run to a few
#: hundred and a few thousand; a whole paper pasted into the field, or a hostile megabyte,
#: would cost the name and phrase extraction minutes).  Longer text is cut at a space.
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 200_000


def _bounded(ctx: ReadContext, text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    ctx.n_cut += 1
    cut = text[:limit]
    space = cut.rfind(" ", limit - 200)
    return (cut[:space] if space > 0 else cut).rstrip() + " …"


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record skipped with ``skip_bad``: where it was and why."""

    where: str
    message: str


@dataclass
class ReadContext:
    """The file being read (``path`` as shown to the user) and what to do with bad records."""

    path: str
    skip_bad: bool = False
    bad_records: list[BadRecord] = field(default_factory=list)
    n_cut: int = 0  # records whose title or abstract was over MAX_*_CHARS

    def bad(
        self,
        message: str,
        *,
        line: int | None = None,
        record: int | str | None = None,
        hint: str = "",
    ) -> None:
        """Report a record that cannot be read: raise, or (``skip_bad``) remember and go on."""
        err = IngestError(self.path, message, line=line, record=record, hint=hint)
        if not self.skip_bad:
            raise err
        log.info("skipped record: %s", err)  # listed once, in the summary
        self.bad_records.append(BadRecord(err.where, message))

    def where(self, *, line: int | None = None, record: int | None = None) -> str:
        """The source string stored in ``Paper.sources``: ``path:line`` or ``path#record``."""
        if line is not None:
            return f"{self.path}:{line}"
        if record is not None:
            return f"{self.path}#{record}"
        return self.path


def _int_or_none(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None  # NaN, ±inf: no number
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


#: The largest count (authors, upvotes, citations) believed: the most-cited papers have some
#: 10^5-10^6 citations; 10^12 or more, or below zero, is a placeholder or a hostile value,
#: which would be written as a 300-digit number into every output.
MAX_COUNT = 10**12 - 1


def _count_or_none(value: object) -> int | None:
    """A count: a whole number from 0 to :data:`MAX_COUNT`, else None (-1, 1e300, "many").

    >>> _count_or_none("12"), _count_or_none(-1), _count_or_none(1e300), _count_or_none(7.0)
    (12, None, None, 7)
    """
    n = _int_or_none(value)
    return n if n is not None and 0 <= n <= MAX_COUNT else None


def _categories(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        sep = ";" if ";" in value else "," if "," in value else None
        return dedupe(c for c in (clean_text(v) for v in value.split(sep)) if c)
    if isinstance(value, Iterable):
        out: list[str] = []
        for v in value:
            if isinstance(v, dict):
                v = v.get("term") or v.get("name") or v.get("display_name")
            text = clean_text(v)
            if text:
                out.append(text)
        return dedupe(out)
    return ()


def _reference_titles(references: Any, given: Any) -> tuple[tuple[str, str], ...]:
    """The ``(key, title)`` pairs a reader gave, then those its raw references carry."""
    from .refs import reference_titles  # noqa: PLC0415

    pairs = dict(tuple(p) for p in (given or ()) if p and p[0] and p[1])
    if references and not isinstance(references, (str, bytes)):
        for key, title in reference_titles(references):
            pairs.setdefault(key, title)
    return tuple(pairs.items())


def make_paper(
    ctx: ReadContext,
    source: str,
    *,
    title: object,
    abstract: object = "",
    authors: object = (),
    n_authors: object = None,
    date: object = "",
    year: object = None,
    fallback_date: object = "",
    upvotes: object = None,
    organization: object = "",
    url: object = "",
    arxiv_id: object = "",
    doi: object = "",
    categories: object = (),
    references: object = (),
    ids: object = (),
    cited_by_count: object = None,
    reference_titles: object = (),
) -> Paper:
    """Build a clean ``Paper`` from raw fields; the caller has checked that a title exists.

    ``date`` is a publication date (or year); ``fallback_date`` is a listing/update date used
    only when there is no publication date — then the year comes from a new-style arXiv ID
    (``1812.06145`` → 2018) when there is one, since a listing date is not a publication year.
    """
    title_text = _bounded(ctx, clean_text(title), MAX_TITLE_CHARS)
    url_text = clean_text(url)
    doi_text = normalise_doi(doi)
    arxiv = (
        normalise_arxiv_id(arxiv_id)
        or arxiv_id_from_text(url_text)
        or arxiv_id_from_text(doi_text)
        or (arxiv_id_from_text(doi) if doi else "")
    )
    if doi_text and arxiv_id_from_text(doi_text):
        doi_text = ""  # the arXiv DOI is the arXiv ID, written differently
    names = split_authors(authors)
    count = _count_or_none(n_authors)
    if count is None and names:
        count = len(names)

    date_text = clean_text(date) if not isinstance(date, int) else str(date)
    year_val, iso = parse_date(date) if date_text else (None, "")
    if year is not None and year_val is None:
        year_val = _int_or_none(year)
        date_text = date_text or (str(year_val) if year_val else "")
    if not date_text and fallback_date:
        date_text = clean_text(fallback_date)
        m = _NEW_STYLE.match(arxiv)
        if m:
            year_val, iso = 2000 + int(m.group(1)), ""
        else:
            year_val, iso = parse_date(date_text)
    return Paper(
        id=paper_id(arxiv_id=arxiv, doi=doi_text, title=title_text),
        title=title_text,
        abstract=_bounded(ctx, clean_text(abstract), MAX_ABSTRACT_CHARS),
        authors=names,
        n_authors=count,
        date=date_text,
        year=year_val,
        iso_date=iso,
        upvotes=_count_or_none(upvotes),
        organization=clean_text(organization),
        url=url_text,
        arxiv_id=arxiv,
        doi=doi_text,
        categories=_categories(categories),
        sources=(source,),
        references=reference_keys(references) if references else (),
        reference_titles=_reference_titles(references, reference_titles),
        ids=reference_keys(ids) if ids else (),
        cited_by_count=_count_or_none(cited_by_count),
    )
