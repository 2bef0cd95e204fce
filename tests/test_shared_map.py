"""shared_map: a map shared with a forked child gives the inline answer; errors and signals."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from graphkit.errors import GraphkitError
from graphkit.features import FeatureExtractor
from graphkit.model import Paper
from graphkit.parallel import can_fork
from graphkit.shared_map import chunk_size, shared_map

DATA = Path(__file__).resolve().parent / "data"
needs_fork = pytest.mark.skipif(not can_fork(), reason="os.fork is not available here")


def _squares(lo: int, hi: int) -> list[tuple[int, int]]:
    time.sleep(0.002)  # both processes get chunks
    return [(i, i * i) for i in range(lo, hi)]


@pytest.mark.parametrize("forked", [False, True])
@pytest.mark.parametrize(("n", "chunk"), [(0, 4), (1, 4), (7, 3), (100, 1), (257, 16)])
def test_same_list_as_inline_whoever_computes(forked: bool, n: int, chunk: int) -> None:
    ran = []
    got = shared_map(_squares, n, forked=forked, chunk=chunk, before=lambda: ran.append(1))
    assert got == [(i, i * i) for i in range(n)]
    assert ran == [1]  # before() runs once, here, in either mode


@needs_fork
def test_both_processes_take_chunks() -> None:
    def where(lo: int, hi: int) -> list[int]:
        time.sleep(0.01)
        return [os.getpid()] * (hi - lo)

    pids = shared_map(where, 200, forked=True, chunk=5)
    assert len(pids) == 200 and len(set(pids)) == 2 and os.getpid() in pids


def test_chunks_are_bounded() -> None:
    assert chunk_size(10) == 16 and chunk_size(1_000_000) == 3907
    # more chunks than the queue holds are merged into bigger ones
    assert shared_map(lambda lo, hi: [hi - lo], 10_000, forked=True, chunk=1) == [3] * 3333 + [1]


@needs_fork
def test_an_error_in_the_child_is_raised_here() -> None:
    parent = os.getpid()

    def fails_there(lo: int, hi: int) -> list[int]:
        time.sleep(0.005)
        if os.getpid() != parent:
            raise ValueError(f"bad chunk {lo}")
        return list(range(lo, hi))

    with pytest.raises(ValueError, match="bad chunk"):
        shared_map(fails_there, 100, forked=True, chunk=2)


@needs_fork
def test_a_child_that_dies_is_an_explained_error() -> None:
    parent = os.getpid()

    def dies_there(lo: int, hi: int) -> list[int]:
        time.sleep(0.005)
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return list(range(lo, hi))

    with pytest.raises(GraphkitError, match="killed by signal 9"):
        shared_map(dies_there, 100, forked=True, chunk=2)


_SIGTERM_SCRIPT = """
import os, signal, sys, time
from graphkit.shared_map import shared_map

def stop(signum, frame):
    raise SystemExit(128 + signum)

signal.signal(signal.SIGTERM, stop)
parent = os.getpid()

def slow(lo, hi):
    if os.getpid() != parent:
        print(os.getpid(), flush=True)
        time.sleep(60)
    time.sleep(0.05 if sys.argv[1] == "working" else 0)
    return list(range(lo, hi))

print(parent, flush=True)
# "waiting": this process is done with its chunks and waits for the child's answer
before = (lambda: time.sleep(0.5)) if sys.argv[1] == "waiting" else None
shared_map(slow, 1000 if sys.argv[1] == "working" else 4, forked=True, chunk=1, before=before)
"""


@needs_fork
@pytest.mark.parametrize("here", ["working", "waiting"])
def test_sigterm_here_stops_the_child(here: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(DATA.parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-c", _SIGTERM_SCRIPT, here],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        pids = {int(proc.stdout.readline()), int(proc.stdout.readline())}
        pids.discard(proc.pid)
        (child,) = pids
        time.sleep(1.0)  # "waiting": past before() and its chunks, in result()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 128 + signal.SIGTERM, proc.stderr.read()
    finally:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
    with pytest.raises(ProcessLookupError):  # killed and reaped by its parent
        os.kill(child, 0)


def _arxiv_50() -> list[Paper]:
    rows = [
        orjson.loads(line)
        for line in (DATA / "ingest" / "arxiv-50.jsonl").read_bytes().splitlines()
    ]
    return [
        Paper(id=str(r["id"]), title=r.get("title") or "", abstract=r.get("summary") or "")
        for r in rows
        if r
    ]


def test_forked_features_equal_inline_features() -> None:
    papers = _arxiv_50()
    one = FeatureExtractor(processes=1).fit_transform(papers)
    two = FeatureExtractor(processes=2)
    assert two.fit_transform(papers) == one
    assert two.transform(papers) == one  # fitted as inline: key phrases too
    assert sum(len(f.mentions) for f in one) > 0 and sum(bool(f.keyphrases) for f in one) > 0


@needs_fork
def test_a_build_sharing_its_features_writes_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    from graphkit import parallel, pipeline
    from graphkit.config import Config

    src = str(DATA / "ingest" / "arxiv-50.jsonl")
    one = pipeline.run_build(Config(paths=(src,), out_dir=str(tmp_path / "one"), workers=1))
    monkeypatch.setattr(parallel, "FEATURES_MIN_PAPERS", 1)
    two = pipeline.run_build(Config(paths=(src,), out_dir=str(tmp_path / "two"), workers=2))
    assert two.plan.features == "forked" and one.plan.features == "inline"
    files = [p.name for p in one.written if p.name != "manifest.json"]
    assert files and [p.name for p in two.written] == [p.name for p in one.written]
    for name in files:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), (
            name
        )
