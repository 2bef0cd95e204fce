"""Benchmark of the corpus stage: every reader's records/s on the same records, a 113k-entry
BibTeX folder, and the seeds and the 74,728-paper shared arXiv corpus as before.

Usage::

    .venv/bin/python bench/ingest.py                     # everything (a few minutes)
    .venv/bin/python bench/ingest.py --same 5000 --big-bibtex 0 --repeat 1   # quick

*Same records, every reader*: the first ``--same`` records of the shared corpus are written by
this script as JSONL, BibTeX, RIS, CSV and WoS plain text (as exporters write them: BibTeX with
LaTeX accents for non-ASCII letters, RIS ``PY  - YYYY/MM/DD/``) and each file is read with
:func:`graphkit.ingest.read_file`; the table shows records/s and the time relative to JSONL,
all measured in this run.  *Big BibTeX folder*: ``--big-bibtex`` entries (113,000, cycling the
corpus, later cycles' titles numbered so they stay distinct) in 20 files, read with
:func:`graphkit.ingest.load_corpus` (as ``graphkit build`` reads a folder).

Each workload runs in a fresh Python process (so ``ru_maxrss`` is its own): once plain for
wall time (best of ``--repeat``) split into reading and merging, and once under
``tracemalloc`` for the peak of Python allocations (corpus workloads only).  Prints tables and
writes ``bench/results/ingest.json``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "ingest.json"
SHARED = Path(os.environ.get("GRAPHKIT_SHARED") or REPO.parent / "shared")
DEFAULT_CORPUS = SHARED / "corpora" / "arxiv-cs-2025.jsonl.gz"
MB = 1024 * 1024

_CHILD = r"""
import json, resource, sys, time, tracemalloc
sys.path.insert(0, {repo!r})
from graphkit.ingest import list_files, read_file
from graphkit.ingest.merge import merge_papers

paths, mode = {paths!r}, {mode!r}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
if mode == "tracemalloc":
    tracemalloc.start()
t0 = time.perf_counter()
records, formats = [], {{}}
if mode == "load_corpus":  # the whole corpus stage, as `graphkit build` reads a folder
    from graphkit.ingest import load_corpus
    corpus = load_corpus(paths)
    t1 = t2 = time.perf_counter()
    records, papers, n_merged = range(corpus.n_records), corpus.papers, corpus.n_merged
    for f in corpus.files:
        formats[f.format] = formats.get(f.format, 0) + 1
else:
    for path, name in list_files(paths):
        papers, report = read_file(path, name=name)
        records.extend(papers)
        formats[report.format] = formats.get(report.format, 0) + 1
    t1 = time.perf_counter()
    papers, n_merged = merge_papers(records)
    t2 = time.perf_counter()
out = {{"read_s": t1 - t0, "merge_s": t2 - t1, "total_s": t2 - t0, "records": len(records),
       "papers": len(papers), "merged": n_merged, "formats": formats,
       "maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
       "baseline_rss_bytes": base}}
