"""Start-up of the desktop application: Qt application, fonts, translations, crash handler.

``run_gui(args)`` is what ``firecase`` runs when no subcommand is given. Everything here runs on
the GUI thread before or around the event loop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from firecase import __version__, paths
from firecase.log import setup_logging

if TYPE_CHECKING:
    from firecase.ui.main_window import DemoWriter

log = logging.getLogger(__name__)

# Bundled TrueType CJK fonts (resources/fonts), first one wins as the UI font.
_UI_FONT_FILES = ("wqy-microhei.ttc", "uming.ttc")
_UI_FONT_SIZE = 10


def register_fonts() -> list[str]:
    """Register the bundled CJK fonts with Qt; return the families they provide."""
    families: list[str] = []
    for name in _UI_FONT_FILES:
        path = paths.resource("fonts", name)
        if not path.exists():
            log.warning("bundled font missing: %s", path)
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("Qt could not load font %s", path)
            continue
        families.extend(f for f in QFontDatabase.applicationFontFamilies(font_id) if f)
    return families


def ui_font(families: list[str]) -> QFont:
    """The application font: the platform's Chinese UI face on Windows, else a bundled one."""
    installed = set(QFontDatabase.families())
    preferred = ["Microsoft YaHei UI", "Microsoft YaHei"] if sys.platform == "win32" else []
    preferred += ["WenQuanYi Micro Hei", *families]
    family = next((f for f in preferred if f in installed), None)
    font = QFont(family) if family else QFont()
    font.setPointSize(_UI_FONT_SIZE)
    # Glyphs the main face lacks fall back to the other bundled face.
    font.setFamilies([f for f in [family, *families] if f] or font.families())
    return font


# Strings of Qt's own widgets that Qt's qtbase_zh_CN.qm (6.x) lacks: Qt 6 changed their
# source text (mnemonics added) after the Chinese translation was made, so the non-native file
# dialog showed "&Look in:" and "Files of &type:" in English. (context, source) → Chinese.
QT_SUPPLEMENT: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


_INSTALLED: list[QTranslator] = []


class SupplementTranslator(QTranslator):
    """``QT_SUPPLEMENT``, asked before Qt's own translation (installed after it)."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None: a null QString, "not translated here" (an empty one would blank the text)
        return QT_SUPPLEMENT.get((context, source_text))

    def isEmpty(self) -> bool:
        return False


def install_translator(app: QApplication) -> QTranslator | None:
    """Load Qt's own zh_CN translation (standard buttons and dialogs in Chinese) and the
    strings it lacks (``QT_SUPPLEMENT``)."""
    supplement = SupplementTranslator(app)
    _INSTALLED.append(supplement)  # the Python object behind the C++ one lives as long
    translator = QTranslator(app)
    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(paths.resource("translations")),
    ]
    for folder in folders:
        if translator.load("qtbase_zh_CN", folder):
            app.installTranslator(translator)
            app.installTranslator(supplement)  # the last installed is asked first
            return translator
    log.warning("qtbase_zh_CN.qm not found in %s", folders)
    app.installTranslator(supplement)
    return None


def setup_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created if needed) with name, icon, Chinese locale, fonts, translator."""
    from firecase.ui.icons import app_icon

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    if app.property("firecase_ready"):
        return app
    app.setApplicationName("FireCase")
    app.setApplicationDisplayName("火灾事故调查处理")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("FireCase")
    app.setDesktopFileName("firecase")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    app.setWindowIcon(app_icon())
    app.setFont(ui_font(register_fonts()))
    install_translator(app)
    from firecase.ui.gui_gc import install_gui_thread_gc

    install_gui_thread_gc(app)
    app.setProperty("firecase_ready", True)
    return app


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """Crash handler: log the traceback and show the crash dialog (GUI thread only)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
    if threading.current_thread() is not threading.main_thread():
        return
    from firecase.ui.messages import show_crash

    try:
        show_crash(exc.with_traceback(tb))
    except Exception:  # the dialog itself failed: the log has the traceback
        log.exception("crash dialog failed")


def install_crash_handler() -> None:
    """Route uncaught exceptions (also those raised in slots) to the log and a dialog."""
    sys.excepthook = _excepthook

    def thread_hook(hook_args: threading.ExceptHookArgs) -> None:
        log.critical(
            "uncaught exception in thread %s",
            hook_args.thread.name if hook_args.thread else "?",
            exc_info=(hook_args.exc_type, hook_args.exc_value, hook_args.exc_traceback),  # type: ignore[arg-type]
        )

    threading.excepthook = thread_hook


def case_file_location(args: argparse.Namespace) -> str:
    """The case file to open: ``--db`` or the default case file in the user data folder."""
    db = getattr(args, "db", None)
    return str(db) if db else str(paths.default_case_file())


def prefetch_first_page(
    location: str, *, today: dt.date | None = None, user: str | None = None
) -> Any:
    """A team server's first page of the case list, begun on a thread now (a
    ``services.first_page.PagePrefetch``): its round trips wait on the network while the
    window's modules load (about 12 ms sooner at 100,000 cases). None for a file,
    whose read is Python's and SQLite's work under the GIL: a thread then only competes with
    the imports (measured: 10 ms later, not sooner); None for a server URL without its
    password (the window asks for it first)."""
    from firecase.store.urltext import SERVER_SCHEMES

    if not location.startswith(SERVER_SCHEMES):
        return None  # a file: nothing imported for it (first_page and settings were 15 ms)
    from firecase.services.first_page import PagePrefetch
    from firecase.settings import PreferenceStore
    from firecase.store.server import has_password

    if not has_password(location):
        return None
    limit = PreferenceStore().load().page_size  # the window's (load never raises: defaults)
    return PagePrefetch(location, limit=limit, today=today or dt.date.today(), user=user)


def run_gui(args: argparse.Namespace, *, demo: DemoWriter | None = None) -> int:
    """Run the desktop application until its main window closes; return the exit code.

    ``demo`` writes the demonstration cases into an empty case file when the officer accepts
    the first-run offer (the command line hands it in: the GUI does not import the samples);
    without it nothing is offered."""
    log_path = setup_logging()
    log.info("FireCase %s starting (log %s)", __version__, log_path)
    location = case_file_location(args)
    prefetched = prefetch_first_page(location, user=getattr(args, "user", None))
    app = setup_application()
    install_crash_handler()
    from firecase.ui.main_window import MainWindow

    window = MainWindow(user=getattr(args, "user", None), demo=demo)
    window.show()
    window.open_location(location, prefetched=prefetched)
    code = app.exec()
    log.info("FireCase exiting with %s", code)
    return int(code)
