"""The listing-page reader: seed counts, record fields, and no invented papers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.ingest import load_corpus, read_file
from graphkit.ingest.listing import looks_like_listing, parse_meta_line, read_listing
from graphkit.ingest.normalise import clean_text
from graphkit.ingest.record import ReadContext

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
SEEDS = ROOT / "seeds"
FURNITURE = {
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
}


def test_seed_files_give_343_records_and_331_papers():
    corpus = load_corpus([SEEDS])
    assert corpus.n_records == 343
    assert len(corpus.papers) == 331
    assert corpus.n_merged == 12
    assert [f.n_records for f in corpus.files] == [23, 76, 86, 114, 44]
    assert {f.format for f in corpus.files} == {"listing"}
    assert len({p.id for p in corpus.papers}) == 331


def test_no_page_furniture_becomes_a_paper():
    corpus = load_corpus([SEEDS])
    titles = {p.title for p in corpus.papers}
    assert not titles & FURNITURE
    assert not any(parse_meta_line(t) is not None for t in titles)
    assert all(p.abstract for p in corpus.papers)


def test_record_fields_and_line_numbers():
    papers, report = read_file(DATA / "listing_sample.txt")
    assert report.format == "listing" and report.n_records == 5
    first, unlearning, llm_guided, nn_search, nas = papers
    assert first.title == "How far away are truly hyperparameter-free learning algorithms?"
    assert first.sources == (f"{(DATA / 'listing_sample.txt').as_posix()}:13",)
    assert first.n_authors is None and first.date == "" and first.year is None
    assert unlearning.n_authors == 3
    assert (unlearning.date, unlearning.year, unlearning.iso_date) == (
        "Aug 15, 2023",
        2023,
        "2023-08-15",
    )
    # An organisation line instead of an author count, and an upvote count after the date.
    assert (llm_guided.organization, llm_guided.date, llm_guided.upvotes) == ("Google", "Oct 15", 2)
    assert llm_guided.year is None and llm_guided.iso_date == ""
    assert nn_search.n_authors == 5 and nas.iso_date == "2024-03-12"
    assert all(p.id.startswith("t:") for p in papers)


def test_seed_upvotes_and_partial_dates():
    papers = {p.title: p for p in load_corpus([SEEDS / "002_ee8e6b08e6575a5a.txt"]).papers}
    p = papers[
        "Turning Trash into Treasure: Accelerating Inference of Large Language Models with Token Recycling"
    ]
    assert (p.n_authors, p.date, p.iso_date, p.upvotes) == (8, "Aug 16, 2024", "2024-08-16", 2)
    p = papers["Feynman-Kac Correctors in Diffusion: Annealing, Guidance, and Product of Experts"]
    assert (p.date, p.year, p.upvotes) == ("Mar 4", None, 2)


def test_title_with_sentence_punctuation_is_still_a_title():
    # Seed 003 has a title with ". " in it between two long abstracts.
    papers = load_corpus([SEEDS / "003_6348bd9547271913.txt"]).papers
    assert any(p.title.startswith("PINN surrogate of Li-ion battery models") for p in papers)


def test_record_without_abstract_is_kept():
    text = "Page\n\nA Paper With No Abstract\n\n  • 2 authors\n·\nMay 3, 2023\n"
    [paper] = read_listing(text, ReadContext("x.txt"))
    assert paper.title == "A Paper With No Abstract" and paper.abstract == ""
    assert paper.n_authors == 2 and paper.year == 2023


def test_unstructured_text_has_no_papers():
    text = "\n".join(f"line {i} of some notes without any record structure" for i in range(50))
    assert list(read_listing(text, ReadContext("notes.txt"))) == []
    assert not looks_like_listing(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.text(alphabet="abc .,?:•·\n", max_size=300),
            st.sampled_from(["", "·", "  • 3 authors", "Mar 4 2", "Dec 19, 2023", "Subscribe"]),
            st.builds(lambda w: ("word " * w).strip() + ".", st.integers(0, 120)),
        ),
        max_size=30,
    )
)
def test_never_crashes_and_never_invents_titles(parts):
    text = "\n".join(parts)
    lines = {clean_text(line) for line in text.split("\n")}
    for paper in read_listing(text, ReadContext("fuzz.txt")):
        assert paper.title in lines
        assert paper.title and paper.title.casefold() not in {f.casefold() for f in FURNITURE}


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n"),
        max_size=2000,
    )
)
def test_single_line_text_has_no_papers(text):
    assert list(read_listing(text, ReadContext("one-line.txt"))) == []


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_every_seed_file_is_sniffed_as_listing(name):
    _, report = read_file(SEEDS / name)
    assert report.format == "listing"
