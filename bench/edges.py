"""Time the text vectors and the three edge builders on slices of the shared arXiv corpus.

Prints, per slice: TF-IDF time/shape/non-zeros; similarity top-k time for each path (exact
``sparse_dot_topn``, exact scipy row blocks, and the candidate-pruned variants), the recall of
the pruned paths against the exact one, and the score distribution of top-10 neighbours with
the share that fall in the same primary arXiv category (a proxy of "topically related"; random
pairs give the baseline); then feature extraction, keyword and mention edge times and counts.

    .venv/bin/python bench/edges.py                      # 10k and all 74,728 papers
    .venv/bin/python bench/edges.py --slices 2000 --no-features
    .venv/bin/python bench/edges.py --slices all --scipy-exact-max 0   # skip the slow exact scipy run

Nothing here asserts a speed.  Timings depend on the machine's load (2 cores shared here).
"""

from __future__ import annotations

import argparse  # noqa: E402
import gzip  # noqa: E402
import time  # noqa: E402
from pathlib import Path

import numpy as np  # noqa: E402
import orjson  # noqa: E402

from graphkit.edges import (  # noqa: E402
    keyword_edges,
    mention_edges,
    similarity_edges,
    topk_neighbours,
)
from graphkit.edges.neighbours import AUTO_CANDIDATE_DF  # noqa: E402
from graphkit.features.text import TextVectorizer  # noqa: E402
from graphkit.model import Paper  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "arxiv-cs-2025.jsonl.gz"


def read_slice(path: Path, n: int | None) -> list[Paper]:
    """The first ``n`` records (all if None) as Papers, read directly with gzip + orjson."""
    out: list[Paper] = []
    with gzip.open(path, "rb") as fh:
        for line in fh:
            r = orjson.loads(line)
            out.append(
                Paper(
                    id="arxiv:" + r["id"],
                    title=r.get("title") or "",
                    abstract=r.get("summary") or "",
                    arxiv_id=r["id"],
                    categories=tuple(r.get("categories") or ()),
                )
            )
            if n is not None and len(out) >= n:
                break
    return out


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def neighbours(X, **kw) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    return {r: (c, s) for r, c, s in topk_neighbours(X, **kw)}


def recall(got: dict, ref: dict, floor: float) -> float:
    hits = total = 0
    for r, (c, s) in ref.items():
        want = set(c[s >= floor].tolist())
        total += len(want)
        hits += len(want & set(got[r][0].tolist()))
    return hits / total if total else 1.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--slices", default="10000,all")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument(
        "--scipy-exact-max", type=int, default=10000, help="largest slice for exact scipy"
    )
    ap.add_argument("--no-features", action="store_true", help="skip keyword/mention edges")
    ap.add_argument("--no-similarity", action="store_true", help="skip TF-IDF and similarity")
    ap.add_argument("--all-pairs-max", type=int, default=10000, help="largest slice for top_k=None")
    args = ap.parse_args()
    if not args.corpus.is_file():
        raise SystemExit(f"corpus {args.corpus} not found")
    for token in args.slices.split(","):
        n = None if token.strip() == "all" else int(token)
        papers, dt = timed(read_slice, args.corpus, n)
        N = len(papers)
        print(f"\n=== {N:,} papers (read {dt:.1f}s) ===", flush=True)
        if not args.no_similarity:
            similarity_report(papers, args)
        if not args.no_features:
            edges_report(papers, args)


