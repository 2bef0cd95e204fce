"""The optional embeddings path (`build --embeddings MODEL`) with a tiny model built here.

The model is a sentence-transformers StaticEmbedding over a word-level tokenizer made from the
test corpus' own words, saved to a temporary folder: no download.  Skipped (with the reason)
where the ``embeddings`` extra is not installed, which is the default for ``make test``
(torch from PyPI is several GB of CUDA wheels; see README "Embeddings").
"""

from __future__ import annotations

import builtins
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.errors import GraphkitError

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests/data/ingest/arxiv-50.jsonl"


def test_without_the_extra_embeddings_fail_with_a_one_line_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_import = builtins.__import__

    def no_st(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if name.startswith("sentence_transformers"):
            raise ImportError("No module named 'sentence_transformers'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_st)
    r = CliRunner().invoke(
        cli, ["-q", "build", str(CORPUS), "-o", str(tmp_path), "--embeddings", "some-model"]
    )
    assert r.exit_code != 0 and "Traceback" not in r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "pip install 'graphkit[embeddings]'" in lines[0]
    assert not list(tmp_path.iterdir()), "nothing written"


st = pytest.importorskip(
    "sentence_transformers",
    reason="the embeddings extra is not installed (pip install 'graphkit[embeddings]')",
)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.normalizers import Lowercase
    from tokenizers.pre_tokenizers import Whitespace

    try:
        from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import StaticEmbedding

    words = sorted(set(re.findall(r"\w+", CORPUS.read_text(encoding="utf-8").lower())))
    vocab = {w: i for i, w in enumerate(["[UNK]", *words])}
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = Lowercase()
    tok.pre_tokenizer = Whitespace()
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(len(vocab), 16)).astype(np.float32)
    model = SentenceTransformer(
        modules=[StaticEmbedding(tok, embedding_weights=weights)], device="cpu"
    )
    folder = tmp_path_factory.mktemp("tiny-model")
    model.save(str(folder))
    return folder


def test_embed_texts_caches_by_text_hash(tiny_model: Path, tmp_path: Path, monkeypatch) -> None:
    from graphkit import embeddings

    texts = ["speculative decoding with draft models", "graph layouts at scale"]
    E = embeddings.embed_texts(texts, str(tiny_model), cache_dir=tmp_path)
    assert E.shape == (2, 16)
    assert np.allclose(np.linalg.norm(E, axis=1), 1.0, atol=1e-5)
    assert len(list(tmp_path.glob("*.npz"))) == 1

    def no_model(name):  # noqa: ANN001, ANN202
        raise AssertionError("cached texts must not load the model")

    monkeypatch.setattr(embeddings, "load_model", no_model)
    again = embeddings.embed_texts(texts[::-1], str(tiny_model), cache_dir=tmp_path)
    assert np.array_equal(again, E[::-1])


def test_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    from graphkit.embeddings import load_model

    with pytest.raises(GraphkitError, match="neither a model folder nor in the local cache"):
        load_model(str(tmp_path / "no-such-model"))


def test_build_with_embeddings_writes_them_into_the_index(tiny_model: Path, tmp_path: Path) -> None:
    from graphkit.index import INDEX_NAME, load_index
    from graphkit.query import related

    out = tmp_path / "out"
    args = ["-q", "build", str(CORPUS), "-o", str(out), "--formats", "json,index"]
    args += ["--embeddings", str(tiny_model), "--embeddings-cache", str(tmp_path / "cache")]
    r = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    index = load_index(out / INDEX_NAME)
    assert index.embeddings is not None and index.embeddings.shape == (index.n_papers, 16)
    assert index.embedding_model == str(tiny_model)
    res = related(index, index.ids[0], limit=5)
    assert len(res.neighbours) == 5
    assert all("embedding" in dict(n.scores) for n in res.neighbours)
    assert any(r.startswith("embedding cosine") for n in res.neighbours for r in n.reasons)
    first = (out / INDEX_NAME).read_bytes()
    r = CliRunner().invoke(cli, args, catch_exceptions=False)  # rebuild: from the cache, same bytes
    assert (out / INDEX_NAME).read_bytes() == first
