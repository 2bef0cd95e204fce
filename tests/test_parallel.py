"""Forked jobs, and builds that use them: same results as one process, errors come back."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from graphkit import parallel, pipeline, spawned
from graphkit.analysis import analyse, find_communities, global_centralities, write_analysis
from graphkit.analysis._convert import to_igraph
from graphkit.config import Config
from graphkit.errors import GraphkitError, IngestError
from graphkit.parallel import Forked, Inline, Spawned, can_fork, start

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

needs_fork = pytest.mark.skipif(not can_fork(), reason="os.fork is not available here")


def _pid() -> int:
    return os.getpid()


def _fail() -> None:
    raise IngestError("papers.csv", "no title column", line=3, hint="Name a column 'title'.")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@needs_fork
def test_job_runs_in_another_process_and_returns_its_value() -> None:
    job = Forked(_pid)
    assert job.result() != os.getpid()
    assert Forked(sorted, [3, 1, 2]).result() == [1, 2, 3]


def test_inline_runs_here() -> None:
    assert Inline(_pid).result() == os.getpid()
    assert start("inline", _pid).result() == os.getpid()


def test_spawned_runs_in_a_fresh_interpreter() -> None:
    job = Spawned(_pid)
    assert job.result() != os.getpid()
    assert start("spawned", sorted, [3, 1, 2]).result() == [1, 2, 3]


def test_a_warm_interpreter_is_taken_by_the_next_spawned_job() -> None:
    parallel.warm_up("json")
    warm = spawned._warm
    job = Spawned(sorted, [2, 1])
    assert spawned._warm is None and job.process is warm.proc
    assert job.result() == [1, 2]
    parallel.warm_up()
    proc = spawned._warm.proc
    parallel.cool_down()
    assert spawned._warm is None and not proc.is_alive()


@pytest.mark.parametrize("mode", ["forked", "inline", "spawned"])
def test_errors_come_back_with_their_details(mode: str) -> None:
    if mode == "forked" and not can_fork():
        pytest.skip("os.fork is not available here")
    with pytest.raises(IngestError) as info:
        start(mode, _fail).result()
    err = info.value
    assert (err.path, err.line, err.hint) == ("papers.csv", 3, "Name a column 'title'.")
    assert str(err) == "papers.csv:3: no title column. Name a column 'title'."


@needs_fork
def test_a_killed_child_is_an_explained_error() -> None:
    with pytest.raises(GraphkitError, match="killed by signal 9"):
        Forked(_die).result()
    with pytest.raises(GraphkitError, match="ended without an answer"):
        Spawned(_die).result()


@needs_fork
def test_cancel_kills_a_running_child() -> None:
    import time

    job = Forked(time.sleep, 30)
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 10
    assert job.result() is None  # nothing to wait for any more


@needs_fork
def test_large_results_pass_through_the_pipe() -> None:
    data = list(range(300_000))  # several MB pickled: more than a pipe buffer
    assert Forked(list, data).result() == data


@needs_fork
def test_forked_betweenness_equals_inline() -> None:
    G = nx.barbell_graph(6, 3)
    nx.set_node_attributes(G, "paper", "kind")
    H = G.copy()
    analyse(G)
    converted = to_igraph(H)
    job = Forked(global_centralities, converted)
    found = find_communities(H, converted)
    assert "betweenness" not in H.nodes[0]  # nothing is written before the scores are in
    write_analysis(H, converted, found, job.result())
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert max(H.nodes, key=lambda n: H.nodes[n]["betweenness"]) in (7, 8)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "manifest.json"}


@needs_fork
def test_two_process_build_writes_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    one = pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "one"), workers=1))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAPERS", 1)
    monkeypatch.setattr(parallel, "FEATURES_MIN_PAPERS", 1)
    rep = pipeline.Reporter()
    two = pipeline.run_build(
        Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "two"), workers=2), reporter=rep
    )
    assert two.plan.features == "forked" and one.plan.features == "inline"
    assert {"wait similarity", "wait betweenness"} <= set(rep.timings)
    assert [p.name for p in two.written] == [p.name for p in one.written]
    assert "related.npz" in _outputs(tmp_path / "one")
    # the spawned process sent its text model back (the index did not refit one from the graph)
    assert two.text is not None and one.text is not None
    assert (two.text.X != one.text.X).nnz == 0 and two.text.terms == one.text.terms
    assert _outputs(tmp_path / "two") == _outputs(tmp_path / "one")
    assert not list((tmp_path / "two").glob(".*.tmp"))


@needs_fork
@pytest.mark.parametrize(
    ("module", "writer", "file"),
    [("export", "write_gexf", "graph.gexf"), ("index", "write_related_index", "related.npz")],
    ids=["split-writer", "early-writer"],
)
def test_a_writer_failing_in_a_child_fails_the_build(
    tmp_path: Path, monkeypatch, module: str, writer: str, file: str
) -> None:
    import importlib

    from graphkit.errors import OutputError

    def broken(G, path, **kwargs):  # noqa: ANN001, ANN003
        raise OutputError(f"cannot write {path}", hint="Check the disk.")

    monkeypatch.setattr(importlib.import_module(f"graphkit.{module}"), writer, broken)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAPERS", 1)
    with pytest.raises(OutputError, match=file):
        pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "out"), workers=2))
    assert not (tmp_path / "out" / "manifest.json").exists()
    assert not list((tmp_path / "out").glob(".*.tmp"))


def _spy_on_writers(monkeypatch, log: Path) -> None:
    """Wrap every writer to log, by output name, the process that ran it and whether the
    graph it saw was analysed yet (a ``community`` on some node)."""
    from dataclasses import replace

    from graphkit import outputs

    def wrap(writer):  # noqa: ANN001, ANN202
        def write(ctx, paths):  # noqa: ANN001, ANN202
            analysed = any("community" in d for _, d in ctx.G.nodes(data=True))
            with log.open("a") as fh:  # a file: a child's record must reach the parent
                fh.write(f"{writer.name} {os.getpid()} {int(analysed)} {os.nice(0)}\n")
            return writer.write(ctx, paths)

        return replace(writer, write=write)

    for name, writer in list(outputs.WRITERS.items()):
        monkeypatch.setitem(outputs.WRITERS, name, wrap(writer))


def _writer_log(log: Path) -> dict[str, tuple[int, bool, int]]:
    rows = (line.split() for line in log.read_text().splitlines())
    return {name: (int(pid), a == "1", int(nice)) for name, pid, a, nice in rows}


@needs_fork
def test_two_processes_share_the_writing_and_the_index_is_written_early(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAPERS", 1)
    _spy_on_writers(monkeypatch, tmp_path / "writers.log")
    pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "two"), workers=2))
    ran = _writer_log(tmp_path / "writers.log")
    here = os.getpid()
    # the related index needs only the assembled graph: written before analysis, elsewhere,
    # at low priority (it is wanted only at the end)
    assert ran["index"][0] != here and ran["index"][1] is False
    assert ran["index"][2] >= min(19, os.nice(0) + parallel.LOW_PRIORITY)
    assert ran["json"][2] == os.nice(0)
    # the rest are split between this process and one child, all after analysis
    pids = {ran[n][0] for n in ("graphml", "gexf", "json", "csv", "report", "html")}
    assert here in pids and len(pids) == 2
    assert all(
        ran[n][1] and ran[n][2] == os.nice(0)
        for n in ("graphml", "gexf", "json", "csv", "report", "html")
    )


def test_writers_are_split_by_cost_keeping_table_order() -> None:
    from graphkit.outputs import OutputWriter, split_writers

    def w(name: str, cost: float) -> OutputWriter:
        return OutputWriter(name, (name,), lambda ctx, paths: None, cost=cost)

    ws = [w("a", 1.0), w("b", 3.0), w("c", 1.0), w("d", 1.0), w("e", 0.5)]
    here, there = split_writers(ws)
    assert [x.name for x in here] == ["b", "e"] and [x.name for x in there] == ["a", "c", "d"]
    assert split_writers([]) == ([], [])
    assert split_writers(ws[:1]) == (ws[:1], [])


def _spy_on_similarity_processes(monkeypatch) -> list:
    """Record the process of every spawned interpreter started (``spawned._Interpreter``)."""
    procs: list = []
    real = spawned._Interpreter

    class Spy(real):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            procs.append(self.proc)

    monkeypatch.setattr(spawned, "_Interpreter", Spy)
    return procs


def test_similarity_process_started_before_reading_gives_the_same_bytes(
    tmp_path: Path, monkeypatch
) -> None:
    one = pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "one"), workers=1))
    procs = _spy_on_similarity_processes(monkeypatch)
    monkeypatch.setattr(parallel, "BYTES_PER_PAPER", 1e-9)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAPERS", 1)
    rep = pipeline.Reporter()
    pipeline.run_build(
        Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "two"), workers=2), reporter=rep
    )
    assert len(procs) == 1 and not procs[0].is_alive()
    assert {"wait similarity", "tf-idf"} <= set(rep.timings)
    assert _outputs(tmp_path / "two") == _outputs(tmp_path / "one")
    assert len(one.written) == 9  # the eight files and related.npz


def test_early_process_is_stopped_when_the_corpus_is_small(tmp_path: Path, monkeypatch) -> None:
    procs = _spy_on_similarity_processes(monkeypatch)
    monkeypatch.setattr(parallel, "BYTES_PER_PAPER", 1e-9)  # started on size ...
    rep = pipeline.Reporter()
    pipeline.run_build(
        Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "o"), workers=2), reporter=rep
    )
    assert len(procs) == 1 and not procs[0].is_alive()  # ... stopped: 331 papers < 5,000
    assert "wait similarity" not in rep.timings and "tf-idf" in rep.timings


def test_small_inputs_do_not_start_the_early_process(tmp_path: Path, monkeypatch) -> None:
    started = _spy_on_similarity_processes(monkeypatch)
    pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "o"), workers=2))
    assert started == []  # 584 KB of seeds: far below 5,000 papers' worth


def test_early_process_is_stopped_when_reading_fails(tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "ok", "abstract": "x"}\n{not json\n', encoding="utf-8")
    procs = _spy_on_similarity_processes(monkeypatch)
    monkeypatch.setattr(parallel, "BYTES_PER_PAPER", 1e-9)
    with pytest.raises(IngestError, match="bad.jsonl:2"):
        pipeline.run_build(Config(paths=(str(bad),), out_dir=str(tmp_path / "o"), workers=2))
    assert len(procs) == 1 and not procs[0].is_alive()


_ORPHAN_SCRIPT = """
import os, signal, sys, time
from graphkit.parallel import Forked, Spawned
job = Forked(time.sleep, 120) if sys.argv[1] == "forked" else Spawned(time.sleep, 120)
pid = job._pid if sys.argv[1] == "forked" else job.process.pid
print(pid, flush=True)
time.sleep(0.5)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("mode", ["forked", "spawned"])
def test_a_killed_parent_leaves_no_worker_behind(mode: str) -> None:
    if mode == "forked" and not can_fork():
        pytest.skip("os.fork is not available here")
    env = {**os.environ, "PYTHONPATH": str(SEEDS.parent)}
    proc = subprocess.run(
        [sys.executable, "-c", _ORPHAN_SCRIPT, mode], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    child = int(proc.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, os.WNOHANG)
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail(f"the {mode} worker {child} outlived its killed parent")


def test_spawned_job_from_an_unguarded_script(tmp_path: Path) -> None:
    """A script without an ``if __name__ == "__main__":`` guard can start a spawned job (as a
    library build with the default ``workers=0`` does): the child does not re-run the script."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from graphkit import parallel\n"
        "print('ran')\n"
        "print('result', parallel.Spawned(sum, [1, 2, 3]).result())\n"
    )
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split("\n").count("ran") == 1 and "result 6" in proc.stdout
