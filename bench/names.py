"""Quality of name extraction: precision/recall of defines and mentions against hand annotations.

Usage: python bench/names.py [--gold tests/data/names/gold.jsonl]
                             [--check tests/data/names/check.jsonl] [--no-check]
                             [--background 0] [--no-seeds] [--show-errors 0]

Two annotated sets are scored, each on its own (each fitted on its own papers): the development
gold (``gold.jsonl``, the papers the rules were written from) and the frozen check set
(``check.jsonl``: 50 papers of other fields and sources that no rule was written from; see
tests/data/names/README.md).  The check figures are the ones that say whether a rule generalises.

The gold file has one JSON object per line::

    {"id", "field", "source", "title", "abstract",
     "defines": [names the paper itself introduces],
     "mentions": [{"name": surface form as written, "type": "method"|"model"|"dataset"|
                   "benchmark"|"metric"|"tool"}]}

The extractor is fitted on the gold papers (plus ``--background N`` papers of the shared arXiv
corpus, which give the corpus evidence a real build has) and scored on the gold papers only.

Matching is case- and punctuation-insensitive (letters and digits compared in lower case, so
"LLaMA-2" = "Llama 2" = "llama2").  A predicted definition matches a gold one if its name, an
alias or its full name does; a predicted mention matches a gold mention if its canonical name,
its surface form or its family does.  Precision = matched predictions / predictions; recall = matched gold
items / gold items (micro-averaged).  Figures are printed overall, per mention type (recall by
the gold type; precision by the gold type of a matched prediction, else the predicted kind) and
per field, and for the two halves of the fields (``--split fields``: the fields sorted by name,
alternate ones in each half) so that rules developed on one half can be checked on the other.

The seed figures (47 hand-annotated seed papers, tests/data/features/annotations.json, scored by
the same rules as tests/test_features_quality.py) are printed too, as the baseline the issue
measured.  Results go to bench/results/names.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402

import orjson  # noqa: E402

from graphkit.features import FeatureExtractor  # noqa: E402
from graphkit.model import Paper, PaperFeatures  # noqa: E402

GOLD = ROOT / "tests" / "data" / "names" / "gold.jsonl"
CHECK = ROOT / "tests" / "data" / "names" / "check.jsonl"
SEED_ANN = ROOT / "tests" / "data" / "features" / "annotations.json"
CORPUS = ROOT.parent / "shared" / "corpora" / "arxiv-cs-2025.jsonl.gz"
TYPES = ("method", "model", "dataset", "benchmark", "metric", "tool")
_NON_ALNUM = re.compile(r"[\W_]+")


def norm(name: str) -> str:
    """Lower-case letters and digits only: the key names are compared by.

    >>> norm("LLaMA-2"), norm("Llama 2"), norm("MS MARCO")
    ('llama2', 'llama2', 'msmarco')
    """
    return _NON_ALNUM.sub("", name.lower())


def _keys(item: str) -> set[str]:
    return {k for k in (norm(a) for a in item.split("|")) if k}


def load_gold(path: Path) -> list[dict]:
    """The gold records; a malformed line is a one-line error naming the file and line."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                for key in ("id", "title", "defines", "mentions"):
                    if key not in r:
                        raise ValueError(f"missing key {key!r}")
                for m in r["mentions"]:
                    if not isinstance(m, dict) or "name" not in m:
                        raise ValueError("a mention must be an object with a 'name'")
            except ValueError as exc:
                raise SystemExit(f"{path}:{i}: bad gold record ({exc}); fix the line") from None
            out.append(r)
    return out


