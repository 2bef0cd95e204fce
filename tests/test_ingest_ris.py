"""RIS reader: tags, multi-line fields, missing ER, records without a title."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import IngestError
from graphkit.ingest import read_file

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "ingest"


def test_sample_ris():
    papers, report = read_file(DATA / "sample.ris")
    assert (report.format, report.n_records) == ("ris", 2)
    lstm, spqr = papers
    assert lstm.title == "Long Short-Term Memory"
    assert lstm.authors == ("Sepp Hochreiter", "Jürgen Schmidhuber") and lstm.year == 1997
    assert lstm.abstract.endswith("decaying error backflow.") and "  " not in lstm.abstract
    assert lstm.id == "doi:10.1162/neco.1997.9.8.1735"
    assert spqr.id == "arxiv:2306.03078" and spqr.iso_date == "2023-06-05"
    assert spqr.sources[0].endswith("sample.ris:12")


def test_missing_er_and_windows_line_endings(tmp_path):
    target = tmp_path / "x.ris"
    target.write_bytes(b"TY  - JOUR\r\nTI  - First\r\nTY  - JOUR\r\nTI  - Second\r\nPY  - 2020\r\n")
    papers, _ = read_file(target)
    assert [p.title for p in papers] == ["First", "Second"] and papers[1].year == 2020


def test_record_without_title(tmp_path):
    target = tmp_path / "x.ris"
    target.write_text("TY  - JOUR\nTI  - Kept\nER  - \nTY  - GEN\nAU  - Nobody, Anne\nER  - \n")
    with pytest.raises(IngestError, match="no title") as info:
        read_file(target)
    assert info.value.line == 4
    papers, report = read_file(target, skip_bad=True)
    assert [p.title for p in papers] == ["Kept"] and report.n_bad_records == 1


def test_ris_sniffed_in_txt(tmp_path):
    target = tmp_path / "export.txt"
    target.write_text("TY  - JOUR\nTI  - From a .txt export\nER  - \n")
    papers, report = read_file(target)
    assert report.format == "ris" and papers[0].title == "From a .txt export"


def test_no_records(tmp_path):
    target = tmp_path / "x.ris"
    target.write_text("just text\n")
    with pytest.raises(IngestError, match="no RIS records"):
        read_file(target)
