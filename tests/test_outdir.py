"""The output folder as one unit: killed, failed and concurrent builds never leave it half-written
or mixed (graphkit/outdir.py and its use by the build)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import orjson
import pytest

from graphkit import outdir
from graphkit.config import Config
from graphkit.errors import OutputError
from graphkit.outdir import JOURNAL_NAME, STAGING_PREFIX, OutputFolder, recover
from graphkit.pipeline import run_build

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))  # five listing pages, 331 papers


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith((STAGING_PREFIX, JOURNAL_NAME))
    )


def _subset(tmp: Path, name: str, files: list[Path]) -> Path:
    d = tmp / name
    d.mkdir()
    for f in files:
        (d / f.name).write_bytes(f.read_bytes())
    return d


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "graphkit", "-q", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _paper_ids(out: Path) -> dict[str, set[str]]:
    """The paper nodes of each graph file of a build, read with real parsers."""
    kinds = {
        "graphml": nx.read_graphml(out / "graph.graphml"),
        "gexf": nx.read_gexf(out / "graph.gexf"),
    }
    found = {
        name: {n for n, k in G.nodes(data="kind") if k == "paper"} for name, G in kinds.items()
    }
    data = orjson.loads((out / "graph.json").read_bytes())
    found["json"] = {n["id"] for n in data["nodes"] if n.get("kind") == "paper"}
    return found


# -- the unit -------------------------------------------------------------------------------


def test_commit_moves_everything_and_manifest_last(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputFolder(out) as stage:
        assert stage.path.parent == out and stage.path.name.startswith(STAGING_PREFIX)
        for name in ("a.txt", "manifest.json", "b.txt"):
            (stage.path / name).write_text(name)
        paths = stage.commit(["a.txt", "manifest.json", "b.txt"])
    assert [p.name for p in paths] == ["a.txt", "manifest.json", "b.txt"]
    assert {p.name: p.read_text() for p in paths} == {
        n: n for n in ("a.txt", "manifest.json", "b.txt")
    }
    assert _leftovers(out) == []


def test_an_error_before_the_commit_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.json").write_text("old")
    with pytest.raises(RuntimeError), OutputFolder(out) as stage:
        (stage.path / "graph.json").write_text("new")
        raise RuntimeError("writer failed")
    assert (out / "graph.json").read_text() == "old"
    assert _leftovers(out) == []


def test_stale_outputs_go_in_the_commit_only_in_a_build_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.html").write_text("a file of the user's, no build here")
    with OutputFolder(out) as stage:
        (stage.path / "graph.json").write_text("{}")
        (stage.path / "manifest.json").write_text('{"graphkit": "x", "outputs": []}')
        stage.commit(["graph.json", "manifest.json"], owned=["graph.html", "graph.json"])
    assert sorted(_digests(out)) == ["graph.html", "graph.json", "manifest.json"]
    with OutputFolder(out) as stage:  # now an earlier build wrote the folder
        (stage.path / "graph.json").write_text("{}")
        stage.commit(["graph.json"], owned=["graph.html", "graph.json"])
    assert sorted(_digests(out)) == ["graph.json", "manifest.json"]


def test_a_commit_interrupted_half_way_is_finished_by_the_next_reader(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("graph.json", "nodes.csv", "manifest.json"):
        (out / name).write_text(f"old {name}")
    # what a build killed after moving graph.json leaves behind
    staging = out / f"{STAGING_PREFIX}dead"
    staging.mkdir()
    (staging / "nodes.csv").write_text("new nodes.csv")
    (staging / "manifest.json").write_text("new manifest.json")
    (out / "graph.json").write_text("new graph.json")
    journal = {"staging": staging.name, "move": ["graph.json", "nodes.csv"], "delete": ["x.csv"]}
    (out / JOURNAL_NAME).write_bytes(orjson.dumps(journal))
    (out / "x.csv").write_text("stale")
    assert recover(out) is True
    assert {n: (out / n).read_text() for n in _digests(out)} == {
        n: f"new {n}" for n in ("graph.json", "manifest.json", "nodes.csv")
    }
    assert _leftovers(out) == [] and recover(out) is False


def test_a_dead_builds_staging_folder_is_swept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = out / f"{STAGING_PREFIX}gone"
    dead.mkdir()
    (dead / ".owner").write_text("")  # nobody holds its lock
    with OutputFolder(out) as stage:
        assert not dead.exists()
        live = stage.path
        with OutputFolder(out) as other:  # a second live build does not sweep the first
            assert live.exists() and other.path.exists()


def test_a_held_lock_is_an_explained_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl,os,sys,time; fd=os.open(sys.argv[1], os.O_RDONLY);"
         " fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)", str(out)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(outdir, "LOCK_WAIT_S", 0.3)
        with OutputFolder(out) as stage:
            (stage.path / "a").write_text("a")
            start = time.monotonic()
            with pytest.raises(OutputError, match="another graphkit process"):
                stage.commit(["a"])
            assert time.monotonic() - start < 5
        assert not (out / "a").exists() and _leftovers(out) == []
    finally:
        holder.kill()
        holder.wait()


def test_output_path_that_is_a_file_is_an_output_error(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("not a folder")
    with pytest.raises(OutputError, match="not a folder"), OutputFolder(target):
        pass


# -- real builds ----------------------------------------------------------------------------


def test_a_failing_writer_leaves_the_previous_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphkit import outputs

    src = _subset(tmp_path, "a", SEEDS[:1])
    out = tmp_path / "out"
    cfg = Config.from_mapping({"paths": [str(src)], "out_dir": str(out)})
    run_build(cfg)
    before = _digests(out)

    def broken(ctx, paths):  # noqa: ANN001
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(
        outputs.WRITERS, "csv", outputs.OutputWriter("csv", ("nodes.csv", "edges.csv"), broken)
    )
    src2 = _subset(tmp_path, "b", SEEDS[1:2])
    # the writer's bare OSError becomes an error naming the folder (exit code 5 in the CLI)
    with pytest.raises(OutputError, match=r"into .*out: No space left on device\. Free some"):
        run_build(Config.from_mapping({"paths": [str(src2)], "out_dir": str(out)}))
    assert _digests(out) == before
    assert _leftovers(out) == []


def test_a_killed_build_leaves_the_previous_build_and_the_next_one_cleans_up(
    tmp_path: Path,
) -> None:
    src = _subset(tmp_path, "a", SEEDS[:1])
    out = tmp_path / "out"
    subprocess.run(_cli("build", str(src), "-o", str(out)), check=True, env=_env())
    before = _digests(out)
    bigger = _subset(tmp_path, "b", SEEDS)
    for sig in (signal.SIGKILL, signal.SIGTERM):
        earlier = set(_leftovers(out))  # the SIGKILLed build's staging folder is still there
        proc = subprocess.Popen(_cli("build", str(bigger), "-o", str(out)), env=_env())
        deadline = time.monotonic() + 60
        while not set(_leftovers(out)) - earlier:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
        time.sleep(0.3)
        proc.send_signal(sig)
        code = proc.wait(timeout=60)
        assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM)
        assert _digests(out) == before, sig
        if sig == signal.SIGTERM:  # unwound: its staging folder is gone at once
            assert _leftovers(out) == []
    subprocess.run(_cli("build", str(bigger), "-o", str(out)), check=True, env=_env())
    assert _leftovers(out) == []
    assert _digests(out) != before


def test_concurrent_builds_into_one_folder_never_mix(tmp_path: Path) -> None:
    a = _subset(tmp_path, "a", SEEDS[:1])
    b = _subset(tmp_path, "b", SEEDS[1:2])
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            _cli("build", str(src), "-o", str(out)), env=_env(), stderr=subprocess.PIPE
        )
        for src in (a, b, a)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    assert _leftovers(out) == []
    ids = _paper_ids(out)
    assert ids["graphml"] == ids["gexf"] == ids["json"]
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    inputs = {Path(i["path"]).parent.name for i in manifest["inputs"]}
    assert len(inputs) == 1  # one build's inputs, and its files agree with them
    nodes_csv = (out / "nodes.csv").read_text(encoding="utf-8")
    assert all(pid in nodes_csv for pid in ids["json"])
