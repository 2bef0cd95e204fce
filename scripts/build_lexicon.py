"""Build ``graphkit/features/data/lexicon.json`` from the shared lexicon files plus a curated list.

Usage::

    python scripts/build_lexicon.py [--shared ../shared/lexicon] [--out graphkit/features/data/lexicon.json]

Sources, merged in this order (first one to claim a canonical name wins, later ones add aliases):

1. ``scripts/lexicon/curated.json``: names an ML researcher expects (LoRA, SparseGPT, Llama, ImageNet, ...), with
   kind, full name, aliases (every surface is matched *case-sensitively, as written*, so lower-case
   spellings such as "low-rank adaptation" are listed explicitly) and the introducing paper.
2. ``pwc-methods.json`` (Papers with Code methods).  A pwc name becomes a mention trigger only if it
   *looks like a name* (:func:`graphkit.features.lexicon.looks_like_name`: inner capital, digit, or an
   all-caps acronym of >= 3 letters) and is not a generic acronym.  Its full name is added as a
   Title-Case phrase alias only when the name is an acronym of it (checked letter by letter) and
   the phrase has >= 2 words: "Synthetic Minority Over-sampling Technique" -> SMOTE.  Everything
   else ("Dropout", "Weight Tying", "dhf", "Coresets") is dropped.
3. ``llm-compression-papers.json``: the short ``name`` of each paper, with the same name test.
4. ``scripts/lexicon/fields.json``: names researchers of other fields expect (statistics and
   simulation software, questionnaires and clinical scores, named tests and models, bibliographic
   and survey databases, cohorts), read last, so an entry only adds a name no other source claims.

The output is sorted and written with sorted keys, so the build is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphkit.features.lexicon import (  # noqa: E402
    GENERIC_ACRONYMS,
    is_acronym_of,
    looks_like_name,
)

#: The curated data, read by this script (JSON, one object per entry; see each file's "about").
DATA = ROOT / "scripts" / "lexicon"


def _load_data(folder: Path = DATA) -> tuple[list[dict], set[str]]:
    """The curated entries and the Papers-with-Code names to drop, from ``folder``."""
    curated = json.loads((folder / "curated.json").read_text(encoding="utf-8"))["entries"]
    drop = json.loads((folder / "pwc-drop.json").read_text(encoding="utf-8"))["names"]
    return curated, set(drop)


def _entry(name: str, kind: str, full: str, aliases, ref: str, arxiv: str, source: str) -> dict:
    return {
        "name": name,
        "full_name": full,
        "kind": kind,
        "aliases": sorted({a for a in aliases if a and a != name}),
        "reference": ref,
        "arxiv_id": arxiv,
        "source": source,
    }


def _pwc_kind(collections: list[str]) -> str:
    text = " ".join(collections).lower()
    if any(
        w in text
        for w in ("models", "transformers", "neural networks", "backbone", "language model")
    ):
        return "model"
    if "dataset" in text:
        return "dataset"
    return "method"


def build(shared: Path, data: Path = DATA) -> dict:
    curated, pwc_drop = _load_data(data)
    entries: dict[str, dict] = {}
    claimed: set[str] = set()  # every surface already owned by an entry

    def add(e: dict) -> None:
        surfaces = [e["name"], *e["aliases"]]
        if e["name"] in claimed:
            return
        e["aliases"] = sorted(a for a in e["aliases"] if a not in claimed)
        entries[e["name"]] = e
        claimed.update(surfaces)

    def add_curated(items: list[dict], source: str, *, generic_kinds: tuple[str, ...]) -> None:
        """Add hand-written entries; a generic acronym only when its kind is in ``generic_kinds``."""
        for c in items:
            if c["name"] in GENERIC_ACRONYMS and c["kind"] not in generic_kinds:
                continue
            add(
                _entry(
                    c["name"],
                    c["kind"],
                    c.get("full_name", ""),
                    c.get("aliases", ()),
                    c.get("reference", ""),
                    c.get("arxiv_id", ""),
                    source,
                )
            )

    add_curated(curated, "curated", generic_kinds=("metric",))

    pwc = json.loads((shared / "pwc-methods.json").read_text(encoding="utf-8"))
    for m in sorted(pwc, key=lambda m: (-int(m.get("num_papers") or 0), m["name"])):
        name = (m.get("name") or "").strip()
        if not name or name in pwc_drop or name in GENERIC_ACRONYMS or not looks_like_name(name):
            continue
        full = re.sub(r"\s+", " ", (m.get("full_name") or "").strip().rstrip("."))
        aliases = []
        if full and full != name and len(full.split()) >= 2 and is_acronym_of(name, full):
            aliases.append(full)
        add(
            _entry(
                name,
                _pwc_kind(m.get("collections") or []),
                full,
                aliases,
                m.get("paper_title") or "",
                m.get("arxiv_id") or "",
                "pwc",
            )
        )

    llm = json.loads((shared / "llm-compression-papers.json").read_text(encoding="utf-8"))
    for p in llm:
        name = (p.get("name") or "").strip()
        if not name or name in pwc_drop or name in GENERIC_ACRONYMS or not looks_like_name(name):
            continue
        m = re.search(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", p.get("url") or "")
        add(
            _entry(
                name,
                "method",
                name,
                (),
                p.get("title") or "",
                m.group(1) if m else "",
                "llm-compression",
            )
        )

    fields = json.loads((data / "fields.json").read_text(encoding="utf-8"))["entries"]
    add_curated(fields, "fields", generic_kinds=())

    return {"version": 1, "entries": [entries[k] for k in sorted(entries)]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "lexicon")
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the curated JSON files")
    ap.add_argument(
        "--out", type=Path, default=ROOT / "graphkit" / "features" / "data" / "lexicon.json"
    )
    args = ap.parse_args(argv)
    data = build(args.shared, args.data)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(
        f"wrote {len(data['entries'])} entries to {args.out} ({len(text) // 1024} KiB)\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
