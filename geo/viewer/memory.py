"""Keeping the server's per-click cost independent of the data it holds in memory.

Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`, on by
default). A full collection walks every object the collector tracks: with the modules imported and the
layers, catalog and search index loaded (about 580,000 objects) that took 0.11 s per rerun on this
machine, with the GIL held — so ten people clicking at once waited for ten of them in turn, on top of
their own reruns. `freeze_loaded()` is called when the process has just loaded that long-lived data
(a cache miss in app.py): it collects once, then moves everything alive into the permanent generation
(`gc.freeze`), which later collections skip. Objects made by a run are still collected as before; data
dropped later (a rebuilt layers/ replaces the catalog) is freed by reference counting, and the next
`freeze_loaded()` first unfreezes, so cyclic leftovers of the old data are collected then.

Data: none (the interpreter's collector).
"""

from __future__ import annotations

import gc

__all__ = ["freeze_loaded"]


def freeze_loaded() -> int:
    """Collect once, then exempt every object alive now from later collections; returns how many
    objects are frozen."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
