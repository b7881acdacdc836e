"""The layout of the code (issue 21): sample data stays out of the program's layers."""

from __future__ import annotations

import ast
from pathlib import Path

import firecase

ROOT = Path(firecase.__file__).resolve().parent

# Besides tests: the command line (``firecase demo``, ``firecase synth``, and the writer it hands
# the GUI for its first-run offer) and the bench.
MAY_IMPORT_SAMPLES = {"cli.py", "bench.py"}


def _modules() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_only_the_cli_and_the_bench_import_the_samples() -> None:
    offenders = []
    for path in _modules():
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("samples/") or rel in MAY_IMPORT_SAMPLES:
            continue
        names = _imports(path)
        if any(n == "firecase.samples" or n.startswith("firecase.samples.") for n in names):
            offenders.append(rel)
    assert not offenders, offenders


def test_the_cli_names_the_sample_commands_in_samples() -> None:
    text = (ROOT / "cli.py").read_text(encoding="utf-8")
    assert "firecase.samples.demo:demo_command" in text
    assert "firecase.samples.synth:synth_command" in text


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (an import for the type checker only
    makes no circle when the program runs)."""
    found: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def _lazy_maps(mods: dict[str, Path]) -> dict[str, dict[str, str]]:
    """package → {public name → module} of the packages whose names load lazily
    (``firecase.lazy.lazy_names`` over a ``_WHERE`` map)."""
    maps: dict[str, dict[str, str]] = {}
    for name, path in mods.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.Assign)
                and [getattr(t, "id", "") for t in node.targets] == ["_WHERE"]
                and isinstance(node.value, ast.Dict)
            ):
                maps[name] = {
                    k.value: v.value
                    for k, v in zip(node.value.keys, node.value.values, strict=True)
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
                }
    return maps


def _graph(packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Which firecase modules of ``packages`` each of them imports, lazily or not (a ``from
    package import submodule`` counts as importing the submodule, not the package; a name of
    a lazily loading package counts as importing the module that defines it, and the package
    reaches each of its modules)."""
    mods = {_module_name(p): p for p in _modules()}
    lazy = _lazy_maps(mods)
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        if not name.startswith(packages):
            continue
        out: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out.update(a.name for a in node.names if a.name in mods)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = {f"{node.module}.{a.name}" for a in node.names} & set(mods)
                through = {
                    lazy[node.module][a.name]
                    for a in node.names
                    if a.name in lazy.get(node.module, {})
                }
                out |= subs | (through & set(mods))
                if node.module in mods and len(subs) + len(through) < len(node.names):
                    out.add(node.module)
        out |= set(lazy.get(name, {}).values()) & set(mods)
        graph[name] = {m for m in out if m.startswith(packages) and m != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


KNOWN_CYCLES: list[set[str]] = []


def test_no_import_circles_anywhere() -> None:
    graph = _graph(("firecase",))
    assert "firecase.services._derive" in graph and "firecase.ui.main_window" in graph
    assert [c for c in _cycles(graph) if c not in KNOWN_CYCLES] == []


def test_the_circle_check_sees_a_circle() -> None:
    """A lazy import inside a function counts; a type-checking import does not."""
    lazy = ast.parse("def f():\n    import firecase.a\n")
    typing_only = ast.parse("if TYPE_CHECKING:\n    import firecase.a\n")
    assert any(isinstance(n, ast.Import) for n in _runtime_nodes(lazy))
    assert not any(isinstance(n, ast.Import) for n in _runtime_nodes(typing_only))
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [{"a", "b", "c"}]


def test_layers_point_down() -> None:
    """rules -> store -> services -> samples: no module imports a layer above its own."""
    order = ["firecase.rules", "firecase.store", "firecase.services", "firecase.samples"]
    graph = _graph(tuple(order))
    for name, imported in graph.items():
        mine = next(i for i, p in enumerate(order) if name == p or name.startswith(p + "."))
        above = {m for m in imported if not m.startswith(tuple(order[: mine + 1]))}
        assert not above, (name, above)


MAX_LINES = 650
LONG_FILES: set[str] = set()


def test_no_long_files() -> None:
    long = {}
    for package in ("rules", "store", "services", "samples", "reports", "ui"):
        for path in _modules():
            rel = path.relative_to(ROOT).as_posix()
            if not rel.startswith(package + "/") or rel in LONG_FILES:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                long[rel] = lines
    assert long == {}
