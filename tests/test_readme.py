"""The README's examples run: every `$ graphkit …` line of its console blocks, in order."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _console_commands() -> list[list[str]]:
    blocks = re.findall(r"```console\n(.*?)```", README, flags=re.S)
    return [
        shlex.split(line[2:]) for b in blocks for line in b.splitlines() if line.startswith("$ ")
    ]


def test_readme_names_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_readme_console_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = _console_commands()
    assert len(commands) >= 5
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for argv in commands:
        assert argv[0] == "graphkit", argv
        result = runner.invoke(cli, ["-q", *argv[1:]], catch_exceptions=False)
        assert result.exit_code == 0, f"{shlex.join(argv)} failed:\n{result.output}"
        assert result.output.strip(), shlex.join(argv)


def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    block = re.search(r"```python\n(.*?)```", README, flags=re.S)
    assert block
    monkeypatch.chdir(REPO)
    namespace: dict = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)  # noqa: S102
    assert namespace["G"].number_of_nodes() > 331
