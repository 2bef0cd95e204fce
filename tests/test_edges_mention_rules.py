"""Mention edges point only to a paper that introduces the name."""

from __future__ import annotations

from types import SimpleNamespace

from graphkit.edges import mention_edges
from graphkit.model import Definition, Mention, Paper, PaperFeatures


class _Lexicon:
    def __init__(self, entries):
        self._e = {k.casefold(): SimpleNamespace(**v) for k, v in entries.items()}

    def get(self, name):
        return self._e.get(name.casefold())


def _m(name, year_text="We use it."):
    return Mention(name, name, f"{name}: {year_text}", kind="benchmark")


def test_title_about_a_known_benchmark_does_not_define_it():
    papers = [
        Paper(id="a", title="TREC: lessons from a decade of evaluation", year=2021),
        Paper(id="b", title="Dense retrieval", year=2022),
    ]
    feats = [
        PaperFeatures("a", defines=(Definition("TREC", how="title"),)),
        PaperFeatures("b", mentions=(_m("TREC"),)),
    ]
    lex = _Lexicon({"TREC": {"full_name": "Text REtrieval Conference", "kind": "benchmark",
                             "reference": "", "arxiv_id": ""}})  # fmt: skip
    edges, nodes = mention_edges(papers, feats, lexicon=lex)
    assert [(e.source, e.target) for e in edges] == [("b", "method:TREC")]
    # without the lexicon the title claim stands
    edges, _ = mention_edges(papers, feats)
    assert [(e.source, e.target) for e in edges] == [("b", "a")]


def test_the_lexicon_s_own_paper_keeps_its_definition():
    papers = [
        Paper(id="arxiv:2106.09685", title="LoRA: low-rank adaptation", arxiv_id="2106.09685"),
        Paper(id="b", title="Adapters"),
    ]
    feats = [
        PaperFeatures(papers[0].id, defines=(Definition("LoRA", how="title"),)),
        PaperFeatures("b", mentions=(_m("LoRA"),)),
    ]
    lex = _Lexicon({"LoRA": {"full_name": "", "kind": "method", "reference": "",
                             "arxiv_id": "2106.09685"}})  # fmt: skip
    edges, _ = mention_edges(papers, feats, lexicon=lex)
    assert [(e.source, e.target) for e in edges] == [("b", papers[0].id)]


def test_earliest_claimant_wins_and_older_mentions_void_a_claim():
    papers = [
        Paper(id="new", title="PEARL again", year=2023),
        Paper(id="old", title="PEARL", year=2020),
        Paper(id="user", title="Uses PEARL", year=2024),
    ]
    feats = [
        PaperFeatures("new", defines=(Definition("PEARL", how="acronym"),)),
        PaperFeatures("old", defines=(Definition("PEARL", how="acronym"),)),
        PaperFeatures("user", mentions=(_m("PEARL"),)),
    ]
    edges, _ = mention_edges(papers, feats)
    assert [(e.source, e.target, e.weight) for e in edges] == [("user", "old", 1.0)]

    # a name two clearly older papers already mention was not introduced by its claimant
    papers = [
        Paper(id="c", title="Claims FooNet", year=2020),
        Paper(id="o1", title="Uses FooNet", year=2015),
        Paper(id="o2", title="Uses FooNet too", year=2016),
    ]
    feats = [
        PaperFeatures("c", defines=(Definition("FooNet", how="title"),)),
        PaperFeatures("o1", mentions=(_m("FooNet"),)),
        PaperFeatures("o2", mentions=(_m("FooNet"),)),
    ]
    edges, nodes = mention_edges(papers, feats)
    assert {e.target for e in edges} == {"method:FooNet"}
    assert nodes["method:FooNet"]["n_mentions"] == 2


def test_a_name_most_papers_mention_makes_light_links():
    n = 40
    papers = [Paper(id=f"p{i}", title=f"Paper {i}") for i in range(n)]
    feats = [
        PaperFeatures(f"p{i}", mentions=(_m("GPT-4"),) + ((_m("RareBench"),) if i < 2 else ()))
        for i in range(n)
    ]
    edges, _ = mention_edges(papers, feats)
    w = {e.target: e.weight for e in edges}
    assert w["method:RareBench"] == 1.0
    assert w["method:GPT-4"] <= 0.05
