"""Build options as one typed, frozen ``Config``, made once at the edge (CLI or TOML file).

Stages never see click or the Config itself: ``pipeline.py`` passes them plain keyword
arguments taken from it.

>>> cfg = Config()
>>> cfg.edges, cfg.top_k, cfg.seed
(('keyword', 'similarity', 'mention', 'cites', 'cocitation', 'coupling'), 10, 42)
>>> Config.from_mapping({"top_k": 5, "edges": "keyword,mention"}).edges
('keyword', 'mention')
"""

from __future__ import annotations

import dataclasses
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import CITATION_KINDS, EDGE_KINDS

#: Every edge kind ``--edges`` accepts; the citation kinds build nothing without references.
ALL_EDGE_KINDS = EDGE_KINDS + CITATION_KINDS

__all__ = [
    "Config",
    "load_config",
    "resolve_config",
    "default_of",
    "FIELDS",
    "OUTPUT_FORMATS",
    "CENTRALITIES",
]

#: Files a build can write (``--formats``); all by default.
OUTPUT_FORMATS: tuple[str, ...] = ("html", "graphml", "gexf", "json", "csv", "report", "index")
#: Centralities that can size nodes in the HTML map.
CENTRALITIES: tuple[str, ...] = (
    "pagerank",
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
)


def option(default: Any, help: str, *, choices: tuple = ()) -> Any:
    """A Config field with its one default and the help text the CLI shows for it.

    ``choices`` lists the allowed values (the CLI offers them with ``click.Choice``).  The
    command line and a library call share the default: there is no second table.
    """
    return field(default=default, metadata={"help": help, "choices": choices})


