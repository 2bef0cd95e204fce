"""graphkit: turn a pile of research papers into an explainable related-work map."""

__version__ = "0.1.0"
