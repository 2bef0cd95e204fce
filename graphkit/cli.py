"""The ``graphkit`` command line: thin commands over the library.

Each command turns options into arguments, calls one library function and prints.  Errors are
mapped to exit codes in one place, :func:`main`; commands are written as if nothing goes wrong.
"""

from __future__ import annotations

import logging
import sys

import click

from . import __version__
from .errors import ExitCode, GraphkitError

__all__ = ["cli", "main"]

log = logging.getLogger("graphkit")


class GraphkitGroup(click.Group):
    """Maps graphkit's exceptions to one-line messages and exit codes (no traceback)."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except GraphkitError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.secho(f"Error: {exc}", fg="red", err=True)
            ctx.exit(int(exc.exit_code))
        except OSError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.secho(f"Error: {where}{exc.strerror or exc}", fg="red", err=True)
            ctx.exit(int(ExitCode.ERROR))


@click.group(cls=GraphkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkit")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """graphkit: turn a pile of research papers into a related-work map.

    \b
    Example:
        graphkit build seeds/ -o out/
        graphkit open out/graph.html
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["quiet"] = quiet
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="graphkit")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
