"""The one HTTP layer every service goes through: rate limits, retries, cache, replay.

Why plain ``httpx`` rather than the services' own clients (pyalex, semanticscholar, arxiv,
habanero): those four bring four transports with four retry policies, none of them shares an
on-disk cache, and each would need its own way of replaying recorded responses in tests.
graphkit needs a handful of endpoints per service, so one small layer gives all of them the
same politeness (a minimum interval per host), the same handling of ``429``/``5xx``
(``Retry-After``, else exponential back-off), the same cache (a rerun costs nothing and an
interrupted fetch resumes where it stopped) and one seam for tests (an ``httpx`` transport).

The clock and ``sleep`` are injectable so tests never wait.

>>> limiter = RateLimiter({"export.arxiv.org": 3.0}, clock=FakeClock())
>>> limiter.wait("export.arxiv.org"); limiter.wait("export.arxiv.org")
>>> limiter.clock.now
3.0
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson

from .. import __version__
from ..errors import FetchError, OutputError
from ..fileio import atomic_write_bytes

__all__ = [
    "HttpClient",
    "RateLimiter",
    "ResponseCache",
    "FakeClock",
    "BadBody",
    "Stats",
    "default_cache_dir",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)

#: Minimum seconds between two requests to a host (cache hits do not count).  arXiv asks for one
#: request every 3 s; Semantic Scholar grants 1 request/s to a key holder; OpenAlex allows 10/s
#: and Crossref's polite pool 10/s: graphkit stays at half of those.
DEFAULT_INTERVALS: dict[str, float] = {
    "export.arxiv.org": 3.0,
    "api.semanticscholar.org": 1.0,
    "api.openalex.org": 0.2,
    "api.crossref.org": 0.2,
}

#: Query parameters and headers that identify the caller, not the request: left out of cache keys.
SECRET_PARAMS = frozenset({"api_key", "mailto"})

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class BadBody(ValueError):
    """A response body that does not parse (a truncated page): retried, never cached."""


def default_cache_dir() -> Path:
    """``$GRAPHKIT_CACHE`` or ``$XDG_CACHE_HOME/graphkit/fetch`` (``~/.cache/graphkit/fetch``)."""
    if os.environ.get("GRAPHKIT_CACHE"):
        return Path(os.environ["GRAPHKIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "graphkit" / "fetch"


class FakeClock:
    """A clock for tests: ``sleep`` advances ``now`` instead of waiting."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class RateLimiter:
    """Keeps at least ``intervals[host]`` seconds between two requests to the same host."""

    def __init__(
        self,
        intervals: Mapping[str, float],
        *,
        clock: Callable[[], float] | FakeClock = time.monotonic,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.intervals = dict(intervals)
        self.clock = clock
        self.sleep = sleep or getattr(clock, "sleep", time.sleep)
        self._last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        interval = self.intervals.get(host, 0.0)
        last = self._last.get(host)
        if last is not None and interval > 0:
            delay = last + interval - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._last[host] = self.clock()


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    >>> retry_after_seconds("7"), retry_after_seconds(None), retry_after_seconds("soon")
    (7.0, None, None)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0)
    10.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def request_key(method: str, url: str, params: Mapping[str, Any] | None, body: bytes) -> str:
    """SHA-256 of the request without the caller's identity (API key, mailto)."""
    kept = sorted((str(k), str(v)) for k, v in (params or {}).items() if k not in SECRET_PARAMS)
    text = f"{method.upper()} {url}?{urlencode(kept)}\n".encode() + body
    return hashlib.sha256(text).hexdigest()


