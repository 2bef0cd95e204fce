"""`graphkit info`: per-file formats and counts, totals, --json, --skip-bad, errors → exit 3."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.errors import ExitCode, IngestError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
SEEDS = ROOT / "seeds"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_info_on_seeds():
    result = run("info", str(SEEDS))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sum("listing" in line for line in lines) == 5
    assert "343 records, 331 papers (12 duplicates merged)" in result.output
    assert "papers without abstract: 0" in result.output
    assert "years: " in result.output


def test_info_defaults_to_seeds(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("info")
    assert result.exit_code == 0 and "331 papers" in result.output


def test_info_json():
    result = run("info", str(DATA / "sample.bib"), str(DATA / "feed.atom"), "--json")
    assert result.exit_code == 0
    summary = orjson.loads(result.output)
    assert [f["format"] for f in summary["files"]] == ["bibtex", "atom"]
    assert summary["totals"] == {
        "files": 2,
        "records": 6,
        "papers": 5,
        "skipped_files": 0,
        "bad_records": 0,
    }
    assert summary["duplicates_merged"] == 1 and summary["year_range"] == [1999, 2023]
    assert list(summary) == sorted(summary)  # OPT_SORT_KEYS: stable output


def test_help_has_example():
    result = run("info", "--help")
    assert result.exit_code == 0 and "Example:" in result.output


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    cases = {
        "missing": (tmp / "missing.json", "no such file"),
        "empty": (tmp / "empty.csv", "empty"),
        "binary": (tmp / "blob.bin", "binary"),
        "unknown": (tmp / "notes.md", "unknown format"),
        "json": (tmp / "bad.json", "invalid JSON"),
        "jsonl": (tmp / "bad.jsonl", "invalid JSON"),
        "csv": (tmp / "bad.csv", "no title column"),
        "bibtex": (tmp / "bad.bib", "invalid BibTeX"),
        "xml": (tmp / "bad.atom", "invalid XML"),
        "ris": (tmp / "bad.ris", "no title"),
        "no-title": (tmp / "untitled.jsonl", "no title"),
        "encoding": (tmp / "latin.csv", "could not decode as UTF-8"),
        "gzip": (tmp / "cut.jsonl.gz", "gzip"),
    }
    (tmp / "empty.csv").write_text("")
    (tmp / "blob.bin").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp / "notes.md").write_text("# Notes\n\nnothing here\n")
    (tmp / "bad.json").write_text('[{"title": "A"},\n {"title": }]')
    (tmp / "bad.jsonl").write_text('{"title": "A"}\n{"title": "B"\n')
    (tmp / "bad.csv").write_text("name,email\nAda,ada@example.org\n")
    (tmp / "bad.bib").write_text("@misc{a, title={Unclosed\n\n@misc{b, title={B}}\n")
    (tmp / "bad.atom").write_text('<feed xmlns="http://www.w3.org/2005/Atom"><entry></feed>')
    (tmp / "bad.ris").write_text("TY  - JOUR\nAU  - Nobody, A\nER  - \n")
    (tmp / "untitled.jsonl").write_text('{"abstract": "x"}\n')
    (tmp / "latin.csv").write_bytes("title\nCaf\xe9\n".encode("latin-1"))
    (tmp / "cut.jsonl.gz").write_bytes(gzip.compress(b'{"title": "A"}\n' * 50)[:30])
    return cases


CASES = [
    "missing",
    "empty",
    "binary",
    "unknown",
    "json",
    "jsonl",
    "csv",
    "bibtex",
    "xml",
    "ris",
    "no-title",
    "encoding",
    "gzip",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_3_with_one_line(tmp_path, case):
    path, expected = _bad_inputs(tmp_path)[case]
    result = run("info", str(path))
    assert result.exit_code == ExitCode.BAD_INPUT
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"Error: {path.as_posix()}")
    assert expected in message
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", ["json", "csv"])
def test_debug_shows_the_traceback(tmp_path, case):
    path, _ = _bad_inputs(tmp_path)[case]
    with pytest.raises(IngestError):
        run("--debug", "info", str(path))


def test_skip_bad_lists_what_it_skipped(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    _bad_inputs(bad)
    shutil.copy(DATA / "sample.ris", tmp_path / "good.ris")
    result = run("info", str(tmp_path), "--skip-bad")
    assert result.exit_code == 0, result.output
    assert "good.ris" in result.output
    lines = result.output.splitlines()
    # Files with a bad record but otherwise readable (bad.jsonl, bad.bib, bad.ris,
    # untitled.jsonl) lose that record only; the other 7 bad files are skipped whole, each
    # listed once under one heading; notes.md (not a listing) is left out with a note.
    start = lines.index("skipped 7 files:")
    skipped = lines[start + 1 : start + 8]
    assert all(line.startswith("  ") for line in skipped)
    assert not any(name in line for line in skipped for name in ("bad.jsonl", "bad.bib", "bad.ris"))
    assert not any("--skip-bad" in line for line in lines)
    assert "skipped 4 records:" in lines
    assert any(
        line.startswith("ignored 1 file (notes: .md not in listing format)") for line in lines
    )
    assert "1 bad record skipped" in result.output


def test_encoding_option(tmp_path):
    target = tmp_path / "latin.csv"
    target.write_bytes("title\nCaf\xe9 Society\n".encode("latin-1"))
    result = run("info", str(target), "--encoding", "latin-1", "--json")
    assert result.exit_code == 0 and orjson.loads(result.output)["totals"]["papers"] == 1
