"""The report dialog's page preview, ``PagePreview`` (a part of ``report_dialog``). GUI thread
only."""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QImage,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from firecase.ui.dialogs._report_render import (
    _A4_POINTS,
    _BASE_ZOOM,
    _PAGE_GAP,
    _SHARPER,
    CACHE_PAGES,
    MAX_PREVIEW_DPI,
    SCREEN_DPI,
    ZOOM_STEPS,
    _return_memory_to_os,
)


class PagePreview(QScrollArea):
    """The pages of a report, one under the other, with zoom. GUI thread only.

    Owned by a :class:`ReportDialog` (or a document dialog). Every page has a placeholder of
    its known size; a page is shown from a rasterised image. Two modes:

    * :meth:`set_pages` (small documents): all page images are given and kept.
    * :meth:`set_lazy_pages` (reports of any length): only the pages given are rasterised; the
      others are asked for with ``pages_wanted(list[int], dpi)`` when they scroll into view
      (one request at a time, answered with :meth:`add_rendered` or :meth:`render_failed`).
      At most ``CACHE_PAGES`` images are kept (the least recently shown go first), and
      :meth:`release` drops them all (the dialog calls it when it closes).

    ``zoom_changed(float)`` after every zoom (1.0 = real size at 96 dpi);
    ``current_page_changed(int)`` when another page is in view (1-based);
    ``sharper_wanted(float)`` when the zoom needs images at a higher dpi than it has.
    Ctrl + mouse wheel zooms. In fit-width mode (the default) the zoom follows the width.
    """

    zoom_changed = Signal(float)
    current_page_changed = Signal(int)
    sharper_wanted = Signal(float)
    pages_wanted = Signal(object, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # the state first: setWidget below may already deliver a resize event
        self._sizes: tuple[tuple[float, float], ...] = ()
        self._cache: OrderedDict[int, tuple[float, QImage]] = OrderedDict()
        self._lazy = False
        self._asked: tuple[int, ...] = ()  # the pages of the request in flight
        self._failed: set[int] = set()
        self._dpi = SCREEN_DPI
        self._zoom = 1.0
        self._fit_width = True
        self._current = 0
        self.page_labels: list[QLabel] = []
        self._scroll_to: int | None = None  # a show_page the scroll range did not allow yet
        self._visible_timer = QTimer(self)
        self._visible_timer.setSingleShot(True)
        self._visible_timer.setInterval(0)
        self._visible_timer.timeout.connect(self._on_visible_timer_timeout)
        self.setObjectName("pagePreview")
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._column = QWidget(self)
        self._column.setObjectName("pageColumn")
        self._column.setStyleSheet(
            "#pageColumn { background: #7a7f85; }"
            "QLabel[page='true'] { background: white; border: 1px solid #4a4d52; color: #888; }"
        )
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(_PAGE_GAP, _PAGE_GAP, _PAGE_GAP, _PAGE_GAP)
        self._layout.setSpacing(_PAGE_GAP)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._column)
        self.verticalScrollBar().valueChanged.connect(self._on_scrollbar_value_changed)
        self.verticalScrollBar().rangeChanged.connect(self._on_scrollbar_range_changed)

    # -- state --------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        """The zoom factor (1.0 = real size)."""
        return self._zoom

    @property
    def fit_width(self) -> bool:
        """Whether the zoom follows the width of the view."""
        return self._fit_width

    @property
    def page_count(self) -> int:
        """How many pages are shown."""
        return len(self._sizes)

    @property
    def current_page(self) -> int:
        """The page in view (1-based; 0 when there are none)."""
        return self._current

    @property
    def dpi(self) -> float:
        """The resolution pages are rasterised at."""
        return self._dpi

    @property
    def cached_pages(self) -> tuple[int, ...]:
        """The pages (1-based) whose images are kept now, in ascending order."""
        return tuple(sorted(self._cache))

    @property
    def settled(self) -> bool:
        """Whether no pages are asked for (``pages_wanted``) nor about to be."""
        idle = not self._asked and not self._visible_timer.isActive()
        return idle and self._scroll_to is None

    def wanted_dpi(self, sizes: Sequence[tuple[float, float]] | None = None) -> float:
        """The image resolution that is sharp at the current (or fit-width) zoom."""
        zoom = self._fit_zoom(sizes or self._sizes) if self._fit_width else self._zoom
        zoom = max(zoom, _BASE_ZOOM)
        return min(MAX_PREVIEW_DPI, SCREEN_DPI * zoom * self.devicePixelRatioF())

    def visible_pages(self) -> list[int]:
        """The pages (1-based) in or near the view (half a view above and below)."""
        if not self._sizes:
            return []
        bar = self.verticalScrollBar()
        height = max(1, self.viewport().height())
        top, bottom = bar.value() - height // 2, bar.value() + height + height // 2
        tops = self._page_tops()
        first = max(0, bisect.bisect_right(tops, top) - 1)
        last = bisect.bisect_left(tops, bottom)
        return list(range(first + 1, min(last, len(tops)) + 1))

    # -- pages --------------------------------------------------------------------------------

    def set_pages(
        self, sizes: Sequence[tuple[float, float]], images: Sequence[QImage], dpi: float
    ) -> None:
        """Show these page images, all kept (``dpi`` is their resolution); keeps zoom and
        position when the pages are the same."""
        self._install(sizes, dpi, dict(enumerate(images, 1)), lazy=False)

    def set_lazy_pages(
        self, sizes: Sequence[tuple[float, float]], dpi: float, images: Mapping[int, QImage]
    ) -> None:
        """Show pages of these sizes; ``images`` (page -> image at ``dpi``) are the ones
        rasterised already, the others are asked for when they come into view."""
        self._install(sizes, dpi, images, lazy=True)

    def _install(
        self,
        sizes: Sequence[tuple[float, float]],
        dpi: float,
        images: Mapping[int, QImage],
        *,
        lazy: bool,
    ) -> None:
        same_report = tuple(sizes) == self._sizes
        scroll = self.verticalScrollBar().value()
        self._sizes, self._dpi, self._lazy = tuple(sizes), dpi, lazy
        self._scroll_to = None
        self._cache.clear()
        self._asked = ()
        self._failed.clear()
        for number, image in images.items():
            self._cache[number] = (dpi, image)
        if len(self.page_labels) != len(self._sizes):
            for label in self.page_labels:
                self._layout.removeWidget(label)
                label.deleteLater()
            self.page_labels = []
            for number in range(1, len(self._sizes) + 1):
                label = QLabel(self._column)
                label.setObjectName(f"page{number}")
                label.setProperty("page", True)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setAccessibleName(f"第{number}页")
                self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
                self.page_labels.append(label)
        if self._fit_width:
            self._zoom = self._fit_zoom(self._sizes)
        self._relayout()
        self.verticalScrollBar().setValue(scroll if same_report else 0)
        self._update_current()
        self._evict()
        self._visible_timer.start()

    def set_dpi(self, dpi: float) -> None:
        """Rasterise pages at ``dpi`` from now on (lazy mode: the pages in view are asked for
        again; their coarser images stay shown meanwhile)."""
        self._dpi = dpi
        self._visible_timer.start()

    def add_rendered(self, dpi: float, images: Mapping[int, QImage]) -> None:
        """The answer to ``pages_wanted``: page images at ``dpi``."""
        self._asked = ()
        for number, image in images.items():
            if 1 <= number <= len(self._sizes):
                self._cache[number] = (dpi, image)
                self._cache.move_to_end(number)
                self._show_image(number)
        self._evict()
        self._visible_timer.start()

    def render_failed(self) -> None:
        """The request for pages failed: they say so and are not asked for again."""
        for number in self._asked:
            self._failed.add(number)
            if number <= len(self.page_labels):
                self.page_labels[number - 1].setText("无法显示此页")
        self._asked = ()

    def release(self) -> None:
        """Drop every page image and pixmap (the dialog closed); pages in view are asked for
        again if it is shown once more."""
        self._cache.clear()
        self._asked = ()
        for label in self.page_labels:
            label.clear()
        _return_memory_to_os()

    def clear(self) -> None:
        """Show no pages."""
        self._install((), self._dpi, {}, lazy=False)

    def page_pixmap(self, number: int) -> QPixmap:
        """The pixmap shown for page ``number`` (1-based; null while it is not rasterised)."""
        return self.page_labels[number - 1].pixmap()

    def show_page(self, number: int) -> None:
        """Scroll so that page ``number`` (1-based) starts at the top of the view (once the
        scroll range allows it, if the column's new height is not laid out yet)."""
        if 1 <= number <= len(self.page_labels):
            bar = self.verticalScrollBar()
            value = self._page_tops()[number - 1] - _PAGE_GAP
            self._scroll_to = value if value > bar.maximum() else None
            bar.setValue(value)

    def _page_size(self, number: int) -> QSize:
        w_pt, h_pt = self._sizes[number - 1]
        return QSize(
            round(w_pt / 72.0 * SCREEN_DPI * self._zoom),
            round(h_pt / 72.0 * SCREEN_DPI * self._zoom),
        )

    def _show_image(self, number: int) -> None:
        """Put the kept image of page ``number`` on its label, scaled to the zoom."""
        label = self.page_labels[number - 1]
        _dpi, image = self._cache[number]
        ratio = self.devicePixelRatioF()
        scaled = image.scaled(
            self._page_size(number) * ratio,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        label.setPixmap(pixmap)

    def _evict(self) -> None:
        """Keep at most ``CACHE_PAGES`` images (lazy mode), never those in view."""
        if not self._lazy or len(self._cache) <= CACHE_PAGES:
            return
        keep = set(self.visible_pages())
        for number in list(self._cache):
            if len(self._cache) <= CACHE_PAGES:
                break
            if number not in keep:
                del self._cache[number]
                self.page_labels[number - 1].clear()

    def _request_visible(self) -> None:
        """Ask for the pages in view that have no image at the wanted resolution."""
        if not self._lazy or self._asked or not self.isVisible():
            return
        visible = self.visible_pages()
        for number in visible:
            if number in self._cache:
                self._cache.move_to_end(number)
        missing = [
            n
            for n in visible
            if n not in self._failed and (n not in self._cache or self._cache[n][0] < self._dpi)
        ]
        if not missing:
            return
        current = self._current or missing[0]
        missing.sort(key=lambda n: abs(n - current))  # the page in view first
        self._asked = tuple(missing[:CACHE_PAGES])
        for number in self._asked:
            label = self.page_labels[number - 1]
            if label.pixmap().isNull():
                label.setText(f"第{number}页")
        self.pages_wanted.emit(list(self._asked), self._dpi)

    # -- zoom ---------------------------------------------------------------------------------

    def set_zoom(self, zoom: float) -> None:
        """Zoom to ``zoom`` (clamped to the zoom steps' range); leaves fit-width mode."""
        self._fit_width = False
        self._apply_zoom(min(ZOOM_STEPS[-1], max(ZOOM_STEPS[0], zoom)))

    def zoom_in(self) -> None:
        """The next larger zoom step."""
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom + 1e-3), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        """The next smaller zoom step."""
        smaller = [z for z in ZOOM_STEPS if z < self._zoom - 1e-3]
        self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def set_fit_width(self) -> None:
        """Zoom so that the widest page fills the view's width, and keep it so on resize."""
        self._fit_width = True
        self._apply_zoom(self._fit_zoom(self._sizes))

    def _fit_zoom(self, sizes: Sequence[tuple[float, float]]) -> float:
        widest = max((w for w, _ in sizes), default=_A4_POINTS[0])
        scrollbar = self.verticalScrollBar().sizeHint().width()
        room = self.viewport().width() - 2 * _PAGE_GAP - (0 if sizes else scrollbar) - 2
        return max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], room / (widest / 72.0 * SCREEN_DPI)))

    def _apply_zoom(self, zoom: float) -> None:
        if abs(zoom - self._zoom) < 1e-4 and self.page_labels:
            return
        bar = self.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._zoom = zoom
        self._relayout()
        bar.setValue(round(fraction * bar.maximum()))
        self.zoom_changed.emit(zoom)
        self._visible_timer.start()
        wanted = self.wanted_dpi()
        if self._sizes and wanted > self._dpi * _SHARPER:
            self.sharper_wanted.emit(wanted)

    def _relayout(self) -> None:
        for number, label in enumerate(self.page_labels, 1):
            label.setFixedSize(self._page_size(number) + QSize(2, 2))
        for number in self._cache:
            self._show_image(number)
        self._column.adjustSize()

    def _page_tops(self) -> list[int]:
        """Where each page starts in the column (computed, so valid before the next layout)."""
        tops, y = [], _PAGE_GAP
        for label in self.page_labels:
            tops.append(y)
            y += label.height() + _PAGE_GAP
        return tops

    def _update_current(self) -> None:
        current = 0
        if self.page_labels:
            probe = self.verticalScrollBar().value() + self.viewport().height() // 3
            current = max(1, bisect.bisect_right(self._page_tops(), probe))
        if current != self._current:
            self._current = current
            self.current_page_changed.emit(current)

    # -- events -------------------------------------------------------------------------------

    def _on_scrollbar_value_changed(self, _value: int) -> None:
        self._update_current()
        self._visible_timer.start()

    def _on_scrollbar_range_changed(self, _low: int, high: int) -> None:
        if self._scroll_to is not None:
            value = self._scroll_to
            if value <= high:
                self._scroll_to = None
            self.verticalScrollBar().setValue(value)

    def _on_visible_timer_timeout(self) -> None:
        self._request_visible()

    def showEvent(self, event: QShowEvent) -> None:
        """Pages dropped while hidden are asked for again."""
        super().showEvent(event)
        self._visible_timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """In fit-width mode the zoom follows the width."""
        super().resizeEvent(event)
        if self._fit_width and self._sizes:
            self._apply_zoom(self._fit_zoom(self._sizes))
        self._visible_timer.start()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl + wheel zooms; the wheel alone scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)
