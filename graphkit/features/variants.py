"""Versions and spellings of known names: the folding key of case- and punctuation-insensitive
matching (:func:`fold`), a surface's (name, family) (:func:`_variant`: "GPT-4o" of GPT-4,
"LLaMA-65B" folds onto Llama) and the hyphenated words that make a longer name around a known
one ("CLIP-score") rather than use it ("LoRA-based").
"""

from __future__ import annotations

import functools
import re

from .detect import Detected
from .lexicon import wordset

__all__ = ["fold"]

#: Words after "Name-" that use the name ("LoRA-based") rather than form a longer name.
_ATTRIBUTIVE = wordset(
    """
    based style like free guided driven aware tuned only specific level wise inspired type
    enhanced augmented generated initialized initialised trained pretrained pre-trained
    finetuned fine-tuned compatible friendly related derived supervised conditioned powered
    """
)


# a hyphenated word after a known name ("-score" in "CLIP-score")
_LONGER = re.compile(r"[-‐]([A-Za-z][a-z]+)(?![\w-])")


# where a version or variant part may start: a hyphen or space, a digit after a letter
_VERSION_CUT = re.compile(r"(?<=\w)[-‐ ]|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[a-z])")


def _is_longer_name(text: str, hit: tuple, d: Detected) -> bool:
    """Whether the detected span around a matcher hit is a longer name, not a use of it."""
    tail = text[hit[1] : d.end]
    if tail.startswith(("-", "‐")):
        word = tail[1:].split("-")[0].lower()
        return word not in _ATTRIBUTIVE
    return True


# size, format and release suffixes that fold a surface onto its model ("LLaMA-65B", "-Instruct")
_SIZE_TAIL = re.compile(
    r"(?:[-‐ _](?:\d+(?:\.\d+)?[BbMmKkTt]|[Ii]nstruct|[Cc]hat|[Bb]ase|[Ll]arge|[Ss]mall|[Tt]iny|"
    r"[Mm]ini|[Mm]edium|XX?L|[Hh]f|it|[Ii]nt\d|fp16|bf16|GGUF|AWQ|GPTQ|\d+[Kk]?-?context)|'s|’s|s)+$"
)


@functools.lru_cache(maxsize=65536)
def _variant(canon: str, surface: str) -> tuple[str, str]:
    """(name, family) of a known name written as ``surface``: a version or variant of it that
    is a different artefact ("GPT-4o" of GPT-4, "Llama 3.1 8B" -> "Llama 3.1" of Llama,
    "MMLU-Pro" of MMLU) is named as written without its size suffix, with the known name as its
    family; sizes and spellings ("LLaMA-65B", "LLaMA") fold onto the known name.

    >>> _variant("Llama", "Llama 3.1 8B"), _variant("Llama", "LLaMA-65B"), _variant("GPT-4", "GPT-4o")
    (('Llama 3.1', 'Llama'), ('Llama', ''), ('GPT-4o', 'GPT-4'))
    """
    core = _SIZE_TAIL.sub("", surface).replace("‐", "-").strip(" -")
    fc, fk = fold(core), fold(canon)
    if not core or fc == fk or not fc.startswith(fk) or fold(surface) == fk:
        return canon, ""
    # the part of the surface that spells the known name is written the known way
    n, i = 0, 0
    while i < len(core) and n < len(fk):
        if core[i].isalnum():
            n += 1
        i += 1
    rest = core[i:]
    return (canon + rest if rest[:1] in "- " else canon + rest), canon


_FOLD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=131072)
def fold(name: str) -> str:
    """Lower-case letters and digits of ``name``: the key of case- and punctuation-insensitive
    matching ("LlaMA-2" and "Llama 2" -> "llama2")."""
    return _FOLD.sub("", name.lower())
