"""Shared test set-up: make the helper modules in tests/ importable (pytest runs with
--import-mode=importlib, which does not put this folder on sys.path)."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

# Property tests draw the same examples on every run (CI must not go red by chance); set
# GRAPHKIT_HYPOTHESIS_EXPLORE=1 to let hypothesis search new examples while developing.
import os  # noqa: E402

from hypothesis import settings  # noqa: E402

settings.register_profile("reproducible", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile("explore" if os.environ.get("GRAPHKIT_HYPOTHESIS_EXPLORE") else "reproducible")
