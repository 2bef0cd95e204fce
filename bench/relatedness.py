"""Relatedness benchmark: do a paper's graph neighbours hold the papers it actually cites?

Usage: python bench/relatedness.py [--corpus FILE.jsonl] [--topic FILE.jsonl | --topic-export NAME]
                                   [--slice 1000] [--only all,topic,1k,dev,check] [--set key=value ...]
                                   [--counts COUNTS.json]

Input: any JSONL whose records carry ``references`` = ids of other records of the same file
(default ``../shared/fixtures/citebench/wos_coreofscience_all.jsonl``, 9,106 Web of Science
records from ~30 topics; its SOURCE.md says where it comes from).  The citation data never
enters the project: without the file the benchmark says why and exits 0.

Each corpus is read into :class:`graphkit.model.Paper` records by graphkit's own JSON field
mapping, **with ``references`` stripped** (they are the answer key), and built with the library
API (:func:`graphkit.pipeline.build_graph`, default :class:`~graphkit.config.Config` unless
``--set`` changes an option).  The *queries* are the papers with an abstract that cite at least
one corpus paper with an abstract (2,487 on citebench); a query's *relevant* papers are those
cited papers.  For every query each method ranks the other papers, and the benchmark prints

* ``R@10``, ``R@20``: share of the relevant papers in the top 10 / 20 (averaged over queries);
* ``MRR``: 1 / rank of the first relevant paper within the top 20 (0 when none), averaged.

Methods, all in the same run:

* ``graph``: the query's paper neighbours in the built graph by edge ``weight`` (ties by id);
* ``related``: :func:`graphkit.query.related` at ``limit=20`` (papers only) -- the public
  entry point of ``graphkit related``; whatever it ranks by, this row measures;
* ``tfidf``: plain TF-IDF cosine over title + abstract ranking every paper (scikit-learn,
  1-2-grams, sublinear tf, English stop words, min_df 2) -- the baseline to beat;
* ``bm25``: BM25 (the ``bm25s`` package, English stop words) of the query's title + abstract
  over every paper's title + abstract; skipped with a note when ``bm25s`` is not installed.

``--counts FILE`` merges citation counts (JSON ``{id: count}``, e.g. the Web of Science
``TC`` of citebench's records, from the exports its SOURCE.md names) into the records as
``cited_by_count``, which ``related``'s popularity prior reads; citebench's JSONL has none.

Slices: ``all`` (the whole file), ``topic`` (one topic: ``wos_bitpattern.jsonl`` beside the
default corpus, or ``--topic-export`` = one ``export_file`` of the big file), ``1k`` (its
first 1,000 records, a few topics), and ``dev`` / ``check``: the two halves of the corpus's
topics (``export_file`` values) split by :func:`split_topics` (a seeded shuffle,
``--split-seed``, fixed before any tuning; each topic's records stay together, so a query's
cited papers are in its half): tune on ``dev``, report ``check`` untouched.  Also printed per slice: papers, queries, edges, mean
degree of the paper-paper graph and build seconds.  Results go to
``bench/results/relatedness.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import logging  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import orjson  # noqa: E402

from graphkit.config import Config  # noqa: E402
from graphkit.model import Paper  # noqa: E402

CITEBENCH = ROOT.parent / "shared" / "fixtures" / "citebench"
DEFAULT_CORPUS = CITEBENCH / "wos_coreofscience_all.jsonl"
DEFAULT_TOPIC = CITEBENCH / "wos_bitpattern.jsonl"
RESULTS = ROOT / "bench" / "results" / "relatedness.json"
#: Ranks kept per query (the deepest cut-off measured).
DEPTH = 20
CUTS = (10, 20)
METHODS = ("graph", "related", "tfidf", "bm25")

log = logging.getLogger("bench.relatedness")


@dataclasses.dataclass
class Bench:
    """One corpus: its papers (references stripped) and the answer key."""

    label: str
    papers: list[Paper]
    relevant: dict[str, frozenset[str]]  # query id -> cited corpus ids with an abstract


def read_records(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file (blank lines skipped)."""
    with path.open("rb") as fh:
        return [orjson.loads(line) for line in fh if line.strip()]


