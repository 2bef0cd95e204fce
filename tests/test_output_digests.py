"""Every output file is byte-identical to the stored digests (see tests/output_digests.py).

The seeds build is fast; the 10,000-paper slice is ``slow`` and is also built with two
processes (spawned similarity, forked analysis and XML writers), which must give the same bytes.
"""

from __future__ import annotations

import pytest
from output_digests import CITEBENCH, CORPUS, build, stored


def _differences(got: dict[str, str], want: dict[str, str]) -> list[str]:
    return sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))


def test_seed_outputs_identical_to_stored_digests(tmp_path) -> None:
    want = stored()["seeds"]
    got = build("seeds", tmp_path)
    assert not _differences(got, want), (
        f"changed: {_differences(got, want)}; if intended, run "
        "`python tests/output_digests.py --regenerate seeds` and say so in the commit"
    )


@pytest.mark.skipif(not CITEBENCH.exists(), reason="shared citation fixture not present")
def test_citation_fixture_outputs_identical_to_stored_digests(tmp_path) -> None:
    want = stored()["citebench"]
    got = build("citebench", tmp_path)
    assert not _differences(got, want), (
        f"changed: {_differences(got, want)}; if intended, run "
        "`python tests/output_digests.py --regenerate citebench` and say so in the commit"
    )


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
@pytest.mark.parametrize("workers", [1, 2])
def test_10k_slice_outputs_identical_to_stored_digests(tmp_path, workers) -> None:
    want = stored()["arxiv10k"]
    got = build("arxiv10k", tmp_path, workers=workers)
    assert not _differences(got, want), (
        f"changed: {_differences(got, want)}; if intended, run "
        "`python tests/output_digests.py --regenerate arxiv10k` and say so in the commit"
    )
