"""The documentation points only at things that exist, inside the repository.

``docs/RULES.md`` and ``README.md`` name the code that makes each decision as
``firecase/….py::symbol`` (or ``::Class.method``) and the tests that hold it as
``tests/….py::test_name``; ``docs/DESIGN.md`` and the other documents name files. When code moves,
these names go stale silently. This test reads every such reference and checks it against the
tree: the file exists, the symbol is defined in it at module level (a ``def``, ``class`` or
assignment, found with ``ast``; ``Class.method`` a definition in the class body), the test
function exists (``test_scenario[NAME]`` needs ``tests/scenarios/cases/NAME.in.json``), and a
name given in brackets after a reference (``firecase/rules/clocks.py`` (``START_NOT_COUNTED``))
occurs in that file. No document may point outside the repository: a link or path that leaves
the repository root, an absolute path on a machine, or the specification and regulation folders
the project was once built beside.

A failure lists every stale reference, one a line, as ``document:line: reference — why``.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# documents whose code and test references must resolve to symbols
SYMBOL_DOCS = ("README.md", "docs/RULES.md")
# every document of the repository: paths and links must exist and stay inside it
ALL_DOCS = (
    "README.md",
    "docs/RULES.md",
    "docs/DESIGN.md",
    "docs/TEAM.md",
    "docs/BENCHMARKS.md",
    "packaging/windows/BUILDING.md",
    "resources/fonts/README.md",
    "resources/icons/README.md",
    "resources/translations/README.md",
)
# top-level folders of the repository a path in a document may start with
TOP = ("firecase", "tests", "resources", "scripts", "packaging", "docs")
# packages of firecase a path may start with, short for firecase/<package>/…
SHORT = ("rules", "store", "services", "reports", "ui")

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_REF = re.compile(
    r"^(?P<path>(?:" + "|".join(TOP + SHORT) + r")/[\w./-]*?)(?:::(?P<sym>[\w.\[\]-]+))?$"
)
# a reference followed by names in brackets: `path[::sym]` (`NAME`, `NAME` …)
_BRACKETED = re.compile(r"`([^`\n]+\.py(?:::[\w.]+)?)`\s*\(((?:`[\w.]+`[,;]?\s*(?:and\s*)?)+)")
_PLACEHOLDER = re.compile(r"(?:^|/)(?:NAME|KIND|CASE_NO|FILE)\b|\[NAME\]")
_OUTSIDE = re.compile(
    r"\.\./shared|shared/regulation|\bSPEC\.md\b|(?<![\w.~])/(?:work|home|root|opt|tmp)/"
)


def _doc_lines(doc: str) -> list[str]:
    return (ROOT / doc).read_text(encoding="utf-8").splitlines()


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _targets(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _defines(body: list[ast.stmt], name: str) -> ast.stmt | None:
    """The statement of ``body`` that defines ``name`` (also inside ``if``/``try`` blocks)."""
    for node in body:
        if name in _targets(node):
            return node
        if isinstance(node, (ast.If, ast.Try)):
            inner = [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
            for handler in getattr(node, "handlers", []):
                inner.extend(handler.body)
            found = _defines(inner, name)
            if found is not None:
                return found
    return None


def symbol_problem(path: Path, symbol: str) -> str | None:
    """Why ``symbol`` (``name`` or ``Class.name``) is not defined in ``path``, or None."""
    node: ast.stmt | None = None
    body = _tree(path).body
    for i, part in enumerate(symbol.split(".")):
        node = _defines(body, part)
        if node is None:
            where = "at module level" if i == 0 else f"in {'.'.join(symbol.split('.')[:i])}"
            return f"no def/class/assignment {part!r} {where}"
        body = node.body if isinstance(node, ast.ClassDef) else []
    return None


def missing_test(path: Path, name: str) -> str | None:
    """Why the test ``name`` (``test_x``, ``Class::test_x``, ``test_scenario[NAME]``) is missing."""
    scenario = re.fullmatch(r"test_scenario\[(.+)\]", name)
    if scenario:
        cases = ROOT / "tests/scenarios/cases"
        if not (cases / f"{scenario.group(1)}.in.json").exists():
            return f"no scenario tests/scenarios/cases/{scenario.group(1)}.in.json"
        name = "test_scenario"
    name = re.sub(r"\[.*\]$", "", name).replace("::", ".")
    return symbol_problem(path, name)


def _names_in(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.arg) or (isinstance(node, ast.keyword) and node.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.update(re.findall(r"\w+", node.value))
    return names


def _resolve(raw: str) -> Path:
    first = raw.split("/", 1)[0]
    return ROOT / "firecase" / raw if first in SHORT else ROOT / raw


def reference_problem(ref: str, *, symbols: bool) -> str | None:
    """Why the code span ``ref`` is a stale reference, or None (also for a span that is none)."""
    match = _REF.match(ref.strip())
    if not match:
        return None
    raw, symbol = match["path"], match["sym"]
    if "{" in raw or "*" in raw or "<" in raw or _PLACEHOLDER.search(ref):
        return None  # a pattern (packaging/screenshots/screen-*, cases/NAME.in.json), not one file
    path = _resolve(raw.rstrip("/"))
    if not path.exists() and path.suffix != ".py" and "." in path.name:
        # `ui/parsing.parse_date`: a module and a name in it
        module, _, name = raw.partition(".")
        if _resolve(module + ".py").exists():
            raw, path, symbol = module + ".py", _resolve(module + ".py"), symbol or name
    if not path.exists():
        shown = "firecase/" + raw if raw.split("/", 1)[0] in SHORT else raw
        return f"{shown} does not exist"
    if symbol is None or not symbols:
        return None
    if path.suffix != ".py":
        return f"{raw} is not a Python file, so it has no ::{symbol}"
    if raw.startswith("tests/"):
        return missing_test(path, symbol)
    return symbol_problem(path, symbol)


def stale_references(doc: str, *, symbols: bool) -> list[str]:
    """Every stale reference of ``doc`` as ``doc:line: reference — why``."""
    problems: list[str] = []
    base = (ROOT / doc).parent
    for number, line in enumerate(_doc_lines(doc), start=1):
        where = f"{doc}:{number}"
        for ref in _CODE_SPAN.findall(line):
            problem = reference_problem(ref, symbols=symbols)
            if problem:
                problems.append(f"{where}: `{ref}` — {problem}")
        for target in _LINK.findall(line):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or an anchor in the same page
            file = (base / target.split("#", 1)[0]).resolve()
            if not file.is_relative_to(ROOT):
                problems.append(f"{where}: link {target} — points outside the repository")
            elif not file.exists():
                problems.append(f"{where}: link {target} — does not exist")
        if symbols:
            for ref, names in _BRACKETED.findall(line):
                match = _REF.match(ref)
                if not match or not _resolve(match["path"]).exists():
                    continue  # reported above
                defined = _names_in(_resolve(match["path"]))
                for name in re.findall(r"`([\w.]+)`", names):
                    if name.split(".")[-1] not in defined:
                        problems.append(
                            f"{where}: `{ref}` (`{name}`) — {name} does not occur in it"
                        )
        for outside in _OUTSIDE.findall(line):
            problems.append(f"{where}: {outside!r} — points outside the repository")
    return problems


def _report(problems: list[str]) -> str:
    return f"{len(problems)} stale reference(s) in the documentation:\n" + "\n".join(problems)


def test_code_and_test_references_of_rules_and_readme_exist() -> None:
    problems = [p for doc in SYMBOL_DOCS for p in stale_references(doc, symbols=True)]
    assert not problems, _report(problems)


def test_every_document_points_only_at_files_inside_the_repository() -> None:
    problems = [p for doc in ALL_DOCS for p in stale_references(doc, symbols=False)]
    assert not problems, _report(problems)


def test_every_document_of_the_repository_is_checked() -> None:
    found = {
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.md")
        if not any(
            part.startswith(".") or part.endswith(".egg-info") or part in ("build", "dist")
            for part in p.relative_to(ROOT).parts
        )
    }
    assert found <= set(ALL_DOCS), (
        f"documents this test does not read: {sorted(found - set(ALL_DOCS))}"
    )


def test_the_regulation_text_and_the_sources_it_names_are_in_the_repository() -> None:
    text = ROOT / "resources/regulation/tianmen-fire-investigation-measures-2022.zh.txt"
    head = [line for line in text.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert head and any("Source" in line for line in head), "the regulation text names its source"
    problems = [line for line in head if _OUTSIDE.search(line) or "../" in line]
    assert not problems, problems


def test_the_checker_finds_what_it_should() -> None:
    # the checker itself: a stale file, symbol, method, test and scenario
    assert reference_problem("firecase/rules/nowhere.py::x", symbols=True)
    assert reference_problem("firecase/rules/clocks.py::no_such_clock", symbols=True)
    assert reference_problem("firecase/rules/workdays.py::WorkdayCalendar.nope", symbols=True)
    assert reference_problem("tests/unit/rules/test_clocks.py::test_nope", symbols=True)
    assert reference_problem("tests/scenarios/test_scenarios.py::test_scenario[nope]", symbols=True)
    assert reference_problem("rules/nowhere.py", symbols=False)
    assert not reference_problem(
        "firecase/rules/workdays.py::WorkdayCalendar.add_workdays", symbols=True
    )
    assert not reference_problem("firecase/rules/clocks.py::investigation_due", symbols=True)
    assert not reference_problem("rules/clocks.py", symbols=False)
    assert _OUTSIDE.search("the source of truth is ../shared/SPEC.md")
    assert _OUTSIDE.search("see /work/main/docs")
    assert not _OUTSIDE.search("~/.local/share/FireCase/ and /path/to/cases.sqlite")


# notes about how the project was built ("SPEC R6", "issue 17", "the reports engineer") in the
# code's docstrings and comments.
_HISTORY = re.compile(r"\bSPEC\b|\bissue \d+\b|\bengineer\b")
_HISTORY_NOT_YET_CLEAN: frozenset[str] = frozenset()  # every file is clean now


def test_the_code_describes_itself_not_how_it_was_built() -> None:
    found = []
    for path in sorted((ROOT / "firecase").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if name in _HISTORY_NOT_YET_CLEAN:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _HISTORY.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "history notes instead of descriptions:\n" + "\n".join(found)