def make_bench(label: str, records: Sequence[dict[str, Any]]) -> Bench:
    """Papers through graphkit's JSON field mapping (id kept as given), references stripped.

    >>> recs = [{"id": "a", "title": "A", "abstract": "x", "references": ["b", "zz"]},
    ...         {"id": "b", "title": "B", "abstract": "y"}, {"id": "c", "title": "C"}]
    >>> b = make_bench("t", recs)
    >>> [p.id for p in b.papers], dict(b.relevant)
    (['a', 'b', 'c'], {'a': frozenset({'b'})})
    """
    from graphkit.ingest.jsonfmt import paper_fields
    from graphkit.ingest.record import ReadContext, make_paper

    ctx = ReadContext(path=label)
    papers: list[Paper] = []
    seen: set[str] = set()
    for number, rec in enumerate(records, start=1):
        rid = str(rec.get("id") or f"{label}#{number}")
        if rid in seen:
            continue
        seen.add(rid)
        d = {k: v for k, v in rec.items() if k not in ("references", "id")}
        fields = paper_fields(d)
        title = fields.pop("title") or ""
        paper = make_paper(ctx, f"{label}#{number}", title=title, **fields)
        papers.append(dataclasses.replace(paper, id=rid))
    has_abstract = {p.id for p in papers if p.abstract}
    relevant: dict[str, frozenset[str]] = {}
    for rec in records:
        rid = str(rec.get("id") or "")
        if rid not in has_abstract:
            continue
        refs = frozenset(r for r in rec.get("references") or () if r in has_abstract and r != rid)
        if refs:
            relevant[rid] = refs
    return Bench(label, papers, relevant)


def with_counts(records: Sequence[dict[str, Any]], counts: dict[str, Any]) -> list[dict]:
    """``records`` with ``cited_by_count`` set from ``counts`` (id -> count) where it has one.

    >>> with_counts([{"id": "a"}, {"id": "b"}], {"a": 3})
    [{'id': 'a', 'cited_by_count': 3}, {'id': 'b'}]
    """
    out = []
    for r in records:
        c = counts.get(str(r.get("id") or ""))
        out.append({**r, "cited_by_count": int(c)} if c is not None else dict(r))
    return out


def split_topics(records: Sequence[dict[str, Any]], seed: int = 0) -> tuple[set[str], set[str]]:
    """The corpus's topics (``export_file``; records without one form the topic ``""``) in two
    halves of about equal size: shuffled with ``seed``, then each topic goes to the half with
    fewer records so far.

    >>> recs = [{"export_file": t} for t in "aaabbbbccd"]
    >>> dev, check = split_topics(recs)
    >>> sorted(dev | check), dev & check
    (['a', 'b', 'c', 'd'], set())
    """
    sizes: dict[str, int] = {}
    for r in records:
        t = str(r.get("export_file") or "")
        sizes[t] = sizes.get(t, 0) + 1
    topics = sorted(sizes)
    np.random.default_rng(seed).shuffle(topics)
    halves: tuple[set[str], set[str]] = (set(), set())
    filled = [0, 0]
    for t in topics:
        h = 0 if filled[0] <= filled[1] else 1
        halves[h].add(t)
        filled[h] += sizes[t]
    return halves


def score(rankings: dict[str, Sequence[str]], relevant: dict[str, frozenset[str]]) -> dict:
    """R@10, R@20 and MRR (within the top :data:`DEPTH`) of ``rankings`` over every query.

    A query missing from ``rankings`` counts as an empty ranking.

    >>> score({"q": ["x", "a", "b"]}, {"q": frozenset({"a", "c"})})
    {'R@10': 0.5, 'R@20': 0.5, 'MRR': 0.5, 'queries': 1}
    """
    rec = {k: [] for k in CUTS}
    rr = []
    for q, rel in relevant.items():
        ranked = list(rankings.get(q, ()))[:DEPTH]
        for k in CUTS:
            rec[k].append(len(rel.intersection(ranked[:k])) / len(rel))
        first = next((i for i, x in enumerate(ranked, 1) if x in rel), None)
        rr.append(1.0 / first if first else 0.0)
    out = {f"R@{k}": round(float(np.mean(v)) if v else 0.0, 4) for k, v in rec.items()}
    out["MRR"] = round(float(np.mean(rr)) if rr else 0.0, 4)
    out["queries"] = len(relevant)
    return out


def _text(p: Paper) -> str:
    return f"{p.title}. {p.abstract}".strip()


