"""Readers for JSON and JSONL: arXiv-style, Semantic Scholar, OpenAlex and graphkit's graph.json.

One mapping, :func:`paper_fields`, understands the field names of all of them; the readers
only find the records (a list, a ``{"papers": [...]}`` wrapper, node-link ``nodes`` or one
object per line) and report invalid JSON with its line.

>>> fields = paper_fields({"title": "X", "abstract_inverted_index": {"Hello": [0], "world": [1]}})
>>> fields["title"], fields["abstract"]
('X', 'Hello world')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from ..errors import IngestError
from ..model import Paper
from .normalise import clean_text
from .record import ReadContext, make_paper
from .refs import readable_key
from .source import Source

__all__ = ["read_json", "read_jsonl", "paper_fields", "records_in"]

log = logging.getLogger(__name__)

#: Keys under which a wrapper object keeps its list of records.
WRAPPER_KEYS = ("papers", "data", "results", "records", "items", "entries", "works", "hits")
_NO_TITLE_HINT = "Give every record a 'title' field, or use --skip-bad to skip such records."


def _first(d: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = d.get(key)
        if value:  # skips None, "", [], {} (and 0, which no field needs)
            return value
    return None


def _rebuild_abstract(index: Any) -> str:
    """OpenAlex ``abstract_inverted_index`` ({word: [positions]}) → text."""
    if not isinstance(index, Mapping):
        return ""
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if isinstance(positions, list):
            for pos in positions:
                if isinstance(pos, int) and not isinstance(pos, bool):
                    slots[pos] = str(word)
    return " ".join(slots[k] for k in sorted(slots))


def _authors(d: Mapping[str, Any]) -> Any:
    raw = _first(d, "authors", "author", "creators")
    if raw is None and isinstance(d.get("authorships"), list):  # OpenAlex
        raw = [
            (a.get("author") or {}).get("display_name") or a.get("raw_author_name")
            for a in d["authorships"]
            if isinstance(a, Mapping)
        ]
    if isinstance(raw, list):
        names = []
        for a in raw:
            if isinstance(a, Mapping):
                a = _first(a, "name", "display_name", "full_name") or " ".join(
                    str(a.get(k, "")) for k in ("given", "family") if a.get(k)
                )
            names.append(clean_text(a))
        return [n for n in names if n]
    return raw if isinstance(raw, str) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


_TAG = re.compile(r"<[^>]+>")
#: Where a graph.json paper node read back carries its reference nodes' titles (a key no
#: reader's input has: the titles are the build's, not a field of the record).
_GRAPH_REFERENCE_TITLES = " reference_titles"
#: ``id`` prefixes that are not arXiv IDs (the arXiv dumps' ``"id": "2306.03078"`` is).
_NOT_ARXIV = ("doi:", "t:", "http://openalex", "https://openalex", "openalex:", "s2:", "wos:",
              "pmid:", "ref:")  # fmt: skip


def _text(value: Any) -> Any:
    """Crossref writes titles as one-element lists."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return value


def _date_parts(d: Mapping[str, Any]) -> str | None:
    """Crossref ``issued``/``published`` ``{"date-parts": [[2012, 3, 29]]}`` → ``2012-03-29``."""
    for key in ("published-print", "published-online", "published", "issued"):
        parts = _mapping(d.get(key)).get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            nums = [p for p in parts[0] if isinstance(p, int) and not isinstance(p, bool)]
            if nums:
                return "-".join([f"{nums[0]:04d}", *(f"{n:02d}" for n in nums[1:3])])
    return None


