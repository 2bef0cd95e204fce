"""Commands other than ``build`` killed mid-write, and their reruns: a SIGKILLed ``export`` or
``html`` leaves nothing at its target (or the previous file, whole), and the temporary file it
was writing is removed by the next write of that target, never left to pile up.  Papers:
the seeds (a 2 MB graphml: a wide window to kill in)."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.errors import ExitCode

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
CMD = [sys.executable, "-c", "from graphkit.cli import main; main()", "-q"]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kills") / "out"
    result = invoke("build", str(SEEDS), "-o", str(out), "-q", "--workers", "1")
    assert result.exit_code == 0, result.output
    return out


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def kill_while_writing(args: list[str], folder: Path, sig: int) -> subprocess.Popen:
    """Start ``graphkit ARGS`` and send ``sig`` once its temporary file exists in ``folder``
    (the moment a kill hurts: the target is being written)."""
    proc = subprocess.Popen([*CMD, *args], env=ENV, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not temporaries(folder):
        if proc.poll() is not None:  # finished before we caught it: nothing to kill
            return proc
        assert time.monotonic() < deadline
        time.sleep(0.002)
    proc.send_signal(sig)
    proc.communicate(timeout=120)
    return proc


@pytest.mark.parametrize("command", ["export", "html"])
def test_a_sigkilled_writer_leaves_no_partial_target_and_the_rerun_sweeps_its_temp(
    built: Path, tmp_path: Path, command: str
) -> None:
    target = tmp_path / ("g.graphml" if command == "export" else "map.html")
    args = [command, str(built), "-o", str(target)]
    assert invoke(*args).exit_code == 0
    whole = target.read_bytes()
    target.unlink()
    killed = 0
    for _ in range(10):
        proc = kill_while_writing(args, tmp_path, signal.SIGKILL)
        if proc.returncode == -signal.SIGKILL and temporaries(tmp_path):
            killed += 1
            assert not target.exists()  # never a half-written target
        else:  # finished (or renamed its file) before the kill landed
            assert target.read_bytes() == whole
            target.unlink()
        if killed == 3:
            break
    assert killed, "the writer always finished before the kill: nothing was tested"
    assert invoke(*args).exit_code == 0
    assert temporaries(tmp_path) == []  # the killed writers' temporaries are gone
    assert target.read_bytes() == whole
    proc = kill_while_writing(args, tmp_path, signal.SIGKILL)  # over an existing target
    assert target.read_bytes() == whole  # the previous file, whole
    assert invoke(*args).exit_code == 0 and temporaries(tmp_path) == []
    if command == "export":
        assert nx.read_graphml(target).number_of_nodes() > 0


def test_sigterm_while_writing_removes_the_temp_at_once(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "g.gexf"
    proc = kill_while_writing(["export", str(built), "-o", str(target)], tmp_path, signal.SIGTERM)
    assert proc.returncode in (0, 128 + signal.SIGTERM)
    assert temporaries(tmp_path) == []
    assert target.exists() == (proc.returncode == 0)


def test_a_live_writers_temp_is_never_swept(built: Path, tmp_path: Path) -> None:
    """A concurrent export of the same file holds a lock on its temporary file: the sweep of
    another writer leaves it; a stale one (no lock) and look-alikes that mkstemp never makes
    are told apart."""
    target = tmp_path / "g.json"
    stale = tmp_path / ".g.json.abcd1234.tmp"
    live = tmp_path / ".g.json.live_123.tmp"
    other = tmp_path / ".g.json.notmine.tmp"  # 7 characters: not mkstemp's
    for p in (stale, live, other):
        p.write_bytes(b"partial")
    with open(live, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        result = invoke("export", str(built), "-o", str(target))
        assert result.exit_code == 0, result.output
        assert temporaries(tmp_path) == sorted([live.name, other.name])
    assert target.is_file()


def test_csv_into_a_stream_is_refused_not_written_beside_it(built: Path, tmp_path: Path) -> None:
    """CSV makes two files (nodes and edges); ``-o /dev/stdout --format csv`` once wrote
    ``/dev/stdout.nodes.csv`` (as root: new files in /dev)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in ("/dev/stdout", "/dev/null", str(fifo)):
        result = invoke("export", str(built), "-o", target, "--format", "csv")
        assert result.exit_code == ExitCode.BAD_CONFIG, result.output
        assert "two files" in result.output and "--format json" in result.output
    assert not Path("/dev/stdout.nodes.csv").exists() and not Path("/dev/null.nodes.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
