"""The method table behind ``graphkit methods``: every named method, who introduces it, who
mentions it, with the evidence sentences.

>>> from graphkit.model import Paper
>>> ps = [Paper(id="a", title="SpQR: A Sparse-Quantized Representation", abstract="We beat GPTQ."),
...       Paper(id="b", title="Study", abstract="SpQR and GPTQ are compared.")]
>>> from graphkit.features import FeatureExtractor
>>> rows = method_table(ps, FeatureExtractor(min_keyphrases=0).fit_transform(ps))
>>> [(r.name, r.introduced_by, r.mentioned_by) for r in rows]
[('GPTQ', (), ('a', 'b')), ('SpQR', ('a',), ('b',))]
>>> rows[0].reference
'GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Paper, PaperFeatures
from .lexicon import Lexicon, load_lexicon

__all__ = ["MethodRow", "method_table"]


@dataclass(frozen=True, slots=True)
class MethodRow:
    """One named method/model/dataset: who defines it in the corpus, who mentions it, and where.

    ``reference`` is the lexicon's introducing paper (filled when no corpus paper defines it);
    ``evidence`` holds one ``(paper id, sentence)`` per mentioning paper.
    """

    name: str
    kind: str = "method"
    full_name: str = ""
    introduced_by: tuple[str, ...] = ()
    reference: str = ""
    mentioned_by: tuple[str, ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()

    @property
    def n_mentions(self) -> int:
        """How many papers mention the name."""
        return len(self.mentioned_by)


def method_table(
    papers: Sequence[Paper],
    feats: Sequence[PaperFeatures],
    *,
    lexicon: Lexicon | None = None,
    min_mentions: int = 1,
) -> list[MethodRow]:
    """One row per name mentioned by at least ``min_mentions`` papers (defined-only names with
    ``min_mentions=0``), sorted by the number of mentioning papers (descending), then name.

    Names are canonical (the extractor's): a corpus definition that is also a lexicon name joins
    the lexicon row, and a mention of a version ("Llama 3.1", family "Llama") counts for its
    family.
    """
    lex = lexicon if lexicon is not None else load_lexicon()
    known_ids = {p.id for p in papers}
    introduced: dict[str, set[str]] = defaultdict(set)
    full: dict[str, str] = {}
    kinds: dict[str, str] = {}
    mentioned: dict[str, dict[str, str]] = defaultdict(dict)
    for f in feats:
        for d in f.defines:
            canon = lex.resolve(d.name) or d.name
            introduced[canon].add(f.paper_id)
            if d.full_name:
                full.setdefault(canon, d.full_name)
        for m in f.mentions:
            key = m.family or m.name  # versions ("Llama 3.1") count for their family
            mentioned[key].setdefault(f.paper_id, m.sentence)
            kinds.setdefault(key, m.kind)
    names = set(mentioned) | (set(introduced) if min_mentions <= 0 else set())
    rows = []
    for name in names:
        ev = mentioned.get(name, {})
        if len(ev) < min_mentions:
            continue
        entry = lex.get(name)
        intro = tuple(sorted(i for i in introduced.get(name, ()) if i in known_ids))
        rows.append(
            MethodRow(
                name=name,
                kind=entry.kind if entry else kinds.get(name, "method"),
                full_name=(entry.full_name if entry and entry.full_name != name else "")
                or full.get(name, ""),
                introduced_by=intro,
                reference="" if intro or entry is None else entry.reference,
                mentioned_by=tuple(sorted(ev)),
                evidence=tuple(sorted(ev.items())),
            )
        )
    rows.sort(key=lambda r: (-r.n_mentions, r.name))
    return rows
