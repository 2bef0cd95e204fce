"""Stable IDs and merging: union-find over arXiv ID, DOI and title; richest fields win."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.ingest import load_corpus
from graphkit.ingest.merge import merge_papers
from graphkit.ingest.normalise import (
    normalise_arxiv_id,
    normalise_doi,
    normalise_title,
    paper_id,
    parse_date,
    split_authors,
    title_hash,
)
from graphkit.model import Paper

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
SEED_003 = ROOT / "seeds" / "003_6348bd9547271913.txt"
SPQR = "SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2306.03078", "2306.03078"),
        ("arXiv:2306.03078v3", "2306.03078"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("https://arxiv.org/pdf/2306.03078v1.pdf", "2306.03078"),
        ("10.48550/arXiv.2306.03078", "2306.03078"),
        ("W2963403868", ""),
        ("", ""),
    ],
)
def test_arxiv_ids(raw, expected):
    assert normalise_arxiv_id(raw) == expected


def test_dois_and_ids():
    assert normalise_doi("https://dx.doi.org/10.1000/ABC%2F1") == "10.1000/abc/1"
    assert normalise_doi("doi: 10.1000/X.") == "10.1000/x"
    assert paper_id(arxiv_id="2306.03078", doi="10.1/x", title="T") == "arxiv:2306.03078"
    assert paper_id(doi="10.1000/x", title="T") == "doi:10.1000/x"
    # Title IDs ignore case, accents, punctuation and spacing, and are stable across runs.
    assert paper_id(title="Café:  Déjà Vu!") == paper_id(title="cafe deja vu")
    assert title_hash("Attention Is All You Need") == "37f63852cdfb"
    assert normalise_title("ﬁne-tuning  LLMs") == "fine tuning llms"


def test_dates_and_authors():
    assert parse_date("Dec 19, 2023") == (2023, "2023-12-19")
    assert parse_date("19 December 2023") == (2023, "2023-12-19")
    assert parse_date("Feb 30, 2023") == (2023, "")
    assert parse_date("May 29") == (None, "")
    assert split_authors("A. Smith & B. Jones") == ("A. Smith", "B. Jones")
    assert split_authors("Ada Lovelace, Charles Babbage and Alan Turing") == (
        "Ada Lovelace",
        "Charles Babbage",
        "Alan Turing",
    )


def _p(**kw) -> Paper:
    kw["id"] = paper_id(arxiv_id=kw.get("arxiv_id", ""), doi=kw.get("doi", ""), title=kw["title"])
    return Paper(**kw)


def test_union_find_joins_chains():
    a = _p(title="Same Paper", arxiv_id="2306.03078", sources=("a:1",))
    b = _p(title="same paper!", sources=("b:1",))
    c = _p(title="SAME PAPER", doi="10.1000/x", sources=("c:1",))
    d = _p(title="Another", doi="10.1000/x", abstract="longest abstract", sources=("d:1",))
    [m], n = merge_papers([a, b, c, d])
    assert n == 3
    assert m.id == "arxiv:2306.03078" and m.doi == "10.1000/x"
    assert m.sources == ("a:1", "b:1", "c:1", "d:1") and m.abstract == "longest abstract"


def test_same_title_different_arxiv_ids_stay_apart():
    a = _p(title="Introduction", arxiv_id="2301.00001")
    b = _p(title="Introduction")
    c = _p(title="Introduction", arxiv_id="2301.00002")
    merged, n = merge_papers([a, b, c])
    assert [p.id for p in merged] == ["arxiv:2301.00001", "arxiv:2301.00002"] and n == 1


def test_richest_fields():
    a = _p(title="T", authors=("A",), n_authors=7, date="May 29", upvotes=1, sources=("s:1",))
    b = _p(
        title="T",
        authors=("A", "B"),
        date="Dec 19, 2023",
        year=2023,
        iso_date="2023-12-19",
        upvotes=5,
        url="u",
        organization="Org",
        categories=("cs.CL",),
        sources=("s:9",),
    )
    [m], _ = merge_papers([a, b])
    assert m.authors == ("A", "B") and m.n_authors == 7
    assert (m.date, m.year, m.iso_date) == ("Dec 19, 2023", 2023, "2023-12-19")
    assert (m.upvotes, m.url, m.organization, m.categories) == (5, "u", "Org", ("cs.CL",))
    assert m.id.startswith("t:")


def test_same_paper_across_formats_is_one_record(tmp_path):
    jsonl = tmp_path / "spqr.jsonl"
    jsonl.write_text(
        '{"id": "2306.03078", "title": "SpQR: A Sparse-Quantized Representation for '
        'Near-Lossless LLM Weight Compression", "summary": "short", "authors": ["Tim Dettmers"]}\n'
    )
    corpus = load_corpus(
        [SEED_003, DATA / "sample.bib", jsonl, DATA / "feed.atom", DATA / "sample.ris"]
    )
    spqr = [p for p in corpus.papers if normalise_title(p.title) == normalise_title(SPQR)]
    assert len(spqr) == 1
    [p] = spqr
    assert p.id == "arxiv:2306.03078"
    sources = [s.rsplit("/", 1)[-1] for s in p.sources]
    assert sources == [
        "003_6348bd9547271913.txt:11",
        "sample.bib:4",
        "spqr.jsonl:1",
        "feed.atom:7",
        "sample.ris:12",
    ]
    assert len(p.abstract) > 1000  # the seed's full abstract beats the short ones
    assert p.n_authors == 9 and p.iso_date == "2023-06-05"
    # The seed paper is first-seen, so it keeps its place in the corpus order.
    seed_only = load_corpus([SEED_003]).papers
    assert [q.title for q in corpus.papers[: len(seed_only)]] == [q.title for q in seed_only]
