"""A markdown report of an analysed graph: what is in it, who matters, and the communities.

Sections: corpus summary; the top papers by PageRank and by betweenness, each with why it
matters (its links by kind and how many communities its neighbours span); each community with
its label, size, top papers and most-mentioned methods; the most-mentioned methods overall;
where papers cite each other, the citation sections (:func:`citation_lines`).
Deterministic: ties are broken by node id.  Titles are escaped so that they cannot break a
table or inject HTML.

>>> import networkx as nx
>>> from graphkit.analysis import analyse
>>> G = nx.Graph()
>>> G.add_node("p1", kind="paper", title="Medusa | heads", keyphrases="speculative decoding")
>>> G.add_node("p2", kind="paper", title="EAGLE", keyphrases="speculative decoding")
>>> G.add_edge("p1", "p2", weight=1.0, kinds="keyword")
>>> text = report_markdown(analyse(G))
>>> text.splitlines()[0], "Medusa \\\\| heads" in text
('# Related-work report', True)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import networkx as nx

from .model import EDGE_KINDS
from .schema import LIST_SEP, METHOD, PAPER, REFERENCE

__all__ = ["report_markdown", "escape_md", "method_mentions", "citation_lines"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>#])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_MAX_TITLE = 140


def escape_md(text: Any, *, limit: int = _MAX_TITLE) -> str:
    """One line of text made safe inside a markdown table cell or list item.

    >>> escape_md("A|B <img onerror=x> *bold*\\nnext")
    'A\\\\|B \\\\<img onerror=x\\\\> \\\\*bold\\\\* next'
    """
    one_line = " ".join(_CONTROL.sub(" ", str(text)).split())
    if len(one_line) > limit:
        one_line = one_line[: limit - 1].rstrip() + "…"
    return _MD_SPECIAL.sub(r"\\\1", one_line)


def method_mentions(G: nx.Graph, methods: Sequence[str] | None = None) -> Counter[str]:
    """How many papers mention each method name (method nodes' ``n_mentions`` or paper
    ``mentions``, whichever is larger); restricted to ``methods`` when given.

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", kind="paper", mentions="LoRA; GPTQ")
    >>> G.add_node("b", kind="paper", mentions="LoRA")
    >>> G.add_node("method:LoRA", kind="method", label="LoRA", n_mentions=5)
    >>> method_mentions(G).most_common()
    [('LoRA', 5), ('GPTQ', 1)]
    """
    counts: Counter[str] = Counter()
    for _, data in G.nodes(data=True):
        if data.get("kind", PAPER) == PAPER:
            names = {n.strip() for n in str(data.get("mentions") or "").split(LIST_SEP.strip())}
            counts.update(n for n in names if n)
    for _, data in G.nodes(data=True):
        if data.get("kind") == METHOD and data.get("label"):
            name = str(data["label"])
            counts[name] = max(counts[name], int(data.get("n_mentions") or 0))
    if methods is not None:
        wanted = {m.casefold() for m in methods}
        counts = Counter({k: v for k, v in counts.items() if k.casefold() in wanted})
    return counts


def report_markdown(
    G: nx.Graph,
    *,
    top: int = 15,
    corpus_summary: Mapping[str, Any] | None = None,
    methods: Sequence[str] | None = None,
) -> str:
    """The report as markdown text (run :func:`graphkit.analysis.analyse` on ``G`` first).

    ``corpus_summary`` adds lines to the summary (e.g. input files, papers read, skipped);
    ``methods`` restricts the method lists to these names.
    """
    papers = [n for n, d in G.nodes(data=True) if d.get("kind", PAPER) == PAPER]
    n_methods = sum(1 for _, d in G.nodes(data=True) if d.get("kind") == METHOD)
    kinds = _edge_kind_counts(G)
    labels = _community_labels(G)
    mentions = method_mentions(G, methods)
    lines = ["# Related-work report", "", "## Corpus", ""]
    lines.append(f"- Papers: {len(papers)}")
    lines.append(f"- Method nodes (named methods no paper here introduces): {n_methods}")
    by_kind = ", ".join(f"{k}: {kinds[k]}" for k in _kind_order(kinds))
    lines.append(f"- Edges: {G.number_of_edges()}" + (f" ({by_kind})" if by_kind else ""))
    lines.append(f"- Communities: {len(labels)}")
    if "modularity" in G.graph:
        lines.append(f"- Modularity: {float(G.graph['modularity']):.4f}")
    for key, value in (corpus_summary or {}).items():
        lines.append(f"- {escape_md(key)}: {escape_md(value)}")
    for measure, title, why in (
        ("pagerank", "Most central papers (PageRank)", "linked to by well-linked papers"),
        ("betweenness", "Bridges between topics (betweenness)", "on many shortest paths"),
    ):
        ranked = _ranked(G, papers, measure)[:top]
        lines += ["", f"## {title}", ""]
        if not ranked:
            lines.append("_No papers._")
            continue
        lines.append(f"Papers {why}; *links* counts neighbours by edge kind, *communities* how")
        lines.append("many different communities its neighbours belong to.")
        lines += ["", f"| # | paper | {measure} | degree | links | communities |"]
        lines.append("| ---: | --- | ---: | ---: | --- | ---: |")
        for rank, node in enumerate(ranked, 1):
            data = G.nodes[node]
            lines.append(
                f"| {rank} | {_paper_cell(node, data)} | {float(data.get(measure, 0.0)):.4g} "
                f"| {G.degree(node)} | {_links(G, node)} | {_bridged(G, node)} |"
            )
    lines += ["", "## Communities", ""]
    if not labels:
        lines.append("_No communities (run the analysis first)._")
    groups: dict[int, list[Hashable]] = {c: [] for c in labels}
    for n, data in G.nodes(data=True):
        if data.get("community") in groups:
            groups[data["community"]].append(n)
    for c, label in sorted(labels.items()):
        members = groups[c]
        member_papers = [n for n in members if G.nodes[n].get("kind", PAPER) == PAPER]
        lines.append(f"### Community {c}: {escape_md(label)}")
        lines.append("")
        lines.append(f"- Size: {len(members)} nodes ({len(member_papers)} papers)")
        best = _ranked(G, member_papers, "pagerank")[:3]
        if best:
            lines.append("- Top papers: " + "; ".join(_paper_cell(n, G.nodes[n]) for n in best))
        named = _community_methods(G, members, mentions)
        if named:
            lines.append("- Methods mentioned most: " + ", ".join(named))
        lines.append("")
    if mentions:
        lines += ["## Most-mentioned methods", ""]
        for name, count in sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
            lines.append(f"- {escape_md(name)}: {count} papers")
        lines.append("")
    lines += citation_lines(G, top=top)
    return "\n".join(lines).rstrip("\n") + "\n"


#: Node attribute of PageRank over the directed citations (graphkit.analysis.citations).
_PR_CITES = "pagerank_cites"


def citation_lines(G: nx.Graph, *, top: int = 15) -> list[str]:
    """The citation sections (none for a graph without ``cites`` edges): the most-cited corpus
    papers, the most-cited works missing from the corpus (reference nodes), and the papers
    citing the most of the corpus, and (after analysis) the most central works by PageRank over
    the directed citations (``pagerank_cites``).

    >>> G = nx.Graph()
    >>> G.add_node("a", kind="paper", title="A"); G.add_node("b", kind="paper", title="B")
    >>> G.add_node("reference:doi:10.1/x", kind="reference", label="doi:10.1/x", n_citing=2)
    >>> G.add_edge("a", "b", kinds="cites", cites_from="a")
    >>> G.add_edge("a", "reference:doi:10.1/x", kinds="cites", cites_from="a")
    >>> print("\\n".join(citation_lines(G)))  # doctest: +NORMALIZE_WHITESPACE
    <BLANKLINE>
    ## Citations
    <BLANKLINE>
    1 citation(s) between corpus papers; 1 works missing from the corpus but cited by several
    of its papers (reference nodes).
    <BLANKLINE>
    ### Most-cited papers in the corpus
    <BLANKLINE>
    - B: cited by 1 corpus paper(s)
    <BLANKLINE>
    ### Most-cited prior works missing from the corpus
    <BLANKLINE>
    - doi:10.1/x: cited by 2 corpus paper(s)
    <BLANKLINE>
    ### Papers citing the most of the corpus
    <BLANKLINE>
    - A: cites 1 corpus paper(s)
    """
    cited: Counter[Hashable] = Counter()
    citing: Counter[Hashable] = Counter()
    for u, v, frm in G.edges(data="cites_from", default=""):
        for src in (x for x in str(frm).split(LIST_SEP) if x):
            dst = v if str(u) == src else u
            if G.nodes[dst].get("kind", PAPER) == PAPER:
                cited[dst] += 1
                citing[src] += 1
    missing = [
        (int(d.get("n_citing") or 0), str(n), d)
        for n, d in G.nodes(data=True)
        if d.get("kind") == REFERENCE
    ]
    if not cited and not missing:
        return []
    lines = ["", "## Citations", ""]
    lines.append(
        f"{sum(cited.values())} citation(s) between corpus papers; {len(missing)} works "
        "missing from the corpus but cited by several of its papers (reference nodes)."
    )

    def ranked(counts: Counter[Hashable]) -> list[tuple[Hashable, int]]:
        return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]

    if cited:
        lines += ["", "### Most-cited papers in the corpus", ""]
        for node, n in ranked(cited):
            lines.append(f"- {_paper_cell(node, G.nodes[node])}: cited by {n} corpus paper(s)")
    if missing:
        lines += ["", "### Most-cited prior works missing from the corpus", ""]
        for n, node, d in sorted(missing, key=lambda t: (-t[0], t[1]))[:top]:
            lines.append(f"- {escape_md(d.get('label') or node)}: cited by {n} corpus paper(s)")
    if citing:
        lines += ["", "### Papers citing the most of the corpus", ""]
        for node, n in ranked(citing):
            lines.append(f"- {_paper_cell(node, G.nodes[node])}: cites {n} corpus paper(s)")
    central = sorted(
        ((float(d[_PR_CITES]), str(n), n, d) for n, d in G.nodes(data=True) if _PR_CITES in d),
        key=lambda t: (-t[0], t[1]),
    )[:top]
    if central:
        lines += ["", "### Most central works in the citation graph (PageRank over citations)", ""]
        lines.append("Rank flows from each citing paper to the works it cites (missing prior works")
        lines.append("included): a work cited by well-cited papers ranks high.")
        lines.append("")
        for value, _, node, d in central:
            where = (
                f"{escape_md(d.get('label') or node)} (missing from the corpus)"
                if d.get("kind") == REFERENCE
                else _paper_cell(node, d)
            )
            n = cited.get(node, 0) if d.get("kind") != REFERENCE else int(d.get("n_citing") or 0)
            lines.append(f"- {where}: PageRank {value:.4f}, cited by {n} corpus paper(s)")
    return lines


def _kind_order(kinds: Counter[str]) -> list[str]:
    known = [k for k in EDGE_KINDS if kinds[k]]
    return known + sorted(k for k in kinds if k not in EDGE_KINDS)


def _edge_kind_counts(G: nx.Graph) -> Counter[str]:
    """How many edges have each kind; the few distinct ``kinds`` texts are split once each."""
    texts = Counter(str(kinds or "") for _, _, kinds in G.edges(data="kinds"))
    counts: Counter[str] = Counter()
    for text, n in texts.items():
        for kind in _kinds({"kinds": text}):
            counts[kind] += n
    return counts


def _kinds(data: Mapping[str, Any]) -> list[str]:
    return sorted({k.strip() for k in str(data.get("kinds") or "").split(";") if k.strip()})


def _community_labels(G: nx.Graph) -> dict[int, str]:
    labels: dict[int, str] = {}
    for _, data in G.nodes(data=True):
        c = data.get("community")
        if isinstance(c, int) and not isinstance(c, bool):
            labels.setdefault(c, str(data.get("community_label") or f"community {c}"))
    return labels


def _ranked(G: nx.Graph, nodes: list[Hashable], measure: str) -> list[Hashable]:
    return sorted(nodes, key=lambda n: (-float(G.nodes[n].get(measure, 0.0) or 0.0), str(n)))


def _paper_cell(node: Hashable, data: Mapping[str, Any]) -> str:
    title = escape_md(data.get("title") or data.get("label") or node)
    short = str(data.get("short_name") or "")
    if short and short.casefold() not in title.casefold():
        title = f"{title} [{escape_md(short, limit=40)}]"  # beside the real title, never fused
    year = data.get("year")
    return f"{title} ({year})" if isinstance(year, int) and not isinstance(year, bool) else title


def _links(G: nx.Graph, node: Hashable) -> str:
    counts: Counter[str] = Counter()
    for _, _, data in G.edges(node, data=True):
        counts.update(_kinds(data))
    return ", ".join(f"{counts[k]} {k}" for k in _kind_order(counts)) or "—"


def _bridged(G: nx.Graph, node: Hashable) -> int:
    return len({G.nodes[v].get("community") for v in G[node] if "community" in G.nodes[v]})


def _community_methods(G: nx.Graph, members: list[Hashable], mentions: Counter[str]) -> list[str]:
    counts: Counter[str] = Counter()
    inside = set(members)
    method_nodes = []
    for n in members:
        data = G.nodes[n]
        if data.get("kind") == METHOD and data.get("label"):
            method_nodes.append(n)
        else:
            names = {x.strip() for x in str(data.get("mentions") or "").split(";") if x.strip()}
            counts.update(x for x in names if x in mentions)
    for n in method_nodes:  # papers linked to a method node count even without a mentions attr
        name = str(G.nodes[n]["label"])
        if mentions and name not in mentions:
            continue
        counts[name] = max(counts[name], sum(1 for v in G[n] if v in inside))
    counts = +counts
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return [f"{escape_md(name, limit=60)} ({count})" for name, count in ranked]
