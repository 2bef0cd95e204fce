"""The venue field: every reader fills it (on real exports), the graph and the index carry it
only where records name one, and ``related`` gives a shared rare venue a small, explained lift
(none when every paper shares it)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graphkit.graph import paper_attrs
from graphkit.index import build_index, index_bytes, load_index
from graphkit.index.records import venue_key
from graphkit.ingest import read_file
from graphkit.ingest.jsonfmt import paper_fields
from graphkit.ingest.merge import merge_papers
from graphkit.model import Paper
from graphkit.query import related
from graphkit.query.scores import venue_rarity

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("path", "venues"),
    [
        ("citations/openalex_W2741809807.json", ["PeerJ"]),  # primary_location.source
        ("citations/s2_paper_turing1950.json", ["The Philosophy of Artificial Intelligence"]),
        ("citations/crossref_pone.0033693.json", ["PLoS ONE"]),  # container-title (a list)
        ("citations/wos_single-article.txt", ["JOURNAL OF MAGNETISM AND MAGNETIC MATERIALS"]),
        (
            "scopus/scopus_litstudy_first4.csv",  # Scopus "Source title"
            [
                "Journal of Computational Chemistry",
                "Proceedings of the IEEE",
                "Scientific Reports",
                "PLoS Computational Biology",
            ],
        ),
        (
            "venue/example_first3.ris",  # IEEE RIS: T2 / JO
            [
                "Computing in Science & Engineering",
                "2019 15th International Conference on eScience (eScience)",
                "Tsinghua Science and Technology",
            ],
        ),
        (
            "venue/ieee_first3.csv",  # IEEE Xplore / Zotero "Publication Title"
            [
                "Computing in Science & Engineering",
                "2019 15th International Conference on eScience (eScience)",
                "2020 IEEE/ACM International Workshop on Performance, Portability and "
                "Productivity in HPC (P3HPC)",
            ],
        ),
        # journal = {arXiv preprint}; booktitle = neurips (a @string macro)
        ("ingest/sample.bib", ["arXiv preprint", "Advances in Neural Information Processing Systems", "", ""]),
        ("ingest/arxiv-50.jsonl", [""] * 50),  # arXiv dumps name no venue
        ("ingest/feed.atom", ["", ""]),
    ],
)
def test_every_reader_fills_the_venue(path: str, venues: list[str]) -> None:
    papers, _ = read_file(DATA / path)
    assert [p.venue for p in papers] == venues


@pytest.mark.parametrize(
    ("record", "venue"),
    [
        ({"venue": "ICML"}, "ICML"),
        ({"venue": "", "journal": {"name": "Nature", "volume": "1"}}, "Nature"),  # S2
        ({"publicationVenue": {"name": "NeurIPS"}}, "NeurIPS"),
        ({"container-title": ["", "Physical Review B"]}, "Physical Review B"),  # Crossref
        ({"primary_location": {"source": {"display_name": "Cell"}}}, "Cell"),  # OpenAlex
        ({"host_venue": {"display_name": "Cell"}}, "Cell"),  # OpenAlex, old schema
        ({"source": "RESEARCH POLICY"}, "RESEARCH POLICY"),  # citebench / WoS-style
        ({"journal_ref": "Phys. Rev. D 76, 013009 (2007)"}, "Phys. Rev. D 76, 013009 (2007)"),
        ({"primary_location": None, "source": None}, ""),
    ],
)
def test_json_venue_keys(record: dict, venue: str) -> None:
    assert paper_fields({"title": "T", **record})["venue"] == venue


def test_atom_journal_ref(tmp_path: Path) -> None:
    feed = tmp_path / "feed.atom"
    feed.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        "<entry><id>http://arxiv.org/abs/0704.0001v2</id><title>Diphoton production</title>"
        "<summary>A calculation.</summary><published>2007-04-02T19:18:42Z</published>"
        "<arxiv:journal_ref>Phys.Rev.D76:013009,2007</arxiv:journal_ref></entry></feed>",
        encoding="utf-8",
    )
    [p], _ = read_file(feed)
    assert p.venue == "Phys.Rev.D76:013009,2007"


def test_merge_keeps_a_venue() -> None:
    a = Paper(id="doi:10.1/x", title="Same paper", doi="10.1/x")
    b = Paper(id="doi:10.1/x", title="Same paper", doi="10.1/x", venue="Research Policy")
    [merged], n_merged = merge_papers([a, b])
    assert n_merged == 1
    assert merged.venue == "Research Policy"


def test_venue_key_normalises_spelling_not_identity() -> None:
    assert venue_key("IEEE Trans. Smart Grid") == venue_key("IEEE TRANSACTIONS ON SMART GRID")
    assert venue_key("Computing in Science & Engineering") == venue_key(
        "computing in science and engineering"
    )
    assert venue_key("Proc. of the 35th Int. Conf. on Machine Learning (ICML 2018)") == (
        venue_key("Proceedings of the International Conference on Machine Learning")
    )
    assert venue_key("Research Policy") != venue_key("Research Evaluation")
    assert venue_key("") == venue_key("2019") == venue_key("(n/a)") == ""


def test_graph_attribute_only_when_given() -> None:
    assert "venue" not in paper_attrs(Paper(id="a", title="A"))
    assert paper_attrs(Paper(id="a", title="A", venue="Cell"))["venue"] == "Cell"


# --------------------------------------------------------------------------- the index and the prior


def _graph(venues: list[str]) -> nx.Graph:
    """A query paper and three candidates with one abstract apiece: p1 and p2 are the same
    text (a tie on every other score), p3 a weaker text match."""
    G = nx.Graph()
    text = "soil carbon sequestration under reduced tillage in temperate farms"
    abstracts = [text, text + " measured", text + " measured", "soil carbon in grassland"]
    abstracts += [f"unrelated topic number {i} about {w}" for i, w in enumerate("abcdef")]
    for i, a in enumerate(abstracts):
        attrs = {"kind": "paper", "title": f"Paper {i}", "abstract": a, "year": 2020}
        if i < len(venues) and venues[i]:
            attrs["venue"] = venues[i]
        G.add_node(f"p{i}", **attrs)
    return G


def test_rare_shared_venue_breaks_the_tie_with_a_reason() -> None:
    venues = ["Soil Biology & Biochemistry", "Nature", "SOIL BIOLOGY AND BIOCHEMISTRY"]
    venues += ["Nature"] * 7
    res = related(_graph(venues), "p0", limit=3)
    assert [n.node for n in res.neighbours][:2] == ["p2", "p1"]
    top = res.neighbours[0]
    assert "same venue: Soil Biology & Biochemistry" in top.reasons
    assert dict(top.scores)["venue"] == 1.0  # two papers share it: as rare as can be
    assert not any(r.startswith("same venue") for r in res.neighbours[1].reasons)


def test_no_effect_when_every_paper_shares_the_venue_or_none_has_one() -> None:
    plain = related(_graph([]), "p0", limit=5)
    same = related(_graph(["Nature"] * 10), "p0", limit=5)
    assert [n.node for n in same.neighbours] == [n.node for n in plain.neighbours]
    assert [n.weight for n in same.neighbours] == [n.weight for n in plain.neighbours]
    assert not any("venue" in dict(n.scores) for n in plain.neighbours)
    assert not any(r.startswith("same venue") for n in same.neighbours for r in n.reasons)
    index = build_index(_graph(["Nature"] * 10))
    assert venue_rarity(index).tolist() == [0.0]


def test_rarity_is_idf_like() -> None:
    venues = ["A", "A", "B", "B", "B", "B", "C", "C", "C", "C"]
    r = venue_rarity(build_index(_graph(venues)))
    assert r[0] == pytest.approx(1.0) and 0 < r[1] < 1 and r[1] == pytest.approx(r[2])


def test_index_round_trip_keeps_venues_and_no_venue_index_keeps_its_bytes(tmp_path: Path) -> None:
    G = _graph(["Soil Biology & Biochemistry", "Nature", "soil biology and biochemistry"])
    path = tmp_path / "related.npz"
    path.write_bytes(index_bytes(build_index(G)))
    loaded = load_index(path)
    assert loaded.venues == ["Soil Biology & Biochemistry", "Nature"]
    assert np.asarray(loaded.venue_ids).tolist() == [0, 1, 0] + [-1] * 7
    assert related(loaded, "p0", limit=3).to_dict() == related(G, "p0", limit=3).to_dict()
    # a corpus without venues: no venue members at all (its bytes as before the field)
    plain = index_bytes(build_index(_graph([])))
    assert b"venue" not in plain


def test_index_with_broken_venue_numbers_is_refused(tmp_path: Path) -> None:
    import io
    import zipfile

    from graphkit.errors import GraphFileError

    good = index_bytes(build_index(_graph(["A", "A", "B"])))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "venue_ids.npy":
                buf = io.BytesIO()
                np.save(buf, np.array([5, 5], np.int32))
                data = buf.getvalue()
            dst.writestr(info, data)
    path = tmp_path / "related.npz"
    path.write_bytes(out.getvalue())
    with pytest.raises(GraphFileError, match="not a readable related index"):
        load_index(path)


def test_citebench_records_carry_their_journal() -> None:
    """The shape of the benchmark's records: ``source`` is the journal (WoS SO)."""
    rec = {"id": "WOS:1", "title": "T", "source": "INTERNATIONAL SMALL BUSINESS JOURNAL"}
    assert paper_fields(json.loads(json.dumps(rec)))["venue"] == rec["source"]
