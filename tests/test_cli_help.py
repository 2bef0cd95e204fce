"""Documentation is tested: every command has help text with an example."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graphkit.cli import cli


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example:" in result.output, f"`graphkit {name} --help` shows no example"
    assert f"graphkit {name}" in result.output.split("Example:", 1)[1]


def test_top_level_help_lists_the_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"], catch_exceptions=False)
    assert result.exit_code == 0
    for name in ("build", "info", "methods", "export", "html", "open", "related", "report"):
        assert name in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"], catch_exceptions=False)
    assert result.exit_code == 0 and "graphkit" in result.output
