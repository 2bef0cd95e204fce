"""The command line's option types and shared option decorators (as in sqlite-utils).

An option backed by a Config field is declared with :func:`config_option`, which reads its
default, help text and allowed values from Config, so Config is the one table of defaults;
options that several commands take are one decorator each: :func:`input_options` on every
command that reads paper files, :func:`map_options` on ``build`` and ``html``,
:func:`config_file_option`, :func:`graph_argument`/:func:`graph_option` (a build, default the
build's default output folder), :func:`output_option`, :func:`open_option`, :func:`json_option`,
:func:`limit_option`; the global ``-q``/``--debug`` come from :func:`global_params`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import click

from ..config import FIELDS, default_of

__all__ = [
    "CommaChoice",
    "config_option",
    "global_params",
    "input_options",
    "map_options",
    "config_file_option",
    "graph_argument",
    "graph_option",
    "output_option",
    "json_option",
    "limit_option",
    "open_option",
    "resolved_config",
]

F = Callable[..., Any]


class CommaChoice(click.Choice):
    """A comma-separated list of choices (``--edges keyword,mention``): help and shell
    completion list the values, each item is checked, the value is a tuple."""

    name = "comma-choice"

    def get_metavar(self, param: click.Parameter, *args: Any, **kwargs: Any) -> str:
        return "[" + "|".join(map(str, self.choices)) + "],..."

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, tuple | list):
            items = list(value)
        else:
            items = [v.strip() for v in str(value).split(",") if v.strip()]
        return tuple(super(CommaChoice, self).convert(v, param, ctx) for v in items)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        done, _, last = incomplete.rpartition(",")
        prefix = done + "," if done else ""
        return [
            CompletionItem(prefix + str(c))
            for c in self.choices
            if str(c).startswith(last) and str(c) not in done.split(",")
        ]


def config_option(*decls: str, field: str, **overrides: Any) -> Callable[[F], F]:
    """A click option for the Config ``field``: default, help text, type and choices from Config.

    ``decls`` are the option's names (``"--max-nodes"``); the value reaches the command under
    the field's name, so the command can pass it to Config unchanged.
    """
    f = FIELDS[field]
    default = default_of(field)
    choices = f.metadata.get("choices") or ()
    kw: dict[str, Any] = {"default": default, "show_default": True, "help": f.metadata["help"]}
    if isinstance(default, bool):
        if not any("/" in d for d in decls):
            kw["is_flag"] = True
            kw["show_default"] = False
    elif isinstance(default, tuple):
        kw["type"] = CommaChoice(choices) if choices else click.STRING
        kw["default"] = ",".join(default)
    elif choices:
        kw["type"] = click.Choice(choices)
    else:
        kw["type"] = type(default)
    kw.update(overrides)
    return click.option(*decls, field, **kw)


def _set_global(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """-q/--debug, before or after the command name: stored on the root context."""
    if not value:
        return
    root = ctx.find_root()
    root.ensure_object(dict)
    root.obj[param.name] = True
    if param.name == "debug":
        logging.getLogger().setLevel(logging.DEBUG)
        logging.getLogger("bibtexparser").setLevel(logging.DEBUG)


def global_params() -> list[click.Option]:
    """``--debug`` and ``-q``/``--quiet``, accepted by every command before or after its name."""
    return [
        click.Option(
            ["--debug"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set_global,
            help="Show full tracebacks on errors.",
        ),
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set_global,
            help="No progress output.",
        ),
    ]


def input_options(f: F) -> F:
    """``--encoding``, ``--skip-bad``, ``--exclude`` and ``--config``: every command that reads
    paper files."""
    f = config_file_option("Read options from a TOML file (command-line options win).")(f)
    f = config_option("--exclude", field="exclude", metavar="GLOB,...", show_default=False)(f)
    f = config_option("--skip-bad", field="skip_bad")(f)
    f = config_option("--encoding", field="encoding")(f)
    return f


def map_options(prefix: str) -> Callable[[F], F]:
    """The HTML map's options: ``--max-html-nodes`` in ``build`` (prefix ``"html-"``),
    ``--max-nodes`` in ``html`` (prefix ``""``)."""

    def decorate(f: F) -> F:
        f = config_option("--size-by", field="size_by")(f)
        f = config_option(
            f"--max-{prefix}edges", field="max_html_edges", type=click.IntRange(min=0)
        )(f)
        f = config_option(f"--max-{prefix}nodes", field="max_html_nodes")(f)
        return f

    return decorate


def config_file_option(help: str) -> Callable[[F], F]:
    """``--config FILE``: options from a TOML file (see :func:`resolved_config`)."""
    return click.option("--config", "config_path", type=click.Path(dir_okay=False), help=help)


def graph_argument(name: str = "graph") -> Callable[[F], F]:
    """A build: its output folder or the file itself (default: the build's output folder)."""
    return click.argument(name, default=default_of("out_dir"), type=click.Path())


def graph_option() -> Callable[[F], F]:
    """``-g/--graph``: a build, as an option (for commands whose argument is something else)."""
    return click.option(
        "-g",
        "--graph",
        "graph",
        default=default_of("out_dir"),
        show_default=True,
        type=click.Path(),
        help="A build: its output folder or graph.json.",
    )


def output_option(help: str, *, required: bool = False) -> Callable[[F], F]:
    """``-o/--output FILE``: the file a command writes."""
    return click.option("-o", "--output", required=required, type=click.Path(), help=help)


def json_option(help: str = "Print JSON.") -> Callable[[F], F]:
    """``--json``: print JSON instead of text (the value reaches the command as ``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def open_option(help: str) -> Callable[[F], F]:
    """``--open``: open the page written in the browser (reaches the command as ``open_after``)."""
    return click.option("--open", "open_after", is_flag=True, help=help)


def limit_option(default: int, help: str) -> Callable[[F], F]:
    """``-n/--limit N``: how many rows a command shows."""
    return click.option("-n", "--limit", type=int, default=default, show_default=True, help=help)


def _given(ctx: click.Context, options: dict[str, Any]) -> dict[str, Any]:
    """The options the user typed (not defaults): they override the ``--config`` file."""
    out = {}
    for key, value in options.items():
        source = ctx.get_parameter_source(key)
        if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP"):
            out[key] = value
    return out


def resolved_config(ctx: click.Context, config_path: str | None, options: dict[str, Any], paths=()):
    """Config's defaults, then the ``--config`` file, then the options typed (see
    :func:`graphkit.config.resolve_config`)."""
    from ..config import resolve_config

    given = _given(ctx, options)
    if paths:
        given["paths"] = list(paths)
    return resolve_config(config_path, given)
