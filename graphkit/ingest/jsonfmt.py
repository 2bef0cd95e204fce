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
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from ..errors import IngestError
from ..model import Paper
from .normalise import clean_text
from .record import ReadContext, make_paper
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
    if (
        not arxiv
        and raw_id
        and not raw_id.startswith(("doi:", "t:", "http://openalex", "https://openalex"))
    ):
        arxiv = raw_id  # arXiv dumps use "id": "2306.03078" (or an abs URL in Atom-as-JSON)
    url = _first(d, "url", "link", "abs_url", "landing_page_url") or _mapping(
        d.get("primary_location")
    ).get("landing_page_url")
    abstract = _first(d, "abstract", "summary", "description")
    if abstract is None and d.get("abstract_inverted_index"):
        abstract = _rebuild_abstract(d["abstract_inverted_index"])
    categories = _first(d, "categories", "fieldsOfStudy")
    if categories is None and isinstance(d.get("concepts"), list):
        categories = [c.get("display_name") for c in d["concepts"] if isinstance(c, Mapping)]
    return {
        "title": _first(d, "title", "display_name"),
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
        ),
        "fallback_date": _first(d, "updated", "listed"),
        "upvotes": d.get("upvotes"),
        "organization": _first(d, "organization", "org"),
        "url": url if isinstance(url, str) else "",
        "arxiv_id": arxiv if isinstance(arxiv, str) else "",
        "doi": doi if isinstance(doi, str) else "",
        "categories": categories,
    }


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


def records_in(doc: Any, path: str) -> list[Any]:
    """The paper records of a parsed JSON document (list, wrapper object or node-link graph)."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, Mapping):
        nodes = doc.get("nodes")
        if isinstance(nodes, list):  # node-link graph (graphkit's graph.json): paper nodes only
            return [
                n
                for n in nodes
                if isinstance(n, Mapping) and n.get("kind", "paper") == "paper" and "title" in n
            ]
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
        doc = orjson.loads(text)
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
            d = orjson.loads(line)
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
