"""Point the docs' code and test references at where their symbols now live.

``python scripts/fix_doc_references.py [--write] [DOC ...]`` (default: README.md and
docs/RULES.md) reads every ``firecase/….py::symbol`` and ``tests/….py::test_name`` reference and,
where the file no longer defines the symbol at module level (``Class.method``: the class), looks
for the one Python file under ``firecase/`` (or ``tests/``) that does. A reference with exactly
one new home is rewritten (printed without ``--write``); one with none or several is listed for
a person to decide. ``tests/unit/test_docs_references.py`` is the check; this is the repair.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_REF = re.compile(r"`((?:firecase|tests)/[\w/]+\.py)::([\w.]+)(\[[^\]`]*\])?`")


@cache
def _top_level(path: Path) -> dict[str, ast.stmt]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return {}
    names: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.Assign):
            names.update({t.id: node for t in node.targets if isinstance(t, ast.Name)})
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
    return names


def defines(path: Path, symbol: str) -> bool:
    head, _, rest = symbol.partition(".")
    node = _top_level(path).get(head)
    if node is None:
        return False
    if not rest:
        return True
    return isinstance(node, ast.ClassDef) and any(
        getattr(n, "name", None) == rest
        or (isinstance(n, ast.Assign) and any(getattr(t, "id", None) == rest for t in n.targets))
        for n in node.body
    )


def homes(top: str, symbol: str) -> list[str]:
    return sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / top).rglob("*.py")
        if ".venv" not in p.parts and defines(p, symbol)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*", default=["README.md", "docs/RULES.md"])
    parser.add_argument("--write", action="store_true", help="rewrite the documents")
    args = parser.parse_args(argv)
    undecided = 0
    for doc in args.docs:
        path = ROOT / doc
        text = path.read_text(encoding="utf-8")

        def fix(match: re.Match[str], doc: str = doc) -> str:
            nonlocal undecided
            file, symbol, param = match[1], match[2], match[3] or ""
            if (ROOT / file).exists() and defines(ROOT / file, symbol):
                return match[0]
            found = homes(file.split("/", 1)[0], symbol)
            if len(found) == 1:
                print(f"{doc}: {file}::{symbol} -> {found[0]}")
                return f"`{found[0]}::{symbol}{param}`"
            undecided += 1
            where = "defined in " + ", ".join(found) if found else "defined nowhere"
            print(f"{doc}: {file}::{symbol} — {where}")
            return match[0]

        new = _REF.sub(fix, text)
        if args.write and new != text:
            path.write_text(new, encoding="utf-8")
    return 1 if undecided else 0


if __name__ == "__main__":
    sys.exit(main())
