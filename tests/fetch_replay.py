"""Replaying recorded API responses to ``graphkit fetch`` through an ``httpx`` transport.

A request matches a recording with the same method, host, path (percent-decoding, case and a
trailing slash aside: DOIs are case-insensitive), query parameters and JSON body, ignoring the parameters that only
choose fields or identify the caller (``fields``, ``select``, ``mailto``, ``api_key``): the
recordings were made by other clients asking for other fields.  Several recordings of one
request are answered in order (a 429, then the page); the last one repeats.  A request nothing
recorded fails the test loudly: tests never reach the network.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

DATA = Path(__file__).parent / "data" / "fetch"
IGNORED = frozenset({"fields", "select", "mailto", "api_key"})


def _key(method: str, url: str, body: bytes | str | None) -> tuple:
    parts = urlsplit(url)
    query = tuple(
        sorted(
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in IGNORED
        )
    )
    payload = json.dumps(json.loads(body), sort_keys=True) if body else ""
    path = unquote(parts.path).rstrip("/").lower()  # DOIs in paths are case-insensitive
    return method.upper(), parts.hostname, path, query, payload


class Replay(httpx.MockTransport):
    """An ``httpx`` transport answering from ``tests/data/fetch/<name>.json`` files."""

    def __init__(self, *names: str) -> None:
        self.answers: dict[tuple, list[dict]] = defaultdict(list)
        for name in names:
            for item in json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")):
                body = json.dumps(item["request_json"]) if "request_json" in item else None
                self.answers[_key(item["method"], item["url"], body)].append(item)
        self.served: dict[tuple, int] = defaultdict(int)
        self.log: list[str] = []
        super().__init__(self._handle)

    @property
    def calls(self) -> int:
        return len(self.log)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        key = _key(request.method, str(request.url), request.content or None)
        items = self.answers.get(key)
        if not items:
            raise AssertionError(f"no recorded response for {request.method} {request.url}")
        n = self.served[key]
        self.served[key] += 1
        item = items[min(n, len(items) - 1)]
        self.log.append(f"{request.method} {request.url} -> {item['status']}")
        return httpx.Response(
            item["status"], headers=item.get("headers") or {}, content=item["body"].encode()
        )


class Offline(httpx.MockTransport):
    """A transport whose every request fails as it does without a network."""

    def __init__(self) -> None:
        def fail(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError(
                "[Errno -3] Temporary failure in name resolution", request=request
            )

        super().__init__(fail)