def similarity_report(papers: list[Paper], args: argparse.Namespace) -> None:
    N, k = len(papers), args.top_k
    vec = TextVectorizer()
    X, dt = timed(vec.fit_transform, papers)
    print(f"tf-idf: {dt:.1f}s  shape {X.shape[0]:,} x {X.shape[1]:,}  nnz {X.nnz:,}", flush=True)

    runs: dict[str, dict] = {}
    plan = [
        ("topn exact, 2 threads", dict(method="topn", n_jobs=2, candidate_df=None)),
        (
            f"topn pruned {AUTO_CANDIDATE_DF} (auto), 1 thr",
            dict(method="topn", n_jobs=1, candidate_df=AUTO_CANDIDATE_DF),
        ),
        ("topn pruned 0.02, 2 thr", dict(method="topn", n_jobs=2, candidate_df=0.02)),
        ("scipy pruned 0.02, 2 thr", dict(method="scipy", n_jobs=2, candidate_df=0.02)),
    ]
    if args.scipy_exact_max >= N:
        plan += [
            ("scipy exact, 1 thread", dict(method="scipy", n_jobs=1, candidate_df=None)),
            ("scipy exact, 2 threads", dict(method="scipy", n_jobs=2, candidate_df=None)),
        ]
    for name, kw in plan:
        runs[name], dt = timed(neighbours, X, top_k=k, min_similarity=0.0, **kw)
        print(f"similarity top-{k} [{name}]: {dt:.1f}s", flush=True)
    ref = runs["topn exact, 2 threads"]
    for name, got in runs.items():
        print(
            f"  {name}: recall of exact top-{k} {recall(got, ref, 0.0):.4f}, "
            f"of those >=0.10 {recall(got, ref, 0.10):.4f}, >=0.15 {recall(got, ref, 0.15):.4f}"
        )

    scores = np.concatenate([s for _, s in ref.values()])
    pct = {q: round(float(np.percentile(scores, q)), 3) for q in (10, 25, 50, 75, 90, 95)}
    print(f"top-{k} cosine percentiles: {pct}")
    prim = [p.categories[0] if p.categories else "" for p in papers]
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, N, 20000), rng.integers(0, N, 20000)
    base = np.mean([prim[i] == prim[j] for i, j in zip(a, b, strict=True)])
    print(f"random pairs in the same primary category: {base:.3f}")
    for top_k in (5, 10):
        for floor in (0.08, 0.10, 0.12, 0.15, 0.20):
            pairs = {
                (min(i, j), max(i, j))
                for i, (c, s) in ref.items()
                for j, x in list(zip(c.tolist(), s.tolist(), strict=True))[:top_k]
                if x >= floor
            }
            touched = {i for p in pairs for i in p}
            same = np.mean([prim[i] == prim[j] for i, j in pairs]) if pairs else float("nan")
            print(
                f"  top_k={top_k:<2} min_similarity={floor:.2f}: {len(pairs):>7,} edges, "
                f"{len(touched) / N:.3f} of papers linked, same category {same:.3f}"
            )
    ids = [p.id for p in papers]
    edges, dt = timed(
        similarity_edges, X, ids, top_k=k, min_similarity=0.15, feature_names=vec.feature_names_,
        n_jobs=2,
    )  # fmt: skip
    print(f"similarity_edges (defaults, auto path, terms): {dt:.1f}s, {len(edges):,} edges")


def edges_report(papers: list[Paper], args: argparse.Namespace) -> None:
    from collections import Counter

    from graphkit.edges.keyword import paper_terms, term_cap
    from graphkit.features import FeatureExtractor, load_lexicon

    N = len(papers)
    feats, dt = timed(FeatureExtractor().fit_transform, papers)
    print(f"features (FeatureExtractor): {dt:.1f}s", flush=True)
    df = Counter(t for f in feats for t in paper_terms(f))
    for share in (0.05, 0.02, 0.01):
        cap = term_cap(N, share)
        pairs = sum(d * (d - 1) // 2 for d in df.values() if 2 <= d <= cap)
        print(f"  max_term_df={share}: cap {cap} papers, {pairs:,} term-pair incidences")
    tops: tuple[int | None, ...] = (5, 10) + ((None,) if args.all_pairs_max >= N else ())
    for share in (0.05, 0.01):
        for top in tops:
            ke, dt = timed(keyword_edges, papers, feats, max_term_df=share, top_k=top)
            print(
                f"keyword_edges max_term_df={share} top_k={top}: {dt:.1f}s, {len(ke):,} edges",
                flush=True,
            )
    (medges, nodes), dt = timed(mention_edges, papers, feats, lexicon=load_lexicon())
    print(f"mention_edges: {dt:.1f}s, {len(medges):,} edges, {len(nodes):,} method nodes")


if __name__ == "__main__":
    main()
