"""Helpers shared by the benchmark scripts: corpus slices, memory measurement, machine facts.

A *slice* is the first N records of the shared arXiv corpus in file order, written once as a
plain JSONL file so every benchmark (graphkit's build and the naive pipeline) reads the same
bytes through graphkit's one reading path, :func:`graphkit.ingest.load_corpus`.

Memory is measured as resident set size (RSS).  :class:`MeasuringReporter` is a graphkit
:class:`~graphkit.progress.Reporter` that also records each stage's peak RSS: a background
thread samples ``/proc/self/statm`` every 20 ms, and when the process's high-water mark
(``VmHWM``) rose during a stage, that exact mark is the stage's peak.
"""

from __future__ import annotations

import gzip
import logging
import os
import platform
import resource
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graphkit.progress import Reporter, Stage

__all__ = [
    "REPO",
    "RESULTS_DIR",
    "DEFAULT_CORPUS",
    "MB",
    "parse_slice",
    "slice_label",
    "write_slice",
    "load_papers",
    "rss_bytes",
    "hwm_bytes",
    "max_rss_bytes",
    "children_max_rss_bytes",
    "available_bytes",
    "private_bytes",
    "RssSampler",
    "MeasuringReporter",
    "machine_info",
    "fmt_table",
]

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO / "bench" / "results"
#: The shared corpus sits beside the clone: <repo>/../shared/corpora/...
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "arxiv-cs-2025.jsonl.gz"
MB = 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE")


def parse_slice(text: str) -> int | None:
    """``"10000"``/``"10k"`` → 10000; ``"all"`` → None (the whole corpus).

    >>> parse_slice("10k"), parse_slice("1000"), parse_slice("all")
    (10000, 1000, None)
    """
    t = text.strip().lower()
    if t in ("all", "full", ""):
        return None
    if t.endswith("k"):
        return int(float(t[:-1]) * 1000)
    n = int(t)
    if n < 1:
        raise ValueError(f"slice size must be positive, not {text!r}")
    return n


def slice_label(n: int | None) -> str:
    """File-name label of a slice: ``1000`` → ``"1k"``, None → ``"all"``.

    >>> slice_label(1000), slice_label(74728), slice_label(None), slice_label(200)
    ('1k', '74728', 'all', '200')
    """
    if n is None:
        return "all"
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _open_text(path: Path):
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def write_slice(corpus: str | Path, n: int | None, dest: str | Path) -> tuple[Path, int]:
    """Copy the first ``n`` non-blank lines (all if None) of a JSONL(.gz) corpus to ``dest``.

    Returns the file written and how many records it holds.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "c.jsonl").write_text('{"title": "A"}\\n\\n{"title": "B"}\\n{"title": "C"}\\n')
    >>> write_slice(d / "c.jsonl", 2, d / "s.jsonl")[1]
    2
    """
    src, out = Path(corpus), Path(dest)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with _open_text(src) as fin, out.open("w", encoding="utf-8") as fout:
        for line in fin:
            if not line.strip():
                continue
            if n is not None and count >= n:
                break
            fout.write(line if line.endswith("\n") else line + "\n")
            count += 1
    return out, count


def load_papers(path: str | Path) -> list[Any]:
    """Read a slice file into ``Paper`` records through graphkit's own reader."""
    from graphkit.ingest import load_corpus

    return list(load_corpus([str(path)]).papers)


def rss_bytes() -> int:
    """Current resident set size of this process, in bytes."""
    with open("/proc/self/statm", "rb") as fh:
        return int(fh.read().split()[1]) * _PAGE


def hwm_bytes() -> int:
    """Peak resident set size of this process so far (``VmHWM``), in bytes."""
    with open("/proc/self/status", "rb") as fh:
        for line in fh:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def max_rss_bytes() -> int:
    """``getrusage(RUSAGE_SELF).ru_maxrss`` in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def children_max_rss_bytes() -> int:
    """Largest ``ru_maxrss`` among this process's finished, waited-for children, in bytes."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def available_bytes() -> int:
    """Memory the kernel says is available for new allocations (``MemAvailable``)."""
    try:
        with open("/proc/meminfo", "rb") as fh:
            for line in fh:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")


def _children(pid: int) -> list[int]:
    """PIDs of all live descendants of ``pid`` (scans /proc: portable across kernels)."""
    parent: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after it.
        fields = stat[stat.rfind(b")") + 2 :].split()
        parent[int(entry.name)] = int(fields[1])
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        found += kids
        todo += kids
    return sorted(found)


def private_bytes(pid: int) -> int:
    """Memory only ``pid`` holds (``Private_Clean + Private_Dirty``); 0 if it is gone.

    A forked worker shares its parent's pages until it writes them; its private pages are what
    it adds to the machine's memory on top of the parent's RSS.
    """
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith((b"Private_Clean:", b"Private_Dirty:")):
                    total += int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return 0
    return total


