"""The package's shape (issue 9): one-way imports between stages, no private names across
subpackages, small modules. Walks geo/ with `ast`; nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

GEO = Path(__file__).resolve().parent.parent / "geo"
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(GEO.rglob("*.py")):
        if path.name == "__main__.py":  # the entry point sits above every stage
            continue
        parts = list(path.relative_to(GEO.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(path: Path, name: str, is_pkg: bool) -> list[tuple[str, list[str]]]:
    """(imported module, imported names) for every import in the file, module-level or not."""
    out = []
    package = name if is_pkg else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([mod] if mod else []))
            out.append((mod, [a.name for a in node.names]))
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        for mod, names in _imports(path, name, path.name == "__init__.py"):
            if not mod.startswith("geo"):
                continue
            targets = [f"{mod}.{n}" for n in names if f"{mod}.{n}" in mods] or [mod]
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != name:
                    graph[name].add(t)
    return graph


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (GEO / parts[1]).is_dir()) else "<shared>"


def test_no_import_cycle_between_stages() -> None:
    """Stages (subpackages) import one way: the stage graph has no cycle."""
    graph = _graph()
    stages: dict[str, set[str]] = {}
    for mod, targets in graph.items():
        for t in targets:
            a, b = _stage(mod), _stage(t)
            if a != b:
                stages.setdefault(a, set()).add(b)
    seen: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(stages.get(node, ())):
            assert seen.get(nxt) != 1, "import cycle between stages: " + " → ".join(trail + [node, nxt])
            if nxt not in seen:
                visit(nxt, trail + [node])
        seen[node] = 2

    for s in sorted(stages):
        if s not in seen:
            visit(s, [])
    assert not stages.get("<shared>"), f"shared modules import stages: {stages.get('<shared>')}"


def test_no_module_import_cycle() -> None:
    """No cycle between modules either (package __init__ re-exports excepted: they only gather)."""
    graph = {m: {t for t in ts if not (GEO / Path(*t.split(".")[1:]) / "__init__.py").exists()}
             for m, ts in _graph().items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != 1, "import cycle: " + " → ".join(trail + [node, nxt])
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])


def test_no_private_names_across_subpackages() -> None:
    """A module never imports another subpackage's `_private` module or name."""
    problems = []
    mods = _modules()
    for name, path in mods.items():
        own = _stage(name)
        for mod, names in _imports(path, name, path.name == "__init__.py"):
            if not mod.startswith("geo.") or _stage(mod) in (own, "<shared>"):
                continue
            private = [p for p in mod.split(".") if p.startswith("_")] + [n for n in names if n.startswith("_")]
            if private:
                problems.append(f"{name} imports {mod}: {', '.join(private)}")
    assert not problems, "\n".join(problems)


def test_modules_are_small_and_documented() -> None:
    long = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in _modules().items()}
    assert not {n: c for n, c in long.items() if c > MAX_LINES}, f"modules over {MAX_LINES} lines"
    undocumented = [n for n, p in _modules().items() if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert not undocumented, f"modules without a docstring: {undocumented}"


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The walker sees a private import and a relative import (guards the guards)."""
    f = tmp_path / "m.py"
    f.write_text("from geo.layers._assemble import _Assembler\nfrom . import x\n", encoding="utf-8")
    got = _imports(f, "geo.ingest.m", False)
    assert ("geo.layers._assemble", ["_Assembler"]) in got and ("geo.ingest", ["x"]) in got
