"""Progress reporting: the pipeline announces stages; who listens decides what is shown.

Library code only calls a :class:`Reporter`; the default one is silent, so nothing is printed
when graphkit is used as a library or without a terminal.  The CLI passes a rich-based reporter
unless ``--quiet`` is given or stderr is not a terminal.

>>> r = Reporter()
>>> with r.stage("read") as s:
...     s.advance(10)
>>> r.timings["read"] >= 0
True
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

__all__ = ["Reporter", "Stage", "RichReporter"]


class Stage:
    """One running stage: call ``advance(n)`` as items are processed."""

    def __init__(self, name: str, total: int | None = None) -> None:
        self.name = name
        self.total = total
        self.done = 0
        self.note = ""

    def advance(self, n: int = 1) -> None:
        self.done += n

    def set_note(self, note: str) -> None:
        """A short result shown when the stage ends ("331 papers")."""
        self.note = note


class Reporter:
    """Silent reporter that records per-stage wall time in ``timings`` (seconds)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.peaks_mb: dict[str, float] = {}

    def record(self, name: str, seconds: float, note: str = "") -> None:
        """Add a stage that was timed elsewhere (e.g. in a worker process)."""
        self.timings[name] = self.timings.get(name, 0.0) + seconds
        st = Stage(name)
        st.set_note(note)
        self._end(st, seconds)

    def record_peak(self, name: str, megabytes: float) -> None:
        """Remember the peak memory of a worker process (for benchmarks and the manifest)."""
        self.peaks_mb[name] = megabytes

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage]:
        st = Stage(name, total)
        t0 = time.perf_counter()
        self._start(st)
        try:
            yield st
        finally:
            elapsed = time.perf_counter() - t0
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            self._end(st, elapsed)

    def _start(self, stage: Stage) -> None:  # hooks for subclasses
        pass

    def _end(self, stage: Stage, elapsed: float) -> None:
        pass


class RichReporter(Reporter):
    """Shows a spinner per stage on stderr, then one line with its time, rate and result."""

    def __init__(self) -> None:
        super().__init__()
        from rich.console import Console

        self.console = Console(stderr=True)
        self._status = None

    def _start(self, stage: Stage) -> None:
        self._status = self.console.status(f"[bold]{stage.name}[/bold] …")
        self._status.start()

    def _end(self, stage: Stage, elapsed: float) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
        rate = ""
        if stage.done and elapsed > 0:
            rate = f" ({stage.done / elapsed:,.0f}/s)"
        note = f" — {stage.note}" if stage.note else ""
        self.console.print(f"  [green]✓[/green] {stage.name:<12} {elapsed:7.2f} s{rate}{note}")
