"""SHA-256 digests of every file a build writes: the byte-identity guard for refactoring.

``tests/data/outputs/digests.json`` holds the digests of a build of the seeds, of the 500-record
citation fixture (``../shared/fixtures/citebench/wos_bitpattern.jsonl``) and of the first 10,000
records of the shared arXiv corpus, made at the commit a refactor starts from.  The
manifest is digested without what legitimately changes from run to run (timings, peaks, the
build time, library versions, the temporary paths).  Regenerate only for an intended output
change, and say so in the commit message::

    python tests/output_digests.py --regenerate            # seeds, citebench, the 10k slice
    python tests/output_digests.py --regenerate seeds      # only one of them
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import itertools
import json
import sys
from pathlib import Path

from shared_data import SHARED

ROOT = Path(__file__).resolve().parents[1]
DIGESTS = Path(__file__).parent / "data" / "outputs" / "digests.json"
CORPUS = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"
#: 500 Web of Science records with references (citation edges and reference nodes).
CITEBENCH = SHARED / "fixtures" / "citebench" / "wos_bitpattern.jsonl"
SLICE = 10_000

#: Manifest keys that differ between two runs of the same build.
VOLATILE = ("built_at", "timings_s", "worker_peak_rss_mb", "total_s", "versions")


def stable_manifest(data: bytes) -> bytes:
    """The manifest without its run-dependent parts, as canonical JSON bytes."""
    m = json.loads(data)
    for key in VOLATILE:
        m.pop(key, None)
    for item in m.get("inputs", []):
        item["path"] = Path(item["path"]).name
    for item in m.get("skipped", []):
        item["path"] = Path(item["path"]).name
    opts = m.get("options", {})
    opts["paths"] = [Path(p).name for p in opts.get("paths", [])]
    opts.pop("out_dir", None)
    opts.pop("workers", None)  # one or two processes must give the same bytes
    return json.dumps(m, sort_keys=True, ensure_ascii=False).encode("utf-8")


def digests_of(out: Path) -> dict[str, str]:
    """``{file name: sha256}`` of every file in ``out`` (the manifest made stable first)."""
    result = {}
    for path in sorted(out.iterdir()):
        data = path.read_bytes()
        if path.name == "manifest.json":
            data = stable_manifest(data)
        result[path.name] = hashlib.sha256(data).hexdigest()
    return result


def slice_file(folder: Path, n: int = SLICE) -> Path:
    """The first ``n`` records of the shared corpus as ``folder/arxiv-10k.jsonl``."""
    path = folder / "arxiv-10k.jsonl"
    if not path.exists():
        with gzip.open(CORPUS, "rb") as src, path.open("wb") as dst:
            dst.writelines(itertools.islice(src, n))
    return path


def build(which: str, folder: Path, *, workers: int = 1) -> dict[str, str]:
    """Build ``which`` ("seeds", "citebench" or "arxiv10k") into ``folder/out-…`` and return
    its digests."""
    from graphkit.config import Config
    from graphkit.pipeline import run_build
    from graphkit.progress import Reporter

    # inputs are given relative to the current folder: papers keep their source path
    if which == "seeds":
        where, inputs = ROOT, ("seeds",)
    elif which == "citebench":
        where, inputs = CITEBENCH.parent, (CITEBENCH.name,)
    else:
        where, inputs = folder, (slice_file(folder).name,)
    out = folder.resolve() / f"out-{which}-{workers}"
    with contextlib.chdir(where):
        run_build(Config(paths=inputs, out_dir=str(out), workers=workers), reporter=Reporter())
    return digests_of(out)


def stored() -> dict[str, dict[str, str]]:
    return json.loads(DIGESTS.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    import tempfile

    if not argv or argv[0] != "--regenerate":
        print(__doc__)
        return 2
    which = argv[1:] or ["seeds", "citebench", "arxiv10k"]
    table = stored() if DIGESTS.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        for w in which:
            table[w] = build(w, Path(tmp))
            print(w, json.dumps(table[w], indent=1))
    DIGESTS.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