def _split(value: Any) -> list[Any]:
    """A list field, or graph.json's ``"; "``-joined text of one."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value:
        return value.split("; ")
    return []


#: Where records keep a citation count: graphkit/OpenAlex, S2, Crossref, AMiner/DBLP
#: citation datasets, and the usual spellings of a times-cited column.
_COUNT_KEYS = ("cited_by_count", "citationCount", "is-referenced-by-count", "n_citation",
               "citation_count", "times_cited", "timesCited")  # fmt: skip


def _citation_fields(d: Mapping[str, Any], ext: Mapping[str, Any], ids: Mapping[str, Any],
                     raw_id: str) -> dict[str, Any]:  # fmt: skip
    """``references``, ``ids`` and ``cited_by_count`` (OpenAlex, S2, Crossref, graphkit)."""
    refs = d.get("referenced_works") or d.get("references") or d.get("reference")
    known: list[Any] = [*_split(d.get("other_ids"))]
    for value in (
        raw_id if not raw_id.startswith(("doi:", "t:", "arxiv:")) else "",
        d.get("openalex_id"),
        ids.get("openalex"),
        d.get("paperId"),
        d.get("s2_id"),
        ids.get("pmid"),
        ext.get("pubmed") and f"pmid:{ext['pubmed']}",
    ):
        if value:
            known.append(value)
    count = next((d[k] for k in _COUNT_KEYS if d.get(k) is not None), None)
    return {"references": _split(refs), "ids": known, "cited_by_count": count,
            "reference_titles": d.get(_GRAPH_REFERENCE_TITLES, ())}  # fmt: skip


def paper_fields(d: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of :func:`~graphkit.ingest.record.make_paper` for one object."""
    ext = (
        {str(k).lower(): v for k, v in _mapping(d.get("externalIds")).items()}
        if "externalIds" in d
        else {}
    )
    ids = {str(k).lower(): v for k, v in _mapping(d.get("ids")).items()} if "ids" in d else {}
    raw_id = d.get("id")
    raw_id = raw_id if isinstance(raw_id, str) else ""
    arxiv = (
        _first(d, "arxiv_id", "arxivId", "arxiv", "eprint") or ext.get("arxiv") or ids.get("arxiv")
    )
    doi = _first(d, "doi", "DOI") or ext.get("doi") or ids.get("doi")
    if raw_id.startswith("doi:") and not doi:
        doi = raw_id[4:]
    if not arxiv and raw_id and not raw_id.lower().startswith(_NOT_ARXIV):
        arxiv = raw_id  # arXiv dumps use "id": "2306.03078" (or an abs URL in Atom-as-JSON)
    url = _first(d, "url", "URL", "link", "abs_url", "landing_page_url") or _mapping(
        d.get("primary_location")
    ).get("landing_page_url")
    abstract = _first(d, "abstract", "summary", "description")
    if isinstance(abstract, str) and "<" in abstract:  # Crossref JATS: <jats:p>…</jats:p>
        abstract = _TAG.sub(" ", abstract)
    if abstract is None and d.get("abstract_inverted_index"):
        abstract = _rebuild_abstract(d["abstract_inverted_index"])
    categories = _first(d, "categories", "fieldsOfStudy")
    if categories is None and isinstance(d.get("concepts"), list):
        categories = [c.get("display_name") for c in d["concepts"] if isinstance(c, Mapping)]
    return {
        "title": _text(_first(d, "title", "display_name")),
        "abstract": abstract if isinstance(abstract, str) else "",
        "authors": _authors(d),
        "n_authors": d.get("n_authors"),
        "date": _first(
            d,
            "published",
            "publication_date",
            "publicationDate",
            "date",
            "iso_date",
            "year",
            "publication_year",
        )
        or _date_parts(d),
        "fallback_date": _first(d, "updated", "listed"),
        "upvotes": d.get("upvotes"),
        "organization": _first(d, "organization", "org"),
        "url": url if isinstance(url, str) else "",
        "arxiv_id": arxiv if isinstance(arxiv, str) else "",
        "doi": doi if isinstance(doi, str) else "",
        "categories": categories,
        "venue": _venue(d),
        **_citation_fields(d, ext, ids, raw_id),
    }


def _venue(d: Mapping[str, Any]) -> str:
    """The journal, conference or source title: graphkit/S2 ``venue``, ``journal`` (text, or
    S2's ``{"name": …}``), Crossref ``container-title`` (a list), S2 ``publicationVenue``,
    OpenAlex ``primary_location.source`` (``host_venue`` in the old schema), a WoS-style
    ``source`` text, arXiv's ``journal_ref``, BibTeX-style ``booktitle``."""
    for key in ("venue", "journal", "container-title", "publicationVenue", "source",
                "journal_ref", "journal-ref", "booktitle", "journal_title", "journal-title"):  # fmt: skip
        value = d.get(key)
        if isinstance(value, Mapping):
            value = value.get("name") or value.get("display_name")
        elif isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            return value
    for key in ("primary_location", "host_venue"):
        loc = _mapping(d.get(key))
        value = _mapping(loc.get("source")).get("display_name") or loc.get("display_name")
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _make(ctx: ReadContext, d: Any, *, line: int | None, record: int) -> Paper | None:
    where = {"line": line} if line is not None else {"record": record}
    if not isinstance(d, Mapping):
        ctx.bad(f"expected a JSON object, found {type(d).__name__}", **where)
        return None
    fields = paper_fields(d)
    title = fields.pop("title")
    if not isinstance(title, str) or not clean_text(title):
        ctx.bad("record has no title", hint=_NO_TITLE_HINT, **where)
        return None
    return make_paper(ctx, ctx.where(**where), title=title, **fields)


def _graph_papers(nodes: list[Any]) -> list[Any]:
    """The paper nodes of a graph.json, each given the titles its build knew for the works it
    cites (its reference nodes' titles), so a rebuild from graph.json titles them alike."""
    titles: dict[str, str] = {}
    for n in nodes:
        if isinstance(n, Mapping) and n.get("kind") == "reference":
            key, title = n.get("reference"), n.get("title")
            if isinstance(key, str) and isinstance(title, str) and title != readable_key(key):
                titles[key] = title  # an untitled node's title is its key written readably
    papers = [
        n for n in nodes
        if isinstance(n, Mapping) and n.get("kind", "paper") == "paper" and "title" in n
    ]  # fmt: skip
    if not titles:
        return papers
    out = []
    for n in papers:
        named = [(k, titles[k]) for k in _split(n.get("references")) if k in titles]
        out.append({**n, _GRAPH_REFERENCE_TITLES: named} if named else n)
    return out


