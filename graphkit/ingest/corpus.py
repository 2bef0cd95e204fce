"""The corpus stage: read files and folders into one merged, de-duplicated ``Corpus``.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.csv").write_text("title,doi\\nSpQR,10.1000/X\\nSpQR,\\n")
>>> corpus = load_corpus([d])
>>> len(corpus.papers), corpus.n_records, corpus.n_merged, corpus.papers[0].id
(1, 2, 1, 'doi:10.1000/x')
"""

from __future__ import annotations

import errno
import fnmatch
import logging
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IngestError
from ..model import Paper
from ..outdir import is_build_folder
from .dispatch import FileReport, read_file
from .merge import merge_papers
from .streams import STDIN, read_stream

__all__ = ["Corpus", "load_corpus", "read_inputs", "list_files", "scan_inputs", "is_build_folder"]

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
    notes: list[str] = field(default_factory=list)

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
            "ignored": list(self.notes),
            "duplicates_merged": self.n_merged,
            "without_abstract": sum(1 for p in self.papers if not p.abstract),
            "year_range": [min(years), max(years)] if years else None,
        }


def _hidden(name: str) -> bool:
    return name.startswith(".")


#: Suffixes of files that are clearly not paper lists: a folder's such files are skipped with a
#: note (a Zotero "export with files" folder holds the PDFs and snapshots beside its .bib/.ris).
NOT_PAPER_LISTS: dict[str, str] = {
    **dict.fromkeys((".pdf", ".djvu", ".epub", ".ps", ".eps"), "not paper lists: documents"),
    **dict.fromkeys(
        (
            ".png",
            ".jpg",
            ".jpeg",
            ".gif",
            ".svg",
            ".webp",
            ".tif",
            ".tiff",
            ".bmp",
            ".heic",
            ".ico",
        ),
        "not paper lists: images",
    ),
    **dict.fromkeys(
        (".html", ".htm", ".xhtml", ".mhtml", ".css", ".js"), "not paper lists: web pages"
    ),
    **dict.fromkeys(
        (
            ".doc",
            ".docx",
            ".odt",
            ".rtf",
            ".xls",
            ".xlsx",
            ".ods",
            ".ppt",
            ".pptx",
            ".odp",
            ".pages",
            ".key",
            ".numbers",
        ),
        "not paper lists: office documents",
    ),
    **dict.fromkeys(
        (".graphml", ".gexf", ".toml", ".ini", ".cfg", ".yaml", ".yml"), "not paper lists"
    ),
    **dict.fromkeys(
        (".zip", ".tar", ".7z", ".rar", ".mp3", ".mp4", ".mov", ".wav"),
        "not paper lists: media and archives",
    ),
}
#: Leading bytes of binary documents, for such files without a telling suffix.
_MAGIC = {
    b"%PDF": "not paper lists: documents",
    b"\x89PNG": "not paper lists: images",
    b"\xff\xd8\xff": "not paper lists: images",
    b"GIF8": "not paper lists: images",
    b"PK\x03\x04": "not paper lists: office documents",  # docx/xlsx/odt are zip files
    b"\xd0\xcf\x11\xe0": "not paper lists: office documents",  # old .doc/.xls
}
#: What graphkit's own writers put at the start of a file (graph.json's marker key, the CSV
#: headers), for its outputs outside a folder with a manifest.
_WRITTEN_BY_GRAPHKIT = (b'"graphkit":"graphkit-graph"', b"id,kind,label,", b"source,target,kinds,")