def _top_rows(S, queries: np.ndarray, ids: Sequence[str], depth: int) -> dict[str, list[str]]:
    """Each query row's ``depth`` best columns of the dense score block ``S`` (self excluded,
    ties by corpus order)."""
    out: dict[str, list[str]] = {}
    for row, qi in enumerate(queries):
        s = np.asarray(S[row]).ravel().astype(np.float64)
        s[qi] = -np.inf
        top = np.lexsort((np.arange(s.size), -s))[:depth]
        out[ids[qi]] = [ids[j] for j in top if s[j] > 0]
    return out


def rank_tfidf(papers: Sequence[Paper], queries: Sequence[str]) -> dict[str, list[str]]:
    """Plain TF-IDF cosine ranking of every paper for each query (the baseline)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = [p.id for p in papers]
    X = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=2
    ).fit_transform([_text(p) for p in papers])
    pos = {pid: i for i, pid in enumerate(ids)}
    q = np.array([pos[x] for x in queries], dtype=np.int64)
    out: dict[str, list[str]] = {}
    for lo in range(0, q.size, 512):
        block = q[lo : lo + 512]
        out.update(_top_rows((X[block] @ X.T).toarray(), block, ids, DEPTH))
    return out


def rank_bm25(papers: Sequence[Paper], queries: Sequence[str]) -> dict[str, list[str]] | str:
    """BM25 (bm25s, default k1/b, English stop words) of each query's text over every paper;
    a string saying why when bm25s is absent."""
    try:
        import bm25s
    except ImportError:
        return "bm25s not installed (pip install -e '.[test]')"
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    ids = [p.id for p in papers]
    texts = [_text(p) for p in papers]
    corpus_tokens = bm25s.tokenize(texts, stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus_tokens, show_progress=False)
    pos = {pid: i for i, pid in enumerate(ids)}
    q = [pos[x] for x in queries]
    q_tokens = bm25s.tokenize([texts[i] for i in q], stopwords="en", show_progress=False)
    k = min(len(ids), DEPTH + 1)
    docs, scores = retriever.retrieve(q_tokens, k=k, show_progress=False, n_threads=1)
    out: dict[str, list[str]] = {}
    for row, qi in enumerate(q):
        pairs = sorted(
            ((-float(s), int(d)) for d, s in zip(docs[row], scores[row], strict=True)),
        )
        out[ids[qi]] = [ids[d] for s, d in pairs if d != qi and s < 0][:DEPTH]
    return out


def rank_graph(G, queries: Iterable[str]) -> dict[str, list[str]]:
    """The query's paper neighbours by edge weight, heaviest first (ties by node id)."""
    out: dict[str, list[str]] = {}
    for q in queries:
        nbrs = [
            (-float(d.get("weight", 0.0) or 0.0), str(v))
            for v, d in G[q].items()
            if G.nodes[v].get("kind") == "paper"
        ]
        out[q] = [v for _, v in sorted(nbrs)[:DEPTH]]
    return out


def rank_related(G, queries: Iterable[str]) -> dict[str, list[str]]:
    """``graphkit.query.related(G, id, limit=20)``'s papers, in its order."""
    from graphkit.query import related

    out: dict[str, list[str]] = {}
    for q in queries:
        res = related(G, q, limit=DEPTH)
        out[q] = [n.node for n in res.neighbours if n.kind == "paper"][:DEPTH]
    return out


def graph_shape(G) -> dict[str, Any]:
    """Edges, paper-paper edges and the mean paper-paper degree of ``G``."""
    papers = [n for n, k in G.nodes(data="kind") if k == "paper"]
    is_paper = set(papers)
    pp = sum(1 for u, v in G.edges() if u in is_paper and v in is_paper)
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "paper_edges": pp,
        "mean_paper_degree": round(2 * pp / max(1, len(papers)), 2),
        "mean_degree": round(2 * G.number_of_edges() / max(1, G.number_of_nodes()), 2),
    }


def run_bench(bench: Bench, cfg: Config, methods_wanted: Sequence[str] = METHODS) -> dict[str, Any]:
    """Every method on one corpus: their scores, the graph's shape and the build time."""
    from graphkit.pipeline import build_graph

    queries = sorted(bench.relevant)
    row: dict[str, Any] = {"label": bench.label, "papers": len(bench.papers)}
    t0 = time.perf_counter()
    G = build_graph(bench.papers, cfg).graph
    row["build_s"] = round(time.perf_counter() - t0, 2)
    row["shape"] = graph_shape(G)
    methods: dict[str, Callable[[], Any]] = {
        "graph": lambda: rank_graph(G, queries),
        "related": lambda: rank_related(G, queries),
        "tfidf": lambda: rank_tfidf(bench.papers, queries),
        "bm25": lambda: rank_bm25(bench.papers, queries),
    }
    row["methods"] = {}
    for name, fn in methods.items():
        if name not in methods_wanted:
            continue
        t0 = time.perf_counter()
        ranked = fn()
        took = round(time.perf_counter() - t0, 2)
        if isinstance(ranked, str):
            row["methods"][name] = {"skipped": ranked}
        else:
            row["methods"][name] = {**score(ranked, bench.relevant), "seconds": took}
    return row


