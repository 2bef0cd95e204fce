"""Mention edges: A names B's method → A→B; names nobody defines become method nodes."""

from __future__ import annotations

from dataclasses import dataclass

from tiny_corpus import load_tiny

from graphkit.edges import mention_edges
from graphkit.model import METHOD_PREFIX, Definition, Mention, Paper, PaperFeatures


@dataclass(frozen=True)
class Entry:
    name: str
    full_name: str
    kind: str
    aliases: tuple[str, ...] = ()
    reference: str = ""
    arxiv_id: str = ""


class FakeLexicon:
    entries = {
        "LoRA": Entry("LoRA", "Low-Rank Adaptation", "method", reference="Hu et al. 2021"),
        "GPTQ": Entry("GPTQ", "GPT Quantization", "method", arxiv_id="2210.17323"),
    }

    def get(self, name: str) -> Entry | None:
        return self.entries.get(name)


def test_tiny_corpus_edges():
    papers, feats = load_tiny()
    edges, nodes = mention_edges(papers, feats)
    got = [(e.source, e.target, e.terms, e.weight) for e in edges]
    assert got == [
        ("p1", "method:GPTQ", ("GPTQ",), 1.0),
        ("p2", "p1", ("SpQR",), 1.0),
        ("p2", "method:GPTQ", ("GPTQ",), 1.0),
        ("p4", "method:LoRA", ("LoRA",), 1.0),
        ("p5", "p3", ("PEARL",), 1.0),  # two papers define PEARL: the earliest is its definer
        ("p5", "method:LoRA", ("LoRA",), 1.0),
    ]
    for e in edges:
        assert e.kind == "mention" and e.directed
        assert e.evidence and e.terms[0] in e.evidence
    assert edges[1].evidence == "Unlike SpQR, OWQ keeps a few weak columns in high precision."
    assert list(nodes) == ["method:GPTQ", "method:LoRA"]  # Foo: one candidate mention only
    assert nodes["method:LoRA"] == {
        "kind": "method",
        "label": "LoRA",
        "title": "LoRA",
        "method_kind": "method",
        "reference": "",
        "n_mentions": 2,
    }


def test_lexicon_fills_method_nodes():
    papers, feats = load_tiny()
    _, nodes = mention_edges(papers, feats, lexicon=FakeLexicon())
    assert nodes["method:LoRA"]["title"] == "Low-Rank Adaptation"
    assert nodes["method:LoRA"]["reference"] == "Hu et al. 2021"
    assert nodes["method:GPTQ"]["reference"] == "arXiv:2210.17323"


def test_method_nodes_off():
    papers, feats = load_tiny()
    edges, nodes = mention_edges(papers, feats, method_nodes=False)
    assert nodes == {}
    assert all(not e.target.startswith(METHOD_PREFIX) for e in edges)
    assert len(edges) == 2


def test_candidate_needs_two_papers():
    papers = [Paper(id="a", title="a"), Paper(id="b", title="b")]
    one = [
        PaperFeatures("a", mentions=(Mention("Zork", "Zork", "Zork helps.", source="candidate"),)),
        PaperFeatures("b"),
    ]
    assert mention_edges(papers, one) == ([], {})
    two = [
        one[0],
        PaperFeatures("b", mentions=(Mention("ZORK", "ZORK", "ZORK too.", "method", "candidate"),)),
    ]
    edges, nodes = mention_edges(papers, two)
    assert len(edges) == 2 and len(nodes) == 1
    assert nodes[next(iter(nodes))]["n_mentions"] == 2


def test_self_definition_and_aliases():
    papers = [Paper(id="a", title="a"), Paper(id="b", title="b")]
    feats = [
        PaperFeatures(
            "a",
            defines=(Definition("PEARL", aliases=("Parallel Speculative Decoding",)),),
            mentions=(Mention("PEARL", "PEARL", "PEARL is ours."),),
        ),
        PaperFeatures(
            "b",
            mentions=(
                Mention(
                    "parallel speculative decoding", "parallel speculative decoding", "We use it."
                ),
            ),
        ),
    ]
    edges, nodes = mention_edges(papers, feats)
    assert [(e.source, e.target) for e in edges] == [("b", "a")]
    assert nodes == {}


def test_one_edge_per_name_first_sentence():
    papers = [Paper(id="a", title="a"), Paper(id="b", title="b")]
    feats = [
        PaperFeatures("a", defines=(Definition("SpQR"),)),
        PaperFeatures(
            "b",
            mentions=(Mention("SpQR", "SpQR", "First."), Mention("spqr", "spqr", "Second.")),
        ),
    ]
    edges, _ = mention_edges(papers, feats)
    assert [e.evidence for e in edges] == ["First."]


def test_deterministic():
    papers, feats = load_tiny()
    assert mention_edges(papers, feats) == mention_edges(papers, feats)
