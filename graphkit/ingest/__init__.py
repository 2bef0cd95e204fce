"""The corpus stage: paper files in any supported format → one merged ``Corpus``.

>>> corpus = load_corpus(["seeds"])  # doctest: +SKIP
>>> len(corpus.papers), corpus.n_records, corpus.n_merged  # doctest: +SKIP
(331, 343, 12)

Formats: listing-page text dumps, JSON/JSONL (arXiv, Semantic Scholar, OpenAlex, graph.json),
CSV/TSV, BibTeX, arXiv Atom feeds and RIS — each optionally gzipped.
"""

from __future__ import annotations

from ..errors import IngestError
from .corpus import Corpus, list_files, load_corpus, read_inputs
from .dispatch import FORMATS, SUFFIXES, FileReport, detect_format, read_file, sniff_format

__all__ = [
    "load_corpus",
    "read_inputs",
    "Corpus",
    "FileReport",
    "read_file",
    "detect_format",
    "sniff_format",
    "list_files",
    "FORMATS",
    "SUFFIXES",
    "IngestError",
]
