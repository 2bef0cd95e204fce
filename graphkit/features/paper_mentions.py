"""The mentions of one paper: known names the matcher finds, merged with the names the detector
finds, the longest span winning (:class:`MentionFinder`, built by
:class:`~graphkit.features.extractor.FeatureExtractor`'s fit and used by its transform).

A paper mentions each canonical name at most once (its first occurrence, title before abstract)
and never a name it defines itself (canonical names and aliases compared case-insensitively).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Definition, Mention, Paper
from .detect import NameDetector
from .lexicon import Lexicon, is_valid_name
from .mentions import NameMatcher
from .sentences import sentence_spans
from .tex import has_tex, strip_tex
from .variants import _ATTRIBUTIVE, _LONGER, _VERSION_CUT, _is_longer_name, _variant, fold

__all__ = ["MentionFinder", "PaperAnalysis"]


@dataclass(frozen=True, slots=True)
class PaperAnalysis:
    """The per-paper work fit and transform share: definitions, the abstract's local acronyms,
    its sentence spans and its candidate runs (:meth:`.NameDetector.runs`)."""

    defines: tuple[Definition, ...]
    local: dict[str, str]
    spans: list[tuple[int, int]]
    runs: list[tuple[int, int, bool]]


class MentionFinder:
    """Finds a paper's mentions from what the fit learned: ``names`` (the corpus names, by
    canonical name), the lexicon, the matcher over every known surface, the detector, and the
    folded index (``fold(surface)`` -> canonical) and lower-cased aliases of the known names."""

    def __init__(
        self,
        *,
        names: Mapping,
        lexicon: Lexicon,
        matcher: NameMatcher,
        detector: NameDetector,
        folded: dict[str, str],
        aliases: Mapping[str, set[str]],
    ) -> None:
        self.names = names
        self.lexicon = lexicon
        self.matcher = matcher
        self.detector = detector
        self.folded = folded
        self.aliases = aliases

    def source_kind(self, canon: str) -> tuple[str, str]:
        if canon in self.names:
            return "corpus", self.names[canon].kind
        e = self.lexicon.get(canon)
        if e is not None:
            return "lexicon", e.kind
        return "candidate", "method"

    def family(self, name: str) -> str:
        """The known name ``name`` is a version of ("GPT-4o" -> "GPT-4" if known, "MMLU-Pro" ->
        "MMLU", "LlaMA-2" -> "Llama"), or ``name`` itself."""
        cuts = [m.start() for m in _VERSION_CUT.finditer(name)]
        for cut in reversed(cuts):
            canon = self.folded.get(fold(name[:cut]))
            if canon:
                return canon
        return name

    def mentions(self, p: Paper, an: PaperAnalysis) -> tuple[Mention, ...]:
        own = {a.lower() for d in an.defines for a in (d.name, *d.aliases)}
        own.update(d.full_name.lower() for d in an.defines if d.full_name)
        own_folded = {fold(a) for a in own}
        seen: set[str] = set()
        out: list[Mention] = []
        for is_title, text, known_spans in (
            (True, p.title or "", None),
            (False, p.abstract or "", an.spans),
        ):
            hits, spans = self.matcher.find_with_spans(
                text, local_acronyms=an.local, spans=known_spans
            )
            if spans == [] and text:
                spans = list(known_spans) if known_spans is not None else sentence_spans(text)
            found = []
            for h in hits:
                m = _LONGER.match(text, h.end)
                if m and m.group(1).lower() not in _ATTRIBUTIVE and h.name.lower() not in own:
                    # "CLIP-score": a longer name around a known one, which is its family
                    longer = text[h.start : m.end()]
                    found.append((h.start, m.end(), longer, longer, "", h.name))
                    continue
                name, fam = _variant(h.name, h.surface)
                found.append((h.start, h.end, name, h.surface, "", fam))
            found = self._with_detected(text, found, an, is_title, spans)
            starts = [a for a, _ in spans]
            for start, _end, name, surface, kind, family in found:
                if has_tex(name) or has_tex(surface):
                    name, surface = strip_tex(name), strip_tex(surface)
                    if not name or not is_valid_name(name):
                        continue
                if name in seen:
                    continue
                if (
                    name.lower() in own
                    or surface.lower() in own
                    or fold(surface) in own_folded
                    or (self.aliases.get(name, set()) & own)
                ):
                    continue
                source, known_kind = self.source_kind(family or name)
                seen.add(name)
                out.append(
                    Mention(
                        name,
                        surface,
                        _sentence(text, spans, starts, start),
                        kind if source == "candidate" and kind else known_kind,
                        source,
                        family if family and family != name else "",
                    )
                )
        return tuple(out)

    def _with_detected(
        self,
        text: str,
        found: list[tuple[int, int, str, str, str, str]],
        an: PaperAnalysis,
        is_title: bool,
        spans: list[tuple[int, int]],
    ) -> list[tuple[int, int, str, str, str, str]]:
        """Matcher hits merged with detected names, longest span winning: a detected name that
        contains a hit ("CLIP-score" around "CLIP", "Video Swin Transformer" around "Swin
        Transformer") replaces it and keeps the hit's name as its family."""
        runs = None if is_title else an.runs
        surfaces = self.matcher.surfaces
        det = self.detector.detect(
            text, spans=spans, local_acronyms=an.local, title=is_title, runs=runs, skip=surfaces
        )
        if not det:
            return found
        out = list(found)
        for d in det:
            inside = [f for f in out if f[0] < d.end and d.start < f[1]]
            if any(f[0] <= d.start and d.end <= f[1] for f in inside):
                continue  # a known name covers it already
            # (the detector skips known names: ones the matcher's rules turned down here, such
            # as "Gemini" alone, are not reported)
            if inside and not all(
                d.start <= f[0] and f[1] <= d.end and _is_longer_name(text, f, d) for f in inside
            ):
                continue
            canon = self.folded.get(fold(d.name))
            family = self.family(d.name) if canon is None else ""
            if canon is not None:
                canon, family = _variant(canon, d.name)
            if inside:
                family = inside[0][2]
                canon = None
            out = [f for f in out if f not in inside]
            out.append((d.start, d.end, canon or d.name, d.name, d.kind, family))
        out.sort()
        return out


def _sentence(text: str, spans: list[tuple[int, int]], starts: list[int], pos: int) -> str:
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return text.strip()
    a, b = spans[i]
    return text[a:b].strip()
