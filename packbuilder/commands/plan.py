"""The plan, loaded once per command by the command layer and passed down to every stage.

Three ways a command asks for it: ``plan check`` wants every finding (``review_plan``); a
command that makes something refuses a register with errors, saying what was not made
(``required_plan``); ``check`` and ``build`` refuse it saying nothing can be checked
(``checked_plan``).
"""

from __future__ import annotations

from dataclasses import replace

from packbuilder import wording
from packbuilder.config import Config
from packbuilder.errors import PlanError
from packbuilder.kpis.targets import target_side_findings
from packbuilder.model import Plan
from packbuilder.plan.loader import PlanLoad, load_plan


def review_plan(config: Config) -> PlanLoad:
    """What ``plan check`` reports: the loader's findings and the KPI target warnings."""
    loaded = load_plan(config.plan_path, config)
    return replace(loaded, findings=[*loaded.findings, *target_side_findings(loaded.plan)])


def required_plan(config: Config, what_was_not_made: str) -> Plan:
    """The workspace's plan, or a PlanError saying that WHAT_WAS_NOT_MADE was not made."""
    loaded = load_plan(config.plan_path, config)
    if loaded.errors:
        count = len(loaded.errors)
        raise PlanError(
            f"{config.plan_path.name} has {count} error{'s' if count != 1 else ''}, "
            f"so {what_was_not_made}",
            hint="Run 'packbuilder plan check' to list them, fix the plan, then run this "
            "command again.",
            findings=list(loaded.errors),
        )
    return loaded.plan


def checked_plan(config: Config) -> Plan:
    """The workspace's plan; a PlanError if the register has errors, as nothing can be
    checked against it."""
    loaded = load_plan(config.plan_path, config)
    if loaded.errors:
        raise PlanError(
            f"The plan register has {wording.count(len(loaded.errors), 'error')}",
            hint="Run 'packbuilder plan check' to list them, fix inputs/plan.xlsx, then check "
            "again.",
            findings=list(loaded.errors),
        )
    return loaded.plan
