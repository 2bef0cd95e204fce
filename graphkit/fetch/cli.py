"""The ``graphkit fetch`` command: options in, :func:`graphkit.fetch.fetch` called, JSONL out.

Registered in :mod:`graphkit.cli` with one line; the progress bar is drawn here, the library
only reports counts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import FetchError

__all__ = ["fetch_command", "client_options"]

SERVICE_NAMES = ("openalex", "s2", "arxiv", "crossref")


def client_options() -> dict[str, Any]:
    """Extra keyword arguments for :class:`~graphkit.fetch.http.HttpClient` (tests replace this
    to replay recorded responses through an ``httpx`` transport and a clock that never waits)."""
    return {}


class _Bar:
    """A rich progress bar on stderr: records per stage, and requests sent / answered by cache."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("[bold]{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[requests]}"),
            console=console or Console(stderr=True),
        )
        self.tasks: dict[str, Any] = {}
        self.requests = 0
        self.cached = 0

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def _requests(self) -> str:
        return f"{self.requests} requests, {self.cached} from cache"

    def on_request(self, cached: bool) -> None:
        if cached:
            self.cached += 1
        else:
            self.requests += 1
        for task in self.tasks.values():
            self.progress.update(task, requests=self._requests())

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total, requests="")
        self.progress.update(
            self.tasks[stage], completed=done, total=total, requests=self._requests()
        )


@click.command("fetch")
@click.argument("service", type=click.Choice(SERVICE_NAMES))
@click.argument("terms", nargs=-1, required=True)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="JSONL file to write."
)
@click.option(
    "--limit", default=100, show_default=True, type=click.IntRange(1), help="Search results kept."
)
@click.option(
    "--expand",
    type=click.Choice(["references", "citations"]),
    help="Snowball: also fetch the works the seeds cite, or the works citing them.",
)
@click.option(
    "--depth", default=1, show_default=True, type=click.IntRange(1, 2), help="Snowball hops."
)
@click.option(
    "--expand-limit",
    default=100,
    show_default=True,
    type=click.IntRange(1),
    help="At most this many references or citations per paper and hop.",
)
@click.option(
    "--page-size",
    type=click.IntRange(1, 1000),
    default=None,
    help="Results per request [default: the service's maximum or 100].",
)
@click.option("--search", "force_search", is_flag=True, help="Treat the terms as a query.")
@click.option(
    "--api-key",
    default="",
    help="API key (default: $S2_API_KEY for s2, $OPENALEX_API_KEY for openalex).",
)
@click.option(
    "--mailto",
    default="",
    help="Your e-mail for the polite pools (default: $OPENALEX_MAILTO / $CROSSREF_MAILTO).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Response cache [default: $GRAPHKIT_CACHE or ~/.cache/graphkit/fetch].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the response cache.")
@click.option("--refresh", is_flag=True, help="Ask the service again; update the cache.")
@click.pass_context
def fetch_command(
    ctx: click.Context,
    service: str,
    terms: tuple[str, ...],
    output: str,
    limit: int,
    expand: str | None,
    depth: int,
    expand_limit: int,
    page_size: int | None,
    force_search: bool,
    api_key: str,
    mailto: str,
    cache_dir: str | None,
    no_cache: bool,
    refresh: bool,
) -> None:
    """Search or look up papers on a scholarly API and write JSONL for `graphkit build`.

    TERMS are IDs (DOIs, arXiv IDs, OpenAlex W-IDs, S2 paper IDs, CorpusId:N, PMID:N), looked up
    in batches, or else the words of a search query.  --expand follows the seeds' references or
    citations one hop (like Connected Papers or Inciteful growing a graph from a seed).  Every
    response is cached on disk, so a rerun costs nothing and an interrupted fetch resumes.

    \b
    Example:
        graphkit fetch openalex W2741809807 --expand references -o oa.jsonl
        graphkit fetch s2 "graph neural networks" --limit 200 -o gnn.jsonl
        graphkit fetch arxiv 1810.04805 2306.03078 -o arxiv.jsonl
        graphkit fetch crossref 10.1371/journal.pone.0033693 -o cr.jsonl
        graphkit build oa.jsonl -o out/ && graphkit open out/graph.html
    """
    from . import FetchOptions, HttpClient, default_cache_dir, fetch, write_jsonl

    options = FetchOptions(
        service=service,
        terms=terms,
        limit=limit,
        expand=expand,
        depth=depth,
        expand_limit=expand_limit,
        search=force_search,
        page_size=page_size,
        api_key=api_key,
        mailto=mailto,
    )
    cache = None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()
    show = not (ctx.obj or {}).get("quiet") and sys.stderr.isatty()
    bar = _Bar() if show else None
    kw = client_options()
    with HttpClient(
        cache_dir=cache, refresh=refresh, on_request=bar.on_request if bar else None, **kw
    ) as client:
        try:
            if bar:
                with bar:
                    result = fetch(options, client, progress=bar)
            else:
                result = fetch(options, client)
        except KeyboardInterrupt:
            raise FetchError(
                "interrupted",
                hint="Run the same command again: what was fetched is cached and is not asked again.",
            ) from None
    n = write_jsonl(result.records, output)
    s = result.stats
    grown = f" + {n - result.seeds} by {expand}" if expand else ""
    missing = f"; {result.missing} asked for but unknown to {service}" if result.missing else ""
    click.echo(
        f"wrote {n} records ({result.seeds} found{grown}) to {output}; "
        f"{s.requests} requests, {s.cached} answered from the cache{missing}"
    )
