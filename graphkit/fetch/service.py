"""What every service module provides, and the little they share.

A service turns a query or a list of IDs into records (:func:`~graphkit.fetch.records.work`)
and, for snowballing, finds the works a record cites or is cited by.  All HTTP goes through the
:class:`~graphkit.fetch.http.HttpClient` it is given.

>>> list(chunks([1, 2, 3, 4, 5], 2))
[[1, 2], [3, 4], [5]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..errors import ConfigError
from .http import HttpClient
from .ids import Ident
from .records import keys_of

__all__ = ["Service", "Expansion", "Progress", "chunks", "no_progress", "cites"]

T = TypeVar("T")

#: ``progress(stage, done, total)``: called as records arrive (``total`` may be unknown).
Progress = Callable[[str, int, "int | None"], None]


def no_progress(stage: str, done: int, total: int | None) -> None:
    """The silent default."""


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def cites(record: dict[str, Any], seed: dict[str, Any]) -> dict[str, Any]:
    """``record`` (found among the works citing ``seed``) with the seed among its references.

    >>> cites({"references": []}, {"id": "doi:10.1/a", "doi": "10.1/a"})["references"]
    ['doi:10.1/a']
    """
    if not set(keys_of(seed)) & set(record["references"]):
        record["references"] = [*record["references"], seed["id"]]
    return record


@dataclass
class Expansion:
    """One snowball hop: the new records, each seed's reference keys where the hop found them,
    and how many asked-for works the service did not know."""

    records: list[dict[str, Any]] = field(default_factory=list)
    references: dict[str, list[str]] = field(default_factory=dict)
    missing: int = 0


class Service:
    """Base class; subclasses set ``name``/``page_size`` and implement the four operations."""

    name = ""
    page_size = 100
    #: Identifier kinds :meth:`lookup` accepts.
    kinds: tuple[str, ...] = ()
    directions: tuple[str, ...] = ("references", "citations")

    def __init__(
        self,
        client: HttpClient,
        *,
        api_key: str = "",
        mailto: str = "",
        page_size: int | None = None,
        progress: Progress = no_progress,
        expanding: str | None = None,
    ) -> None:
        self.client = client
        self.api_key = api_key
        self.mailto = mailto
        self.page_size = page_size or type(self).page_size
        self.progress = progress
        self.expanding = expanding  # the --expand direction, if any (saves requests it makes moot)

    def check_idents(self, idents: list[Ident]) -> None:
        bad = sorted({i.kind for i in idents if i.kind not in self.kinds})
        if bad:
            raise ConfigError(
                f"{self.name} cannot look up {', '.join(bad)} IDs",
                hint=f"It takes {', '.join(self.kinds)} IDs; try another service for the rest.",
            )

    def check_direction(self, direction: str) -> None:
        if direction not in self.directions:
            raise ConfigError(
                f"{self.name} has no {direction} data to expand along",
                hint=self.no_direction_hint,
            )

    no_direction_hint = "Use --expand with openalex or s2."

    def search(self, query: str, limit: int) -> list[dict[str, Any]]:
        raise NotImplementedError

    def lookup(self, idents: list[Ident]) -> tuple[list[dict[str, Any]], int]:
        """Records for the IDs (in the order found) and the number the service did not know."""
        raise NotImplementedError

    def expand(self, seeds: list[dict[str, Any]], direction: str, per_paper: int) -> Expansion:
        raise NotImplementedError
