"""``related.npz`` on disk: writing an index deterministically and opening it again as one
memory map (strings stay packed until read).

The file is one uncompressed zip of ``.npy`` arrays (what :func:`numpy.load` reads), with fixed
member timestamps so identical builds give identical bytes."""

from __future__ import annotations

import io
import mmap
import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from ..errors import GraphFileError, GraphkitError
from ..fileio import atomic_writer
from .build import build_index
from .csr import Csr
from .records import RelatedIndex, TextModel

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

__all__ = [
    "INDEX_NAME",
    "FORMAT_VERSION",
    "Strings",
    "index_bytes",
    "write_index",
    "write_related_index",
    "open_index",
    "index_path_for",
    "load_index",
]

#: File name of the index inside an output folder.
INDEX_NAME = "related.npz"
#: Bumped whenever the arrays change meaning; older files are refused with a rebuild hint.
FORMAT_VERSION = 3
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------------------------------------
# reading and writing
# ---------------------------------------------------------------------------------------------


class Strings(Sequence[str]):
    """A column of strings kept as one UTF-8 blob (``"\\x00"``-separated) and the start of each
    string, decoded only when read: a 100k-paper index opens without building a million Python
    strings (the vocabulary, the titles, the edge kinds), and bisect works on it directly."""

    __slots__ = ("_blob", "_off")

    def __init__(self, blob: Any, offsets: np.ndarray) -> None:
        self._blob = blob
        self._off = offsets

    def __len__(self) -> int:
        return max(0, len(self._off) - 1)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return bytes(self._blob[int(self._off[i]) : int(self._off[i + 1]) - 1]).decode("utf-8")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Strings({len(self)} strings)"

    def tolist(self) -> list[str]:
        """All strings at once (one decode and split)."""
        if not len(self):
            return []
        return bytes(self._blob[: int(self._off[-1]) - 1]).decode("utf-8").split("\x00")


