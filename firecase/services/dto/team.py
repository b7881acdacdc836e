"""The investigation team: its founding, members and sub-groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from firecase.services.dto.parties import Relative


@dataclass(frozen=True)
class TeamSetupInput:
    """How the team was set up (第八条)."""

    formed_on: dt.date
    authorised_fire_agency: bool = False  # 市人民政府授权消防救援机构牵头
    document_no: str = ""  # 成立文件文号, e.g. 天政办函〔2026〕12号 ("": not recorded)
    formed_by: str = ""  # 组建机关 (第四条), e.g. 天门市人民政府 ("": not recorded)


@dataclass(frozen=True)
class MemberInput:
    """A team member."""

    name: str
    organisation: str
    body: str  # firecase.rules.Body value
    role: str  # firecase.rules.TeamRole value
    joined_on: dt.date
    title: str = ""
    expertise: str = ""
    relatives: tuple[str | Relative, ...] = ()  # a str is read by ``Relative.parse``


@dataclass(frozen=True)
class SubGroupInput:
    """A sub-group, its leader (designated by the team leader) and duties."""

    name: str
    leader_id: int | None = None
    duties: str = ""
    member_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class MemberView:
    """A team member; ``active`` is False from the recusal decision date (``left_on``)."""

    id: int
    name: str
    organisation: str
    body: str
    role: str
    title: str
    expertise: str
    relatives: tuple[str, ...]  # as shown: "刘强（兄）"
    joined_on: dt.date
    left_on: dt.date | None
    active: bool
    version: int
    relatives_detail: tuple[Relative, ...] = ()


@dataclass(frozen=True)
class SubGroupView:
    """A sub-group."""

    id: int
    name: str
    leader_id: int | None
    leader_name: str
    duties: str
    member_ids: tuple[int, ...]
    version: int


@dataclass(frozen=True)
class TeamWarningView:
    """A team composition warning (第六条, 第八条, 第九条) the user can see and acknowledge."""

    code: str
    message: str
    basis: str
