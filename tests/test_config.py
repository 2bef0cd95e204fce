"""Config: defaults, validation, TOML files, and the CLI's precedence over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.config import Config, load_config
from graphkit.errors import ConfigError


def test_defaults_are_valid_and_plain() -> None:
    cfg = Config()
    opts = cfg.options()
    assert opts["edges"] == ["keyword", "similarity", "mention", "cites", "cocitation", "coupling"]
    assert all(isinstance(v, str | int | float | bool | list) for v in opts.values())


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"edges": "keyword,friendship"}, "unknown edge kind 'friendship'"),
        ({"top_k": 0}, "top_k"),
        ({"min_similarity": 1.5}, "min_similarity"),
        ({"resolution": -1.0}, "resolution"),
        ({"formats": "html,pdf"}, "unknown output format 'pdf'"),
        ({"size_by": "fame"}, "unknown centrality"),
        ({"top_k": "ten"}, "must be an integer"),
        ({"colour": "red"}, "unknown option 'colour'"),
    ],
)
def test_invalid_values_are_explained(values: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.from_mapping(values)


def test_toml_file_with_build_table(tmp_path: Path) -> None:
    path = tmp_path / "graphkit.toml"
    path.write_text(
        '[build]\ntop-k = 7\nedges = ["keyword", "mention"]\nseed = 3\n', encoding="utf-8"
    )
    cfg = load_config(path)
    assert (cfg.top_k, cfg.edges, cfg.seed) == (7, ("keyword", "mention"), 3)


def test_toml_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("top_k = = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml: invalid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_int_accepted_where_float_expected() -> None:
    assert Config.from_mapping({"min_similarity": 0}).min_similarity == 0.0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"top_k": 0}, "top_k"),
        ({"min_cited": 0}, "min_cited"),
        ({"min_similarity": 1.5}, "min_similarity"),
        ({"workers": -1}, "workers"),
        ({"keyword_top_k": 0}, "keyword_top_k"),
        ({"keyword_min_shared": 0}, "keyword_min_shared"),
        ({"max_term_df": 0.0}, "max_term_df"),
        ({"resolution": 0.0}, "resolution"),
        ({"max_html_nodes": 0}, "max_html_nodes"),
        ({"max_html_edges": -1}, "max_html_edges"),
    ],
)
def test_fix_suggestions_name_the_current_default(values: dict, field: str) -> None:
    """The suggested fix is the value the CLI shows as default, never a stale literal."""
    from graphkit.config import default_of

    with pytest.raises(ConfigError) as info:
        Config.from_mapping(values)
    assert info.value.hint == f"Use {{name}} {default_of(field)}, for example."
    Config.from_mapping({field: default_of(field)})  # and that suggestion is valid
