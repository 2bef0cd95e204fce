"""The exceptions graphkit raises, and the exit codes the CLI maps them to.

Every error carries where it happened and how to fix it, so the CLI can print one line
and exit non-zero without a traceback.

>>> err = IngestError("papers.csv", "no title column", line=1, hint="Name a column 'title'.")
>>> str(err)
"papers.csv:1: no title column. Name a column 'title'."
"""

from __future__ import annotations

from enum import IntEnum
from os import PathLike

__all__ = [
    "ExitCode",
    "GraphkitError",
    "IngestError",
    "ConfigError",
    "GraphFileError",
    "OutputError",
    "FetchError",
]


class ExitCode(IntEnum):
    """Process exit codes, owned by the CLI's error mapping."""

    OK = 0
    ERROR = 1  # anything graphkit detected and explained
    USAGE = 2  # click's own usage errors
    BAD_INPUT = 3  # unreadable or invalid input files
    BAD_CONFIG = 4  # invalid options or config file
    OUTPUT = 5  # could not write outputs
    NETWORK = 6  # `graphkit fetch`: service unreachable, out of quota or refusing the request


class GraphkitError(Exception):
    """Base class: a problem graphkit can explain to the user."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        text = self.message.rstrip(".") + "."
        return f"{text} {self.hint}" if self.hint else text

    def __reduce__(self):  # noqa: ANN204 -- picklable whatever a subclass's __init__ takes
        return _rebuild, (type(self), self.args, self.__dict__)


class IngestError(GraphkitError):
    """A file could not be read as papers. Names the file and, where known, the line or record."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self,
        path: str | PathLike[str],
        message: str,
        *,
        line: int | None = None,
        record: int | str | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = str(path)
        self.line = line
        self.record = record

    @property
    def where(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.record is not None:
            where += f" (record {self.record})"
        return where

    def __str__(self) -> str:
        return f"{self.where}: {super().__str__()}"


class ConfigError(GraphkitError):
    """Invalid options or configuration file.

    ``option`` names the Config field it is about; ``{name}`` in the message and hint is
    replaced by ``flag`` when the CLI sets it to the option of the command that was run
    (``--max-nodes`` in ``graphkit html``), else by ``--field-name`` in the hint and the field
    name in the message.

    >>> err = ConfigError("{name} must be at least 1", hint="Use {name} 1500.", option="max_html_nodes")
    >>> str(err)
    'max_html_nodes must be at least 1. Use --max-html-nodes 1500.'
    >>> err.flag = "--max-nodes"; str(err)
    '--max-nodes must be at least 1. Use --max-nodes 1500.'
    """

    exit_code = ExitCode.BAD_CONFIG

    def __init__(self, message: str, *, hint: str = "", option: str = "") -> None:
        super().__init__(message, hint=hint)
        self.option = option
        self.flag = ""

    def __str__(self) -> str:
        default_flag = "--" + self.option.replace("_", "-")
        text = self.message.replace("{name}", self.flag or self.option).rstrip(".") + "."
        hint = self.hint.replace("{name}", self.flag or default_flag)
        return f"{text} {hint}" if hint else text


class GraphFileError(GraphkitError):
    """A graph file given to export/html/related/report cannot be used."""

    exit_code = ExitCode.BAD_INPUT


class OutputError(GraphkitError):
    """Outputs could not be written."""

    exit_code = ExitCode.OUTPUT


class FetchError(GraphkitError):
    """``graphkit fetch`` could not get what it asked a web service for (offline, quota, refusal)."""

    exit_code = ExitCode.NETWORK


def _rebuild(cls: type[GraphkitError], args: tuple, state: dict) -> GraphkitError:
    """Unpickle a :class:`GraphkitError` (errors cross process boundaries in parallel builds)."""
    err = Exception.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err
