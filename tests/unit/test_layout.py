"""The layout of the code (issue 21): sample data stays out of the program's layers."""

from __future__ import annotations

import ast
from pathlib import Path

import firecase

ROOT = Path(firecase.__file__).resolve().parent

# Besides tests and the bench: the command line (``firecase demo``, ``firecase synth``) and the
# main window's one offer to load the demonstration cases into an empty case file.
MAY_IMPORT_SAMPLES = {"cli.py", "bench.py", "ui/main_window.py"}


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
