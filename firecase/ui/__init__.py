"""The desktop application (PySide6). The only package of FireCase that imports Qt.

Layout: ``app`` (start-up, fonts, translator, crash handler), ``messages`` (every message box,
``show_error``), ``worker`` (runs service calls off the GUI thread), ``main_window``, ``models/``
(item models over service DTOs), ``widgets/``, ``dialogs/`` and ``workspace/`` (a case's tabs).
The UI calls services and shows their frozen DTOs; it never holds a session or an ORM object
and never computes a rule itself.
"""

from firecase.ui.import_tax import announce as _announce

_announce()  # before any module here imports PySide6 (see import_tax)
