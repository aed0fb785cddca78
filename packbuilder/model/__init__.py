"""The domain model: plain typed objects passed from stage to stage.

Plan and config come in at the top; returns are read into ``ReturnFile`` objects and checked
into ``Finding`` objects; the merge turns them into a ``PeriodResult`` that the tracker, the
history and the Word reports all read. No stage passes dicts between stages and no stage
re-parses what another has parsed.

The types live by concern (periods, ratings, plan, returns, merge); every public name is
imported from here, ``from packbuilder.model import Plan``, so no caller knows the split.
"""

from __future__ import annotations

from packbuilder.model.merge import (
    ActionStatus,
    ExceptionItem,
    HistoryView,
    KpiStatus,
    LastValues,
    Override,
    PeriodResult,
    ReturnStatus,
    RiskStatus,
    end_date_in_force_text,
)
from packbuilder.model.periods import Period
from packbuilder.model.plan import (
    RISK_SEVERITIES,
    Action,
    Area,
    EndDate,
    EndDateKind,
    Kpi,
    KpiTarget,
    Officer,
    Plan,
    PlanChange,
    Polarity,
    Risk,
    SubTheme,
)
from packbuilder.model.ratings import BRAG_ORDER, Direction, KpiRag, Rating, Severity, direction_of
from packbuilder.model.returns import (
    ActionUpdate,
    AreaCommentary,
    CellSource,
    CheckReport,
    FileStatus,
    Finding,
    ReturnFile,
    ReturnKind,
    column_letter,
)

__all__ = [
    "BRAG_ORDER",
    "RISK_SEVERITIES",
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "Area",
    "AreaCommentary",
    "CellSource",
    "CheckReport",
    "Direction",
    "EndDate",
    "EndDateKind",
    "ExceptionItem",
    "FileStatus",
    "Finding",
    "HistoryView",
    "Kpi",
    "KpiRag",
    "KpiStatus",
    "KpiTarget",
    "LastValues",
    "Officer",
    "Override",
    "Period",
    "PeriodResult",
    "Plan",
    "PlanChange",
    "Polarity",
    "Rating",
    "ReturnFile",
    "ReturnKind",
    "ReturnStatus",
    "Risk",
    "RiskStatus",
    "Severity",
    "SubTheme",
    "column_letter",
    "direction_of",
    "end_date_in_force_text",
]
