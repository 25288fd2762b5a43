"""geo.viewer.memory: what the app loads once is exempt from Streamlit's full collection after every
run, while what a run leaves behind is still collected, and data dropped later is freed at the next
load (the benchmark bench/bench_sessions.py measures the server's CPU per click)."""

from __future__ import annotations

import gc
import weakref

from geo.viewer.memory import freeze_loaded


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_loaded_data_is_frozen_and_later_garbage_still_collected() -> None:
    try:
        loaded = _Node()
        frozen = freeze_loaded()
        assert frozen == gc.get_freeze_count() > 0
        assert all(o is not loaded for o in gc.get_objects())  # the permanent generation is not walked

        ref = weakref.ref(_Node())  # a run's garbage, made after the freeze
        gc.collect()
        assert ref() is None

        old = weakref.ref(loaded)  # data dropped later (layers rebuilt): a cycle in the frozen set
        del loaded
        gc.collect()
        assert old() is not None  # frozen: not freed by a collection ...
        freeze_loaded()
        assert old() is None  # ... but by the next load, which unfreezes first
    finally:
        gc.unfreeze()