if mode == "tracemalloc":
    out["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
print(json.dumps(out))
"""

#: LaTeX for the non-ASCII letters BibTeX exporters (ACM, Zotero, Google Scholar) escape.
_LATEX_ACCENTS = {
    "ü": '{\\"u}',
    "ö": '{\\"o}',
    "ä": '{\\"a}',
    "Ü": '{\\"U}',
    "Ö": '{\\"O}',
    "é": "{\\'e}",
    "è": "{\\`e}",
    "á": "{\\'a}",
    "í": "{\\'i}",
    "ó": "{\\'o}",
    "ç": "{\\c c}",
    "ñ": "{\\~n}",
    "ß": "{\\ss}",
    "ø": "{\\o}",
    "ł": "{\\l}",
    "š": "{\\v s}",
    "č": "{\\v c}",
}


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def _bib_value(text: str) -> str:
    text = " ".join(text.split())  # one line, as exporters write it (an "@" starting a line
    # would start a new block for bibtexparser)
    text = re.sub(r"\\(?![A-Za-z])", "", text)  # a stray backslash (St\\ütz) would escape a brace
    if not _balanced(text):  # an exporter escapes such braces; dropping them is simpler here
        text = text.replace("{", "").replace("}", "")
    return "".join(_LATEX_ACCENTS.get(ch, ch) for ch in text)


def _last_first(name: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def _records(corpus: str, n: int) -> list[dict]:
    opener = gzip.open if str(corpus).endswith(".gz") else open
    with opener(corpus, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in itertools.islice(fh, n)]


def _date(r: dict) -> str:
    return str(r.get("listed") or r.get("published") or "2025-01-01")[:10]


def write_bibtex(
    records: list[dict], path: Path, *, start: int = 0, suffixes: list[str] | None = None
) -> None:
    """Records as BibTeX entries, the way reference managers export them."""
    with path.open("w", encoding="utf-8") as out:
        for i, r in enumerate(records, start=start):
            suffix = suffixes[i - start] if suffixes else ""
            authors = " and ".join(_bib_value(_last_first(a)) for a in r.get("authors", []))
            year, month, _ = _date(r).split("-")
            out.write(
                f"@article{{k{i},\n  title = {{{_bib_value(r['title'] + suffix)}}},\n"
                f"  author = {{{authors}}},\n  abstract = {{{_bib_value(r.get('summary', ''))}}},\n"
                f"  eprint = {{{r['id']}}},\n  archivePrefix = {{arXiv}},\n"
                f"  year = {{{year}}},\n  month = {{{int(month)}}}\n}}\n\n"
            )


def write_ris(records: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(f"TY  - JOUR\nTI  - {r['title']}\n")
            for a in r.get("authors", []):
                out.write(f"AU  - {_last_first(a)}\n")
            out.write(f"AB  - {r.get('summary', '')}\nPY  - {_date(r).replace('-', '/')}/\n")
            out.write(f"UR  - https://arxiv.org/abs/{r['id']}\nER  - \n\n")


def write_csv(records: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["Title", "Author", "Abstract", "Publication Year", "Url"])
        for r in records:
            w.writerow(
                [
                    r["title"],
                    "; ".join(_last_first(a) for a in r.get("authors", [])),
                    r.get("summary", ""),
                    _date(r)[:4],
                    f"https://arxiv.org/abs/{r['id']}",
                ]
            )


def write_wos(records: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("FN Clarivate Analytics Web of Science\nVR 1.0\n")
        for r in records:
            names = [_last_first(a) for a in r.get("authors", [])] or ["Anonymous"]
            out.write("PT J\nAU " + "\n   ".join(names) + "\n")
            out.write(f"TI {r['title']}\nAB {r.get('summary', '')}\nPY {_date(r)[:4]}\nER\n\n")
        out.write("EF\n")


def write_jsonl(records: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in records)


def write_tsv(records: list[dict], path: Path) -> None:
    """A tab-separated table, quoted where a value needs it (as spreadsheets export it)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, delimiter="\t")
        w.writerow(["title", "authors", "abstract", "year", "arxiv_id"])
        for r in records:
            authors = ", ".join(r.get("authors", []))
            w.writerow([r["title"], authors, r.get("summary", ""), _date(r)[:4], r["id"]])


def write_atom(records: list[dict], path: Path) -> None:
    """An arXiv API Atom feed."""
    from xml.sax.saxutils import escape

    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        )
        for r in records:
            authors = "".join(
                f"<author><name>{escape(a)}</name></author>" for a in r.get("authors", [])
            )
            out.write(
                f"<entry><id>http://arxiv.org/abs/{r['id']}v1</id>"
                f"<published>{_date(r)}T00:00:00Z</published><title>{escape(r['title'])}</title>"
                f"<summary>{escape(r.get('summary', ''))}</summary>{authors}</entry>\n"
            )
        out.write("</feed>\n")


