"""Hostile faults around the output folder: a full disk, Ctrl-C, a planted commit journal, odd
``-o`` targets.  In each the previous outputs survive whole, the error is one line with the fix
and its exit code, and nothing is left behind that blocks the next build.  Papers:
tests/data/cli/small_library.bib (licence in tests/data/cli/SOURCE.md) and the seeds."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from graphkit import outputs
from graphkit.cli import cli
from graphkit.errors import ExitCode
from graphkit.outdir import JOURNAL_NAME, STAGING_PREFIX

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "data" / "cli" / "small_library.bib"
SEEDS = REPO / "seeds"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith((STAGING_PREFIX, JOURNAL_NAME))
    )


def small_build(out: Path) -> dict[str, str]:
    result = invoke("build", str(SMALL), "-o", str(out), "-q", "--workers", "1")
    assert result.exit_code == 0, result.output
    return digests(out)


def test_a_full_disk_is_an_output_error_and_the_previous_build_stays(
    tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    before = small_build(out)

    def full(ctx, paths):  # noqa: ANN001 -- what a write on a full disk raises
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(
        outputs.WRITERS, "report", outputs.OutputWriter("report", ("report.md",), full)
    )
    result = invoke("build", str(SEEDS), "-o", str(out), "-q", "--workers", "1")
    assert result.exit_code == ExitCode.OUTPUT, result.output
    assert "No space left on device" in result.output and "Free some space" in result.output
    assert str(out) in result.output and "Traceback" not in result.output
    assert digests(out) == before
    assert leftovers(out) == []


def test_a_planted_journal_never_moves_or_deletes_outside_the_folder(tmp_path: Path) -> None:
    """A build folder can come from anyone (a download, a shared drive); opening it finishes a
    commit its journal describes, and that journal must not reach outside the folder."""
    out = tmp_path / "out"
    before = small_build(out)
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    (tmp_path / "elsewhere").mkdir()
    staging = out / f"{STAGING_PREFIX}evil"
    staging.mkdir()
    (staging / "graph.json").write_text("{}")
    journal = {
        "staging": f"{STAGING_PREFIX}evil",
        "move": ["../elsewhere/graph.json", "/tmp/x"],
        "delete": ["../precious.txt", str(victim), "..", ""],
    }
    (out / JOURNAL_NAME).write_bytes(orjson.dumps(journal))
    result = invoke("report", str(out))
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert digests(out) == before  # nothing named by the journal was a plain file name
    assert leftovers(out) == []
    escaping = {"staging": "../elsewhere", "move": ["x"], "delete": []}
    (out / JOURNAL_NAME).write_bytes(orjson.dumps(escaping))
    assert invoke("report", str(out)).exit_code == 0
    assert (tmp_path / "elsewhere").is_dir() and digests(out) == before


def test_output_targets_that_are_not_folders(tmp_path: Path) -> None:
    data = tmp_path / "papers.bib"
    data.write_bytes(SMALL.read_bytes())
    result = invoke("build", str(data), "-o", str(data), "-q")  # -o at the input file
    assert result.exit_code == ExitCode.OUTPUT and "is not a folder" in result.output
    assert data.read_bytes() == SMALL.read_bytes()
    dangling = tmp_path / "link"
    dangling.symlink_to(tmp_path / "nowhere")
    result = invoke("build", str(data), "-o", str(dangling), "-q")
    assert result.exit_code == ExitCode.OUTPUT
    assert "is a symlink to" in result.output and "which does not exist" in result.output
    (tmp_path / "nowhere").mkdir()  # a symlink to a folder is that folder
    result = invoke("build", str(data), "-o", str(dangling), "-q", "--formats", "json")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "nowhere" / "graph.json").is_file()


def test_the_input_folder_as_output_folder_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.bib").write_bytes(SMALL.read_bytes())
    result = invoke("build", str(folder), "-o", str(folder), "-q")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "also the output folder" in result.output and "-o" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["a.bib"]
    result = invoke("build", str(folder), "-o", str(folder / "out"), "-q", "--formats", "json")
    assert result.exit_code == 0, result.output  # a folder inside the inputs is fine


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGHUP])
def test_ctrl_c_exits_130_and_keeps_the_previous_build(tmp_path: Path, sig: int) -> None:
    """Ctrl-C (and SIGHUP, a closed terminal) unwind like SIGTERM: exit 128 + signal."""
    out = tmp_path / "out"
    before = small_build(out)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-c", "from graphkit.cli import main; main()", "-q"]
    proc = subprocess.Popen(
        [*cmd, "build", str(SEEDS), "-o", str(out)],
        env=env,
        stderr=subprocess.PIPE,
        # as from a terminal, whatever ran pytest: under `nohup ... &` the child would inherit
        # SIGHUP and SIGINT ignored, and graphkit (rightly) keeps an inherited SIG_IGN
        preexec_fn=_default_signals,
    )
    deadline = time.monotonic() + 120
    while not leftovers(out):  # its staging folder exists: the build is under way
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    time.sleep(0.3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, err.decode()
    assert b"Traceback" not in err and b"Aborted" not in err
    assert digests(out) == before
    assert leftovers(out) == []
    again = small_build(out)  # the next build works, and gives the same bytes (but the times)
    assert {k: v for k, v in again.items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"
    }


def test_export_into_a_pipe_writes_through_it_and_never_replaces_it(tmp_path: Path) -> None:
    """``-o /dev/stdout``, ``-o /dev/null`` or a FIFO is written in place: renaming a finished
    temporary file over it (as for a regular file) would, as root, swap the device itself for
    a regular file."""
    import threading

    out = tmp_path / "out"
    small_build(out)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = invoke("export", str(out), "-o", str(fifo), "--format", "json")
    reader.join(timeout=120)
    assert result.exit_code == 0, result.output
    assert fifo.is_fifo()
    data = orjson.loads(got[0])
    assert len(data["nodes"]) == len(orjson.loads((out / "graph.json").read_bytes())["nodes"])
    result = invoke("html", str(out), "-o", str(tmp_path))  # a folder is no file to write
    assert result.exit_code == ExitCode.OUTPUT and "is a folder" in result.output


def test_a_graph_json_with_words_where_numbers_belong_is_one_error(tmp_path: Path) -> None:
    """A graph.json edited by hand or written by another tool: every command that reads it
    names the bad value instead of a traceback from whatever computes with it first."""
    out = tmp_path / "out"
    small_build(out)
    (out / "related.npz").unlink()  # `related` falls back on graph.json
    (out / "report.md").unlink()  # `report` too
    data = orjson.loads((out / "graph.json").read_bytes())
    data["links"][0]["weight"] = "heavy"
    (out / "graph.json").write_bytes(orjson.dumps(data))
    for args in (
        ["report", str(out)],
        ["html", str(out), "-o", str(tmp_path / "map.html")],
        ["export", str(out), "-o", str(tmp_path / "g.graphml")],
        ["related", "graph", "-g", str(out)],
    ):
        result = invoke(*args)
        assert result.exit_code == ExitCode.BAD_INPUT, (args, result.output)
        assert "weight = 'heavy', not a number" in result.output, result.output
        assert "Traceback" not in result.output
    data["links"][0]["weight"] = 0.5
    data["graph"]["modularity"] = "high"
    (out / "graph.json").write_bytes(orjson.dumps(data))
    assert "the graph has modularity = 'high'" in invoke("report", str(out)).output


def test_an_output_folder_replaced_mid_build_commits_nothing_and_says_so(tmp_path: Path) -> None:
    """``out`` swapped for a symlink to another folder (or moved away) while the build ran:
    its staging folder is no longer inside, and committing would write nothing yet report
    every file written."""
    from graphkit.errors import OutputError
    from graphkit.outdir import OutputFolder

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    moved = "was moved or replaced while the build ran"
    with pytest.raises(OutputError, match=moved), OutputFolder(out) as stage:
        (stage.path / "graph.json").write_text("{}")
        out.rename(tmp_path / "moved")
        out.symlink_to(elsewhere)
        stage.commit(["graph.json"])
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]


def test_torn_journal_temporaries_and_foreign_staging_folders(tmp_path: Path, monkeypatch) -> None:
    """A commit killed while writing its journal leaves ``.graphkit-commit.<pid>.tmp``: the
    next commit (holding the lock, so no live one is being written) removes it.  A staging
    folder whose owner file cannot be opened (another user's live build) is left alone."""
    from graphkit import outdir

    out = tmp_path / "out"
    small_build(out)
    torn = out / f"{JOURNAL_NAME}.4242.tmp"
    torn.write_bytes(b'{"staging": ".graphkit-sta')
    foreign = out / f"{STAGING_PREFIX}otheruser"
    foreign.mkdir()
    (foreign / ".owner").write_bytes(b"")
    real_open = open

    def guarded(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if Path(path).parent == foreign:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(outdir, "open", guarded, raising=False)
    small_build(out)
    assert not torn.exists()
    assert foreign.is_dir()  # not ours to delete
    monkeypatch.undo()
    small_build(out)  # readable now, unlocked: a dead build's, swept
    assert leftovers(out) == []