@dataclass(frozen=True)
class Config:
    """Every option of ``graphkit build``: its one default and its help text.

    The CLI reads both from here (see :func:`graphkit.cli.config_option`), so a new option is
    added in three places: a field here, the CLI line exposing it, and the stage using it.
    """

    paths: tuple[str, ...] = option(("seeds",), "Paper files and folders to read.")
    out_dir: str = option("out", "Output folder.")
    encoding: str = option("utf-8", "Text encoding of the input files.")
    skip_bad: bool = option(False, "Skip unreadable files and records, and list them.")
    exclude: tuple[str, ...] = option(
        (),
        "Leave out of the folders read the files and folders matching these glob patterns, "
        "comma-separated (by name or by path inside the folder, e.g. 'drafts,*.old.bib').",
    )
    edges: tuple[str, ...] = option(
        ALL_EDGE_KINDS, "Edge kinds to build, comma-separated.", choices=ALL_EDGE_KINDS
    )
    top_k: int = option(10, "Similarity neighbours kept per paper.")
    min_similarity: float = option(
        0.0, "Minimum TF-IDF cosine for a similarity edge (0: each paper keeps its top-k)."
    )
    max_term_df: float = option(
        0.05, "Keyword terms shared by more than this fraction of papers are not linked on."
    )
    keyword_top_k: int = option(3, "Keyword-edge partners kept per paper (the strongest).")
    keyword_min_shared: int = option(
        1, "Uncommon terms two papers must share for a keyword link (more: fewer, surer links)."
    )
    method_nodes: bool = option(
        True, "Add nodes for methods mentioned but introduced by no paper in the corpus."
    )
    # combined weight = Σ weight_<kind>·w_<kind>; 1 / 0.2 / 0.3 measured on citebench (README)
    weight_keyword: float = option(0.2, "Weight of a keyword link in an edge's combined weight.")
    weight_similarity: float = option(
        1.0, "Weight of a similarity link in an edge's combined weight."
    )
    weight_mention: float = option(0.3, "Weight of a mention link in an edge's combined weight.")
    weight_citation: float = option(
        1.0, "Weight of each citation link (cites, co-citation, coupling) in the combined weight."
    )
    reference_nodes: bool = option(
        True, "Add nodes for works cited by --min-cited corpus papers but not in the corpus."
    )
    min_cited: int = option(2, "Corpus citers a missing work needs to become a reference node.")
    resolution: float = option(1.0, "Community resolution (higher: more, smaller communities).")
    seed: int = option(42, "Random seed.")
    max_html_nodes: int = option(
        25_000,
        "Papers the HTML map draws at most (the most central of each community); every paper "
        "stays in its list and search.",
    )
    max_html_edges: int = option(
        0, "Links the HTML map draws at most (the strongest); 0 = 8 per node drawn (4 above 10k)."
    )
    size_by: str = option(
        "pagerank", "Centrality that sizes nodes in the map.", choices=CENTRALITIES
    )
    formats: tuple[str, ...] = option(
        OUTPUT_FORMATS, "Outputs to write, comma-separated.", choices=OUTPUT_FORMATS
    )
    betweenness_exact_max: int = option(
        5000, "Exact betweenness up to this many nodes, sampled above."
    )
    lexicon: bool = option(True, "Use the packaged lexicon of known method names.")
    # One default for the CLI and the library (it was 1 in a library call, because the spawned
    # TF-IDF process re-ran the caller's unguarded __main__; parallel.py no longer lets it).
    # Below parallel.PARALLEL_MIN_PAPERS papers 0 is inline anyway; the bytes never differ.
    workers: int = option(
        0,
        "Processes to use: 0 = one per core (TF-IDF runs beside feature extraction), 1 = inline.",
    )
    embeddings: str = option(
        "",
        "Sentence-transformers model (a local folder or a locally cached name) whose embeddings "
        "the related index adds; needs pip install 'graphkit[embeddings]'.",
    )
    embeddings_cache: str = option(
        "", "Embedding cache folder, keyed by text hash ('' = ~/.cache/graphkit/embeddings)."
    )

    def __post_init__(self) -> None:
        for name in ("edges", "formats", "size_by"):
            _check_choices(self, name)
        _check(self, "top_k", self.top_k >= 1, "at least 1")
        _check(self, "min_cited", self.min_cited >= 1, "at least 1")
        _check(self, "min_similarity", 0.0 <= self.min_similarity < 1.0, "in [0, 1)")
        _check(self, "workers", self.workers >= 0, "0 (one per core) or more")
        _check(self, "keyword_top_k", self.keyword_top_k >= 1, "at least 1")
        _check(self, "keyword_min_shared", self.keyword_min_shared >= 1, "at least 1")
        _check(self, "max_term_df", 0.0 < self.max_term_df <= 1.0, "in (0, 1]")
        _check(self, "resolution", self.resolution > 0, "positive")
        _check(self, "max_html_nodes", self.max_html_nodes >= 1, "at least 1")
        _check(self, "max_html_edges", self.max_html_edges >= 0, "0 (automatic) or more")
        _check(self, "out_dir", bool(self.out_dir.strip()), "a folder name")

    @property
    def mix(self) -> dict[str, float]:
        """Weight of each edge kind in an edge's combined weight."""
        return {
            "keyword": self.weight_keyword,
            "similarity": self.weight_similarity,
            "mention": self.weight_mention,
            **{k: self.weight_citation for k in CITATION_KINDS},
        }

    def options(self) -> dict[str, Any]:
        """The options as plain JSON-able values (for the manifest)."""
        out = dataclasses.asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, base: Config | None = None) -> Config:
        """Make a Config from a mapping (a TOML table or CLI options), checking names and types."""
        base = base or cls()
        known = {f.name: f for f in dataclasses.fields(cls)}
        changes: dict[str, Any] = {}
        for raw_key, value in values.items():
            key = raw_key.replace("-", "_")
            if key not in known:
                raise ConfigError(
                    f"unknown option {raw_key!r}",
                    hint=f"Known options: {', '.join(sorted(known))}.",
                )
            current = getattr(base, key)
            changes[key] = _coerce(key, value, current)
        return dataclasses.replace(base, **changes)


