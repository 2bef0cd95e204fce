"""Compiled copies of the hot pure-Python modules, used only while they match their source.

``scripts/compile_native.py`` (``make native``) compiles a fixed list of modules (the feature
stage's rule code: :data:`scripts.compile_native.MODULES`) with Cython, unchanged -- no ``.pyx``, no
type declarations, the ``.py`` stays the one source -- into ``graphkit/_native/``, with a manifest
of each source's SHA-256.  :func:`install` (run by ``graphkit/__init__``) puts a finder in front of
the import system that loads a module's compiled copy only when

- the manifest's hash equals the hash of the ``.py`` now on disk (an edited module is imported from
  source until it is compiled again: a stale copy is never run),
- the copy was built for this interpreter (its file suffix is one this Python loads), and
- ``GRAPHKIT_PURE`` is unset or ``0`` (``GRAPHKIT_PURE=1`` runs everything from source).

Anything else -- no compiler on the machine, a plain ``pip install`` without the step, a module
that failed to compile -- imports the source as usual: outputs are the same either way
(``tests/test_native.py`` builds a corpus both ways and compares the bytes); only the CPU time
differs (``bench/features.py --baseline``).  The compiled folder sits outside the package's module
paths, so Python's own finder never picks a ``.so`` over the ``.py`` by itself.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

import orjson

PACKAGE_DIR = Path(__file__).resolve().parent
NATIVE_DIR = PACKAGE_DIR / "_native"
MANIFEST = NATIVE_DIR / "manifest.json"
#: Manifest format; a manifest of another version is ignored (everything runs from source).
FORMAT = 1


def source_hash(path: Path) -> str:
    """SHA-256 (hex) of a module's source bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_path(module: str) -> Path:
    """The ``.py`` file of ``graphkit.x.y`` in this checkout."""
    parts = module.split(".")
    return PACKAGE_DIR.joinpath(*parts[1:]).with_suffix(".py")


def read_manifest() -> dict[str, dict[str, str]]:
    """The manifest's modules (name -> file and source hash); empty if absent, broken or foreign."""
    try:
        data = orjson.loads(MANIFEST.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    modules = data.get("modules")
    return modules if isinstance(modules, dict) else {}


class NativeFinder(importlib.abc.MetaPathFinder):
    """Finds the compiled copy of a listed ``graphkit`` module whose source has not changed."""

    def __init__(self, modules: dict[str, dict[str, str]]) -> None:
        self.modules = modules
        self.loaded: list[str] = []  # names imported from their compiled copy, in order

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 (importlib's protocol)
        entry = self.modules.get(fullname)
        if entry is None:
            return None
        if _state(fullname, entry) != "compiled":
            return None
        so = NATIVE_DIR / entry["file"]
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(so))
        spec = importlib.util.spec_from_file_location(fullname, str(so), loader=loader)
        if spec is not None:
            self.loaded.append(fullname)
        return spec


def _pure() -> bool:
    return os.environ.get("GRAPHKIT_PURE", "").strip() not in ("", "0")


def install() -> NativeFinder | None:
    """Put the finder first on ``sys.meta_path`` (once); None when there is nothing to load."""
    for f in sys.meta_path:
        if isinstance(f, NativeFinder):
            return f
    if _pure():
        return None
    modules = read_manifest()
    if not modules:
        return None
    finder = NativeFinder(modules)
    sys.meta_path.insert(0, finder)
    return finder


def status() -> dict[str, str]:
    """For each module the manifest lists: ``"compiled"`` (the copy is used or would be),
    ``"stale"`` (its source changed since), ``"missing"`` (no copy on disk) or ``"off"``
    (``GRAPHKIT_PURE`` is set).  Empty when nothing was compiled."""
    pure = _pure()
    return {
        name: "off" if pure else _state(name, entry)
        for name, entry in sorted(read_manifest().items())
    }


def _state(name: str, entry: dict[str, str]) -> str:
    """``"compiled"`` when ``entry``'s copy exists, loads in this interpreter and matches the
    source's hash; else ``"missing"`` or ``"stale"``."""
    so = NATIVE_DIR / entry.get("file", "")
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    if not any(so.name.endswith(s) for s in suffixes) or not so.is_file():
        return "missing"  # none on disk, or built for another interpreter
    try:
        same = source_hash(source_path(name)) == entry.get("sha256")
    except OSError:
        same = False
    return "compiled" if same else "stale"
