"""Known-answer corpora for the combined relatedness weight (hand-written abstracts).

- a paper and its near-duplicate are each other's heaviest neighbour;
- two papers on unrelated topics that share only "GPT-4" get no strong link;
- a small corpus: every paper with an abstract gets neighbours, and a kind that produced no
  edges is explained.
"""

from __future__ import annotations

from graphkit.config import Config
from graphkit.model import Paper
from graphkit.pipeline import build_graph

TOPICS = [
    (
        "Nitrogen fixation by soil bacteria",
        "Rhizobia in legume root nodules fix atmospheric nitrogen; we measure nodule counts and "
        "nitrogenase activity in field soils under drought.",
    ),
    (
        "Force-directed layouts of large graphs",
        "We draw graphs with millions of nodes using a multilevel force-directed layout with "
        "Barnes-Hut approximation of repulsive forces.",
    ),
    (
        "Haploid induction in maize breeding",
        "Haploid inducer lines produce doubled haploids in maize; we map the induction locus and "
        "test inducer crosses in tropical germplasm.",
    ),
    (
        "Coral reef bleaching under heat stress",
        "Marine heatwaves bleach coral reefs; we survey symbiont loss and recovery of reef corals "
        "after repeated thermal stress events.",
    ),
    (
        "Entrepreneurial orientation of small firms",
        "Entrepreneurial orientation and market orientation of mid-sized manufacturing firms shape "
        "new product development performance.",
    ),
    (
        "Extremophile archaea in hot springs",
        "Thermophilic archaea from acidic hot springs survive extreme temperatures; we sequence "
        "their genomes and membrane lipids.",
    ),
    (
        "Pediatric kidney transplantation outcomes",
        "Children receiving kidney transplants show graft survival that depends on donor age and "
        "immunosuppression; we follow a cohort for ten years.",
    ),
    (
        "Bit pattern media for magnetic recording",
        "Bit patterned media store data in lithographically defined magnetic islands; we study "
        "switching field distributions and write synchronisation.",
    ),
]


def _papers(extra: list[tuple[str, str]] = ()) -> list[Paper]:
    rows = TOPICS + list(extra)
    return [Paper(id=f"p{i}", title=t, abstract=a) for i, (t, a) in enumerate(rows)]


def _paper_neighbours(G, node):
    nbrs = [(v, d["weight"]) for v, d in G[node].items() if G.nodes[v]["kind"] == "paper"]
    return sorted(nbrs, key=lambda x: (-x[1], x[0]))


def test_near_duplicate_ranks_first():
    dup = (
        "Nitrogen fixation by rhizobia in soil",
        "Rhizobia in legume root nodules fix atmospheric nitrogen; nodule counts and nitrogenase "
        "activity were measured in field soils under drought stress.",
    )
    papers = _papers([dup])
    G = build_graph(papers, Config()).graph
    dup_id = papers[-1].id
    assert _paper_neighbours(G, "p0")[0][0] == dup_id
    assert _paper_neighbours(G, dup_id)[0][0] == "p0"
    # and it outweighs every other link of p0 clearly
    first, *rest = _paper_neighbours(G, "p0")
    assert all(first[1] > 2 * w for _, w in rest)


def test_sharing_only_gpt4_is_no_strong_link():
    a = (
        "Grading essays with GPT-4",
        "We ask GPT-4 to grade student essays in secondary schools and compare its marks with "
        "those of teachers.",
    )
    b = (
        "Protein folding hypotheses from GPT-4",
        "GPT-4 proposes folding hypotheses for membrane proteins, which we test in molecular "
        "dynamics simulations.",
    )
    papers = _papers([a, b])
    G = build_graph(papers, Config()).graph
    ia, ib = papers[-2].id, papers[-1].id
    w = G.edges[ia, ib]["weight"] if G.has_edge(ia, ib) else 0.0
    dup_weight = 0.5  # what a real topical match weighs (cosine alone, see the test above)
    assert w < dup_weight / 2, G.edges[ia, ib]
    # the shared tool is evidence at most, with a small keyword weight
    if G.has_edge(ia, ib) and G.edges[ia, ib]["w_keyword"]:
        assert G.edges[ia, ib]["w_keyword"] <= 0.2


def test_small_corpus_every_paper_with_abstract_gets_neighbours():
    # six unrelated topics whose abstracts share one closing sentence: weak links, but links
    papers = [
        Paper(id=p.id, title=p.title, abstract=p.abstract + " Samples were collected yearly.")
        for p in _papers()[:6]
    ] + [Paper(id="bare", title="Untitled note")]
    G = build_graph(papers, Config()).graph
    weakest = 1.0
    for p in papers:
        if p.abstract:
            nbrs = _paper_neighbours(G, p.id)
            assert nbrs, p.id
            weakest = min(weakest, max(G.edges[p.id, v]["similarity"] for v, _ in nbrs))
    assert weakest < 0.12  # no absolute cut: a weak best partner is still a partner


def test_summary_explains_an_empty_kind():
    from graphkit.summary import empty_kind_reasons

    papers = _papers()[:5]
    G = build_graph(papers, Config()).graph
    reasons = empty_kind_reasons(G, Config(), papers)
    assert "mention" in reasons and "keyword" in reasons  # unrelated topics, no shared names
    assert "similarity" not in reasons or "share a word" in reasons["similarity"]
