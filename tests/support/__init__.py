"""Test helpers (not part of the library): app server and offline Chromium page, synthetic layers/."""
