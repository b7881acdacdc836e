"""The small case many tests start from: a shop fire of 2026-03-01 in 竟陵街道 (a 一般 fire by
its 60万元 loss, within the measures), opened on the day of the fire."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from firecase.services import cases
from firecase.services.dto import IncidentInput
from firecase.store import CaseFile

FIRE_DATE = dt.date(2026, 3, 1)

SHOP_FIRE = IncidentInput(
    title="某商店火灾",
    fire_date=FIRE_DATE,
    place="天门市竟陵街道",
    fire_type="建筑火灾",
    property_loss_yuan=Decimal("100"),
    economic_loss_yuan=Decimal("600000"),
)


def open_shop_fire(cf: CaseFile) -> int:
    """Open the shop fire in ``cf``; returns the case's id."""
    return cases.open_case(cf, SHOP_FIRE, today=FIRE_DATE).id