class ResponseCache:
    """Successful response bodies on disk, one file per request key, written atomically."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> bytes | None:
        try:
            entry = orjson.loads(self._path(key).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        body = entry.get("body") if isinstance(entry, dict) else None
        return body.encode("utf-8") if isinstance(body, str) else None

    def put(self, key: str, url: str, body: bytes) -> None:
        path = self._path(key)
        data = orjson.dumps({"url": url, "body": body.decode("utf-8", "replace")})
        try:  # atomic, and a killed fetch's temporary file is swept by the next write
            atomic_write_bytes(path, data)
        except (OSError, OutputError) as exc:  # a cache that cannot be written costs a rerun
            log.warning("cannot write the fetch cache in %s: %s", self.root, exc)


@dataclass
class Stats:
    """What a fetch cost: requests sent, answered from the cache, retried."""

    requests: int = 0
    cached: int = 0
    retries: int = 0
    waited: float = 0.0
    hosts: set[str] = field(default_factory=set)


class HttpClient:
    """GET/POST with per-host rate limits, retries, an on-disk cache and injectable transport.

    ``parse(body)`` turns a 200 body into data and raises :class:`BadBody` when the body is
    incomplete; such a response is retried like a 5xx and never cached.  ``missing_ok`` makes a
    404 return ``None`` (a look-up of an ID the service does not know).
    """

    def __init__(
        self,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        refresh: bool = False,
        transport: Any = None,
        clock: Callable[[], float] | FakeClock = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        intervals: Mapping[str, float] | None = None,
        max_retries: int = 5,
        backoff: float = 1.0,
        max_wait: float = 300.0,
        timeout: float = 30.0,
        headers: Mapping[str, str] | None = None,
        on_request: Callable[[bool], None] | None = None,
    ) -> None:
        try:
            import httpx
        except ImportError as exc:  # the optional extra
            raise FetchError(
                "graphkit fetch needs httpx, which is not installed",
                hint="Install the extra: pip install 'graphkit[fetch]'.",
            ) from exc
        self._httpx = httpx
        self.cache = ResponseCache(cache_dir) if cache_dir is not None else None
        self.refresh = refresh
        self.clock = clock
        self.sleep = sleep or getattr(clock, "sleep", time.sleep)
        self.limiter = RateLimiter(
            DEFAULT_INTERVALS if intervals is None else intervals, clock=clock, sleep=self.sleep
        )
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.stats = Stats()
        self.on_request = on_request
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": f"graphkit/{__version__} (graphkit fetch)", **(headers or {})},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        return self.request("GET", url, params, **kw)

    def post(self, url: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        return self.request("POST", url, params, **kw)

    def request(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        json: Any = None,
        parse: Callable[[bytes], Any] = orjson.loads,
        headers: Mapping[str, str] | None = None,
        missing_ok: bool = False,
    ) -> Any:
        body = orjson.dumps(json) if json is not None else b""
        key = request_key(method, url, params, body)
        if self.cache is not None and not self.refresh:
            cached = self.cache.get(key)
            if cached is not None:
                with contextlib.suppress(BadBody, ValueError):
                    data = parse(cached)
                    self.stats.cached += 1
                    if self.on_request:
                        self.on_request(True)
                    return data
        host = urlsplit(url).hostname or url
        self.stats.hosts.add(host)
        attempt = 0
        while True:
            self.limiter.wait(host)
            wait, outcome = self._attempt(
                method, url, params, body, headers, parse, missing_ok, host, attempt
            )
            if wait is None:  # success (or a 404 that is fine)
                data, content = outcome
                if content is not None and self.cache is not None:
                    self.cache.put(key, url, content)
                return data
            problem = outcome
            attempt += 1
            if attempt > self.max_retries or wait > self.max_wait:
                raise problem
            log.info("%s: %s; retrying in %.1f s", host, problem.message, wait)
            self.stats.retries += 1
            self.stats.waited += wait
            self.sleep(wait)

    def _attempt(self, method, url, params, body, headers, parse, missing_ok, host, attempt):  # noqa: ANN001, ANN202
        """One try: ``(None, (data, body))`` on success, ``(seconds_to_wait, FetchError)`` else."""
        httpx = self._httpx
        self.stats.requests += 1
        if self.on_request:
            self.on_request(False)
        backoff = self.backoff * 2 ** min(attempt, 8)
        try:
            resp = self._client.request(
                method,
                url,
                params=params,
                content=body or None,
                headers={"Content-Type": "application/json", **(headers or {})}
                if body
                else headers,
            )
        except httpx.TransportError as exc:
            return backoff, FetchError(
                f"cannot reach {host}: {exc.__class__.__name__}: {exc}",
                hint="Check the network connection and run again; "
                "what was fetched so far is cached, so the rerun resumes.",
            )
        status = resp.status_code
        if status == 200:
            content = resp.content
            try:
                data = parse(content)
            except (BadBody, ValueError) as exc:
                return backoff, FetchError(
                    f"{host} sent an incomplete or invalid response ({exc})",
                    hint="Run again later; pages fetched so far are cached.",
                )
            return None, (data, content)
        if status == 404 and missing_ok:
            return None, (None, None)
        if status in RETRY_STATUSES:
            after = retry_after_seconds(resp.headers.get("Retry-After"))
            wait = after if after is not None else backoff
            if status == 429:
                return wait, FetchError(
                    f"{host} refuses more requests (429 Too Many Requests: rate limit or quota"
                    + (f", retry after {after:.0f} s)" if after is not None else ")"),
                    hint="Wait and run again (the cache keeps what was fetched), "
                    "or give an API key with --api-key.",
                )
            return wait, FetchError(
                f"{host} answered {status} {resp.reason_phrase}",
                hint=f"The service kept failing ({self.max_retries + 1} tries); run again later "
                "(what was fetched is cached).",
            )
        detail = _error_detail(resp.content)
        if status in (401, 403):
            raise FetchError(
                f"{host} refused the request ({status} {resp.reason_phrase}{detail})",
                hint="Check the API key given with --api-key or the environment.",
            )
        raise FetchError(
            f"{host} rejected {method} {resp.request.url.path} ({status} {resp.reason_phrase}{detail})",
            hint="Check the query or the IDs given.",
        )


_SUMMARY = re.compile(r"<summary[^>]*>([^<]+)</summary>")


def _error_detail(content: bytes) -> str:
    """The service's own error message (JSON ``message``, an Atom ``summary``, the first line).

    >>> _error_detail(b'<feed><entry><summary>incorrect id format for abc</summary></entry></feed>')
    ': incorrect id format for abc'
    """
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError:
        text = content.decode("utf-8", "replace")
        m = _SUMMARY.search(text)
        lines = [m.group(1)] if m else text.strip().splitlines()
        return f": {lines[0].strip()[:200]}" if lines else ""
    if isinstance(data, Mapping):
        for key in ("message", "error", "detail"):
            value = data.get(key)
            if isinstance(value, str):
                return f": {value[:200]}"
            if isinstance(value, list) and value and isinstance(value[0], Mapping):
                return f": {str(value[0].get('message', value[0]))[:200]}"
    return ""
