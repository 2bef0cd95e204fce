"""The compiled copies (graphkit/native.py, scripts/compile_native.py): used only while they match
their source, never required, and the same outputs as the source code."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from graphkit import native

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

_spec = importlib.util.spec_from_file_location("compile_native", ROOT / "scripts/compile_native.py")
compile_native = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compile_native)

needs_native = pytest.mark.skipif(
    not any(v == "compiled" for v in native.status().values()) or native._pure(),
    reason="no compiled copies in graphkit/_native (run `make native`) or GRAPHKIT_PURE is set",
)

_WHERE = (
    "import json, sys, importlib; mods = sys.argv[1:]; "
    "print(json.dumps({m: importlib.import_module(m).__file__ for m in mods}))"
)


def _where(pkg_root: Path, modules: list[str], **env: str) -> dict[str, str]:
    """Where a fresh interpreter importing graphkit from ``pkg_root`` finds ``modules``."""
    e = {k: v for k, v in os.environ.items() if k != "GRAPHKIT_PURE"}
    e.update(env, PYTHONPATH=str(pkg_root))
    out = subprocess.run(
        [sys.executable, "-c", _WHERE, *modules],
        env=e,
        cwd=pkg_root,  # `python -c` puts the working folder first on sys.path
        capture_output=True,
        text=True,
        check=True,
    )
    return orjson.loads(out.stdout)


def test_the_module_list_names_real_modules_and_leaves_out_process_code():
    mods = dict(compile_native.modules())
    assert "graphkit.features.detect" in mods and "graphkit.xmlwrite" in mods
    for name, path in mods.items():
        assert path.is_file() and path.suffix == ".py"
        assert not name.endswith("__init__")
    for rel in compile_native.EXCLUDE:
        assert rel == "__init__.py" or (ROOT / rel).is_file(), rel
        assert rel[:-3].replace("/", ".") not in mods
    # signals, forks and the CLI stay source: their tests send signals and fork
    for name in ("graphkit.fileio", "graphkit.shared_map", "graphkit.pipeline", "graphkit.native"):
        assert name not in mods


def test_without_a_compiler_the_script_says_so_and_leaves_everything_as_it_was(monkeypatch, capsys):
    monkeypatch.setenv("CC", "/nonexistent/cc-for-graphkit")
    before = native.status()
    assert compile_native.run(jobs=1, strict=False) == 0
    assert compile_native.run(jobs=1, strict=True) == 1
    assert "no C compiler" in capsys.readouterr().out
    assert native.status() == before


def test_a_missing_or_broken_manifest_means_source(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "MANIFEST", tmp_path / "manifest.json")
    assert native.read_manifest() == {}
    (tmp_path / "manifest.json").write_bytes(b"{not json")
    assert native.read_manifest() == {} and native.status() == {}
    (tmp_path / "manifest.json").write_bytes(orjson.dumps({"format": 99, "modules": {"x": {}}}))
    assert native.read_manifest() == {}


@needs_native
def test_a_copy_is_used_only_while_its_source_is_unchanged(tmp_path):
    # a copy of the checkout's package with its compiled folder: edit one module's source
    pkg = tmp_path / "graphkit"
    shutil.copytree(
        ROOT / "graphkit", pkg, ignore=shutil.ignore_patterns("__pycache__", ".native*")
    )
    compiled = sorted(m for m, state in native.status().items() if state == "compiled")
    if len(compiled) < 2:
        pytest.skip("fewer than two compiled copies match their source (run `make native`)")
    edited, other = compiled[0], compiled[-1]
    mods = [edited, other]
    where = _where(tmp_path, mods)
    assert all(where[m].startswith(str(pkg / "_native")) for m in mods), where
    source = pkg.joinpath(*edited.split(".")[1:]).with_suffix(".py")
    source.write_text(source.read_text() + "\n# edited\n")
    where = _where(tmp_path, mods)
    assert where[edited] == str(source)  # stale copy: the edited source runs
    assert where[other].startswith(str(pkg / "_native"))
    # GRAPHKIT_PURE=1: everything from source
    other_source = pkg.joinpath(*other.split(".")[1:]).with_suffix(".py")
    where = _where(tmp_path, mods, GRAPHKIT_PURE="1")
    assert where[other] == str(other_source)
    # a copy deleted under its manifest entry: source, no error
    entries = orjson.loads((pkg / "_native" / "manifest.json").read_bytes())["modules"]
    (pkg / "_native" / entries[other]["file"]).unlink()
    assert _where(tmp_path, mods)[other] == str(other_source)


def _digests(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.iterdir())
        if p.is_file() and p.name != "manifest.json"  # the manifest records timings
    }


@needs_native
def test_compiled_and_source_builds_write_the_same_bytes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GRAPHKIT_PURE"}
    env["PYTHONPATH"] = str(ROOT)
    outs = {}
    for label, extra in (("compiled", {}), ("source", {"GRAPHKIT_PURE": "1"})):
        out = tmp_path / label
        subprocess.run(
            [sys.executable, "-m", "graphkit", "build", str(SEEDS), "-o", str(out), "-q"],
            env={**env, **extra},
            check=True,
            capture_output=True,
        )
        outs[label] = _digests(out)
    assert outs["compiled"] == outs["source"]
    assert {"graph.json", "graph.graphml", "graph.gexf", "graph.html", "report.md"} <= set(
        outs["compiled"]
    )
