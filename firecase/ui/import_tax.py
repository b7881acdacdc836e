"""PySide6 reads the source of every module imported after it; FireCase's modules are
announced to it instead.

PySide6's ``__feature__`` support (``shibokensupport.feature.feature_imported``) runs after
each import and, for a module it has not seen, calls ``inspect.getsource`` on it to look for
the text "PySide6" (whether the module may select features such as ``snake_case``). That
reads and tokenises the whole source file: measured with py-spy, 7 ms of the start before the
first painted rows went to it, for FireCase's own modules and the standard library's.

``announce`` puts a finder in front of the import system that enters each FireCase and
standard-library module in PySide6's table before it is imported (and, once PySide6 is
there, every module imported before it), so PySide6 finds it known and reads nothing. If a
later PySide6 has no such table, the finder does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

_FEATURE_MODULE = "shibokensupport.feature"


class FeatureTableFinder:
    """A meta-path finder that finds nothing: it only fills PySide6's feature table."""

    def __init__(self) -> None:
        self._table: dict[str, int] | None = None  # PySide6's, once it is imported

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        table = self._table
        if table is None:
            feature = sys.modules.get(_FEATURE_MODULE)
            found = getattr(feature, "pyside_feature_dict", None)
            if not isinstance(found, dict):
                return None
            # modules imported before PySide6 are read too when a later import names them
            # (``from os import path`` hands ``os`` to PySide6 again): entered all at once
            for name in list(sys.modules):
                enter(found, name)
            table = self._table = found
        enter(table, fullname)
        return None


def feature_choice(fullname: str) -> int | None:
    """The entry for ``fullname`` without reading its source; None: let PySide6 read it.

    0 ("no features") for FireCase's modules, -1 ("ignore this module") for the standard
    library's, which never import Qt. Both select no feature, which is all FireCase wants
    (it imports no ``__feature__``; a test checks)."""
    top = fullname.partition(".")[0]
    if top == "firecase":
        return 0
    if top in sys.stdlib_module_names:
        return -1
    return None


def enter(table: dict[str, int], fullname: str) -> None:
    """Enter ``fullname`` in PySide6's table unless it is there or is not ours to answer."""
    if fullname not in table:
        choice = feature_choice(fullname)
        if choice is not None:
            table[fullname] = choice


def announce() -> None:
    """Install the finder first in ``sys.meta_path`` (once)."""
    if not any(isinstance(f, FeatureTableFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, FeatureTableFinder())  # type: ignore[arg-type]