def _check(cfg: Config, name: str, ok: bool, rule: str) -> None:
    """Raise a ConfigError when ``ok`` is false; its fix suggests the option's default (the
    one the command line shows), so the message cannot go stale."""
    if not ok:
        raise ConfigError(
            "{name} must be " + rule + f", not {getattr(cfg, name)!r}",
            hint=f"Use {{name}} {default_of(name)}, for example.",
            option=name,
        )


def _check_choices(cfg: Config, name: str) -> None:
    value = getattr(cfg, name)
    choices = FIELDS[name].metadata["choices"]
    for item in value if isinstance(value, tuple) else (value,):
        if item not in choices:
            what = _CHOICE_WORDS.get(name, "value")
            raise ConfigError(
                f"unknown {what} {item!r}", hint=f"Choose from {', '.join(choices)}.", option=name
            )


_CHOICE_WORDS = {"edges": "edge kind", "formats": "output format", "size_by": "centrality"}


def _coerce(key: str, value: Any, current: Any) -> Any:
    if isinstance(current, tuple):
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",") if v.strip()]
        elif isinstance(value, list | tuple):
            items = [str(v) for v in value]
        else:
            raise ConfigError(f"option {key!r} must be a list or a comma-separated string")
        return tuple(items)
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"option {key!r} must be true or false, not {value!r}")
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"option {key!r} must be an integer, not {value!r}")
        return value
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"option {key!r} must be a number, not {value!r}")
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"option {key!r} must be a string, not {value!r}")
    return value


#: Config's fields by name (their metadata holds the help text and the allowed values).
FIELDS: dict[str, dataclasses.Field] = {f.name: f for f in dataclasses.fields(Config)}


def default_of(name: str) -> Any:
    """The one default of a Config field (what the command line shows and uses too).

    >>> default_of("workers"), default_of("size_by")
    (0, 'pagerank')
    """
    return FIELDS[name].default


def resolve_config(
    config_path: str | Path | None = None, given: Mapping[str, Any] | None = None
) -> Config:
    """The Config of a command: Config's defaults, then the ``--config`` file, then the
    options typed on the command line (``given``), each overriding the last.

    >>> resolve_config(None, {"top_k": 3}).top_k, resolve_config().workers
    (3, 0)
    """
    base = load_config(config_path) if config_path else Config()
    return Config.from_mapping(given or {}, base=base)


#: A config file is a few options: anything bigger is not one (``--config /dev/zero``).
_MAX_CONFIG_BYTES = 1 << 20


def _config_text(p: Path) -> str:
    """The text of a config file; a FIFO, device or folder is refused before it is opened
    (reading one would block or never end), and so is a file over a megabyte."""
    mode = p.stat().st_mode
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise ConfigError(f"config file {p} is {kind}", hint="Give a graphkit.toml file.")
    with p.open("rb") as fh:
        data = fh.read(_MAX_CONFIG_BYTES + 1)
    if len(data) > _MAX_CONFIG_BYTES:
        raise ConfigError(
            f"config file {p} is over {_MAX_CONFIG_BYTES >> 20} MB: not a graphkit.toml",
            hint="Check the --config path.",
        )
    return data.decode("utf-8")


def load_config(path: str | Path, *, base: Config | None = None) -> Config:
    """Read a ``graphkit.toml`` (keys as in ``Config``, optionally under ``[build]``)."""
    p = Path(path)
    try:
        data = tomllib.loads(_config_text(p))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {p} not found", hint="Check the --config path.") from exc
    except OSError as exc:
        raise ConfigError(
            f"cannot read config file {p}: {exc.strerror or exc}", hint="Check the --config path."
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}", hint="Fix the syntax and retry.") from exc
    table = data.get("build", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{p}: [build] must be a table")
    return Config.from_mapping(table, base=base)