def write_openalex(records: list[dict], path: Path) -> None:
    """An OpenAlex ``/works`` page: abstracts as inverted indexes, as the API returns them."""
    works = []
    for i, r in enumerate(records):
        index: dict[str, list[int]] = {}
        for pos, word in enumerate(r.get("summary", "").split()):
            index.setdefault(word, []).append(pos)
        works.append(
            {
                "id": f"https://openalex.org/W{i + 1}",
                "doi": f"https://doi.org/10.48550/arxiv.{r['id']}",
                "title": r["title"],
                "publication_date": _date(r),
                "authorships": [{"author": {"display_name": a}} for a in r.get("authors", [])],
                "abstract_inverted_index": index,
            }
        )
    path.write_text(json.dumps({"meta": {"count": len(works)}, "results": works}), "utf-8")


WRITERS = {
    "jsonl": write_jsonl,
    "bibtex": write_bibtex,
    "ris": write_ris,
    "csv": write_csv,
    "tsv": write_tsv,
    "wos": write_wos,
    "atom": write_atom,
    "json": write_openalex,
}
SUFFIX = {
    "jsonl": ".jsonl",
    "bibtex": ".bib",
    "ris": ".ris",
    "csv": ".csv",
    "tsv": ".tsv",
    "wos": ".txt",
    "atom": ".atom",
    "json": ".json",
}