def _written_by_graphkit(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf")
    return start.startswith(_WRITTEN_BY_GRAPHKIT[1:]) or _WRITTEN_BY_GRAPHKIT[0] in start[:4096]


def _not_paper_list(path: Path) -> str | None:
    """Why a file found in a folder is not read as papers (None: read it)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz", ".gzip"):
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in NOT_PAPER_LISTS:
        return NOT_PAPER_LISTS[suffix]
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None  # read_file reports it
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    if _written_by_graphkit(head):
        return "written by graphkit"
    if suffix == ".md":
        from .listing import looks_like_listing

        text = head.decode("utf-8", errors="replace").replace("\r\n", "\n")
        if not looks_like_listing(text):
            return "notes: .md not in listing format"
    return None


def _special(path: Path) -> str | None:
    """Why ``path`` must not be opened: a FIFO, socket, device or a symlink loop (None: a
    regular file).  Checked with stat() alone, which never blocks."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop, never opened"
        if exc.errno == errno.ENOENT and path.is_symlink():
            return "broken symlink"
        return None  # read_file reports it
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO, never opened"
    if stat.S_ISSOCK(mode):
        return "socket, never opened"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device, never opened"
    return "special file, never opened"


@dataclass
class InputFiles:
    """The files to read, and what was left out of the folders, by reason."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)

    def ignore(self, reason: str, name: str) -> None:
        self.ignored.setdefault(reason, []).append(name)

    def notes(self) -> list[str]:
        """One line per reason: ``2 files (not paper lists: documents): a.pdf, b.pdf``."""
        out = []
        for reason, names in self.ignored.items():
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            folders = all(n.endswith("/") for n in names)
            noun = ("folder" if folders else "file") + ("" if len(names) == 1 else "s")
            out.append(f"{len(names)} {noun} ({reason}): {shown}")
        return out


def scan_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    exclude: Iterable[str | os.PathLike[str]] = (),
    patterns: Iterable[str] = (),
) -> InputFiles:
    """Expand files and folders into the files to read.

    Folders are walked recursively in sorted order (symlinked folders followed once), skipping
    hidden files and folders, the ``exclude`` folders and any folder holding a build's
    ``manifest.json``, files graphkit wrote, files that are clearly not paper lists (PDFs,
    images, web pages, office documents, notes) and special files (FIFOs, sockets, devices,
    symlink loops), which are never opened, and the files and folders matching one of the glob
    ``patterns`` (by name, or by path relative to the folder named).  Each left-out file is
    recorded in ``ignored``.
    Files named explicitly are always read (a graph.json can be an input); a special file named
    explicitly is an error.  Arguments keep their order; a file named twice is read once.
    """
    found = InputFiles()
    seen: set[Path] = set()
    excluded = {Path(p).resolve() for p in exclude}
    patterns = tuple(patterns)

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.files.append((path, path.as_posix()))

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if path.resolve() in excluded:  # else read as nothing, or its files as outputs
                raise IngestError(
                    path.as_posix(),
                    "this input folder is also the output folder",
                    hint="Choose an output folder outside the inputs with -o (a folder "
                    "inside them is fine: it is never read).",
                )
            _walk(path, found, excluded, patterns, add)
        elif os.fspath(raw) == STDIN:
            if STDIN not in {name for _, name in found.files}:
                found.files.append((path, STDIN))
        elif path.exists() or path.is_symlink():
            why = _special(path)
            if why and not why.startswith("FIFO"):  # a pipe named on purpose is read:
                raise IngestError(  # <(zcat papers.jsonl.gz), /dev/stdin of `cat x | graphkit build`
                    path.as_posix(),
                    f"not a regular file ({why.split(',')[0]})",
                    hint="Give a paper file or a folder of them.",
                )
            add(path)
        else:
            raise IngestError(
                path.as_posix(), "no such file or folder", hint="Check the path (default: seeds/)."
            )
    return found


def _matching(top: Path, path: Path, patterns: tuple[str, ...]) -> str | None:
    """The first glob of ``patterns`` that ``path`` (inside the folder ``top``) matches, by name
    or by its path relative to ``top``."""
    inside = path.relative_to(top).as_posix()
    for pattern in patterns:
        if fnmatch.fnmatchcase(path.name, pattern) or fnmatch.fnmatchcase(inside, pattern):
            return pattern
    return None


def _walk(
    top: Path,
    found: InputFiles,
    excluded: set[Path],
    patterns: tuple[str, ...],
    add: Callable[[Path], None],
) -> None:
    """Walk the folder ``top`` as :func:`scan_inputs` says: files to read go to ``add``, the
    ones left out (and why) to ``found.ignore``."""
    visited: set[Path] = set()

    def unreadable(exc: OSError) -> None:  # never silently: its papers would be missing
        name = Path(exc.filename or top).as_posix()
        found.ignore(f"unreadable: {exc.strerror or exc}", name.rstrip("/") + "/")

    for root, dirs, files in os.walk(top, onerror=unreadable, followlinks=True):
        here = Path(root)
        real = here.resolve()
        if real in visited or real in excluded:
            dirs[:] = []
            if real in excluded and here != top:
                found.ignore("the output folder of this build", here.as_posix() + "/")
            continue
        visited.add(real)
        if is_build_folder(here):
            found.ignore("written by graphkit: it holds a manifest.json", here.as_posix() + "/")
            dirs[:] = []
            continue
        kept = []
        for d in sorted(d for d in dirs if not _hidden(d)):
            pattern = _matching(top, here / d, patterns) if patterns else None
            if pattern:
                found.ignore(f"excluded by '{pattern}'", (here / d).as_posix() + "/")
            else:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if _hidden(name):
                continue
            path = here / name
            pattern = _matching(top, path, patterns) if patterns else None
            why = (f"excluded by '{pattern}'" if pattern else None) or _special(path)
            why = why or _not_paper_list(path)
            if why:
                found.ignore(why, path.as_posix())
            else:
                add(path)


def list_files(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """``(path, display name)`` of the files :func:`scan_inputs` would read."""
    return scan_inputs(paths).files


def load_corpus(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skip_bad: bool = False,
    encoding: str | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
    patterns: Iterable[str] = (),
) -> Corpus:
    """Read every file under ``paths`` and merge duplicates into one :class:`Corpus`.

    With ``skip_bad``, unreadable files are listed in ``corpus.skipped`` and records without
    a title are skipped and counted; otherwise the first problem raises
    :class:`~graphkit.errors.IngestError`.  Folders are read as :func:`scan_inputs` says (never
    the ``exclude`` folders, e.g. the build's output folder, nor what matches the glob
    ``patterns``); ``corpus.notes`` says what was left out.
    """
    paths = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    records: list[Paper] = []
    reports: list[FileReport] = []
    skipped: list[FileReport] = []
    inputs = scan_inputs(paths, exclude=exclude, patterns=patterns)
    if not inputs.files:
        raise IngestError(
            ", ".join(str(p) for p in paths) or "(no paths)",
            "no input files found" + (f" ({'; '.join(inputs.notes())})" if inputs.ignored else ""),
            hint="Give paper files or folders that contain them.",
        )
    for path, name in inputs.files:
        try:
            if name == STDIN or _special(path):
                papers, report = read_stream(path, name, skip_bad=skip_bad, encoding=encoding)
            else:
                papers, report = read_file(path, skip_bad=skip_bad, encoding=encoding, name=name)
        except IngestError as exc:
            if not skip_bad:
                raise
            log.info("skipped file: %s", exc)
            skipped.append(FileReport(name, "", 0, f"{exc.where}: {exc.message}"))
            continue
        log.info("%s: %d records (%s)", name, report.n_records, report.format)
        records.extend(papers)
        reports.append(report)
    papers, n_merged = merge_papers(records)
    return Corpus(
        papers,
        reports,
        n_records=len(records),
        n_merged=n_merged,
        skipped=skipped,
        notes=inputs.notes(),
    )


def read_inputs(config: Any) -> Corpus:
    """The corpus of a build's Config: its paths, input options, never its output folder
    (what ``build``, ``info`` and ``methods`` all read)."""
    return load_corpus(
        config.paths,
        skip_bad=config.skip_bad,
        encoding=config.encoding,
        exclude=[config.out_dir],
        patterns=config.exclude,
    )