def records_in(doc: Any, path: str) -> list[Any]:
    """The paper records of a parsed JSON document (list, wrapper object or node-link graph)."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, Mapping):
        nodes = doc.get("nodes")
        if isinstance(nodes, list):  # node-link graph (graphkit's graph.json): paper nodes only
            return _graph_papers(nodes)
        if isinstance(doc.get("message"), Mapping):  # Crossref: {"status": "ok", "message": …}
            return records_in(doc["message"], path)
        for key in WRAPPER_KEYS:
            if isinstance(doc.get(key), list):
                return doc[key]
        if "title" in doc or "display_name" in doc:
            return [doc]
    raise IngestError(
        path,
        "no paper records found in the JSON document",
        hint='Expected a list of objects, {"papers": [...]} or a node-link graph with "nodes".',
    )


def read_json(source: Source, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of a JSON document (falls back to JSONL when it holds one object per line)."""
    text = source.text()
    try:
        doc = _loads(text)
    except orjson.JSONDecodeError as exc:
        if not _first_line_is_object(text) or exc.lineno < 2:
            raise _json_error(ctx.path, exc, exc.lineno) from exc
        log.info("%s: several JSON values, one per line; reading it as JSONL", ctx.path)
        yield from read_jsonl(source, ctx)
        return
    for number, d in enumerate(records_in(doc, ctx.path), start=1):
        paper = _make(ctx, d, line=None, record=number)
        if paper is not None:
            yield paper


#: A ``\\uXXXX`` escape of half a surrogate pair with no other half (an even run of backslashes
#: before it, so not the text ``\\\\ud800``): what Python's ``json.dumps`` writes for a broken
#: emoji, found in real dumps (abstracts cut mid-pair), and which orjson refuses.
_LONE_SURROGATE = re.compile(
    r"(?<!\\)((?:\\\\)*)(?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)


def _loads(text: str) -> Any:
    """``orjson.loads``, except that a lone surrogate escape reads as U+FFFD instead of failing
    the whole file (tried only after orjson has refused the text: no cost otherwise).

    >>> _loads('{"t": "bad \\\\ud83d end", "ok": "\\\\ud83d\\\\ude00"}')
    {'t': 'bad \ufffd end', 'ok': '😀'}
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if "surrogate" in exc.msg:
            mended = _LONE_SURROGATE.sub(lambda m: m.group(1) + "\\ufffd", text)
            if mended != text:
                return orjson.loads(mended)
        if "infinity" in exc.msg or _NON_FINITE.search(text):
            return _loads_non_finite(text, exc)
        raise


#: The tokens Python's ``json.dumps`` (and pandas) write for float NaN and infinities, which
#: are not JSON and which orjson refuses.
_NON_FINITE = re.compile(r"[:,\[]\s*-?(?:NaN|Infinity)\s*[,}\]]")


def _loads_non_finite(text: str, exc: orjson.JSONDecodeError) -> Any:
    """The JSON ``text`` that orjson refused for a ``NaN``/``Infinity`` token or a number too
    big for a double (``1e400``): read with those values as ``null`` (a count of NaN is no
    count) instead of failing the whole file; anything else wrong re-raises ``exc``.

    >>> _loads_non_finite('{"a": NaN, "b": [1e400, 2.5], "c": -Infinity}', None)
    {'a': None, 'b': [None, 2.5], 'c': None}
    """
    import json
    import math

    def number(s: str) -> float | None:
        value = float(s)
        return value if math.isfinite(value) else None

    try:
        return json.loads(text, parse_constant=lambda _: None, parse_float=number)
    except (ValueError, RecursionError):  # its own error, or nesting too deep: orjson's stands
        if exc is None:
            raise
        raise exc from None


def _first_line_is_object(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(orjson.loads(first), dict)
    except orjson.JSONDecodeError:
        return False


def _json_error(path: str, exc: orjson.JSONDecodeError, line: int) -> IngestError:
    return IngestError(
        path,
        f"invalid JSON: {exc.msg} (column {exc.colno})",
        line=line,
        hint="Fix the JSON syntax at that position (a validator such as `python -m json.tool` helps).",
    )


def read_jsonl(source: Source, ctx: ReadContext) -> Iterator[Paper]:
    """Yield the papers of a JSONL file (one object per line; blank lines ignored)."""
    for number, line in source.lines():
        if not line.strip():
            continue
        try:
            d = _loads(line)
        except orjson.JSONDecodeError as exc:
            err = IngestError(
                ctx.path,
                f"invalid JSON on this line: {exc.msg} (column {exc.colno})",
                line=number,
                hint="Each line of a JSONL file must be one complete JSON object.",
            )
            if not ctx.skip_bad:
                raise err from exc
            ctx.bad(err.message, line=number, hint=err.hint)
            continue
        paper = _make(ctx, d, line=number, record=number)
        if paper is not None:
            yield paper
