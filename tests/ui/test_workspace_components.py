"""The workspace building blocks: table model, form fields, record dialog, CRUD panel, conflict
dialog and the clock timeline, driven through their widgets (no case file needed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLineEdit
from test_workspace_support import answer_next_box, find_button, type_text

from firecase.errors import ConflictError, ValidationError
from firecase.ui.workspace.crud import Column, ConflictDialog, CrudPanel, DtoTableModel
from firecase.ui.workspace.fields import (
    ChoiceField,
    DateField,
    IntField,
    MoneyField,
    NamesField,
    TextField,
)
from firecase.ui.workspace.timeline import (
    PAUSE_COLOUR,
    TODAY_COLOUR,
    ClockTimeline,
    TimelineMark,
    TimelineSpec,
)


@dataclasses.dataclass(frozen=True)
class Thing:
    id: int
    name: str
    count: int
    kind: str
    on: dt.date
    gone: bool
    version: int


class FakeContext(QObject):
    """Stands in for ``WorkspaceContext``: runs calls at once, keeps records in a dict."""

    detail_loaded = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[int, Thing] = {}
        self.next_id = 1
        self.detail: Any = None
        self.changes = 0

    def changed(self) -> None:
        self.changes += 1

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        label: str = "",
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_failure is not None:
                on_failure(exc)
            return
        if on_success is not None:
            on_success(result)

    def reload(self, then: Callable[[Any], None] | None = None) -> None:
        self.detail = SimpleNamespace(things=tuple(self.records.values()))
        self.detail_loaded.emit(self.detail)
        if then is not None:
            then(self.detail)

    # the fake "service"
    def add(self, values: dict[str, Any]) -> Thing:
        if values["name"] == "坏":
            raise ValidationError("名称不能为“坏”。", field="name")
        thing = Thing(id=self.next_id, gone=False, version=1, **values)
        self.records[thing.id] = thing
        self.next_id += 1
        return thing

    def update(self, dto: Thing, values: dict[str, Any], version: int) -> Thing:
        current = self.records[dto.id]
        if current.version != version:
            raise ConflictError("记录已被修改。", field="version")
        new = dataclasses.replace(current, version=current.version + 1, **values)
        self.records[dto.id] = new
        return new

    def remove(self, dto: Thing, version: int) -> None:
        if self.records[dto.id].version != version:
            raise ConflictError("记录已被修改。")
        del self.records[dto.id]


FIELDS = (
    TextField("name", "名称", required=True, max_len=10),
    IntField("count", "数量", required=True, maximum=99),
    ChoiceField("kind", "种类", choices=("甲", "乙")),
    DateField("on", "日期"),
)
COLUMNS = (
    Column("名称", lambda t: t.name),
    Column("数量", lambda t: t.count),
    Column("种类", lambda t: t.kind),
    Column("日期", lambda t: t.on),
)


@pytest.fixture
def panel(qtbot: Any) -> tuple[CrudPanel, FakeContext]:
    ctx = FakeContext()
    panel = CrudPanel(
        ctx,  # type: ignore[arg-type]
        noun="事项",
        columns=COLUMNS,
        fields=FIELDS,
        rows=lambda d: d.things,
        to_values=lambda t: {"name": t.name, "count": t.count, "kind": t.kind, "on": t.on},
        add=ctx.add,
        update=ctx.update,
        remove=ctx.remove,
        describe=lambda t: t.name,
        muted=lambda t: t.gone,
    )
    ctx.detail_loaded.connect(panel.set_detail)
    qtbot.addWidget(panel)
    panel.show()
    ctx.reload()
    return panel, ctx


def test_model_passes_modeltester(qtmodeltester: Any) -> None:
    model = DtoTableModel(COLUMNS, muted=lambda t: t.gone)
    model.set_rows(
        [
            Thing(1, "一", 1, "甲", dt.date(2024, 1, 2), False, 1),
            Thing(2, "二", 2, "乙", dt.date(2024, 1, 3), True, 1),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole).color() == QColor(
        "#8a8a8a"
    )
    assert model.data(model.index(0, 3)) == "2024-01-02"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "名称"


def test_add_shows_field_messages_then_saves(panel: tuple[CrudPanel, FakeContext], qtbot: Any):
    crud, ctx = panel
    qtbot.mouseClick(find_button(crud, "addButton"), Qt.MouseButton.LeftButton)
    dialog = crud.dialog
    assert dialog is not None and dialog.isVisible()
    form = dialog.form
    # nothing typed: both required fields say so, nothing saved
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["name"].text() == "请填写名称。"
    assert form.errors["count"].text() == "请填写数量。"
    assert not ctx.records
    count = form.editor("count")
    assert isinstance(count, QLineEdit)
    qtbot.keyClicks(count, "abc")
    type_text(form.editor("name"), "灭火器")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["count"].text() == "数量应为整数（如 3）。"
    assert form.errors["name"].isHidden()
    count.clear()
    qtbot.keyClicks(count, "120")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["count"].text() == "数量不能大于99。"
    count.clear()
    qtbot.keyClicks(count, "12")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert crud.dialog is None
    assert [t.name for t in ctx.records.values()] == ["灭火器"]
    assert crud.model.rowCount() == 1
    assert crud.selected().name == "灭火器"


def test_service_validation_message_lands_under_its_field(
    panel: tuple[CrudPanel, FakeContext], qtbot: Any
) -> None:
    crud, ctx = panel
    dialog = crud.open_add()
    form = dialog.form
    form.editor("name").setText("坏")
    form.editor("count").setText("1")
    form.edited.emit()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["name"].text() == "名称不能为“坏”。"
    assert crud.dialog is dialog and dialog.isVisible()
    assert not ctx.records


def test_edit_and_remove(panel: tuple[CrudPanel, FakeContext], qtbot: Any) -> None:
    crud, ctx = panel
    ctx.add({"name": "水带", "count": 3, "kind": "甲", "on": dt.date(2024, 5, 1)})
    ctx.reload()
    crud.view.selectRow(0)
    qtbot.mouseClick(find_button(crud, "editButton"), Qt.MouseButton.LeftButton)
    dialog = crud.dialog
    assert dialog is not None
    assert dialog.form.editor("name").text() == "水带"
    dialog.form.editor("count").clear()
    qtbot.keyClicks(dialog.form.editor("count"), "7")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ctx.records[1].count == 7 and ctx.records[1].version == 2
    assert crud.model.data(crud.model.index(0, 1)) == "7"
    crud.view.selectRow(0)
    seen: list[str] = []
    answer_next_box("删除", seen)
    qtbot.mouseClick(find_button(crud, "removeButton"), Qt.MouseButton.LeftButton)
    assert seen and "水带" in seen[0]
    assert not ctx.records
    assert crud.model.rowCount() == 0


def test_cancel_with_typed_input_asks_first(
    panel: tuple[CrudPanel, FakeContext], qtbot: Any
) -> None:
    crud, _ctx = panel
    dialog = crud.open_add()
    type_text(dialog.form.editor("name"), "未保存的内容")
    assert dialog.form.is_dirty
    seen: list[str] = []
    answer_next_box("continueButton", seen)
    dialog.reject()
    assert seen and "尚未保存" in seen[0]
    assert dialog.isVisible()  # "继续编辑" keeps the dialog and the text
    assert dialog.form.editor("name").text() == "未保存的内容"
    answer_next_box("discardButton")
    dialog.reject()
    assert crud.dialog is None


def test_stale_version_shows_both_versions_and_overwrites_knowingly(
    panel: tuple[CrudPanel, FakeContext], qtbot: Any
) -> None:
    crud, ctx = panel
    ctx.add({"name": "原名", "count": 1, "kind": "甲", "on": dt.date(2024, 5, 1)})
    ctx.reload()
    crud.view.selectRow(0)
    dialog = crud.open_edit(crud.selected())
    assert dialog is not None
    # meanwhile another window saves a change
    ctx.records[1] = dataclasses.replace(ctx.records[1], name="别人改的", version=2)
    dialog.form.editor("name").setText("我改的")
    dialog.form.edited.emit()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    conflict = crud.conflict_dialog
    assert isinstance(conflict, ConflictDialog) and conflict.isVisible()
    table = conflict.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "名称")
    assert table.item(row, 1).text() == "我改的"
    assert table.item(row, 2).text() == "别人改的"
    assert conflict.differences == 1
    qtbot.mouseClick(conflict.overwrite_button, Qt.MouseButton.LeftButton)
    assert ctx.records[1].name == "我改的" and ctx.records[1].version == 3
    assert crud.dialog is None


def test_stale_version_reload_drops_my_edit(
    panel: tuple[CrudPanel, FakeContext], qtbot: Any
) -> None:
    crud, ctx = panel
    ctx.add({"name": "原名", "count": 1, "kind": "甲", "on": dt.date(2024, 5, 1)})
    ctx.reload()
    crud.view.selectRow(0)
    dialog = crud.open_edit(crud.selected())
    assert dialog is not None
    ctx.records[1] = dataclasses.replace(ctx.records[1], name="别人改的", version=2)
    dialog.form.editor("name").setText("我改的")
    dialog.form.edited.emit()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    conflict = crud.conflict_dialog
    assert conflict is not None
    qtbot.mouseClick(conflict.reload_button, Qt.MouseButton.LeftButton)
    assert ctx.records[1].name == "别人改的"
    # the form is reopened on the saved record
    assert crud.dialog is not None
    assert crud.dialog.form.editor("name").text() == "别人改的"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (MoneyField("loss", "损失"), "12.345", "损失最多保留两位小数（到分）。"),
        (MoneyField("loss", "损失"), "-1", "损失不能为负数。"),
        (
            MoneyField("loss", "损失"),
            "一百",
            "损失应为金额（元），如 1250000.00（“一百”不是数字）。",
        ),
        (TextField("t", "名称", max_len=3), "abcd", "名称过长（最多3个字）。"),
    ],
)
def test_field_messages(qtbot: Any, field: Any, typed: str, message: str) -> None:
    from firecase.ui.workspace.crud import RecordForm

    form = RecordForm([field])
    qtbot.addWidget(form)
    if typed.isascii():
        qtbot.keyClicks(form.editor(field.key), typed)
    else:
        type_text(form.editor(field.key), typed)
    assert form.values() is None
    assert form.errors[field.key].text() == message


def test_money_and_names_read_exact_values(qtbot: Any) -> None:
    from firecase.ui.workspace.crud import RecordForm

    form = RecordForm([MoneyField("loss", "损失"), NamesField("rel", "亲属")])
    qtbot.addWidget(form)
    qtbot.keyClicks(form.editor("loss"), "1,250,000.5")
    form.editor("rel").setPlainText("张三\n\n 李四 \n")
    assert form.values() == {"loss": Decimal("1250000.5"), "rel": ("张三", "李四")}


# -- timeline ---------------------------------------------------------------------------------


def _spec(**kw: Any) -> TimelineSpec:
    base: dict[str, Any] = {
        "label": "调查期限",
        "start": dt.date(2024, 3, 1),
        "due": dt.date(2024, 4, 30),
        "today": dt.date(2024, 4, 10),
        "state": "ok",
        "pauses": ((dt.date(2024, 3, 10), dt.date(2024, 3, 20)),),
        "marks": (TimelineMark(dt.date(2024, 4, 1), "延长30日"),),
    }
    base.update(kw)
    return TimelineSpec(**base)


def _pixel(widget: ClockTimeline, x: float, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(round(x), y)


def test_timeline_maps_dates_and_paints_bar_pause_and_today(qtbot: Any) -> None:
    widget = ClockTimeline(_spec())
    qtbot.addWidget(widget)
    widget.resize(600, 64)
    widget.show()
    qtbot.waitExposed(widget)
    x_start, x_due = widget.date_x(dt.date(2024, 3, 1)), widget.date_x(dt.date(2024, 4, 30))
    assert x_start == ClockTimeline.MARGIN
    assert x_due == pytest.approx(600 - ClockTimeline.MARGIN)
    mid_y = ClockTimeline.BAR_TOP + ClockTimeline.BAR_HEIGHT // 2
    # inside the bar, away from pause and today: the "ok" fill
    assert _pixel(widget, widget.date_x(dt.date(2024, 4, 20)), mid_y) == QColor("#cfe8d4")
    # the pause is shaded with the pause colour (mixed over the bar)
    paused = _pixel(widget, widget.date_x(dt.date(2024, 3, 15)) + 0.5, mid_y + 2)
    assert paused != QColor("#cfe8d4")
    assert paused.blue() > paused.green() or paused == QColor(PAUSE_COLOUR)
    # today's red line
    today = _pixel(widget, widget.date_x(dt.date(2024, 4, 10)), mid_y)
    assert today.red() > 150 and today.green() < 120, today.name()
    assert QColor(TODAY_COLOUR).red() > 150
    assert "延长30日" in widget.toolTip() and "届满 2024-04-30" in widget.toolTip()


def test_timeline_axis_stretches_to_today_when_overdue(qtbot: Any) -> None:
    widget = ClockTimeline(_spec(today=dt.date(2024, 6, 29), state="overdue", pauses=(), marks=()))
    qtbot.addWidget(widget)
    widget.resize(600, 64)
    assert widget.date_x(dt.date(2024, 6, 29)) == pytest.approx(600 - ClockTimeline.MARGIN)
    assert widget.date_x(dt.date(2024, 4, 30)) < 600 - ClockTimeline.MARGIN - 100


def test_timeline_without_due_date_says_so(qtbot: Any) -> None:
    widget = ClockTimeline(_spec(due=None, state="unknown", pauses=(), marks=()))
    qtbot.addWidget(widget)
    widget.resize(500, 64)
    widget.show()
    widget.grab()  # paints without error
    assert "届满" not in widget.toolTip()
    empty = ClockTimeline(None)
    qtbot.addWidget(empty)
    empty.grab()
    assert QApplication.instance() is not None


def test_finished_clock_is_drawn_on_its_own_span() -> None:
    spec = _spec(done_on=dt.date(2024, 4, 20), today=dt.date(2025, 1, 1), state="done")
    assert spec.span() == (dt.date(2024, 3, 1), dt.date(2024, 4, 30))


def test_a_long_text_in_a_field_shows_its_beginning(qtbot: Any) -> None:
    """编辑处理建议: *依据 opened scrolled to its end, the start of the citation cut off."""
    from PySide6.QtWidgets import QWidget

    from firecase.ui.workspace.fields import TextField

    host = QWidget()
    qtbot.addWidget(host)
    field = TextField("basis", "依据")
    edit = field.create(host)
    field.write(
        edit, "《中华人民共和国消防法》第六十四条第（一）项、《天门市火灾事故调查处理办法》第二十条"
    )
    assert edit.cursorPosition() == 0


def test_a_checklist_of_members_shows_ten_names_whole_and_no_sideways_scroll(qtbot: Any) -> None:
    """Seen in 专项小组 (the GUI review): the members were ticked through a slot of six rows at
    120 pixels with a horizontal scroll bar under the longer names. The list is as tall as its
    names up to about ten, never scrolls sideways, and names a cut entry whole in its tip."""
    from PySide6.QtWidgets import QListWidget, QWidget

    from firecase.ui.workspace.fields import MULTI_REF_MAX_HEIGHT, MultiRefField

    names = [(i, f"成员{i}（湖北省消防救援总队火灾调查处技术科）") for i in range(1, 16)]
    parent = QWidget()
    qtbot.addWidget(parent)
    many = MultiRefField("member_ids", "小组成员", options=lambda: names).create(parent)
    assert isinstance(many, QListWidget)
    row = many.sizeHintForRow(0)
    assert many.maximumHeight() == MULTI_REF_MAX_HEIGHT >= 9 * row
    policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert many.horizontalScrollBarPolicy() == policy
    assert [many.item(i).toolTip() for i in range(many.count())] == [t for _, t in names]
    few = MultiRefField("member_ids", "小组成员", options=lambda: names[:4]).create(parent)
    assert isinstance(few, QListWidget)
    assert 4 * row <= few.maximumHeight() < 6 * row  # no empty rows below four names
