"""Reference lists at ingest: OpenAlex, Semantic Scholar, Crossref, WoS text, Scopus CSV, RIS,
the fetch contract's JSONL, graph.json; the key normalisation; the merge keeping them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shared_data import SHARED

from graphkit.errors import IngestError
from graphkit.ingest import load_corpus, read_file, sniff_format
from graphkit.ingest.merge import merge_papers
from graphkit.ingest.refs import (
    author_key,
    cited_reference_key,
    loose_key,
    reference_key,
    scopus_reference_key,
    wos_reference_key,
)
from graphkit.model import Paper

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "citations"
SNAPSHOT = (
    SHARED / "fixtures" / "openalex_snapshot_sample" / "works_updated_date=2023-05-16_part_000.gz"
)


def test_openalex_work_keeps_its_45_references():
    raw = json.loads((DATA / "openalex_W2741809807.json").read_text())
    [p], report = read_file(DATA / "openalex_W2741809807.json")
    assert report.format == "json" and p.id == "doi:10.7717/peerj.4375"
    want = [f"openalex:{w.rsplit('/', 1)[1]}" for w in raw["referenced_works"]]
    assert len(want) == 45 and list(p.references) == want
    assert p.ids == ("openalex:W2741809807", "pmid:29456894")
    assert p.cited_by_count == raw["cited_by_count"] and p.abstract.startswith("Despite growing")


def test_openalex_list_page_and_snapshot_part(tmp_path):
    work = json.loads((DATA / "openalex_W2741809807.json").read_text())
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"meta": {"count": 1}, "results": [work]}))
    [p], _ = read_file(page)
    assert len(p.references) == 45
    if not SNAPSHOT.exists():
        pytest.skip("shared fixtures not present")
    papers, report = read_file(SNAPSHOT, skip_bad=True)  # grants without titles are skipped
    assert report.format == "jsonl" and len(papers) == 11 and report.n_bad_records == 16
    assert all(any(i.startswith("openalex:W") for i in q.ids) for q in papers)


def test_semantic_scholar_paper_references_by_best_id():
    raw = json.loads((DATA / "s2_paper_turing1950.json").read_text())
    [p], _ = read_file(DATA / "s2_paper_turing1950.json")
    assert p.ids == ("s2:2d5673caa9e6af3a7b82a43f19ee920992db07ad",)
    assert p.cited_by_count == raw["citationCount"]
    # every reference with a DOI is keyed by it, the others by their paperId; none without both
    expected = []
    for r in raw["references"]:
        doi = (r.get("externalIds") or {}).get("DOI")
        key = f"doi:{doi.lower()}" if doi else (f"s2:{r['paperId']}" if r.get("paperId") else "")
        if key and key not in expected:
            expected.append(key)
    assert list(p.references) == expected and len(expected) >= 8


def test_s2_reference_rows_and_data_pages(tmp_path):
    page = tmp_path / "refs.json"
    page.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "paperId": "a" * 40,
                        "title": "Citing paper",
                        "references": [
                            {
                                "citedPaper": {
                                    "paperId": "b" * 40,
                                    "externalIds": {"ArXiv": "1706.03762"},
                                }
                            },
                            {"citedPaper": {"paperId": "c" * 40, "externalIds": None}},
                        ],
                    }
                ]
            }
        )
    )
    [p], _ = read_file(page)
    assert p.references == ("arxiv:1706.03762", "s2:" + "c" * 40)
    assert p.ids == ("s2:" + "a" * 40,)


def test_crossref_reference_lists():
    raw = json.loads((DATA / "crossref_pone.0033693.json").read_text())["message"]
    [p], _ = read_file(DATA / "crossref_pone.0033693.json")
    assert p.id == "doi:10.1371/journal.pone.0033693" and p.year == 2012
    assert p.title.startswith("Methylphenidate Exposure")
    dois = list(dict.fromkeys(f"doi:{r['DOI'].lower()}" for r in raw["reference"] if "DOI" in r))
    assert [k for k in p.references if k.startswith("doi:")] == dois
    assert len(raw["reference"]) == 70 and len(p.references) >= 65
    assert p.cited_by_count == raw["is-referenced-by-count"]
    [q], _ = read_file(DATA / "crossref_icdcsw.2003.1203662.json")
    assert len(q.references) == 13  # structured and unstructured entries alike
    assert any(k.startswith("ref:") for k in q.references)


def test_wos_plain_text_export():
    assert sniff_format((DATA / "wos_single-article.txt").read_bytes()[:4096]) == "wos"
    [p], report = read_file(DATA / "wos_single-article.txt")
    assert report.format == "wos"
    assert (
        p.title
        == "Structural control of ultra-fine CoPt nanodot arrays via electrodeposition process"
    )
    assert p.authors[:2] == ("Siggi Wodarz", "Takashi Hasegawa") and p.year == 2017
    assert p.doi == "10.1016/j.jmmm.2017.01.061" and p.abstract.startswith("CoPt nanodot arrays")
    assert len(p.references) == 28  # 28 CR lines, 27 with a DOI
    assert p.references[0] == "doi:10.1109/tmag.2012.2227303"
    assert p.references[-2] == "ref:yua h|2009|j appl phys|105|"
    assert p.ids == ("wos:000397201600008", "ref:wodarz s|2017|j magn magn mater|430|52")


def test_wos_export_with_header_and_many_records():
    papers, report = read_file(DATA / "wos_bitpattern_sample.txt")
    assert (report.format, len(papers)) == ("wos", 25)
    assert all(p.references and p.abstract for p in papers)


def test_wos_without_records_is_a_clear_error(tmp_path):
    bad = tmp_path / "savedrecs.txt"
    bad.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n")
    with pytest.raises(IngestError, match="no Web of Science records"):
        read_file(bad, format="wos")


def test_scopus_csv_references_column():
    papers, report = read_file(DATA / "scopus_first5.csv")
    assert (report.format, len(papers)) == ("csv", 5)
    first = papers[0]
    assert first.references[0] == "ref:kang w|2016|proc ieee|104|2040"
    assert len(first.references) > 40
    assert first.ids[0] == "ref:gong b|2024|phys chem chem phys|26|4716"


def test_ris_cited_references(tmp_path):
    ris = tmp_path / "refs.ris"
    ris.write_text(
        "TY  - JOUR\nTI  - A paper\nAU  - Smith, J\nPY  - 2020\n"
        "CR  - Sun SH, 2000, SCIENCE, V287, P1989, DOI 10.1126/science.287.5460.1989\n"
        "N1  - References: Kang W., Huang Y., Proc. IEEE, 104, pp. 2040-2061, (2016); "
        "Nagaosa N., Nat. Nanotechnol., 8, pp. 899-911, (2013)\nER  - \n"
    )
    [p], _ = read_file(ris)
    assert p.references == (
        "doi:10.1126/science.287.5460.1989",
        "ref:kang w|2016|proc ieee|104|2040",
        "ref:nagaosa n|2013|nat nanotechnol|8|899",
    )


def test_contract_jsonl_with_wos_ids(tmp_path):
    f = tmp_path / "papers.jsonl"
    rows = [
        {"id": "WOS:000000000000001", "title": "One", "doi": "10.1000/one", "references": ["WOS:000000000000002"]},
        {"id": "openalex:W7", "title": "Two", "openalex_id": "https://openalex.org/W7",
         "s2_id": "d" * 40, "references": ["doi:10.1000/one", "https://openalex.org/W9", "1706.03762v3"]},
    ]  # fmt: skip
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    one, two = read_file(f)[0]
    assert one.id == "doi:10.1000/one" and one.arxiv_id == ""
    assert one.ids == ("wos:000000000000001",) and one.references == ("wos:000000000000002",)
    assert two.ids == ("openalex:W7", "s2:" + "d" * 40)
    assert two.references == ("doi:10.1000/one", "openalex:W9", "arxiv:1706.03762")


def test_graph_json_keeps_references(tmp_path):
    from click.testing import CliRunner

    from graphkit.cli import cli

    out = tmp_path / "out"
    res = CliRunner().invoke(
        cli, ["-q", "build", str(DATA / "wos_bitpattern_sample.txt"), "-o", str(out),
              "--formats", "json", "--workers", "1"], catch_exceptions=False,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    before = {p.id: p for p in read_file(DATA / "wos_bitpattern_sample.txt")[0]}
    after = {p.id: p for p in read_file(out / "graph.json")[0]}
    assert after.keys() == before.keys()
    assert all(after[k].references == before[k].references for k in before)
    assert all(after[k].ids == before[k].ids for k in before)


def test_merge_unions_references_and_joins_on_ids():
    a = Paper(
        id="t:a", title="Alpha", ids=("openalex:W1",), references=("doi:10.1/x",), sources=("a",)
    )
    b = Paper(id="doi:10.2/b", title="Alpha (preprint)", doi="10.2/b", ids=("openalex:W1", "s2:" + "e" * 40),
              references=("doi:10.1/x", "doi:10.1/y"), cited_by_count=4, sources=("b",))  # fmt: skip
    c = Paper(id="t:c", title="Other", ids=("ref:smith j|2000||1|2",), sources=("c",))
    d = Paper(id="t:d", title="Another", ids=("ref:smith j|2000||1|2",), sources=("d",))
    merged, n = merge_papers([a, b, c, d])
    assert n == 1 and len(merged) == 3  # ref: keys never merge two works
    m = merged[0]
    assert m.references == ("doi:10.1/x", "doi:10.1/y") and m.cited_by_count == 4
    assert m.ids == ("openalex:W1", "s2:" + "e" * 40)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("https://doi.org/10.1000/ABC", "doi:10.1000/abc"),
        ("doi:10.48550/arXiv.2306.03078", "arxiv:2306.03078"),
        ("arXiv:2306.03078v2", "arxiv:2306.03078"),
        ("W123", "openalex:W123"),
        ("pmid:29456894", "pmid:29456894"),
        ("https://pubmed.ncbi.nlm.nih.gov/29456894", "pmid:29456894"),
        ("WOS:000397201600008", "wos:000397201600008"),
        (
            "BUSCHOW KHJ, 1983, J MAGN MAGN MATER, V38, P1",
            "ref:buschow k|1983|j magn magn mater|38|1",
        ),
        ("", ""),
        ("not a reference", ""),
    ],
)
def test_reference_key_forms(raw, key):
    assert reference_key(raw) == key


def test_same_work_same_loose_key_across_databases():
    wos = wos_reference_key("Nagaosa N, 2013, NAT NANOTECHNOL, V8, P899, DOI")
    scopus = scopus_reference_key(
        "Nagaosa N., Tokura Y., Nature Nanotechnology, 8, pp. 899-911, (2013)"
    )
    assert wos != scopus and loose_key(wos) == loose_key(scopus) == "nagaosa n|2013|8|899"
    assert cited_reference_key("Nagaosa N, 2013, NAT NANOTECHNOL, V8, P899") == wos
    assert author_key("Nagaosa, Naoto") == author_key("N. Nagaosa") == "nagaosa n"


@given(st.text(max_size=80))
def test_reference_key_never_raises_and_is_stable(text):
    key = reference_key(text)
    assert key == "" or key.startswith(
        ("doi:", "arxiv:", "openalex:", "s2:", "pmid:", "wos:", "ref:")
    )
    assert reference_key(key) == key if key else True


def test_load_corpus_reads_mixed_citation_formats():
    corpus = load_corpus(
        [str(DATA / "wos_single-article.txt"), str(DATA / "openalex_W2741809807.json")]
    )
    assert len(corpus.papers) == 2 and all(p.references for p in corpus.papers)
