"""All-or-nothing changes to data/docs/ and layers/, whatever kills the process.

How a change (`geo add`, `geo remove`) is made, under one lock per root (build/ingest.lock):
1. stage: the future data/docs/ is made in build/txn/new/data/docs (hard links of the current
   files plus the new ones), the future layers/ is built into build/txn/new/layers, every new
   file fsynced; data/ and layers/ are not touched yet. A kill here leaves build/txn/ without a
   journal: the change is rolled back by deleting build/txn/.
2. commit: build/txn/journal.json is written atomically. From here on the change is completed.
3. switch: for data/docs and layers, `rename(current → build/txn/old/…)` then
   `rename(build/txn/new/… → current)`. Each step can be redone from what is on disk.
4. finish: journal.json is deleted, then build/txn/.

`recover(root)` is run by every `geo` command and by the app at start: it finishes a committed
change or rolls back an uncommitted one and returns one line saying so (None when there was
nothing to do). It also removes temporary folders that a killed `geo build` left beside layers/
(restoring layers/ from `.layers-old-<pid>.tmp` when the kill came between its two renames).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

from geo import storage
from geo.errors import PlanAtlasError

__all__ = ["Change", "change_lock", "recover", "recover_locked"]

TXN_DIR: str = "build/txn"
JOURNAL: str = "journal.json"
INTENT: str = "intent.txt"
# the folders a change replaces, in switch order
SWAPPED: tuple[str, ...] = ("data/docs", "layers")


class BusyError(PlanAtlasError):
    """Another `geo add`/`geo remove` holds the lock of this root."""


@contextlib.contextmanager
def change_lock(root: Path, *, wait: bool = False) -> Iterator[None]:
    """One change at a time per root (the lock file lives in build/, not in data/).

    Raises BusyError at once when another process holds it (unless `wait`).
    """
    lock_dir = Path(root) / "build"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / "ingest.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BusyError(
                "another `geo add`/`geo remove` is running on this data folder; try again when it ends"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Change:
    """One staged change of data/docs/ and layers/ (use under `change_lock`)."""

    def __init__(self, root: Path, what: str) -> None:
        self.root = Path(root)
        self.what = what
        self.txn = self.root / TXN_DIR
        self.committed = False

    def staged(self, rel: str) -> Path:
        """Where the future `rel` (e.g. "data/docs", "layers") is staged."""
        return self.txn / "new" / rel

    def begin(self) -> Path:
        """Start staging; returns the staged data/docs/ (hard links of the current files)."""
        if self.txn.exists():
            raise PlanAtlasError(f"{self.txn} exists: an earlier change was not recovered; run `python -m geo docs`")
        storage.make_dir(self.txn / "new" / "data")
        storage.make_dir(self.txn / "old" / "data")
        storage.write_new_file(self.txn / INTENT, self.what.encode("utf-8"))
        docs = self.staged("data/docs")
        storage.link_tree(self.root / "data" / "docs", docs)
        return docs

    def commit(self) -> None:
        """Make the staged change the one that happens (journal), then switch and clean up."""
        for rel in SWAPPED:
            if not self.staged(rel).is_dir():
                raise PlanAtlasError(f"internal error: {rel} was not staged")
            _fsync_tree(self.staged(rel))
        storage.fsync_dir(self.txn / "new")
        journal = {"version": 1, "what": self.what, "swap": list(SWAPPED)}
        storage.atomic_write_text(self.txn / JOURNAL, json.dumps(journal, ensure_ascii=False))
        self.committed = True
        try:
            _switch(self.root, self.txn, SWAPPED)
        except OSError:
            _undo(self.root, self.txn, SWAPPED)
            _finish(self.txn)
            raise
        _finish(self.txn)

    def abort(self) -> None:
        """Forget the staged change (nothing under data/ or layers/ was touched)."""
        if not self.committed:
            _finish(self.txn)


def _fsync_tree(path: Path) -> None:
    for p in sorted(path.rglob("*")):
        if p.is_file():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        else:
            storage.fsync_dir(p)
    storage.fsync_dir(path)


def _switch(root: Path, txn: Path, swapped: tuple[str, ...] | list[str]) -> None:
    """Install every staged folder; redoable from any point (what is on disk says how far it got)."""
    for rel in swapped:
        new, old, cur = txn / "new" / rel, txn / "old" / rel, root / rel
        if not new.exists():
            continue  # already installed
        if cur.exists():
            if old.exists():  # cannot happen: cur was moved aside before new came in
                raise PlanAtlasError(f"journal {txn}: both {cur} and {old} exist; fix by hand")
            storage.make_dir(old.parent)
            storage.rename(cur, old)
        cur.parent.mkdir(parents=True, exist_ok=True)
        storage.rename(new, cur)


def _undo(root: Path, txn: Path, swapped: tuple[str, ...] | list[str]) -> None:
    """Put the old folders back (after a failed switch in this process)."""
    for rel in reversed(list(swapped)):
        new, old, cur = txn / "new" / rel, txn / "old" / rel, root / rel
        if not new.exists() and cur.exists() and old.exists():
            storage.rename(cur, new)
        if old.exists() and not cur.exists():
            storage.rename(old, cur)


def _finish(txn: Path) -> None:
    """Delete the journal first (the change is then complete), then the staging folder."""
    if (txn / JOURNAL).exists():
        storage.remove_file(txn / JOURNAL)
        storage.fsync_dir(txn)
    if txn.exists():
        storage.remove_tree(txn)
        storage.fsync_dir(txn.parent)


def _stray_layer_dirs(root: Path) -> list[str]:
    """Remove temporary folders of killed `geo build`s beside layers/; restore a missing layers/."""
    notes: list[str] = []
    layers = root / "layers"
    for old in sorted(root.glob(".layers-old-*.tmp")):
        pid = storage.pid_of_temp(old.name)
        if pid is not None and storage.pid_alive(pid):
            continue
        if not layers.exists():
            storage.rename(old, layers)
            notes.append("restored layers/ that an interrupted `geo build` had moved aside")
        else:
            storage.remove_tree(old)
    for tmp in sorted(root.glob(".layers-build-*.tmp")):
        pid = storage.pid_of_temp(tmp.name)
        if pid is not None and storage.pid_alive(pid):
            continue
        storage.remove_tree(tmp)
    return notes


def recover_locked(root: Path) -> str | None:
    """`recover` for a caller that already holds `change_lock(root)`."""
    root = Path(root)
    txn = root / TXN_DIR
    notes = _stray_layer_dirs(root) if root.is_dir() else []
    if txn.exists():
        intent = txn / INTENT
        what = intent.read_text(encoding="utf-8", errors="replace").strip() if intent.is_file() else ""
        what = what or "a change of data/docs and layers/"
        journal = txn / JOURNAL
        if journal.is_file():
            try:
                swapped = json.loads(journal.read_text(encoding="utf-8"))["swap"]
            except (OSError, ValueError, KeyError):
                swapped = list(SWAPPED)
            _switch(root, txn, swapped)
            _finish(txn)
            notes.append(f"completed an interrupted {what}")
        elif not any((txn / "new" / rel).exists() for rel in SWAPPED) and any(
            (txn / "old" / rel).exists() for rel in SWAPPED
        ):
            _finish(txn)  # killed while cleaning up after the switch
            notes.append(f"finished cleaning up after an interrupted {what}")
        else:
            _finish(txn)
            notes.append(f"rolled back an interrupted {what} (data/docs and layers/ are as before)")
    if not notes:
        return None
    return "recovered: " + "; ".join(notes)


def recover(root: Path | str | None = None) -> str | None:
    """Finish or roll back a change that a killed process left half done; one line, or None.

    Does nothing (None) while another process holds the lock: its change is not interrupted.
    """
    from geo import settings

    root = Path(root) if root is not None else settings.ROOT
    if not (root / "data").is_dir():
        return None
    if not (root / TXN_DIR).exists() and not any(root.glob(".layers-*.tmp")):
        return None  # nothing to recover: no lock taken, nothing created
    try:
        with change_lock(root):
            return recover_locked(root)
    except BusyError:
        return None
    except OSError as exc:
        raise PlanAtlasError(f"could not recover an interrupted change under {root}: {exc}") from exc
