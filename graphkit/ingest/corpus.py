"""The corpus stage: read files and folders into one merged, de-duplicated ``Corpus``.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.csv").write_text("title,doi\\nSpQR,10.1000/X\\nSpQR,\\n")
>>> corpus = load_corpus([d])
>>> len(corpus.papers), corpus.n_records, corpus.n_merged, corpus.papers[0].id
(1, 2, 1, 'doi:10.1000/x')
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IngestError
from ..model import Paper
from .dispatch import FileReport, read_file
from .merge import merge_papers

__all__ = ["Corpus", "load_corpus", "list_files"]

log = logging.getLogger(__name__)


@dataclass
class Corpus:
    """Merged papers plus what was read from where.

    ``papers`` are unique, in first-seen order; ``files`` has one report per file read;
    ``skipped`` the files skipped with ``skip_bad`` (each with its error).
    """

    papers: list[Paper]
    files: list[FileReport]
    n_records: int = 0
    n_merged: int = 0
    skipped: list[FileReport] = field(default_factory=list)

    @property
    def n_bad_records(self) -> int:
        """Records skipped inside readable files (``skip_bad``)."""
        return sum(f.n_bad_records for f in self.files)

    def summary(self) -> dict[str, Any]:
        """A JSON-able description: files, totals, duplicates merged, years."""
        years = [p.year for p in self.papers if p.year is not None]
        return {
            "files": [
                {
                    "path": f.path,
                    "format": f.format,
                    "papers": f.n_records,
                    "bad_records": f.n_bad_records,
                }
                for f in self.files
            ],
            "skipped": [
                {"path": f.path, "format": f.format, "error": f.error} for f in self.skipped
            ],
            "totals": {
                "files": len(self.files),
                "records": self.n_records,
                "papers": len(self.papers),
                "skipped_files": len(self.skipped),
                "bad_records": self.n_bad_records,
            },
            "duplicates_merged": self.n_merged,
            "without_abstract": sum(1 for p in self.papers if not p.abstract),
            "year_range": [min(years), max(years)] if years else None,
        }


def _hidden(name: str) -> bool:
    return name.startswith(".")


def list_files(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """Expand files and folders into ``(path, display name)`` pairs.

    Folders are walked recursively in sorted order, skipping hidden files and folders;
    arguments keep their order; a file named twice is read once.
    """
    out: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append((path, path.as_posix()))

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not _hidden(d))
                for name in sorted(files):
                    if not _hidden(name):
                        add(Path(root) / name)
        elif path.exists():
            add(path)
        else:
            raise IngestError(
                path.as_posix(), "no such file or folder", hint="Check the path (default: seeds/)."
            )
    return out


def load_corpus(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skip_bad: bool = False,
    encoding: str | None = None,
) -> Corpus:
    """Read every file under ``paths`` and merge duplicates into one :class:`Corpus`.

    With ``skip_bad``, unreadable files are listed in ``corpus.skipped`` and records without
    a title are skipped and counted; otherwise the first problem raises
    :class:`~graphkit.errors.IngestError`.
    """
    paths = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    records: list[Paper] = []
    reports: list[FileReport] = []
    skipped: list[FileReport] = []
    files = list_files(paths)
    if not files:
        raise IngestError(
            ", ".join(str(p) for p in paths) or "(no paths)",
            "no input files found",
            hint="Give paper files or folders that contain them.",
        )
    for path, name in files:
        try:
            papers, report = read_file(path, skip_bad=skip_bad, encoding=encoding, name=name)
        except IngestError as exc:
            if not skip_bad:
                raise
            log.warning("skipped file: %s", exc)
            skipped.append(FileReport(name, "", 0, str(exc)))
            continue
        log.info("%s: %d records (%s)", name, report.n_records, report.format)
        records.extend(papers)
        reports.append(report)
    papers, n_merged = merge_papers(records)
    return Corpus(papers, reports, n_records=len(records), n_merged=n_merged, skipped=skipped)