def _print(row: dict[str, Any]) -> None:
    s = row["shape"]
    print(
        f"\n== {row['label']}: {row['papers']:,} papers, "
        f"{next(iter(row['methods'].values())).get('queries', 0):,} queries; graph "
        f"{s['edges']:,} edges ({s['paper_edges']:,} paper-paper), mean paper degree "
        f"{s['mean_paper_degree']}, built in {row['build_s']} s"
    )
    print(f"  {'method':<10} {'R@10':>7} {'R@20':>7} {'MRR':>7} {'seconds':>8}")
    for name, m in row["methods"].items():
        if "skipped" in m:
            print(f"  {name:<10} skipped: {m['skipped']}")
        else:
            print(
                f"  {name:<10} {m['R@10']:>7.3f} {m['R@20']:>7.3f} {m['MRR']:>7.3f}"
                f" {m['seconds']:>8.1f}"
            )


def _config(pairs: Sequence[str]) -> Config:
    values: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:  # numbers and booleans as JSON, anything else as text
            values[key.strip()] = orjson.loads(value.strip())
        except orjson.JSONDecodeError:
            values[key.strip()] = value.strip()
    return Config.from_mapping(values) if values else Config()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--topic", type=Path, default=DEFAULT_TOPIC, help="one-topic JSONL file")
    ap.add_argument("--topic-export", default="", help="or: one export_file of --corpus")
    ap.add_argument("--slice", type=int, default=1000, help="size of the first-N slice")
    ap.add_argument("--only", default="all,topic,1k", help="which of all,topic,1k,dev,check")
    ap.add_argument("--split-seed", type=int, default=0, help="seed of the dev/check split")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a build option (Config field), e.g. --set top_k=20")  # fmt: skip
    ap.add_argument("--methods", default=",".join(METHODS), help="which rows to compute")
    ap.add_argument("--counts", type=Path, default=None,
                    help="JSON {id: citation count} merged into the records as cited_by_count")  # fmt: skip
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)

    if not args.corpus.is_file():
        print(f"relatedness: skipped, {args.corpus} is absent (the shared citebench fixture)")
        return 0
    cfg = _config(args.set)
    records = read_records(args.corpus)
    if args.counts:
        records = with_counts(records, orjson.loads(args.counts.read_bytes()))
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    benches: list[Bench] = []
    for w in wanted:
        if w == "all":
            benches.append(make_bench(args.corpus.stem, records))
        elif w == "topic":
            if args.topic_export:
                recs = [r for r in records if r.get("export_file") == args.topic_export]
                benches.append(make_bench(f"topic:{args.topic_export}", recs))
            elif args.topic.is_file():
                benches.append(make_bench(f"topic:{args.topic.stem}", read_records(args.topic)))
            else:
                print(f"relatedness: topic slice skipped, {args.topic} is absent")
        elif w in ("1k", "slice"):
            benches.append(make_bench(f"first {args.slice:,}", records[: args.slice]))
        elif w in ("dev", "check"):
            half = split_topics(records, args.split_seed)[w == "check"]
            recs = [r for r in records if str(r.get("export_file") or "") in half]
            benches.append(make_bench(f"{w} ({len(half)} topics, seed {args.split_seed})", recs))
        else:
            ap.error(f"unknown slice {w!r} (use all, topic, 1k, dev, check)")
    opts = ", ".join(args.set) or "defaults"
    print(f"relatedness benchmark on {args.corpus} (build options: {opts})")
    rows = []
    for b in benches:
        row = run_bench(b, cfg, [m.strip() for m in args.methods.split(",")])
        _print(row)
        rows.append(row)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(
        orjson.dumps(
            {"corpus": str(args.corpus), "set": list(args.set), "rows": rows},
            option=orjson.OPT_INDENT_2,
        )  # fmt: skip
    )
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
