"""BibTeX reader (bibtexparser 2.x): LaTeX accents, braces, arXiv/DOI fields, broken entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import IngestError
from graphkit.ingest import read_file

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "ingest"


def test_sample_bib():
    papers, report = read_file(DATA / "sample.bib")
    assert (report.format, report.n_records) == ("bibtex", 4)
    spqr, bert, accents, bare = papers
    assert spqr.title == (
        "SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression"
    )
    assert spqr.id == "arxiv:2306.03078" and spqr.n_authors == 9
    assert spqr.authors[0] == "Tim Dettmers" and spqr.authors[-1] == "Dan Alistarh"
    assert spqr.categories == ("cs.CL",)
    assert spqr.sources[0].endswith("sample.bib:4")
    assert bert.title.startswith("BERT: Pre-training") and bert.year == 2019
    assert bert.doi == "10.18653/v1/n19-1423" and bert.url == "https://aclanthology.org/N19-1423"
    assert bert.abstract.startswith(
        "We introduce a new language representation model called BERT, which stands"
    )
    assert accents.title == "Über die Stabilität von Grédients: Ça va?"
    assert accents.authors == ("Jörg Müller", "José García", "Google Research")
    assert bare.authors == () and bare.year is None and bare.abstract == ""


def test_arxiv_from_journal_field(tmp_path):
    target = tmp_path / "a.bib"
    target.write_text(
        "@article{k, title={T}, journal={arXiv preprint arXiv:1810.04805}, year={2018}}"
    )
    [p], _ = read_file(target)
    assert p.id == "arxiv:1810.04805"


def test_broken_entry_names_its_line(tmp_path):
    target = tmp_path / "broken.bib"
    target.write_text(
        "@misc{a, title={Fine}}\n\n@misc{b, title={Unclosed\n\n@misc{c, title={Also fine}}\n"
    )
    with pytest.raises(IngestError, match="invalid BibTeX") as info:
        read_file(target)
    assert info.value.line == 3
    papers, report = read_file(target, skip_bad=True)
    assert "Fine" in [p.title for p in papers] and report.n_bad_records == 1


def test_entry_without_title(tmp_path):
    target = tmp_path / "notitle.bib"
    target.write_text("@misc{a, title={A}}\n@misc{b, author={Nobody}}\n")
    with pytest.raises(IngestError, match="'b' has no title") as info:
        read_file(target)
    assert info.value.line == 2
    papers, _ = read_file(target, skip_bad=True)
    assert [p.title for p in papers] == ["A"]


def test_duplicate_keys_are_read_and_merged_later(tmp_path):
    target = tmp_path / "dup.bib"
    target.write_text("@misc{a, title={Same Title}}\n@misc{a, title={Same title}, year={2020}}\n")
    papers, _ = read_file(target)
    assert len(papers) == 2


def test_bib_sniffed_without_suffix(tmp_path):
    target = tmp_path / "refs"
    target.write_text("% exported\n@inproceedings{x,\n  title = {Sniffed},\n}\n")
    papers, report = read_file(target)
    assert report.format == "bibtex" and papers[0].title == "Sniffed"
