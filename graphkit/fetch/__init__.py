"""``graphkit fetch``: get papers and their citations from OpenAlex, Semantic Scholar, arXiv or
Crossref as JSONL that ``graphkit build`` reads.

Needs the optional extra (``pip install 'graphkit[fetch]'``, which brings ``httpx``); nothing
else in graphkit imports this package.  See :mod:`graphkit.fetch.http` for why one small HTTP
layer serves all four services, and :mod:`graphkit.fetch.records` for the record format.
"""

from __future__ import annotations

from .core import FetchOptions, FetchResult, fetch, merge_records, services, write_jsonl
from .http import HttpClient, default_cache_dir

__all__ = [
    "FetchOptions",
    "FetchResult",
    "HttpClient",
    "default_cache_dir",
    "fetch",
    "merge_records",
    "services",
    "write_jsonl",
]