def big_bibtex_folder(corpus: str, n: int, folder: Path, files: int = 20) -> Path:
    """``n`` BibTeX entries in ``files`` files, cycling the corpus (titles of later cycles
    numbered, so they stay distinct papers)."""
    records = _records(corpus, n)
    folder.mkdir(parents=True, exist_ok=True)
    per = -(-n // files)
    for f in range(files):
        ids = range(f * per, min(n, (f + 1) * per))
        write_bibtex(
            [records[i % len(records)] for i in ids],
            folder / f"library-{f:02d}.bib",
            start=f * per,
            suffixes=[f" ({i // len(records) + 1})" if i >= len(records) else "" for i in ids],
        )
    return folder


def run_child(paths: list[str], mode: str) -> dict:
    """Load ``paths`` in a fresh interpreter and return its measurements."""
    code = _CHILD.format(repo=str(REPO), paths=paths, mode=mode)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed on {paths}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench(
    label: str, paths: list[str], repeat: int, *, traced: bool = True, mode: str = "plain"
) -> dict:
    """Best-of-``repeat`` timing plus (``traced``) one tracemalloc run."""
    runs = [run_child(paths, mode) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["total_s"])
    trace = (
        run_child(paths, "tracemalloc") if traced else {"tracemalloc_peak_bytes": 0, "total_s": 0}
    )
    return {
        "workload": label,
        "paths": paths,
        "records": best["records"],
        "papers": best["papers"],
        "merged": best["merged"],
        "formats": best["formats"],
        "read_s": round(best["read_s"], 3),
        "merge_s": round(best["merge_s"], 3),
        "total_s": round(best["total_s"], 3),
        "records_per_s": round(best["records"] / best["total_s"]) if best["total_s"] else None,
        "all_totals_s": [round(r["total_s"], 3) for r in runs],
        "peak_rss_mb": round(max(r["maxrss_bytes"] for r in runs) / MB, 1),
        "rss_increase_mb": round(
            max(r["maxrss_bytes"] - r["baseline_rss_bytes"] for r in runs) / MB, 1
        ),
        "tracemalloc_peak_mb": round(trace["tracemalloc_peak_bytes"] / MB, 1) if traced else None,
        "tracemalloc_total_s": round(trace["total_s"], 3) if traced else None,
    }


def table(rows: list[dict]) -> str:
    """A plain-text table of the results."""
    head = (
        "workload",
        "records",
        "papers",
        "merged",
        "read s",
        "merge s",
        "total s",
        "rec/s",
        "peak RSS MB",
        "+RSS MB",
        "py peak MB",
    )
    body = [
        (
            r["workload"],
            f"{r['records']:,}",
            f"{r['papers']:,}",
            f"{r['merged']:,}",
            f"{r['read_s']:.2f}",
            f"{r['merge_s']:.2f}",
            f"{r['total_s']:.2f}",
            f"{r['records_per_s']:,}",
            f"{r['peak_rss_mb']:.0f}",
            f"{r['rss_increase_mb']:.0f}",
            f"{r['tracemalloc_peak_mb']:.0f}" if r["tracemalloc_peak_mb"] is not None else "-",
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    lines = [
        "  ".join(str(x).rjust(w) for x, w in zip(row, widths, strict=True))
        for row in (head, *body)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def same_records_table(rows: list[dict]) -> str:
    """records/s of every reader on the same records, and the time relative to JSONL."""
    base = next((r["read_s"] for r in rows if r["format"] == "jsonl"), None)
    lines = [f"{'reader':<8} {'records':>8} {'read s':>8} {'rec/s':>9} {'x JSONL':>8}", "-" * 45]
    for r in rows:
        ratio = f"{r['read_s'] / base:.2f}" if base else "-"
        lines.append(
            f"{r['format']:<8} {r['records']:>8,} {r['read_s']:>8.2f} "
            f"{round(r['records'] / r['read_s']) if r['read_s'] else 0:>9,} {ratio:>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables, write bench/results/ingest.json."""
    from graphkit.ingest import FORMATS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="JSONL(.gz) corpus to load")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per workload (best kept)")
    parser.add_argument("--same", type=int, default=20000, help="records written in every format")
    parser.add_argument(
        "--big-bibtex", type=int, default=113000, help="entries of the BibTeX folder (0: skip)"
    )
    parser.add_argument("--out", default=str(RESULTS), help="where to write the JSON results")
    parser.add_argument(
        "--no-corpus-load",
        action="store_true",
        help="skip loading the whole corpus (it still feeds the same-records files)",
    )
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    workloads = [("seeds", [str(REPO / "seeds")])]
    have_corpus = Path(args.corpus).is_file()
    if have_corpus and not args.no_corpus_load:
        workloads.append((Path(args.corpus).name, [args.corpus]))
    else:
        print(f"note: {args.corpus} not found; benchmarking the seeds only", file=sys.stderr)
    rows = []
    for label, paths in workloads:
        print(f"… {label}", file=sys.stderr, flush=True)
        rows.append(bench(label, paths, repeat))
    print(table(rows))

    same: list[dict] = []
    big: dict | None = None
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-ingest-") as tmp:
        if have_corpus and args.same > 0:
            records = _records(args.corpus, args.same)
            for fmt, writer in WRITERS.items():
                if fmt not in FORMATS:
                    continue
                path = Path(tmp) / f"same{SUFFIX[fmt]}"
                writer(records, path)
                print(f"… {len(records):,} records as {fmt}", file=sys.stderr, flush=True)
                row = bench(f"same-{fmt}", [str(path)], repeat, traced=False)
                row["format"] = fmt
                row["file_mb"] = round(path.stat().st_size / MB, 1)
                same.append(row)
                path.unlink()
            print()
            print(f"Same {len(records):,} records in every format (read_file, best of {repeat}):")
            print(same_records_table(same))
        if have_corpus and args.big_bibtex > 0:
            folder = big_bibtex_folder(args.corpus, args.big_bibtex, Path(tmp) / "big-bib")
            print(f"… {args.big_bibtex:,}-entry BibTeX folder", file=sys.stderr, flush=True)
            big = bench("big-bibtex-folder", [str(folder)], 1, traced=False, mode="load_corpus")
            print()
            print(
                f"BibTeX folder, {big['records']:,} entries in 20 files (load_corpus): "
                f"{big['total_s']:.1f} s, {big['records_per_s']:,} entries/s, "
                f"peak RSS {big['peak_rss_mb']:.0f} MB"
            )

    from graphkit.fileio import atomic_write_bytes

    result = {
        "benchmark": "ingest",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
            "self_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        },
        "notes": "times are best of --repeat fresh-process runs; peak RSS is ru_maxrss of the "
        "child; py peak is tracemalloc's peak of Python allocations (a separate, slower run); "
        "same_records: the first --same corpus records written in each format by this script "
        "and read with read_file; big_bibtex: --big-bibtex entries in 20 .bib files read with "
        "load_corpus",
        "results": rows,
        "same_records": same,
        "big_bibtex": big,
    }
    atomic_write_bytes(args.out, (json.dumps(result, indent=2, sort_keys=True) + "\n").encode())
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
