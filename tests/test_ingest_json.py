"""JSON and JSONL readers: arXiv dumps, Semantic Scholar, OpenAlex, graph.json, bad JSON."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import orjson
import pytest
from shared_data import SHARED as SHARED_DIR

from graphkit.errors import IngestError
from graphkit.ingest import load_corpus, read_file

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
SHARED = SHARED_DIR / "corpora" / "arxiv-cs-2025.jsonl.gz"


def test_arxiv_jsonl_slice():
    papers, report = read_file(DATA / "arxiv-50.jsonl")
    assert (report.format, report.n_records) == ("jsonl", 50)
    first = papers[0]
    assert first.id == "arxiv:1812.06145" and first.arxiv_id == "1812.06145"
    assert first.authors == ("Mahdi Abavisani", "Hamid Reza Vaezi Joze", "Vishal M. Patel")
    assert first.n_authors == 3 and first.categories[:2] == ("cs.CV", "cs.AI")
    # "listed" is a listing date, not a publication date: the year comes from the arXiv ID.
    assert (first.date, first.year, first.iso_date) == ("2025-10-13", 2018, "")
    assert first.sources == (f"{(DATA / 'arxiv-50.jsonl').as_posix()}:1",)
    assert all(p.abstract for p in papers)


def test_gzipped_jsonl(tmp_path):
    target = tmp_path / "slice.jsonl.gz"
    target.write_bytes(gzip.compress((DATA / "arxiv-50.jsonl").read_bytes()))
    papers, report = read_file(target)
    assert (report.format, len(papers)) == ("jsonl", 50)


def test_openalex_wrapper_and_inverted_abstract():
    papers, report = read_file(DATA / "openalex.json")
    assert report.format == "json"
    bert, no_abstract = papers
    assert bert.id == "doi:10.18653/v1/n19-1423"
    assert bert.abstract == "We introduce a new language representation model called BERT."
    assert bert.authors[0] == "Jacob Devlin" and bert.n_authors == 4
    assert (bert.year, bert.iso_date) == (2019, "2019-01-01")
    assert no_abstract.abstract == "" and no_abstract.year == 2021
    assert no_abstract.sources[0].endswith("openalex.json#2")


def test_semantic_scholar_external_ids():
    [p], _ = read_file(DATA / "s2.json")
    assert p.id == "arxiv:1706.03762"
    assert p.authors == ("Ashish Vaswani", "Noam M. Shazeer")
    assert p.iso_date == "2017-06-12"


def test_graph_json_reads_paper_nodes_only():
    papers, _ = read_file(DATA / "graph.json")
    assert [p.id for p in papers] == ["arxiv:2306.03078", "t:0617309877cc"]
    assert papers[0].authors == ("Tim Dettmers", "Dan Alistarh")
    assert papers[0].categories == ("cs.CL", "cs.LG")
    assert papers[1].n_authors == 7


def test_plain_list_and_single_object(tmp_path):
    (tmp_path / "list.json").write_text('[{"title": "A"}, {"title": "B", "year": 2020}]')
    (tmp_path / "one.json").write_text('{"title": "Only One", "doi": "doi:10.5555/ABC"}')
    papers, _ = read_file(tmp_path / "list.json")
    assert [p.title for p in papers] == ["A", "B"] and papers[1].year == 2020
    [one], _ = read_file(tmp_path / "one.json")
    assert one.id == "doi:10.5555/abc"


def test_json_file_holding_one_object_per_line_is_read_as_jsonl(tmp_path):
    target = tmp_path / "lines.json"
    target.write_text('{"title": "A"}\n{"title": "B"}\n')
    papers, _ = read_file(target)
    assert [p.title for p in papers] == ["A", "B"]


def test_invalid_json_names_line_and_column(tmp_path):
    target = tmp_path / "bad.json"
    target.write_text('[\n  {"title": "A"},\n  {"title": "B",,}\n]\n')
    with pytest.raises(IngestError) as info:
        read_file(target)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{target.as_posix()}:3: invalid JSON")


def test_invalid_jsonl_line(tmp_path):
    target = tmp_path / "bad.jsonl"
    target.write_text('{"title": "A"}\n\n{"title": "B"\n{"title": "C"}\n')
    with pytest.raises(IngestError) as info:
        read_file(target)
    assert info.value.line == 3 and "JSONL" in str(info.value)
    papers, report = read_file(target, skip_bad=True)
    assert [p.title for p in papers] == ["A", "C"] and report.n_bad_records == 1


def test_record_without_title(tmp_path):
    target = tmp_path / "notitle.jsonl"
    target.write_text('{"title": "A"}\n{"summary": "no title here"}\n')
    with pytest.raises(IngestError, match="no title") as info:
        read_file(target)
    assert info.value.line == 2
    papers, report = read_file(target, skip_bad=True)
    assert len(papers) == 1 and report.n_bad_records == 1


def test_json_without_records(tmp_path):
    target = tmp_path / "meta.json"
    target.write_text('{"count": 3}')
    with pytest.raises(IngestError, match="no paper records"):
        read_file(target)


def test_jsonl_streams_a_slice_of_the_shared_corpus(tmp_path):
    if not SHARED.exists():
        pytest.skip("shared corpus not present")
    with gzip.open(SHARED, "rb") as fh:
        lines = list(itertools.islice(fh, 2000))
    target = tmp_path / "slice.jsonl"
    target.write_bytes(b"".join(lines))
    papers, _ = read_file(target)
    assert len(papers) == 2000
    assert [p.arxiv_id for p in papers] == [orjson.loads(x)["id"] for x in lines]


@pytest.mark.slow
def test_shared_corpus_loads_completely():
    if not SHARED.exists():
        pytest.skip("shared corpus not present")
    corpus = load_corpus([SHARED])
    assert corpus.n_records == 74728
    assert len(corpus.papers) == 74728  # six title collisions have different arXiv IDs
    assert corpus.n_merged == 0
    assert all(p.id.startswith("arxiv:") for p in corpus.papers)
