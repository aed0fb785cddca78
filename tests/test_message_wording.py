"""Every message the office or an officer can read is a sentence in their words: it starts as
a sentence starts, ends with a full stop (or a question mark), counts with the right plural
and never uses a library's or a programmer's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from packbuilder.commands.check import check_period
from packbuilder.commands.init import example_plan_rows
from packbuilder.config import load_config
from packbuilder.errors import PlanError
from packbuilder.findings import CHECKS, KPI_CHECKS, PLAN_CHECKS
from packbuilder.model import Period
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.wording import count

# Words of a library or a programmer, never of the office.
LIBRARY_WORDS = re.compile(
    r"\b(Input should|pydantic|NoneType|None|Traceback|dict|str|int|float|bool|"
    r"exception|stack|null|undefined|regex|KeyError|ValueError)\b"
)
# "1 errors", "{count} files": a count written before a plural noun without choosing.
FIXED_PLURAL = re.compile(r"\{[a-z_]*(count|number|total)[a-z_]*\} [a-z]+s\b")

MESSAGES = [
    *[(c.code, c.template) for c in CHECKS],
    *[(c.code, c.title) for c in CHECKS],
    *[(c.code, c.title) for c in PLAN_CHECKS],
    *[(c.code, c.title) for c in KPI_CHECKS],
]


@pytest.mark.parametrize(
    ("code", "message"), MESSAGES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(MESSAGES)]
)
def test_every_message_reads_as_a_sentence(code: str, message: str) -> None:
    assert message == message.strip() and "  " not in message, code
    assert re.match(r"^[A-Z'{(\[0-9]", message), f"{code}: {message!r} does not start a sentence"
    assert not LIBRARY_WORDS.search(message), f"{code}: {message!r}"
    assert not FIXED_PLURAL.search(message), f"{code}: {message!r}"


@pytest.mark.parametrize("code,template", [(c.code, c.template) for c in CHECKS])
def test_every_finding_message_ends_a_sentence(code: str, template: str) -> None:
    assert template.endswith((".", "?", ".)")), f"{code}: {template!r}"


def test_counts_choose_their_plural() -> None:
    assert [count(n, "error") for n in (0, 1, 2, 1200)] == [
        "0 errors",
        "1 error",
        "2 errors",
        "1,200 errors",
    ]
    assert count(1, "file that is not a return", "files that are not returns") == (
        "1 file that is not a return"
    )
    assert count(3, "file that is not a return", "files that are not returns") == (
        "3 files that are not returns"
    )


def test_a_plan_with_one_error_says_one_error(new_workspace: Path) -> None:
    rows = example_plan_rows(Period(2026, 11))
    action = list(rows[schema.ACTIONS][0])
    action[schema.HEADERS[schema.ACTIONS].index("Sub-theme")] = "9z"
    rows[schema.ACTIONS] = [tuple(action)]
    write_plan_workbook(new_workspace / "inputs" / "plan.xlsx", rows)
    config = load_config(new_workspace)
    with pytest.raises(PlanError) as caught:
        check_period(config, config.first_period)
    assert caught.value.message == "The plan register has 1 error"
