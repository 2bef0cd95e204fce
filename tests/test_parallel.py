"""Forked jobs, and builds that use them: same results as one process, errors come back."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import networkx as nx
import pytest

from graphkit import pipeline
from graphkit.analysis import analyse, start_analysis
from graphkit.config import Config
from graphkit.errors import GraphkitError, IngestError
from graphkit.parallel import Forked, can_fork

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


def test_inline_when_fork_is_off() -> None:
    assert Forked(_pid, fork=False).result() == os.getpid()


@pytest.mark.parametrize("fork", [True, False])
def test_errors_come_back_with_their_details(fork: bool) -> None:
    with pytest.raises(IngestError) as info:
        Forked(_fail, fork=fork).result()
    err = info.value
    assert (err.path, err.line, err.hint) == ("papers.csv", 3, "Name a column 'title'.")
    assert str(err) == "papers.csv:3: no title column. Name a column 'title'."


@needs_fork
def test_a_killed_child_is_an_explained_error() -> None:
    with pytest.raises(GraphkitError, match="killed by signal 9"):
        Forked(_die).result()


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
    pending = start_analysis(H, parallel=True)
    pending.finish()
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert max(H.nodes, key=lambda n: H.nodes[n]["betweenness"]) in (7, 8)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "manifest.json"}


@needs_fork
def test_two_process_build_writes_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    one = pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "one"), workers=1))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PAPERS", 1)
    rep = pipeline.Reporter()
    two = pipeline.run_build(
        Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "two"), workers=2), reporter=rep
    )
    assert {"wait similarity", "wait betweenness"} <= set(rep.timings)
    assert [p.name for p in two.written] == [p.name for p in one.written]
    assert _outputs(tmp_path / "two") == _outputs(tmp_path / "one")
    assert not list((tmp_path / "two").glob(".*.tmp"))


@needs_fork
def test_a_writer_failing_in_the_child_fails_the_build(tmp_path: Path, monkeypatch) -> None:
    from graphkit import export
    from graphkit.errors import OutputError

    def broken(G, path, **kwargs):  # noqa: ANN001, ANN003
        raise OutputError(f"cannot write {path}", hint="Check the disk.")

    monkeypatch.setattr(export, "write_gexf", broken)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PAPERS", 1)
    with pytest.raises(OutputError, match="graph.gexf"):
        pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "out"), workers=2))
    assert not (tmp_path / "out" / "manifest.json").exists()
    assert not list((tmp_path / "out").glob(".*.tmp"))


def _spy_on_similarity_processes(monkeypatch) -> list:
    """Record the process of every similarity job started (``pipeline._Background``)."""
    procs: list = []
    real = pipeline._Background

    class Spy(real):
        def __init__(self) -> None:
            super().__init__()
            procs.append(self._proc)

    monkeypatch.setattr(pipeline, "_Background", Spy)
    return procs


def test_similarity_process_started_before_reading_gives_the_same_bytes(
    tmp_path: Path, monkeypatch
) -> None:
    one = pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "one"), workers=1))
    procs = _spy_on_similarity_processes(monkeypatch)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PAPERS", 1)
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
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)  # started on size ...
    rep = pipeline.Reporter()
    pipeline.run_build(
        Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "o"), workers=2), reporter=rep
    )
    assert len(procs) == 1 and not procs[0].is_alive()  # ... stopped: 331 papers < 5,000
    assert "wait similarity" not in rep.timings and "tf-idf" in rep.timings


def test_small_inputs_do_not_start_the_early_process(tmp_path: Path, monkeypatch) -> None:
    started = _spy_on_similarity_processes(monkeypatch)
    pipeline.run_build(Config(paths=(str(SEEDS),), out_dir=str(tmp_path / "o"), workers=2))
    assert started == []  # 584 KB of seeds: far below PARALLEL_MIN_BYTES and 5,000 papers


def test_early_process_is_stopped_when_reading_fails(tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "ok", "abstract": "x"}\n{not json\n', encoding="utf-8")
    procs = _spy_on_similarity_processes(monkeypatch)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    with pytest.raises(IngestError, match="bad.jsonl:2"):
        pipeline.run_build(Config(paths=(str(bad),), out_dir=str(tmp_path / "o"), workers=2))
    assert len(procs) == 1 and not procs[0].is_alive()
