"""load_corpus and the dispatcher: folders, gzip, sniffing, bad files, encodings, determinism."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.errors import IngestError
from graphkit.ingest import FORMATS, detect_format, load_corpus, read_file, sniff_format

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
SEEDS = ROOT / "seeds"


def test_public_api_names():
    assert set(FORMATS) >= {"listing", "json", "jsonl", "csv", "tsv", "bibtex", "atom", "ris"}
    assert detect_format("a/b/x.bib.gz") == "bibtex" and detect_format("x.unknown") is None
    assert sniff_format(b'{"title": "a"}\n{"title": "b"}\n') == "jsonl"
    assert sniff_format(b'[\n {"title": "a"}\n]') == "json"
    assert sniff_format(b"title,abstract\nA,B\n") == "csv"
    assert sniff_format(b"<feed xmlns='http://www.w3.org/2005/Atom'/>") == "atom"


def test_folder_walk_is_sorted_recursive_and_skips_dotfiles(tmp_path):
    shutil.copy(DATA / "sample.ris", tmp_path / "b.ris")
    (tmp_path / "sub").mkdir()
    shutil.copy(DATA / "sample.tsv", tmp_path / "sub" / "a.tsv")
    (tmp_path / ".hidden.json").write_text("not json")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.json").write_text("not json")
    corpus = load_corpus([tmp_path])
    assert [Path(f.path).name for f in corpus.files] == ["b.ris", "a.tsv"]
    assert corpus.files[0].path == (tmp_path / "b.ris").as_posix()


def test_every_sample_format_loads_and_merges(tmp_path):
    corpus = load_corpus([DATA])
    formats = {Path(f.path).name: f.format for f in corpus.files}
    assert formats == {
        "arxiv-50.jsonl": "jsonl",
        "feed.atom": "atom",
        "graph.json": "json",
        "listing_sample.txt": "listing",
        "openalex.json": "json",
        "s2.json": "json",
        "sample.bib": "bibtex",
        "sample.csv": "csv",
        "sample.ris": "ris",
        "sample.tsv": "tsv",
    }
    assert corpus.n_records == sum(f.n_records for f in corpus.files)
    assert len(corpus.papers) == corpus.n_records - corpus.n_merged
    assert len({p.id for p in corpus.papers}) == len(corpus.papers)
    summary = corpus.summary()
    orjson.dumps(summary)  # JSON-able
    assert summary["totals"]["papers"] == len(corpus.papers)
    assert summary["duplicates_merged"] == corpus.n_merged > 0


def test_gzip_of_any_format(tmp_path):
    for name in ("sample.bib", "feed.atom", "sample.csv", "listing_sample.txt"):
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress((DATA / name).read_bytes()))
        plain, report_plain = read_file(DATA / name)
        zipped, report_gz = read_file(tmp_path / f"{name}.gz")
        assert report_gz.format == report_plain.format
        assert [p.id for p in zipped] == [p.id for p in plain]


def test_same_input_same_output():
    a = load_corpus([SEEDS, DATA])
    b = load_corpus([SEEDS, DATA])
    assert a.papers == b.papers and a.summary() == b.summary()


def test_missing_path():
    with pytest.raises(IngestError, match="no such file"):
        load_corpus(["does/not/exist.json"])


def test_empty_file(tmp_path):
    (tmp_path / "empty.jsonl").write_text("  \n")
    with pytest.raises(IngestError, match="empty"):
        load_corpus([tmp_path / "empty.jsonl"])


def test_binary_file(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(IngestError, match="binary"):
        load_corpus([tmp_path / "image.png"])


def test_unknown_format(tmp_path):
    (tmp_path / "notes.dat").write_text("# Notes\n\nshort\n")
    with pytest.raises(IngestError, match="unknown format") as info:
        load_corpus([tmp_path])
    assert "--skip-bad" in str(info.value)


def test_corrupt_gzip(tmp_path):
    (tmp_path / "x.jsonl.gz").write_bytes(gzip.compress(b'{"title": "A"}\n' * 100)[:40])
    with pytest.raises(IngestError, match="gzip"):
        load_corpus([tmp_path / "x.jsonl.gz"])


def test_skip_bad_skips_files_and_records(tmp_path):
    shutil.copy(DATA / "sample.ris", tmp_path / "good.ris")
    (tmp_path / "bad.json").write_text("{nope")
    (tmp_path / "mixed.jsonl").write_text('{"title": "A"}\n{"abstract": "untitled"}\n')
    corpus = load_corpus([tmp_path], skip_bad=True)
    assert [Path(f.path).name for f in corpus.skipped] == ["bad.json"]
    assert "invalid JSON" in corpus.skipped[0].error
    assert corpus.n_bad_records == 1
    assert len(corpus.papers) == 3
    summary = corpus.summary()
    assert summary["totals"]["skipped_files"] == 1 and summary["totals"]["bad_records"] == 1


def test_encoding(tmp_path):
    target = tmp_path / "latin.csv"
    target.write_bytes("title\nCaf\xe9 Society\n".encode("latin-1"))
    with pytest.raises(IngestError) as info:
        load_corpus([target])
    assert "could not decode as UTF-8" in str(info.value)
    assert "Try --encoding latin-1" in str(info.value) and info.value.line == 2
    [p] = load_corpus([target], encoding="latin-1").papers
    assert p.title == "Café Society"


def test_utf16_with_bom(tmp_path):
    target = tmp_path / "utf16.csv"
    target.write_bytes("title\r\nÜber Alles\r\n".encode("utf-16"))
    [p] = load_corpus([target]).papers
    assert p.title == "Über Alles"


SUFFIXES_TO_FUZZ = [".json", ".jsonl", ".csv", ".tsv", ".bib", ".atom", ".ris", ".txt", ""]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(alphabet='{}[]",:@=\n\t<>/TYER -abc0123', max_size=400).map(str.encode),
    ),
    suffix=st.sampled_from(SUFFIXES_TO_FUZZ),
)
def test_hostile_bytes_raise_only_ingest_errors(tmp_path, data, suffix):
    target = tmp_path / f"fuzz{suffix}"
    target.write_bytes(data)
    try:
        papers, report = read_file(target, skip_bad=True)
    except IngestError as exc:
        assert str(exc).startswith(target.as_posix())
        assert "\n" not in str(exc)  # one line, for the CLI
    else:
        assert report.n_records == len(papers)
        assert all(p.title for p in papers)
