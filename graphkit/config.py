"""Build options as one typed, frozen ``Config``, made once at the edge (CLI or TOML file).

Stages never see click or the Config itself: ``pipeline.py`` passes them plain keyword
arguments taken from it.

>>> cfg = Config()
>>> cfg.edges, cfg.top_k, cfg.seed
(('keyword', 'similarity', 'mention'), 10, 42)
>>> Config.from_mapping({"top_k": 5, "edges": "keyword,mention"}).edges
('keyword', 'mention')
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import EDGE_KINDS

__all__ = ["Config", "load_config", "OUTPUT_FORMATS", "CENTRALITIES"]

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


@dataclass(frozen=True)
class Config:
    """Every option of ``graphkit build``, with its default."""

    paths: tuple[str, ...] = ("seeds",)
    out_dir: str = "out"
    edges: tuple[str, ...] = EDGE_KINDS
    top_k: int = 10
    min_similarity: float = 0.12
    max_term_df: float = 0.05  # keyword terms in more papers than this share are not linked on
    keyword_top_k: int = 5  # keyword partners kept per paper (strongest first)
    method_nodes: bool = True
    weight_keyword: float = 1.0
    weight_similarity: float = 1.0
    weight_mention: float = 1.0
    resolution: float = 1.0
    seed: int = 42
    max_html_nodes: int = 1500
    max_html_edges: int = 0  # links drawn in the HTML map; 0 = 6 per node drawn
    size_by: str = "pagerank"
    formats: tuple[str, ...] = OUTPUT_FORMATS
    skip_bad: bool = False
    betweenness_exact_max: int = 5000  # exact betweenness up to this many nodes, sampled above
    lexicon: bool = True
    # Processes for a build: 1 = inline; 0 = one per core (TF-IDF/similarity then run in a spawned
    # second process, which re-imports the caller's __main__: library callers who opt in need an
    # ``if __name__ == "__main__":`` guard). The CLI passes 0.
    workers: int = 1
    # sentence-transformers model (folder or locally cached name) for the related index; "" = none
    embeddings: str = ""
    embeddings_cache: str = ""  # "" = ~/.cache/graphkit/embeddings
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        bad = [k for k in self.edges if k not in EDGE_KINDS]
        if bad:
            raise ConfigError(
                f"unknown edge kind {bad[0]!r}", hint=f"Choose from {', '.join(EDGE_KINDS)}."
            )
        bad = [f for f in self.formats if f not in OUTPUT_FORMATS]
        if bad:
            raise ConfigError(
                f"unknown output format {bad[0]!r}",
                hint=f"Choose from {', '.join(OUTPUT_FORMATS)}.",
            )
        if self.top_k < 1:
            raise ConfigError("top_k must be at least 1", hint="Use --top-k 10, for example.")
        if not 0.0 <= self.min_similarity < 1.0:
            raise ConfigError(
                "min_similarity must be in [0, 1)", hint="Use --min-similarity 0.15, for example."
            )
        if self.workers < 0:
            raise ConfigError("workers must be 0 (auto) or more", hint="Use --workers 1.")
        if self.keyword_top_k < 1:
            raise ConfigError(
                "keyword_top_k must be at least 1", hint="Use --keyword-top-k 5, for example."
            )
        if not 0.0 < self.max_term_df <= 1.0:
            raise ConfigError("max_term_df must be in (0, 1]", hint="Use 0.05, for example.")
        if self.resolution <= 0:
            raise ConfigError("resolution must be positive", hint="Use --resolution 1.0.")
        if self.max_html_nodes < 1:
            raise ConfigError(
                "max_html_nodes must be at least 1", hint="Use --max-html-nodes 1500."
            )
        if self.max_html_edges < 0:
            raise ConfigError(
                "max_html_edges must be 0 (automatic) or more", hint="Use --max-html-edges 0."
            )
        if self.size_by not in CENTRALITIES:
            raise ConfigError(
                f"unknown centrality {self.size_by!r}",
                hint=f"Choose from {', '.join(CENTRALITIES)}.",
            )

    @property
    def mix(self) -> dict[str, float]:
        """Weight of each edge kind in an edge's combined weight."""
        return {
            "keyword": self.weight_keyword,
            "similarity": self.weight_similarity,
            "mention": self.weight_mention,
        }

    def options(self) -> dict[str, Any]:
        """The options as plain JSON-able values (for the manifest)."""
        out = dataclasses.asdict(self)
        out.pop("extra", None)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, base: Config | None = None) -> Config:
        """Make a Config from a mapping (a TOML table or CLI options), checking names and types."""
        base = base or cls()
        known = {f.name: f for f in dataclasses.fields(cls) if f.name != "extra"}
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


def load_config(path: str | Path, *, base: Config | None = None) -> Config:
    """Read a ``graphkit.toml`` (keys as in ``Config``, optionally under ``[build]``)."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {p} not found", hint="Check the --config path.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}", hint="Fix the syntax and retry.") from exc
    table = data.get("build", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{p}: [build] must be a table")
    return Config.from_mapping(table, base=base)
