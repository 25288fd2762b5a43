"""Who may write: `is_editor()` gates every write the app offers (the review queue's decisions).

STUB until the editor sign-in of issue 16 (branch `safety`) lands on main: a session is an editor only
when the server was started with the environment variable PLAN_ATLAS_EDITOR=1 (a single-user,
local setting). Replace the body of `is_editor` with the real sign-in check; callers stay as they are.
"""

from __future__ import annotations

import os

__all__ = ["is_editor"]


def is_editor() -> bool:
    """True when this session may write (stub: PLAN_ATLAS_EDITOR=1 in the server's environment)."""
    return os.environ.get("PLAN_ATLAS_EDITOR", "") == "1"