def _pack(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``strings`` as (blob, offsets): string ``i`` is ``blob[off[i] : off[i + 1] - 1]``."""
    enc = [str(x).encode("utf-8") for x in strings]
    offsets = np.zeros(len(enc) + 1, np.int64)
    if enc:
        offsets[1:] = np.cumsum(np.fromiter((len(b) + 1 for b in enc), np.int64, len(enc)))
    return np.frombuffer(b"\x00".join(enc), dtype=np.uint8), offsets


#: String columns: ``(name, decoded at load)``; the others stay :class:`Strings`.
_STRINGS = (
    ("ids", True),
    ("labels", False),
    ("titles", False),
    ("kinds", False),
    ("dois", True),
    ("arxiv", True),
    ("name_keys", False),
    ("title_keys", False),
    ("terms", False),
    ("author_keys", False),
    ("edge_kinds", False),
    ("cite_fwd", False),
    ("cite_back", False),
)


def _index_dtype(m: sp.csr_matrix | Csr) -> type:
    """int32 for the indices and indptr of ``m`` when they fit, else int64 (both the same, so
    scipy takes the loaded arrays as they are, without a copy)."""
    return np.int32 if max(m.nnz, *m.shape) < 2**31 - 1 else np.int64


def index_bytes(index: RelatedIndex) -> bytes:
    """The bytes of ``related.npz`` (deterministic: fixed timestamps, fixed member order)."""
    meta = {
        "format": "graphkit-related-index",
        "version": FORMAT_VERSION,
        "n_nodes": index.n_nodes,
        "n_papers": index.n_papers,
        "n_terms": len(index.terms),
        "n_edges": len(index.edge_kinds),
        "n_authors": len(index.author_keys),
        "n_cites": len(index.cite_edges),
        "options": index.options,
        "embedding_model": index.embedding_model,
    }
    arrays: dict[str, np.ndarray] = {
        "meta": np.frombuffer(orjson.dumps(meta, option=orjson.OPT_SORT_KEYS), np.uint8)
    }
    for name, _ in _STRINGS:
        arrays[name], arrays[f"{name}_offsets"] = _pack(getattr(index, name))
    arrays["years"] = np.asarray(index.years, np.int32)
    arrays["name_nodes"] = np.asarray(index.name_nodes, np.int32)
    arrays["title_nodes"] = np.asarray(index.title_nodes, np.int32)
    arrays["idf"] = np.asarray(index.idf, np.float32)
    for name in ("X", "authors", "adj"):
        m = getattr(index, name)
        dt = _index_dtype(m)
        arrays[f"{name}_data"] = np.asarray(m.data, np.float32)
        arrays[f"{name}_indices"] = np.asarray(m.indices, dt)
        arrays[f"{name}_indptr"] = np.asarray(m.indptr, dt)
        arrays[f"{name}_shape"] = np.asarray(m.shape, np.int64)
    arrays["adj_edge"] = np.asarray(index.adj_edge, np.int32)
    arrays["cite_edges"] = np.asarray(index.cite_edges, np.int32)
    arrays["cite_dir"] = np.asarray(index.cite_dir, np.int8)
    arrays["reasons"] = np.frombuffer(bytes(index.reasons_blob), np.uint8)
    arrays["reasons_offsets"] = np.asarray(index.reasons_offsets, np.int64)
    if index.edge_sim is not None:
        arrays["edge_sim"] = np.asarray(index.edge_sim, np.float32)
    if len(index.venues):  # only in a corpus with venues: other indexes keep their bytes
        arrays["venue_ids"] = np.asarray(index.venue_ids, np.int32)
        arrays["venues"], arrays["venues_offsets"] = _pack(index.venues)
    if len(index.cited_by):  # only in a corpus with citation counts
        arrays["cited_by"] = np.asarray(index.cited_by, np.int32)
    if index.lsa is not None:
        arrays["lsa"] = np.asarray(index.lsa, np.float16)
    if index.embeddings is not None:
        arrays["embeddings"] = np.asarray(index.embeddings, np.float16)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, arr in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arr), allow_pickle=False)
            zf.writestr(info, member.getvalue())
    return buf.getvalue()


def write_index(index: RelatedIndex, path: str | Path) -> Path:
    """Write ``index`` to ``path`` atomically; returns the path."""
    with atomic_writer(path) as fh:
        fh.write(index_bytes(index))
    return Path(path)


def write_related_index(
    G: nx.Graph, path: str | Path, *, text: TextModel | None = None, config: Any = None
) -> Path:
    """Index ``G`` (with the build's ``text`` model; embeddings when ``config.embeddings``
    names a model) and write it to ``path``: the pipeline's writer for the ``index`` format."""
    embeddings, model = None, ""
    if config is not None and getattr(config, "embeddings", ""):
        from ..embeddings import paper_embeddings  # noqa: PLC0415

        model = str(config.embeddings)
        embeddings = paper_embeddings(G, model, cache_dir=config.embeddings_cache or None)
    return write_index(build_index(G, text, embeddings=embeddings, embedding_model=model), path)


def open_index(graph_json: str | Path) -> tuple[RelatedIndex, str]:
    """The index of a build (its folder or graph.json) and a note ('' when all is well).

    Without one (a graph.json from an older build, or built without the ``index`` format)
    the graph is read and indexed in memory, slower, and the note says how to fix that.
    """
    given = Path(graph_json)
    path = given / INDEX_NAME if given.is_dir() else index_path_for(given)
    if path.is_file():
        return load_index(path), ""
    from ..built import load_graph  # noqa: PLC0415

    G = load_graph(given)  # a missing graph.json: the same error as every command's
    note = (
        f"note: no {INDEX_NAME} beside {path.parent / 'graph.json'} (an older build?); "
        "indexing graph.json now, which is slow. Rebuild with `graphkit build` to write the index."
    )
    return build_index(G), note


def index_path_for(graph_json: str | Path) -> Path:
    """Where the index of a graph.json lives (beside it)."""
    return Path(graph_json).with_name(INDEX_NAME)


def load_index(path: str | Path) -> RelatedIndex:
    """Read an index written by :func:`write_index`.

    Raises :class:`GraphFileError` (missing, unreadable or from another version) with a hint.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(
            f"{path}: no related index", hint="Rebuild with `graphkit build` to write it."
        )
    try:
        a = _read_members(path)
        meta = orjson.loads(bytes(a["meta"]))
        if meta.get("format") != "graphkit-related-index" or meta.get("version") != FORMAT_VERSION:
            raise GraphFileError(
                f"{path}: index version {meta.get('version')} (this graphkit reads {FORMAT_VERSION})",
                hint="Rebuild with `graphkit build` to write a current index.",
            )

        def csr(name: str) -> Csr:  # numpy only: a query never imports scipy
            shape = [int(s) for s in a[f"{name}_shape"]]
            return Csr(
                a[f"{name}_data"], a[f"{name}_indices"], a[f"{name}_indptr"], (shape[0], shape[1])
            )

        strings: dict[str, Any] = {}
        for name, eager in _STRINGS:
            col = Strings(a[name], a[f"{name}_offsets"])
            strings[name] = col.tolist() if eager else col
        emb = a.get("embeddings")
        venues = Strings(a["venues"], a["venues_offsets"]).tolist() if "venue_ids" in a else []
        lsa = a.get("lsa")
        if lsa is not None and (lsa.ndim != 2 or len(lsa) != int(meta["n_nodes"])):
            raise ValueError("LSA rows do not match the nodes")
        cited_by = a.get("cited_by")
        if cited_by is not None and len(cited_by) != int(meta["n_nodes"]):
            raise ValueError("citation counts do not match the nodes")
        if venues and (
            len(a["venue_ids"]) != int(meta["n_nodes"]) or int(a["venue_ids"].max()) >= len(venues)
        ):
            raise ValueError("venue numbers do not match the nodes or the venues")
        return RelatedIndex(
            **strings,
            years=a["years"],
            name_nodes=a["name_nodes"],
            title_nodes=a["title_nodes"],
            n_papers=int(meta["n_papers"]),
            X=csr("X"),
            idf=a["idf"],
            options=meta["options"],
            authors=csr("authors"),
            adj=csr("adj"),
            adj_edge=a["adj_edge"],
            reasons_blob=a["reasons"],
            reasons_offsets=a["reasons_offsets"],
            cite_edges=a["cite_edges"],
            cite_dir=a["cite_dir"],
            embeddings=emb,
            embedding_model=str(meta.get("embedding_model") or ""),
            edge_sim=a.get("edge_sim"),
            venue_ids=a["venue_ids"] if venues else np.zeros(0, np.int32),
            venues=venues,
            lsa=lsa,
            cited_by=cited_by if cited_by is not None else np.zeros(0, np.int32),
        )
    except GraphkitError:
        raise
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        zipfile.BadZipFile,
        orjson.JSONDecodeError,
    ) as exc:
        raise GraphFileError(
            f"{path}: not a readable related index ({exc})",
            hint="Rebuild with `graphkit build` to write it again.",
        ) from exc


def _read_members(path: Path) -> dict[str, np.ndarray]:
    """The ``.npy`` members of an uncompressed zip, as read-only arrays over one memory map of
    the file (nothing is read until used; what a query touches is paged in).  A compressed
    zip (an index re-zipped by hand) is read the ordinary way."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if any(i.compress_type != zipfile.ZIP_STORED for i in infos):
            with np.load(path, allow_pickle=False) as z:
                return {k: z[k] for k in z.files}
    out: dict[str, np.ndarray] = {}
    with open(path, "rb") as fh:
        size = fh.seek(0, io.SEEK_END)
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        for info in infos:
            fh.seek(info.header_offset)
            head = fh.read(30)
            if head[:4] != b"PK\x03\x04":
                raise ValueError(f"bad zip member header for {info.filename}")
            n_name, n_extra = struct.unpack("<HH", head[26:30])
            fh.seek(info.header_offset + 30 + n_name + n_extra)
            version = np.lib.format.read_magic(fh)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(fh)
            if dtype.hasobject:
                raise ValueError(f"{info.filename} holds Python objects")
            count = int(np.prod(shape)) if shape else 1
            arr = np.frombuffer(mm, dtype=dtype, count=count, offset=fh.tell())
            name = info.filename.removesuffix(".npy")
            out[name] = arr.reshape(shape, order="F" if fortran else "C")
    return out
