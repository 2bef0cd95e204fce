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
    for _ in range(40):  # each try races the writer's rename; a loaded machine loses more
        proc = kill_while_writing(args, tmp_path, signal.SIGKILL)
        if proc.returncode == -signal.SIGKILL and temporaries(tmp_path):
            killed += 1
            assert not target.exists()  # never a half-written target
        else:  # finished (or renamed its file) before the kill landed
            assert target.read_bytes() == whole
            target.unlink()
        if killed == 3:
            break
    if not killed:  # a timing precondition, not a failure of the code under test
        pytest.skip("the writer finished before every kill (machine too loaded to catch it)")
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


# -- concurrent builds with different inputs, and readers racing them --------------------------

ARXIV = REPO / "tests" / "data" / "ingest" / "arxiv-50.jsonl"


def what_the_folder_holds(out: Path) -> dict[str, object]:
    """Which papers each output of ``out`` describes, read back with real parsers; one build's
    outputs all describe the same papers."""
    import csv
    import html as htmllib

    import orjson

    from graphkit.index import load_index

    graph = orjson.loads((out / "graph.json").read_bytes())
    papers = sorted(n["id"] for n in graph["nodes"] if n.get("kind") == "paper")
    with open(out / "nodes.csv", newline="", encoding="utf-8") as fh:
        csv_papers = sorted(r["id"] for r in csv.DictReader(fh) if r["kind"] == "paper")
    index = load_index(out / "related.npz")
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    report = (out / "report.md").read_text(encoding="utf-8")
    page = htmllib.unescape((out / "graph.html").read_text(encoding="utf-8"))
    return {
        "graph.json": papers,
        "nodes.csv": csv_papers,
        "related.npz": sorted(index.ids[: index.n_papers]),
        "manifest.json": manifest["counts"]["papers"] == len(papers),
        "report.md": f"- Papers: {len(papers)}\n" in report,
        "graph.html": all(f'"{p}"' in page for p in papers),
        "inputs": [Path(i["path"]).name for i in manifest["inputs"]],
    }


def test_concurrent_builds_of_different_inputs_leave_one_whole_build(tmp_path: Path) -> None:
    """Four builds of four different corpora into one folder at once, while readers (`related`,
    `report`, `export`) read it over and over: every build and every read succeeds, and the
    folder ends holding exactly one build's outputs, all describing the same papers."""
    lines = ARXIV.read_bytes().splitlines(keepends=True)
    inputs = []
    for k in range(4):
        part = tmp_path / f"part{k}.jsonl"
        part.write_bytes(b"".join(lines[k * 12 : k * 12 + 12 + k]))  # 12-15 different papers
        inputs.append(part)
    out = tmp_path / "out"
    assert invoke("build", str(inputs[0]), "-o", str(out), "-q", "--workers", "1").exit_code == 0
    builds = [
        subprocess.Popen(
            [*CMD, "build", str(p), "-o", str(out), "--workers", "1"],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for p in inputs
    ]
    reads = 0
    while any(b.poll() is None for b in builds):
        for args in (
            ["related", "graph", "-g", str(out), "--json"],
            ["report", str(out)],
            ["export", str(out), "-o", str(tmp_path / "copy.json")],
        ):
            done = subprocess.run([*CMD, *args], env=ENV, capture_output=True, timeout=120)
            assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr.decode()
            reads += 1
    for b in builds:
        _, err = b.communicate(timeout=300)
        assert b.returncode == 0 and b"Traceback" not in err, err.decode()
    assert reads >= 3
    held = what_the_folder_holds(out)
    assert held["graph.json"] == held["nodes.csv"] == held["related.npz"], held
    assert held["manifest.json"] and held["report.md"] and held["graph.html"], held
    assert len(held["inputs"]) == 1 and held["inputs"][0].startswith("part")
    from graphkit.ingest import load_corpus

    winner = load_corpus([tmp_path / held["inputs"][0]]).papers
    assert held["graph.json"] == sorted(p.id for p in winner)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
