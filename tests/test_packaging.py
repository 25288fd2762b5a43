"""`pip install .` gives a working `plan-atlas` console script (issue 9).

The package is installed without its dependencies into a fresh venv (no network, no index); the
dependencies come from the test's own environment through PYTHONPATH, so the test checks the
packaging (package discovery, entry point), not the registry. Run from outside the checkout, so the
installed copy is what runs."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pip_install_gives_plan_atlas_console_script(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    build = tmp_path / "src"
    subprocess.run(["cp", "-r", str(ROOT / "geo"), str(ROOT / "pyproject.toml"), str(ROOT / "README.md"), str(build.mkdir() or build)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(build)],
                   check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"]))
    script = env_dir / "bin" / "plan-atlas"
    assert script.is_file()
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"], PLAN_ATLAS_ROOT=str(ROOT))
    out = subprocess.run([str(script), "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "usage: plan-atlas" in out.stdout and "build" in out.stdout and "export" in out.stdout
    docs = subprocess.run([str(script), "docs", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert docs.returncode == 0, docs.stderr
    assert '"2020-chengyu-gangyao"' in docs.stdout
    # the installed copy ran, not the checkout
    where = subprocess.run([str(py), "-c", "import geo; print(geo.__file__)"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where and sys.prefix not in where
