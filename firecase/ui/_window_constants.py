"""The main window's titles, file filter, timings and notices (shared by its parts)."""

from __future__ import annotations

import logging

log = logging.getLogger("firecase.ui.main_window")  # one logger for all parts of the window

APP_TITLE = "FireCase 火灾事故调查处理"
CASE_FILE_FILTER = "FireCase 案卷文件 (*.sqlite *.db *.firecase);;所有文件 (*)"
DONE_CLOCKS_SHOWN = 500  # "显示已完成的期限": the newest done clocks, never a whole archive's
CHANGE_POLL_MS = 4000  # how often an open case file is asked what other officers changed
BUSY_SHOW_DELAY_MS = 300  # jobs shorter than this (e.g. that poll) never flash the indicator
CHANGED_BY_OTHERS = "其他用户修改了本案件，保存时如有冲突将提示"


SHARED_ACCOUNT_WARNING = (
    "注意：此服务器案卷未启用团队模式，所有人共用一个数据库账号，系统无法确认是谁在操作"
    "（审计记录只能记下共用账号）。请数据库管理员运行 firecase team init 为每位用户建立账号。"
)
