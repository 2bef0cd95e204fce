"""Feature stage: names papers define, names they mention, and their key phrases.

>>> from graphkit.features import FeatureExtractor, load_lexicon
>>> load_lexicon().resolve("LLaMA")
'Llama'
"""

from __future__ import annotations

from .extractor import FeatureExtractor
from .keyphrases import KeyphraseExtractor
from .lexicon import Lexicon, LexiconEntry, load_lexicon
from .mentions import NameMatcher
from .methods import MethodRow, method_table
from .names import extract_definitions

__all__ = [
    "FeatureExtractor",
    "KeyphraseExtractor",
    "Lexicon",
    "LexiconEntry",
    "load_lexicon",
    "NameMatcher",
    "MethodRow",
    "method_table",
    "extract_definitions",
]
