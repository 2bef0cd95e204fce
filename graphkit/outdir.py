"""A build's output folder, written as one unit: never half-written, never mixed.

A build writes every output into a private staging folder inside the output folder
(``.graphkit-staging-XXXX/``, hidden, so no build reads it as input) and then *commits* it:

1. under an exclusive lock on the output folder (``flock`` of the folder itself) it writes a journal
   (``<out>/.graphkit-commit``) naming the staging folder, the files to move and the outputs of
   an earlier build to delete (a narrower ``--formats``);
2. renames each staged file into place (same file system: each rename is atomic), deletes the
   stale outputs, renames ``manifest.json`` last;
3. deletes the journal and the staging folder.

So a build killed while it computes or writes leaves the previous build's outputs untouched (the
next build removes its staging folder); a build killed inside the commit, a few renames, leaves a
journal, and the next build or the next command that opens the folder finishes the commit
(the renames are idempotent).  Concurrent builds into one folder each compute on their own and
commit one after the other: the folder always holds one complete build, the last to commit.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> with OutputFolder(out) as stage:
...     _ = (stage.path / "graph.json").write_text("{}")
...     _ = (stage.path / "manifest.json").write_text("{}")
...     moved = stage.commit(["graph.json", "manifest.json"])
>>> sorted(p.name for p in out.iterdir())
['graph.json', 'manifest.json']
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

import orjson

from .errors import OutputError

__all__ = ["OutputFolder", "recover", "is_build_folder", "JOURNAL_NAME", "STAGING_PREFIX"]

JOURNAL_NAME = ".graphkit-commit"
STAGING_PREFIX = ".graphkit-staging-"
#: The file a staging folder's owner keeps locked while it lives (free lock = dead owner).
_OWNER = ".owner"
#: How long a commit waits for another build's commit (a few renames) before giving up.
LOCK_WAIT_S = 60.0
_MANIFEST = "manifest.json"
#: Errors of a write that say the output folder's disk has no room for the outputs.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def is_build_folder(folder: Path) -> bool:
    """Whether ``folder`` holds a build's outputs: a ``manifest.json`` written by graphkit."""
    try:
        data = orjson.loads((folder / _MANIFEST).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return False
    return isinstance(data, dict) and "graphkit" in data and "outputs" in data


def _os_error(out: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write into {out}: {exc.strerror or exc}",
        hint="Choose another output folder with -o.",
    )


@contextlib.contextmanager
def _folder_lock(out: Path, *, wait_s: float | None = None):
    """Hold the exclusive commit lock of ``out``; waits for another holder at most ``wait_s``
    (default :data:`LOCK_WAIT_S`)."""
    wait_s = LOCK_WAIT_S if wait_s is None else wait_s
    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)  # the folder itself: no lock file left
    except OSError as exc:
        raise _os_error(out, exc) from exc
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise _os_error(out, exc) from exc
                if time.monotonic() >= deadline:
                    raise OutputError(
                        f"another graphkit process has held the lock of {out} for {wait_s:.0f} s",
                        hint="Wait for the other build to finish, or choose another folder with -o.",
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def _journal(out: Path) -> dict | None:
    try:
        data = orjson.loads((out / JOURNAL_NAME).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError):
        return {}  # torn journal: written atomically, so only a foreign file; nothing to replay
    return data if isinstance(data, dict) else {}


def _plain_names(names: object) -> list[str]:
    """The entries of a journal's list that are plain file names.  A journal is read from a
    folder anyone may have handed over (a downloaded build): ``../../x`` or ``/etc/x`` must
    never make a reader move or delete files outside the folder."""
    if not isinstance(names, list):
        return []
    return [
        n
        for n in names
        if isinstance(n, str) and n not in ("", ".", "..") and "/" not in n and "\x00" not in n
    ]


def _replay(out: Path, journal: dict) -> None:
    """Finish a commit described by ``journal`` (idempotent), then drop the journal."""
    name = journal.get("staging")
    ok = isinstance(name, str) and name.startswith(STAGING_PREFIX) and _plain_names([name])
    staging = out / name if ok else out
    if ok and staging.is_dir() and not staging.is_symlink():
        for name in _plain_names(journal.get("move")):
            src = staging / name
            if src.is_file():
                os.replace(src, out / name)
        for name in _plain_names(journal.get("delete")):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                (out / name).unlink()
        if (staging / _MANIFEST).is_file():
            os.replace(staging / _MANIFEST, out / _MANIFEST)
        shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        (out / JOURNAL_NAME).unlink()


def _owner_alive(staging: Path) -> bool:
    try:
        fh = open(staging / _OWNER, "rb")  # noqa: SIM115
    except PermissionError:
        return True  # another user's build: not ours to judge (nor to delete)
    except OSError:
        return False
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        return False


def _sweep(out: Path, keep: Path | None = None) -> None:
    """Remove staging folders whose build has died (killed before its commit)."""
    with contextlib.suppress(OSError):
        for entry in out.iterdir():
            mine = entry.name.startswith(STAGING_PREFIX) and entry != keep
            mine = mine and entry.is_dir() and not entry.is_symlink()
            if mine and not _owner_alive(entry):
                shutil.rmtree(entry, ignore_errors=True)


def recover(out: str | os.PathLike[str]) -> bool:
    """Finish a commit that a killed build left in ``out`` (see the module docstring); True when
    there was one.  Cheap when there is nothing to do: one ``stat``."""
    folder = Path(out)
    if not (folder / JOURNAL_NAME).exists():
        return False
    try:
        with _folder_lock(folder):
            journal = _journal(folder)
            if journal is None:
                return False  # another process finished it meanwhile
            _replay(folder, journal)
    except OSError as exc:
        raise _os_error(folder, exc) from exc
    return True


class OutputFolder:
    """The staging folder of one build in ``out``; use as a context manager.  Write the
    outputs into :attr:`path`, then :meth:`commit` them.  Leaving the block without a commit
    (an error, Ctrl-C) removes the staging folder and leaves ``out`` as it was."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self.path: Path = self.out
        self._owner: IO[bytes] | None = None
        self._identity: tuple[int, int] | None = None  # the staging folder's (device, inode)

    def __enter__(self) -> OutputFolder:
        out = self.out
        if out.exists() and not out.is_dir():
            raise OutputError(
                f"{out} is not a folder", hint="Choose another output folder with -o."
            )
        if out.is_symlink() and not out.exists():
            raise OutputError(
                f"{out} is a symlink to {os.readlink(out)}, which does not exist",
                hint="Create that folder, or choose another output folder with -o.",
            )
        try:
            out.mkdir(parents=True, exist_ok=True)
            recover(out)
            self.path = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
            self._owner = open(self.path / _OWNER, "wb")  # noqa: SIM115 -- held while we live
            fcntl.flock(self._owner.fileno(), fcntl.LOCK_EX)
            st = os.stat(self.path)
            self._identity = (st.st_dev, st.st_ino)
            _sweep(out, keep=self.path)
        except OSError as exc:
            self._cleanup()
            raise _os_error(out, exc) from exc
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self._cleanup()
        if isinstance(exc, OSError) and exc.errno in _NO_ROOM:
            # a writer's OSError (perhaps from a forked child) says nothing of which folder
            raise OutputError(
                f"cannot write the outputs into {self.out}: {exc.strerror or exc}",
                hint="Free some space there or choose another output folder with -o "
                "(the previous outputs are unchanged).",
            ) from exc

    def _check_in_place(self) -> None:
        """Raise unless the staging folder is still inside the output folder: ``out`` renamed,
        replaced by a symlink to another folder or by a file while the build ran would
        otherwise commit nothing and say it wrote everything."""
        try:
            st = os.stat(self.out / self.path.name, follow_symlinks=False)
            same = (st.st_dev, st.st_ino) == self._identity
        except OSError:
            same = False
        if not same:
            raise OutputError(
                f"{self.out} was moved or replaced while the build ran; nothing was written",
                hint="Run the build again (the outputs of an earlier build there are unchanged).",
            )

    def _cleanup(self) -> None:
        if self._owner is not None:
            self._owner.close()
            self._owner = None
        if self.path != self.out:
            shutil.rmtree(self.path, ignore_errors=True)

    def commit(self, names: Sequence[str], *, owned: Iterable[str] = ()) -> list[Path]:
        """Move the staged files ``names`` into the output folder (``manifest.json`` last when it
        is among them); in a folder an earlier build wrote, delete its files among ``owned``
        (graphkit's output names) that this build did not write, so the folder holds one build.
        Returns the final paths of ``names``, in order."""
        out = self.out
        keep = set(names)
        try:
            with _folder_lock(out):
                leftover = _journal(out)
                if leftover is not None:
                    _replay(out, leftover)
                self._check_in_place()
                for torn in out.glob(f"{JOURNAL_NAME}.*.tmp"):  # a commit killed mid-write
                    torn.unlink(missing_ok=True)  # (we hold the lock: none is being written)
                earlier = is_build_folder(out)  # under the lock: no other commit between
                stale = (
                    [n for n in owned if n not in keep and (out / n).is_file()] if earlier else []
                )
                journal = {
                    "staging": self.path.name,
                    "move": [n for n in names if n != _MANIFEST],
                    "delete": sorted(set(stale)),
                    "pid": os.getpid(),
                }
                tmp = out / f"{JOURNAL_NAME}.{os.getpid()}.tmp"
                tmp.write_bytes(orjson.dumps(journal))
                os.replace(tmp, out / JOURNAL_NAME)
                _replay(out, journal)
        except OSError as exc:
            raise _os_error(out, exc) from exc
        return [out / n for n in names]
