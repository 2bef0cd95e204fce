"""LaTeX markup out of names, labels and titles: ``strip_tex``, with pylatexenc.

Titles and abstracts from arXiv and publishers carry TeX (``$\\textbf{ADR}$``,
``\\textsc{Hydra}``, ``{\\em Foo}Net``, ``50\\%``).  :func:`strip_tex` turns such a string into
plain text with pylatexenc's ``LatexNodes2Text`` (macros with a text argument keep the
argument, accents become Unicode, math is kept as its text, unknown macros such as
``\\ModelName`` are dropped); a string without ``\\``, ``$``, ``{`` or ``}`` is returned
unchanged without parsing.  Broken TeX that pylatexenc cannot parse falls back to deleting the
markup characters.  Whitespace is collapsed.

>>> strip_tex(r"$\\textbf{ADR}$: Adaptive {\\em Dense} Retrieval"), strip_tex(r"\\textbf{CSS-GR")
('ADR: Adaptive Dense Retrieval', 'CSS-GR')
>>> strip_tex("SpQR: plain titles pass through")
'SpQR: plain titles pass through'
"""

from __future__ import annotations

import functools
import logging

from pylatexenc.latex2text import LatexNodes2Text

__all__ = ["strip_tex", "has_tex"]

log = logging.getLogger(__name__)

_MARKUP = frozenset("\\${}")
_FALLBACK = str.maketrans("", "", "\\${}")
_L2T = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def has_tex(text: str) -> bool:
    """Whether ``text`` contains a TeX markup character (``\\``, ``$``, ``{``, ``}``)."""
    return not _MARKUP.isdisjoint(text)


@functools.lru_cache(maxsize=4096)
def strip_tex(text: str) -> str:
    """``text`` without LaTeX markup (module doc)."""
    if not text or not has_tex(text):
        return text
    try:
        out = _L2T.latex_to_text(text)
    except Exception as exc:  # pylatexenc raises assorted errors on broken TeX
        log.debug("cannot parse TeX in %r: %s", text[:80], exc)
        out = text.translate(_FALLBACK)
    if has_tex(out):
        out = out.translate(_FALLBACK)
    return " ".join(out.split())
