"""Compile graphkit's hot modules with Cython into graphkit/_native/ (``make native``).

The modules are compiled as they are (Cython's pure-Python mode: no ``.pyx``, no declarations,
annotations not used as C types), so the ``.py`` files stay the one source and the outputs stay the
same bytes; the compiled code spends about a quarter less CPU in the feature stage, the largest (measured with
``bench/features.py``; README "Performance").  :mod:`graphkit.native` loads a compiled copy only
while its source is unchanged, so an edited module runs from source until this script runs again.

Usage: python scripts/compile_native.py [--jobs N] [--strict] [--clean]

Incremental: a module whose source and interpreter are unchanged since the last run is not
compiled again.  Without Cython or a C compiler the script says so and exits 0 (graphkit then runs
from source), unless ``--strict``.  The new folder replaces the old one in one rename, under a
lock, so a build running meanwhile keeps the copies it loaded and a concurrent run waits.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib.machinery
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from graphkit import native  # noqa: E402

#: The modules compiled: the stages' per-record Python code (features, the edge builders, the graph,
#: the writers, the readers' record mapping, the index, labels, the page's payload), as globs
#: relative to the checkout; then the ones left out, with why.  Process, signal and CLI code stays
#: source: it is not hot, and its tests send signals and fork.
MODULES = (
    "graphkit/features/*.py",
    "graphkit/edges/*.py",
    "graphkit/export/*.py",
    "graphkit/xmlwrite.py",
    "graphkit/graph.py",
    "graphkit/graphpairs.py",
    "graphkit/schema.py",
    "graphkit/layout.py",
    "graphkit/ingest/jsonfmt.py",
    "graphkit/ingest/record.py",
    "graphkit/ingest/normalise.py",
    "graphkit/ingest/merge.py",
    "graphkit/ingest/refs.py",
    "graphkit/ingest/citedrefs.py",
    "graphkit/ingest/latex.py",
    "graphkit/index/build.py",
    "graphkit/index/records.py",
    "graphkit/analysis/labels.py",
    "graphkit/analysis/_convert.py",
    "graphkit/render/payload.py",
    "graphkit/render/select.py",
    "graphkit/render/style.py",
)
EXCLUDE = {
    "__init__.py": "package files only import (and their names must stay packages)",
    "graphkit/features/lexicon.py": "a local variable named `long`, a C type name to Cython",
    "graphkit/ingest/merge.py": "a starred expression in a subscript, which Cython 3.x does not accept",
}
DIRECTIVES = {
    "language_level": 3,
    "annotation_typing": False,  # annotations stay documentation: `dict` also accepts a defaultdict
    "binding": True,  # functions keep their Python introspection (signatures, __doc__)
    "embedsignature": True,
}


def modules() -> list[tuple[str, Path]]:
    """(module name, source path) of every module to compile, sorted."""
    out = set()
    for pattern in MODULES:
        for path in ROOT.glob(pattern):
            rel = path.relative_to(ROOT).as_posix()
            if rel in EXCLUDE or path.name in EXCLUDE:
                continue
            out.add((rel[:-3].replace("/", "."), path))
    return sorted(out)


def _suffix() -> str:
    return importlib.machinery.EXTENSION_SUFFIXES[0]


def _no_toolchain() -> str:
    """Why this machine cannot compile an extension ("" when it can): no C compiler, no headers."""
    import sysconfig

    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if not shutil.which(cc):
        return f"no C compiler ({cc}) on PATH"
    include = sysconfig.get_paths().get("include", "")
    if not (Path(include) / "Python.h").is_file():
        return f"no Python headers (Python.h) in {include or 'the include path'}"
    return ""


def _compile(tree: Path, names: list[str], jobs: int) -> list[str]:
    """Compile ``names`` (sources copied under ``tree``) in place; returns the ones that built.

    Each module is translated to C on its own (a module Cython cannot translate stays source and
    does not stop the others), then the C files are compiled together, ``jobs`` at a time."""
    from Cython.Build import cythonize
    from setuptools import Distribution
    from setuptools.command.build_ext import build_ext

    def build(exts: list) -> None:
        dist = Distribution({"ext_modules": exts, "script_args": []})
        cmd = build_ext(dist)
        cmd.inplace = True
        cmd.parallel = jobs
        cmd.ensure_finalized()
        cmd.run()

    cwd = os.getcwd()
    os.chdir(tree)
    try:
        translated: list[tuple[str, object]] = []
        for n in names:
            src = str(Path(*n.split(".")).with_suffix(".py"))
            try:
                translated += [
                    (n, e) for e in cythonize([src], compiler_directives=DIRECTIVES, quiet=True)
                ]
            except (Exception, SystemExit) as e:  # noqa: BLE001 -- one module must not stop the rest
                print(f"note: {n} stays source: Cython cannot translate it ({e})", file=sys.stderr)
        try:
            build([e for _, e in translated])
            return [n for n, _ in translated]
        except (Exception, SystemExit) as e:  # noqa: BLE001
            print(
                f"note: compiling all at once failed ({e}); trying module by module",
                file=sys.stderr,
            )
        ok = []
        for n, ext in translated:
            try:
                build([ext])
                ok.append(n)
            except (Exception, SystemExit) as e:  # noqa: BLE001
                print(f"note: {n} stays source: the C compiler failed ({e})", file=sys.stderr)
        return ok
    finally:
        os.chdir(cwd)


def run(jobs: int, strict: bool) -> int:
    why = _no_toolchain()
    if why:
        print(f"note: {why}; graphkit runs from source (same outputs, more CPU)")
        return 1 if strict else 0
    try:
        import Cython  # noqa: F401
    except ImportError:
        print(
            "note: Cython is not installed; graphkit runs from source (`make native` installs it)"
        )
        return 1 if strict else 0
    suffix = _suffix()
    old = native.read_manifest()
    todo = modules()
    work = Path(tempfile.mkdtemp(prefix=".native-", dir=native.PACKAGE_DIR))
    try:
        tree, new = work / "src", work / "_native"
        entries: dict[str, dict[str, str]] = {}
        fresh: list[str] = []
        for name, src in todo:
            data = src.read_bytes()
            digest = native.source_hash(src)
            rel = Path(*name.split(".")).with_suffix(suffix).as_posix()
            entry = {"sha256": digest, "file": rel}
            prev = old.get(name)
            if prev == entry and (native.NATIVE_DIR / rel).is_file():
                (new / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(native.NATIVE_DIR / rel, new / rel)
                entries[name] = entry
                continue
            dst = tree.joinpath(*name.split(".")).with_suffix(".py")
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)
            entries[name] = entry
            fresh.append(name)
        if fresh:
            # the packages' __init__ files make Cython name the modules graphkit.x.y
            for pkg in {n.rsplit(".", 1)[0] for n in fresh}:
                parts = pkg.split(".")
                for i in range(1, len(parts) + 1):
                    init = tree.joinpath(*parts[:i], "__init__.py")
                    init.parent.mkdir(parents=True, exist_ok=True)
                    init.touch()
            print(
                f"compiling {len(fresh)} module(s) with Cython ({len(todo) - len(fresh)} up to date)"
            )
            built = set(_compile(tree, fresh, jobs))
            for name in fresh:
                if name not in built:
                    del entries[name]
                    continue
                rel = entries[name]["file"]
                (new / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(tree / rel, new / rel)
        else:
            print(f"all {len(todo)} compiled modules up to date")
        new.mkdir(parents=True, exist_ok=True)
        manifest = {"format": native.FORMAT, "suffix": suffix, "modules": entries}
        (new / "manifest.json").write_bytes(
            orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        )
        trash = work / "old"
        with contextlib.suppress(FileNotFoundError):
            native.NATIVE_DIR.rename(trash)
        new.rename(native.NATIVE_DIR)
        missing = len(todo) - len(entries)
        print(
            f"{len(entries)} module(s) compiled into {native.NATIVE_DIR.relative_to(ROOT)}"
            + (f"; {missing} stay pure Python" if missing else "")
        )
        return 1 if strict and missing else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel compiles")
    ap.add_argument("--strict", action="store_true", help="fail when anything stays uncompiled")
    ap.add_argument("--clean", action="store_true", help="remove the compiled copies and stop")
    args = ap.parse_args()
    lock_path = native.PACKAGE_DIR / ".native.lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one compile at a time per checkout
        if args.clean:
            shutil.rmtree(native.NATIVE_DIR, ignore_errors=True)
            print("removed the compiled copies; graphkit runs from source")
            return 0
        return run(max(1, args.jobs), args.strict)


if __name__ == "__main__":
    sys.exit(main())
