"""Driving the real app in Debian's Chromium (browser tests and bench/bench_viewer.py).

`AppServer` runs `streamlit run <script>` on a free port as a subprocess; `launch_chromium`
starts Debian's chromium through Playwright (never `playwright install`); `offline_page`
opens a page on which every request to a host other than localhost is aborted and logged,
which is the no-internet condition the app must work in.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
MAP_FRAME = 'iframe[data-pa-map]'  # geo.viewer.mapframe.MAP_FRAME
# one map frame on the page (no stale frame of an earlier run beside it), every layer file drawn
_MAP_READY_JS = (
    "(loaded) => { const f = document.querySelectorAll('" + MAP_FRAME + "');"
    " if (f.length !== 1) return false; const d = f[0].contentDocument;"
    " return !!(d && d.querySelector('.leaflet-container[data-pa-loaded=\"' + loaded + '\"]')); }"
)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def chromium_path() -> str | None:
    """Debian's chromium, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class AppServer:
    """`streamlit run script` on a free port; use as a context manager."""

    def __init__(self, script: Path, env: dict[str, str] | None = None, port: int | None = None) -> None:
        self.script = Path(script)
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        # scripts outside the root (bench/baseline_app.py) import geo too
        self.env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), self.env.get("PYTHONPATH", "")) if p)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = ROOT / "tests" / "artifacts" / f"streamlit-{self.script.stem}-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}/"

    def start(self, timeout: float = 60.0) -> AppServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        streamlit = Path(sys.executable).with_name("streamlit")
        self.proc = subprocess.Popen(
            [str(streamlit), "run", str(self.script), "--server.port", str(self.port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=str(ROOT), env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"streamlit did not answer on {self.url} within {timeout} s")

    def rss_bytes(self) -> int:
        """Resident memory of the streamlit process (from /proc)."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the streamlit process has used so far (from /proc)."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium, headless, through Playwright."""
    exe = chromium_path()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (make system-deps)")
    return playwright.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)


def offline_page(browser: Any, viewport: tuple[int, int] = (1500, 950)) -> tuple[Any, Any, list[str]]:
    """A new context and page on which non-localhost requests are aborted; returns (context, page, blocked)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN")
    blocked: list[str] = []

    def route(r: Any) -> None:
        host = urlparse(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    return context, page, blocked


def wait_map(page: Any, timeout: float = 60_000, loaded: int = 6) -> Any:
    """Wait until the page holds one map frame with all `loaded` layer files drawn; its FrameLocator."""
    page.wait_for_function(_MAP_READY_JS, arg=loaded, timeout=timeout)
    return page.frame_locator(MAP_FRAME)


_IDLE_JS = """(settle) => {
  const el = document.querySelector('[data-test-script-state]');
  if (!el || el.getAttribute('data-test-script-state') !== 'notRunning') { window.__paIdleSince = null; return false; }
  if (window.__paIdleSince == null) { window.__paIdleSince = performance.now(); }
  return performance.now() - window.__paIdleSince >= settle;
}"""


def wait_idle(page: Any, settle_ms: float = 500, timeout: float = 30_000) -> None:
    """Wait until no script run has been going for `settle_ms` (Streamlit's own run-state attribute).
    Type into a widget after this: a run still drawing the page can redraw the widget and drop what
    was typed before Enter."""
    page.wait_for_function(_IDLE_JS, arg=settle_ms, timeout=timeout)
