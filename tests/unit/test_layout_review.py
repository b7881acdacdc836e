"""Review: the circle check (``test_layout.test_no_import_circles_anywhere``) does not see
the imports made through the lazily loading packages (``firecase.store``, ``firecase.rules``,
``firecase.lazy.lazy_names``). ``from firecase.store import CaseFile`` loads
``firecase.store.casefile`` when it runs, but ``_graph`` records only an edge to the package
``firecase.store``, whose ``__init__`` imports nothing but ``firecase.lazy`` at run time (its
real imports are under ``TYPE_CHECKING``, which the check skips). A circle that goes through
such a name is invisible to the check."""

from __future__ import annotations

from test_layout import _graph


def test_a_name_from_a_lazy_package_is_an_edge_to_the_module_that_defines_it() -> None:
    graph = _graph(("firecase",))
    # firecase/services/maintenance.py: ``from firecase.store import CaseFile, open_case_file``
    assert "firecase.store.casefile" in graph["firecase.services.maintenance"]


def test_the_lazy_package_reaches_its_modules() -> None:
    graph = _graph(("firecase",))
    assert "firecase.store.casefile" in graph["firecase.store"], graph["firecase.store"]
