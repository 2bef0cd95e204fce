"""graphkit: turn a pile of research papers into an explainable related-work map."""

from graphkit import native as _native

__version__ = "0.1.0"

# compiled copies of the hot modules where `make native` built them and their sources are
# unchanged (graphkit/native.py); everything else, and everything under GRAPHKIT_PURE=1, from source
_native.install()
