"""Where the tests find the shared data (the 74k arXiv corpus, citebench, fixtures): ``../shared``
beside the repository, or the folder ``GRAPHKIT_SHARED`` names.  Tests that need it skip when it
is absent."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHKIT_SHARED") or REPO.parent / "shared")
