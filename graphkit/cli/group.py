"""The ``graphkit`` group: one place that maps graphkit's errors to one-line messages and exit
codes, gives every command the global options, and imports heavy commands only when run."""

from __future__ import annotations

import sys

import click

from ..errors import ConfigError, ExitCode, GraphkitError
from ..fileio import printable
from .options import global_params

__all__ = ["GraphkitGroup"]


class GraphkitGroup(click.Group):
    """Maps graphkit's exceptions to one-line messages and exit codes (no traceback), and gives
    every command the global options, so ``graphkit build . -q`` works like ``graphkit -q
    build .``."""

    #: Commands imported only when run or listed (``name -> "module:attribute"``), so that
    #: ``graphkit related`` does not pay for ``fetch``'s imports (the ingest readers).
    lazy_commands: dict[str, str] = {"fetch": "graphkit.fetch.cli:fetch_command"}

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        have = {o for p in cmd.params for o in getattr(p, "opts", ())}
        cmd.params.extend(p for p in global_params() if not have & set(p.opts))
        super().add_command(cmd, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            import importlib

            module, _, attr = self.lazy_commands[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except GraphkitError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            if isinstance(exc, ConfigError) and exc.option and not exc.flag:
                exc.flag = self._flag_of(ctx, exc.option)
            _error_line(str(exc))
            ctx.exit(int(exc.exit_code))
        except BrokenPipeError:  # `graphkit info --ids | head`: the reader has gone
            _silence_stdout()
            ctx.exit(int(ExitCode.OK))
        except OSError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            _error_line(f"{where}{exc.strerror or exc}")
            ctx.exit(int(ExitCode.ERROR))

    def _flag_of(self, ctx: click.Context, option: str) -> str:
        """The option of the command that was run that sets Config field ``option``."""
        cmd = self.get_command(ctx, ctx.invoked_subcommand or "")
        for param in getattr(cmd, "params", ()):
            if param.name == option and getattr(param, "opts", None):
                return max(param.opts, key=len)
        return ""


def _error_line(message: str) -> None:
    """One line on stderr whatever the message holds (a newline or undecodable bytes in a file
    name are escaped)."""
    click.secho(f"Error: {printable(message)}", fg="red", err=True)


def _silence_stdout() -> None:
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):  # no real stdout (tests)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