class RssSampler:
    """A daemon thread that samples memory every ``interval`` s and keeps running maxima.

    Two figures: this process's RSS, and the *tree*: this process's RSS plus the private memory
    of its descendants (worker processes forked by the pipeline), i.e. what the build adds to
    the machine.  Call :meth:`reset` at the start of a section, :meth:`peak`/:meth:`tree_peak`
    at its end.
    """

    def __init__(self, interval: float = 0.02, *, children_every: int = 10) -> None:
        self.interval = interval
        self.children_every = children_every
        self._max = rss_bytes()
        self._tree_max = self._max
        self._hwm0 = hwm_bytes()
        self._kids: list[int] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me, tick = os.getpid(), 0
        while not self._stop.wait(self.interval):
            if tick % self.children_every == 0:
                self._kids = _children(me)
            tick += 1
            own = rss_bytes()
            tree = own + sum(private_bytes(k) for k in self._kids)
            with self._lock:
                self._max = max(self._max, own)
                self._tree_max = max(self._tree_max, tree)

    def reset(self) -> None:
        """Start a new section: the running maxima become the current values."""
        now = rss_bytes()
        with self._lock:
            self._max = now
            self._tree_max = now + sum(private_bytes(k) for k in self._kids)
            self._hwm0 = hwm_bytes()

    def peak(self) -> int:
        """Peak RSS (bytes) of this process since the last :meth:`reset`.

        Sampling can miss a short spike; if the process high-water mark rose since the reset,
        this section set it, so the mark itself is the exact peak.
        """
        now, hwm = rss_bytes(), hwm_bytes()
        with self._lock:
            peak = max(self._max, now)
            if hwm > self._hwm0:
                peak = max(peak, hwm)
            return peak

    def tree_peak(self) -> int:
        """Peak of this process's RSS plus its descendants' private memory since the reset."""
        own = self.peak()
        with self._lock:
            return max(self._tree_max, own)


class MeasuringReporter(Reporter):
    """A Reporter that also records each stage's peak memory: ``peaks`` (this process's RSS)
    and ``tree_peaks`` (plus worker processes), in bytes.

    Stages timed in a worker process and reported afterwards (``Reporter.record``) have no
    memory figure of their own: their memory shows in the tree peak of the stages they ran
    beside, and in the worker's own peak (``peaks_mb`` of the pipeline's reporter).
    With ``echo=True`` a line per finished stage goes to stderr (benchmarks are scripts).
    """

    def __init__(self, sampler: RssSampler, *, echo: bool = False, prefix: str = "") -> None:
        super().__init__()
        self.sampler = sampler
        self.echo = echo
        self.prefix = prefix
        self.peaks: dict[str, int] = {}
        self.tree_peaks: dict[str, int] = {}
        self.notes: dict[str, str] = {}
        self.order: list[str] = []
        self.external: set[str] = set()
        self._running: list[str] = []

    def _start(self, stage: Stage) -> None:
        self.sampler.reset()
        self._running.append(stage.name)
        if stage.name not in self.order:
            self.order.append(stage.name)

    def _end(self, stage: Stage, elapsed: float) -> None:
        if stage.note:
            self.notes[stage.name] = stage.note
        if stage.name in self._running:
            self._running.remove(stage.name)
            peak, tree = self.sampler.peak(), self.sampler.tree_peak()
            self.peaks[stage.name] = max(self.peaks.get(stage.name, 0), peak)
            self.tree_peaks[stage.name] = max(self.tree_peaks.get(stage.name, 0), tree)
            mem = f"{peak / MB:9.0f} MB {tree / MB:9.0f} MB"
        else:  # timed elsewhere (a worker process), reported now
            self.external.add(stage.name)
            if stage.name not in self.order:
                self.order.append(stage.name)
            mem = f"{'worker':>12} {'':>12}"
        if self.echo:
            note = f"  {stage.note}" if stage.note else ""
            print(
                f"{self.prefix}{stage.name:<16} {elapsed:9.2f} s {mem}{note}",
                file=sys.stderr,
                flush=True,
            )

    @contextmanager
    def step(self, name: str, note: str = "") -> Iterator[Stage]:
        """A stage for scripts that are not graphkit's pipeline (``with rep.step("x"): ...``)."""
        with self.stage(name) as st:
            if note:
                st.set_note(note)
            yield st

    def worker_peaks_mb(self) -> dict[str, float]:
        """Peak RSS of worker processes as the pipeline reported them (``record_peak``)."""
        return {k: float(v) for k, v in getattr(self, "peaks_mb", {}).items()}

    def rows(self) -> list[dict[str, Any]]:
        """One row per stage, in the order they first ran (``peak_mb`` None: timed in a worker)."""
        out = []
        for name in self.order:
            ext = name in self.external and name not in self.peaks
            out.append(
                {
                    "stage": name,
                    "time_s": round(self.timings.get(name, 0.0), 3),
                    "peak_mb": None if ext else round(self.peaks.get(name, 0) / MB, 1),
                    "tree_peak_mb": None if ext else round(self.tree_peaks.get(name, 0) / MB, 1),
                    "in_worker": ext,
                    "note": self.notes.get(name, ""),
                }
            )
        return out


def machine_info() -> dict[str, Any]:
    """CPU model, core count, memory and Python version of this machine (for the results)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            total = int(fh.readline().split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        total = 0
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(total / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_at_start": load,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def fmt_table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """Plain-text table with right-aligned numbers.

    >>> print(fmt_table([("tf-idf", "1.50", "300")], ("stage", "time s", "peak MB")))
    stage   time s  peak MB
    tf-idf    1.50      300
    """
    cells = [list(map(str, header))] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for r in cells:
        parts = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
