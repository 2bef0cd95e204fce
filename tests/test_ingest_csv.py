"""CSV/TSV reader: BOM, Windows line endings, quoting, column synonyms, bad tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import IngestError
from graphkit.ingest import read_file

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "ingest"


def test_csv_with_bom_crlf_and_multiline_quoted_field():
    raw = (DATA / "sample.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    papers, report = read_file(DATA / "sample.csv")
    assert (report.format, report.n_records) == ("csv", 3)
    spqr, attention, cafe = papers
    assert spqr.id == "arxiv:2306.03078"
    assert spqr.abstract.endswith("have led to high-quality LLMs.") and "\n" not in spqr.abstract
    assert spqr.authors == ("Tim Dettmers", "Ruslan Svirschevski") and spqr.year == 2023
    assert attention.abstract == 'The dominant sequence transduction models, "quoted", are complex.'
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert attention.sources[0].endswith("sample.csv:4")  # the quoted newline spans lines 2-3
    assert cafe.title == "Café: A Paper, With Commas" and cafe.abstract == ""
    assert cafe.id == "doi:10.1162/neco.1997.9.8.1735"


def test_tsv_sniffed_and_dates():
    papers, report = read_file(DATA / "sample.tsv")
    assert report.format == "tsv"
    resnet, adam = papers
    assert resnet.authors == ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun")
    assert resnet.iso_date == "2015-12-10"
    assert adam.authors == ("Diederik P. Kingma", "Jimmy Ba") and adam.iso_date == "2014-12-22"


def test_semicolon_delimiter_and_synonyms(tmp_path):
    target = tmp_path / "export.csv"
    target.write_text("Name;Summary;Publication_Year;Link\nX;ignored;1;2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no title column"):
        read_file(target)
    target.write_text(
        "Article Title;Summary;Publication_Year;Link\nA Title;Text.;2001;https://arxiv.org/abs/0704.0001\n"
    )
    [p], _ = read_file(target)
    assert (p.title, p.abstract, p.year, p.arxiv_id) == ("A Title", "Text.", 2001, "0704.0001")


def test_no_title_column_lists_columns_on_line_1(tmp_path):
    target = tmp_path / "people.csv"
    target.write_text("name,email\nAda,ada@example.org\n")
    with pytest.raises(IngestError) as info:
        read_file(target)
    err = info.value
    assert err.line == 1 and "'name', 'email'" in str(err) and "title" in err.hint
    assert str(err).startswith(f"{target.as_posix()}:1:")


def test_empty_title_row(tmp_path):
    target = tmp_path / "gaps.csv"
    target.write_text("title,abstract\nA,x\n,only an abstract\nB,y\n")
    with pytest.raises(IngestError, match="empty title") as info:
        read_file(target)
    assert info.value.line == 3
    papers, report = read_file(target, skip_bad=True)
    assert [p.title for p in papers] == ["A", "B"] and report.n_bad_records == 1


def test_unclosed_quote_is_an_error(tmp_path):
    target = tmp_path / "broken.csv"
    target.write_text('title,abstract\nA,"never closed\nB,y\n')
    with pytest.raises(IngestError, match="invalid CSV"):
        read_file(target)


def test_row_with_too_many_fields(tmp_path):
    target = tmp_path / "wide.csv"
    target.write_text("title,year\nA, B,2001,extra\nC,2002\n")
    with pytest.raises(IngestError, match="3 fields|4 fields") as info:
        read_file(target)
    assert info.value.line == 2
    papers, _ = read_file(target, skip_bad=True)
    assert [p.title for p in papers] == ["C"]


def test_scopus_rows_with_an_extra_funding_text_cell_are_read_aligned():
    """litstudy's real Scopus export: records 3-4 hold one more cell than the header (a second
    "Funding Text"); the columns after the funding texts are read that many cells further."""
    papers, report = read_file(DATA.parent / "scopus" / "scopus_litstudy_first4.csv")
    assert report.n_records == 4
    namd, petri, odes, tcell = papers
    assert namd.title == "Scalable molecular dynamics with NAMD" and len(namd.references) == 123
    assert petri.doi == "10.1109/5.24143" and len(petri.references) == 302
    assert odes.title.startswith("Petri nets and ODEs as complementary methods")
    assert odes.doi == "10.1038/s41598-022-04849-0"
    # before: References read from "Correspondence Address", PubMed ID from "Language"
    assert len(odes.references) == 42 and odes.references[0] == "ref:edelsteinkeshet|2005|||"
    assert "pmid:35064163" in odes.ids and "pmid:35994517" in tcell.ids
    assert odes.cited_by_count == 3 and tcell.year == 2022


def test_row_too_long_without_scopus_funding_columns_names_file_and_line(tmp_path):
    from click.testing import CliRunner

    from graphkit.cli import cli

    target = tmp_path / "export.csv"
    target.write_text('Title,Year,Abstract\n"A",2001,"x"\n"B",2002,"y","stray"\n')
    result = CliRunner().invoke(cli, ["info", str(target)])
    assert result.exit_code == 3
    assert f"{target}:3: row has 4 fields but the header has 3" in result.output
    assert "Traceback" not in result.output
