"""arXiv Atom feed reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import IngestError
from graphkit.ingest import read_file

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "ingest"


def test_arxiv_feed():
    papers, report = read_file(DATA / "feed.atom")
    assert (report.format, report.n_records) == ("atom", 2)
    spqr, old = papers
    assert spqr.id == "arxiv:2306.03078"
    assert (
        spqr.title
        == "SpQR: A Sparse-Quantized Representation for Near-Lossless LLM Weight Compression"
    )
    assert spqr.abstract.startswith("Recent advances") and "\n" not in spqr.abstract
    assert spqr.authors == ("Tim Dettmers", "Ruslan Svirschevski")
    assert (spqr.year, spqr.iso_date) == (2023, "2023-06-05")
    assert spqr.url == "http://arxiv.org/abs/2306.03078v2" and spqr.categories == ("cs.CL", "cs.LG")
    assert spqr.sources[0].endswith("feed.atom:7")
    assert old.id == "arxiv:hep-th/9901001" and old.doi == "10.1000/xyz.123"
    assert old.title == "An Old-Style Identifier"


def _feed(body: str) -> str:
    return f'<feed xmlns="http://www.w3.org/2005/Atom">{body}</feed>'


def test_invalid_xml_has_line(tmp_path):
    target = tmp_path / "bad.atom"
    target.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n<title>x</titl>\n</entry></feed>'
    )
    with pytest.raises(IngestError, match="invalid XML") as info:
        read_file(target)
    assert info.value.line == 3


def test_other_xml_root(tmp_path):
    target = tmp_path / "rss.xml"
    target.write_text("<rss><channel/></rss>")
    with pytest.raises(IngestError, match="not an Atom"):
        read_file(target)


def test_entity_declarations_refused(tmp_path):
    target = tmp_path / "bomb.xml"
    target.write_text('<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa">]>' + _feed("&a;"))
    with pytest.raises(IngestError, match="entity"):
        read_file(target)


def test_arxiv_api_error_feed(tmp_path):
    target = tmp_path / "err.atom"
    target.write_text(
        _feed(
            "<entry><id>http://arxiv.org/api/errors#incorrect_id_format</id>"
            "<title>Error</title><summary>incorrect id format for 1234</summary></entry>"
        )
    )
    with pytest.raises(IngestError, match="incorrect id format"):
        read_file(target)


def test_entry_without_title(tmp_path):
    target = tmp_path / "notitle.atom"
    target.write_text(_feed("<entry><title>A</title></entry>\n<entry><summary>s</summary></entry>"))
    with pytest.raises(IngestError, match="no <title>") as info:
        read_file(target)
    assert info.value.line == 2
    papers, _ = read_file(target, skip_bad=True)
    assert [p.title for p in papers] == ["A"]