class Tally:
    """Counts for one precision/recall pair."""

    __slots__ = ("pred", "pred_hit", "gold", "gold_hit")

    def __init__(self) -> None:
        self.pred = self.pred_hit = self.gold = self.gold_hit = 0

    def add(self, other: Tally) -> None:
        self.pred += other.pred
        self.pred_hit += other.pred_hit
        self.gold += other.gold
        self.gold_hit += other.gold_hit

    def figures(self) -> dict:
        p = self.pred_hit / self.pred if self.pred else None
        r = self.gold_hit / self.gold if self.gold else None
        f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        return {
            "p": _r(p),
            "r": _r(r),
            "f1": _r(f),
            "pred": self.pred,
            "gold": self.gold,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def pred_defines(f: PaperFeatures) -> list[set[str]]:
    return [{k for k in map(norm, (d.name, *d.aliases, d.full_name)) if k} for d in f.defines]


def pred_mentions(f: PaperFeatures) -> list[tuple[set[str], str]]:
    return [
        ({k for k in (norm(m.name), norm(m.surface), norm(m.family)) if k}, m.kind)
        for m in f.mentions
    ]


def score_paper(rec: dict, f: PaperFeatures) -> dict[str, Tally]:
    """Tallies of one paper: "defines", "mentions" and "mentions:<type>"."""
    out: dict[str, Tally] = defaultdict(Tally)
    gold_d = [_keys(x) for x in rec["defines"]]
    pd = pred_defines(f)
    t = out["defines"]
    t.gold, t.pred = len(gold_d), len(pd)
    t.gold_hit = sum(any(g & p for p in pd) for g in gold_d)
    t.pred_hit = sum(any(g & p for g in gold_d) for p in pd)
    gold_m = [(_keys(m["name"]), m.get("type") or "method") for m in rec["mentions"]]
    pm = pred_mentions(f)
    t = out["mentions"]
    t.gold, t.pred = len(gold_m), len(pm)
    for g, typ in gold_m:
        hit = any(g & p for p, _ in pm)
        out[f"mentions:{typ}"].gold += 1
        out[f"mentions:{typ}"].gold_hit += hit
        t.gold_hit += hit
    for p, kind in pm:
        match = next((typ for g, typ in gold_m if g & p), None)
        typ = match or kind
        out[f"mentions:{typ}"].pred += 1
        out[f"mentions:{typ}"].pred_hit += match is not None
        t.pred_hit += match is not None
    return out


def errors(rec: dict, f: PaperFeatures) -> dict:
    """The paper's misses and false predictions (for --show-errors)."""
    gold_d = [_keys(x) for x in rec["defines"]]
    gold_m = [_keys(m["name"]) for m in rec["mentions"]]
    pd, pm = pred_defines(f), [p for p, _ in pred_mentions(f)]
    return {
        "id": rec["id"],
        "field": rec.get("field", ""),
        "missed_defines": [
            x for x, g in zip(rec["defines"], gold_d, strict=True) if not any(g & p for p in pd)
        ],
        "false_defines": [
            d.name for d, p in zip(f.defines, pd, strict=True) if not any(g & p for g in gold_d)
        ],
        "missed_mentions": [
            m["name"]
            for m, g in zip(rec["mentions"], gold_m, strict=True)
            if not any(g & p for p in pm)
        ],
        "false_mentions": [
            f"{m.surface} [{m.source}]"
            for m, p in zip(f.mentions, pm, strict=True)
            if not any(g & p for g in gold_m)
        ],
    }


def summarise(tallies: Iterable[dict[str, Tally]]) -> dict:
    total: dict[str, Tally] = defaultdict(Tally)
    n = 0
    for t in tallies:
        n += 1
        for k, v in t.items():
            total[k].add(v)
    return {
        "papers": n,
        "defines": total["defines"].figures(),
        "mentions": total["mentions"].figures(),
        "mentions_by_type": {
            typ: total[f"mentions:{typ}"].figures()
            for typ in TYPES
            if total[f"mentions:{typ}"].gold or total[f"mentions:{typ}"].pred
        },
    }


def field_halves(fields: Sequence[str]) -> tuple[list[str], list[str]]:
    """Fields sorted by name, alternately into a development and a check half."""
    ordered = sorted(set(fields))
    return ordered[0::2], ordered[1::2]


def background(n: int, path: Path = CORPUS) -> list[Paper]:
    if n <= 0 or not path.exists():
        return []
    out = []
    with gzip.open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                r = orjson.loads(line)
                out.append(
                    Paper(
                        id=f"bg:{r['id']}",
                        title=" ".join((r.get("title") or "").split()),
                        abstract=" ".join((r.get("summary") or "").split()),
                    )
                )
                if len(out) >= n:
                    break
    return out


def evaluate(gold: list[dict], *, n_background: int = 0) -> tuple[dict, list[dict]]:
    papers = [
        Paper(id=f"gold:{r['id']}", title=r["title"], abstract=r.get("abstract") or "")
        for r in gold
    ]
    feats = FeatureExtractor().fit_transform(papers + background(n_background))
    by_id = {f.paper_id: f for f in feats}
    per = [(r, by_id[f"gold:{r['id']}"]) for r in gold]
    tallies = [(r.get("field") or "?", score_paper(r, f)) for r, f in per]
    fields = sorted({fld for fld, _ in tallies})
    dev, check = field_halves(fields)
    out = {
        "overall": summarise(t for _, t in tallies),
        "by_field": {fld: summarise(t for g, t in tallies if g == fld) for fld in fields},
        "by_source": {
            src: summarise(
                t for r, (_, t) in zip(gold, tallies, strict=True) if r.get("source") == src
            )
            for src in sorted({r.get("source") or "?" for r in gold})
        },
        "split": {
            "develop": {"fields": dev, **summarise(t for g, t in tallies if g in dev)},
            "check": {"fields": check, **summarise(t for g, t in tallies if g in check)},
        },
        "background_papers": n_background,
    }
    return out, [errors(r, f) for r, f in per]


def seed_figures() -> dict | None:
    """The seed evaluation (47 annotated seed papers), the way the quality test scores it."""
    if not SEED_ANN.exists():
        return None
    from graphkit.ingest import load_corpus

    papers = load_corpus([str(ROOT / "seeds")]).papers
    feats = {f.paper_id: f for f in FeatureExtractor().fit_transform(papers)}
    titles = {p.title: p.id for p in papers}
    ann = json.loads(SEED_ANN.read_text(encoding="utf-8"))["papers"]
    tallies = []
    for a in ann:
        if a["title"] not in titles:
            continue
        rec = {
            "defines": a["defines"],
            "mentions": [{"name": m, "type": "method"} for m in a["mentions"]],
        }
        tallies.append(score_paper(rec, feats[titles[a["title"]]]))
    s = summarise(tallies)
    return {"papers": s["papers"], "defines": s["defines"], "mentions": s["mentions"]}


def _pr(fig: dict) -> str:
    def f(x):
        return "  -  " if x is None else f"{x:.3f}"

    return f"P {f(fig['p'])} R {f(fig['r'])} (pred {fig['pred']:>4}, gold {fig['gold']:>4})"


def print_report(res: dict, seeds: dict | None, *, name: str = "gold") -> None:
    o = res["overall"]
    print(f"{name}: {o['papers']} papers, background {res['background_papers']} papers")
    print(f"  defines   {_pr(o['defines'])}")
    print(f"  mentions  {_pr(o['mentions'])}")
    for typ, fig in o["mentions_by_type"].items():
        print(f"    {typ:<10}{_pr(fig)}")
    print("\nper source:")
    for src, s in res["by_source"].items():
        print(f"  {src:<24} {s['papers']:>3} papers  defines {_pr(s['defines'])}")
        print(f"  {'':<24}             mentions {_pr(s['mentions'])}")
    print("\nper field:")
    for fld, s in res["by_field"].items():
        print(f"  {fld:<24} {s['papers']:>3} papers  defines {_pr(s['defines'])}")
        print(f"  {'':<24}             mentions {_pr(s['mentions'])}")
    for half in ("develop", "check"):
        s = res["split"][half]
        print(f"\n{half} half ({', '.join(s['fields'])}): {s['papers']} papers")
        print(f"  defines   {_pr(s['defines'])}")
        print(f"  mentions  {_pr(s['mentions'])}")
    if seeds:
        print(f"\nseeds ({seeds['papers']} annotated seed papers, baseline of the issue):")
        print(f"  defines   {_pr(seeds['defines'])}")
        print(f"  mentions  {_pr(seeds['mentions'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD, help="development gold")
    ap.add_argument("--check", type=Path, default=CHECK, help="frozen check set")
    ap.add_argument("--no-check", action="store_true", help="score the development gold only")
    ap.add_argument("--background", type=int, default=0, help="arXiv papers added to the fit")
    ap.add_argument("--fields", default="", help="only these fields (comma-separated)")
    ap.add_argument("--no-seeds", action="store_true")
    ap.add_argument("--show-errors", type=int, default=0, help="print N papers' errors per set")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "names.json")
    args = ap.parse_args(argv)
    sets = [("dev", args.gold)] + ([] if args.no_check else [("check", args.check)])
    for _, path in sets:
        if not path.exists():
            sys.stderr.write(f"gold file not found: {path} (merge main, or pass --gold/--check)\n")
            return 2
    out: dict = {}
    for i, (name, path) in enumerate(sets):
        gold = load_gold(path)
        if args.fields:
            keep = set(args.fields.split(","))
            gold = [r for r in gold if r.get("field") in keep]
        res, errs = evaluate(gold, n_background=args.background)
        if i:
            print("\n" + "=" * 72)
        print_report(res, None, name=f"{name} ({path.name})")
        shown = [e for e in errs if any(e[k] for k in e if k not in ("id", "field"))]
        for e in shown[: args.show_errors]:
            print(json.dumps(e, ensure_ascii=False))
        out["gold" if name == "dev" else name] = res
    seeds = None if args.no_seeds else seed_figures()
    if seeds:
        print(f"\nseeds ({seeds['papers']} annotated seed papers, baseline of the issue):")
        print(f"  defines   {_pr(seeds['defines'])}")
        print(f"  mentions  {_pr(seeds['mentions'])}")
    out["seeds"] = seeds
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(
        orjson.dumps(out, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    )
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
