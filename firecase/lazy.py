"""Packages whose public names load their modules on first use (stdlib only, no Qt).

``firecase.rules`` and ``firecase.store`` list where each public name lives and install the
pair of module functions returned here, so importing one light module of the package (or one
constant) does not import all of it. ``from package import name`` works as before; mypy reads
the names from the package's ``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, where: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``where`` maps a public name to its module;
    a name once loaded is kept in the package's ``namespace`` (its ``globals()``)."""

    def getattr_(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *where})

    return getattr_, dir_
