"""``manifest.json``: what a build read, with which options and versions, what it wrote, and
how long each stage took.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("a", "b", kinds="keyword;mention")
>>> G.add_edge("b", "c", kinds="keyword")
>>> edge_kind_counts(G)
{'keyword': 2, 'mention': 1}
"""

from __future__ import annotations

import hashlib
import platform
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from . import __version__
from .config import Config
from .fileio import atomic_write_bytes, printable
from .progress import Reporter

__all__ = ["MANIFEST", "build_manifest", "write_manifest", "edge_kind_counts", "file_sha256"]

#: The manifest's file name inside the output folder.
MANIFEST = "manifest.json"
#: Distributions whose versions the manifest records.
VERSIONED = ("networkx", "scikit-learn", "scipy", "numpy", "igraph", "orjson")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def versions() -> dict[str, str]:
    """Python's, graphkit's and each of :data:`VERSIONED`'s version ("absent" if missing)."""
    out = {"python": platform.python_version(), "graphkit": __version__}
    for dist in VERSIONED:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "absent"
    return out


def edge_kind_counts(G: nx.Graph) -> dict[str, int]:
    """How many edges carry each kind (an edge with two kinds counts for both)."""
    counts: Counter[str] = Counter()
    texts = Counter(kinds for _, _, kinds in G.edges(data="kinds", default=""))
    for kinds, n in texts.items():  # the few distinct spellings, split once each
        for k in kinds.split(";"):
            if k:
                counts[k] += n
    return dict(sorted(counts.items()))


def build_manifest(
    *,
    G: nx.Graph,
    corpus: Any,
    config: Config,
    written: Sequence[Path],
    reporter: Reporter,
    started: float,
) -> dict[str, Any]:
    """The manifest of a build that started at ``started`` (``time.time()``)."""
    return {
        "graphkit": __version__,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "inputs": [
            {
                "path": f.path,
                "format": f.format,
                "papers": f.n_records,
                "sha256": f.sha256 or file_sha256(Path(f.path)),
            }
            for f in corpus.files
            if f.error is None
        ],
        "skipped": [{"path": f.path, "error": f.error} for f in corpus.skipped],
        "options": config.options(),
        "versions": versions(),
        "counts": _counts(G, corpus),
        "outputs": [p.name for p in written],
        "timings_s": {k: round(v, 3) for k, v in reporter.timings.items()},
        "worker_peak_rss_mb": dict(reporter.peaks_mb),
        "total_s": round(time.time() - started, 3),
    }


def _counts(G: nx.Graph, corpus: Any) -> dict[str, Any]:
    return {
        "records": corpus.n_records,
        "papers": G.graph.get("n_papers", 0),
        "method_nodes": G.graph.get("n_methods", 0),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "edges_by_kind": edge_kind_counts(G),
        "communities": G.graph.get("n_communities", 0),
        "modularity": G.graph.get("modularity", 0.0),
    }


def write_manifest(out: Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest`` as ``out/manifest.json`` (sorted keys, indented) and return the path."""
    return atomic_write_bytes(
        out / MANIFEST,
        orjson.dumps(_text_safe(manifest), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS),
    )


def _text_safe(value: Any) -> Any:
    """``value`` with every string JSON can hold: a file name with bytes that are not UTF-8
    (``os.fsdecode`` keeps them as lone surrogates, which no JSON encoder writes) or with a
    newline is written escaped (:func:`~graphkit.fileio.printable`)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {_text_safe(k): _text_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_text_safe(v) for v in value]
    return value
