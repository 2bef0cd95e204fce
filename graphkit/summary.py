"""What the CLI prints after reading or building: short summary lines, made here so the commands
only print them.

>>> plural(1, "paper"), plural(2, "paper"), plural(1, "community", "communities")
('1 paper', '2 papers', '1 community')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from .config import Config
from .model import Paper
from .pipeline import edge_kind_counts

__all__ = [
    "plural",
    "build_summary",
    "corpus_summary_lines",
    "corpus_notes",
    "empty_kind_reasons",
    "best_similarities",
    "small_corpus_advice",
    "id_lines",
    "SMALL_CORPUS",
]

#: Up to this many papers a corpus counts as small: ``info`` gives advice for it, and the build
#: summary measures why no similarity edge was made (one extra TF-IDF, a fraction of a second).
SMALL_CORPUS = 2000
#: How many skipped files or records a summary lists by name.
_LIST_AT_MOST = 10


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1, with thousands separators."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def best_similarities(papers: Sequence[Paper]) -> list[float]:
    """Each paper's highest TF-IDF cosine to another paper (the similarity stage's vectors)."""
    from .features.text import TextVectorizer

    if len(papers) < 2:
        return [0.0] * len(papers)
    X = TextVectorizer().fit_transform(papers)
    S = (X @ X.T).toarray()
    S[range(len(papers)), range(len(papers))] = 0.0
    return [float(v) for v in S.max(axis=1)]


def empty_kind_reasons(
    G: nx.Graph,
    config: Config,
    papers: Sequence[Paper] = (),
    counts: Mapping[str, int] | None = None,
) -> dict[str, str]:
    """For each edge kind asked for that produced no edge, why (in one line) and what to try
    (``counts``: :func:`edge_kind_counts` of ``G`` when the caller has it)."""
    counts = edge_kind_counts(G) if counts is None else counts
    n = int(G.graph.get("n_papers", len(papers)))
    out: dict[str, str] = {}
    for kind in config.edges:
        if counts.get(kind):
            continue
        if n < 2:
            out[kind] = "a single paper has nothing to link to"
        elif kind == "similarity":
            reason = (
                f"no two papers reach --min-similarity {config.min_similarity:g}"
                if config.min_similarity > 0
                else "no two papers share a word (stop words aside)"
            )
            if papers and len(papers) <= SMALL_CORPUS:
                best = max(best_similarities(papers), default=0.0)
                suggest = max(0.01, int(best * 100) / 100)
                reason += f" (the closest pair: {best:.3f}); try --min-similarity {suggest:g}"
            out[kind] = reason
        elif kind == "keyword":
            out[kind] = (
                "no name, key phrase or author is shared by two papers (and rare enough, "
                f"--max-term-df {config.max_term_df:g})"
            )
        elif kind == "mention":
            out[kind] = "no paper mentions a method or model another paper here introduces"
        else:
            out[kind] = "none found in this corpus"
    return out


def corpus_notes(corpus: Any) -> list[str]:
    """One line per group of files not read as papers (graphkit's own outputs, documents that
    are not paper lists, special files); then the files and the records skipped with
    --skip-bad, each listed once under one heading."""
    lines = [f"ignored {note}" for note in getattr(corpus, "notes", ())]
    for heading, items in (
        (plural(len(corpus.skipped), "file"), [str(f.error) for f in corpus.skipped]),
        (
            plural(corpus.n_bad_records, "record"),
            [f"{b.where}: {b.message}" for f in corpus.files for b in getattr(f, "bad", ())],
        ),
    ):
        if not items:
            continue
        lines.append(f"skipped {heading}:")
        lines.extend(f"  {item}" for item in items[:_LIST_AT_MOST])
        if len(items) > _LIST_AT_MOST:
            lines.append(f"  … and {len(items) - _LIST_AT_MOST:,} more")
    return lines


def build_summary(result: Any, config: Config) -> tuple[list[str], list[str]]:
    """What ``graphkit build`` prints: lines for stdout and notes for stderr."""
    G = result.graph
    counts = edge_kind_counts(G)
    kinds = ", ".join(f"{n:,} {k}" for k, n in counts.items()) or "none"
    if sum(counts.values()) > G.number_of_edges():
        kinds += "; an edge can have several kinds"
    papers = result.corpus.papers if result.corpus is not None else ()
    line = (
        f"{plural(G.graph.get('n_papers', 0), 'paper')}, "
        f"{plural(G.graph.get('n_methods', 0), 'method node')}, "
        f"{plural(G.number_of_edges(), 'edge')} ({kinds}), "
        f"{plural(G.graph.get('n_communities', 0), 'community', 'communities')} "
        f"(modularity {G.graph.get('modularity', 0.0):.3f})"
    )
    lines = [line]
    for kind, why in empty_kind_reasons(G, config, papers, counts).items():
        lines.append(f"no {kind} edges: {why}")
    lines.append("wrote " + ", ".join(str(p) for p in result.written))
    notes = corpus_notes(result.corpus) if result.corpus is not None else []
    return lines, notes


def small_corpus_advice(papers: Sequence[Paper], config: Config) -> list[str]:
    """For a small corpus: how many papers would get a similarity link at the current
    ``min_similarity``, and a value at which most would."""
    n = len(papers)
    if n < 2 or n > SMALL_CORPUS:
        return []
    best = sorted(best_similarities(papers))
    linked = sum(1 for b in best if b >= config.min_similarity)
    lines = [
        f"small corpus: {linked:,} of {plural(n, 'paper')} have a similar paper at "
        f"--min-similarity {config.min_similarity:g}"
    ]
    # the value at which at least three quarters of the papers have a neighbour
    target = best[max(0, (n - 1) // 4)]
    suggest = int(target * 100) / 100
    if linked < n * 3 // 4 and 0.0 < suggest < config.min_similarity:
        more = sum(1 for b in best if b >= suggest)
        lines.append(
            f"  try: graphkit build {' '.join(config.paths)} --min-similarity {suggest:g} "
            f"({more:,} of {n:,} would have one)"
        )
    return lines


def corpus_summary_lines(corpus: Any, config: Config) -> list[str]:
    """What ``graphkit info`` prints: per file, notes and skips once, totals, advice."""
    summary = corpus.summary()
    lines = []
    width = max((len(f["path"]) for f in summary["files"]), default=0)
    for f in summary["files"]:
        bad = f", {plural(f['bad_records'], 'bad record')} skipped" if f["bad_records"] else ""
        lines.append(f"{f['path']:<{width}}  {f['format']:<7}  {plural(f['papers'], 'paper')}{bad}")
    lines.extend(corpus_notes(corpus))
    t = summary["totals"]
    lines.append(
        f"{plural(t['files'], 'file')}: {plural(t['records'], 'record')}, "
        f"{plural(t['papers'], 'paper')} ({plural(summary['duplicates_merged'], 'duplicate')} merged)"
    )
    lines.append(f"papers without abstract: {summary['without_abstract']:,}")
    years = summary["year_range"]
    lines.append(f"years: {years[0]}-{years[1]}" if years else "years: unknown")
    lines.extend(small_corpus_advice(corpus.papers, config))
    return lines


def id_lines(papers: Sequence[Paper]) -> list[str]:
    """What ``graphkit info --ids`` prints: each paper's ID, its aliases (the IDs it has when
    an input lacks its arXiv ID or DOI, which ``graphkit related`` also accepts) and its title."""
    from .ingest.normalise import aliases_of

    rows = []
    for p in papers:
        aliases = aliases_of(p.id, {"arxiv_id": p.arxiv_id, "doi": p.doi, "title": p.title})
        rows.append((p.id, " ".join(aliases) or "-", p.title))
    w_id = max((len(r[0]) for r in rows), default=2)
    w_alias = max((len(r[1]) for r in rows), default=7)
    lines = [f"{'id':<{w_id}}  {'aliases':<{w_alias}}  title"]
    lines.extend(f"{i:<{w_id}}  {a:<{w_alias}}  {t}" for i, a, t in rows)
    return lines
