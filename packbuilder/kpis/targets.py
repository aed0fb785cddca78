"""``plan check`` warnings about KPI targets: a target on the wrong side of the baseline.

A target is an improvement on the baseline: above it where higher is better, below it where
lower is better. One on the other side would rate a KPI Green for getting worse, and is almost
always a slip in the register (the example's APP57, total absence, lower is better, baseline
13.3, has a December target of 80, an attendance figure). packbuilder warns and keeps the
target as written; the office corrects the register. docs/kpis.md records the decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packbuilder.findings import finding
from packbuilder.kpis.rag import format_value
from packbuilder.model import Finding, Kpi, KpiTarget, Plan, Polarity
from packbuilder.plan import schema

if TYPE_CHECKING:
    pass


def on_wrong_side(kpi: Kpi, target: KpiTarget) -> bool:
    """Whether TARGET is worse than the KPI's baseline, judged by its polarity."""
    if kpi.baseline is None or target.value is None:
        return False
    if kpi.polarity is Polarity.HIGHER:
        return target.value < kpi.baseline
    return target.value > kpi.baseline


def target_side_findings(plan: Plan) -> list[Finding]:
    """A KPI-TARGET-WRONG-SIDE warning for every target worse than its KPI's baseline."""
    file = plan.source.name if plan.source else ""
    findings = []
    for kpi in plan.kpis:
        for target in kpi.targets:
            if not on_wrong_side(kpi, target):
                continue
            assert kpi.baseline is not None and target.value is not None
            better, side = (
                ("higher", "below") if kpi.polarity is Polarity.HIGHER else ("lower", "above")
            )
            findings.append(
                finding(
                    "KPI-TARGET-WRONG-SIDE",
                    file=file,
                    sheet=schema.KPI_TARGETS,
                    value=target.text,
                    kpi=kpi.code,
                    better=better,
                    target=format_value(target.value),
                    date=target.date,
                    side=side,
                    baseline=format_value(kpi.baseline),
                    targets_sheet=schema.KPI_TARGETS,
                    kpis_sheet=schema.KPIS,
                )
            )
    return findings
