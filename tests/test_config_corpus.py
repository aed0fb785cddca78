"""config.toml's validator against a corpus of edited files, each with its exact outcome.

The first table is the corpus the validator was written against: each message is the one the
code gave when the sections were pydantic models (so a change of validator cannot change what
the office reads). The second adds what that corpus missed (nested colours, smtp, publish,
email lists, deadlines); its messages too are the ones the pydantic models gave. The third is
the one place the validator departs from them on purpose: pydantic read a number given for a
date as a Unix timestamp (0 was 1 January 1970); the validator refuses it.
"""

# ruff: noqa: E501 (each message is kept whole, as the office reads it)
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from packbuilder.config import default_config_text, parse_settings
from packbuilder.errors import ConfigError


@dataclass(frozen=True)
class Refused:
    message: str
    hint: str


Expected = Refused | dict[str, Any]

CORPUS = [
    pytest.param(
        [("[programme]", "programme = 5\n[programme_x]")],
        Refused(
            "config.toml: 'programme' = 5: Input should be a valid dictionary or instance of Programme.\nconfig.toml: unknown key 'programme_x'. Did you mean 'programme'?",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="programme-int",
    ),
    pytest.param(
        [("deadline_day = 7", 'deadline_day = "7"')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="deadline-str7",
    ),
    pytest.param(
        [("deadline_day = 7", "deadline_day = 7.0")],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="deadline-float7",
    ),
    pytest.param(
        [("deadline_day = 7", "deadline_day = true")],
        {
            "returns.deadline_day": 1,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="deadline-bool",
    ),
    pytest.param(
        [("deadline_day = 7", "deadline_day = 2023-01-01")],
        Refused(
            "config.toml: 'returns.deadline_day' = datetime.date(2023, 1, 1): it must be a whole number, such as 7 (no quotes).",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadline-date",
    ),
    pytest.param(
        [("deadline_day = 7", "deadline_day = 0")],
        Refused(
            "config.toml: 'returns.deadline_day' = 0: it must be 1 or more.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadline-0",
    ),
    pytest.param(
        [("area_leads = true", 'area_leads = "yes"')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="area-leads-yes",
    ),
    pytest.param(
        [("area_leads = true", "area_leads = 1")],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="area-leads-1",
    ),
    pytest.param(
        [("area_leads = true", "area_leads = 2")],
        Refused(
            "config.toml: 'returns.area_leads' = 2: it must be true or false (no quotes).",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="area-leads-2",
    ),
    pytest.param(
        [('confidence = ["High", "Medium", "Low"]', 'confidence = ["High"]')],
        Refused(
            "config.toml: 'returns.confidence' = ['High']: List should have at least 2 items after validation, not 1.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="confidence-short",
    ),
    pytest.param(
        [('confidence = ["High", "Medium", "Low"]', 'confidence = ["High", 3]')],
        Refused(
            "config.toml: 'returns.confidence.1' = 3: it must be text in quotes, such as \"High\".",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="confidence-int",
    ),
    pytest.param(
        [('confidence = ["High", "Medium", "Low"]', 'confidence = "High"')],
        Refused(
            "config.toml: 'returns.confidence' = 'High': it must be a list in square brackets, such as [\"High\", \"Low\"].",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="confidence-str",
    ),
    pytest.param(
        [('format = "YYYY-MM"', 'format = "MM-YYYY"')],
        Refused(
            "config.toml: 'periods.format' = 'MM-YYYY': Input should be 'YYYY-MM'.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="format",
    ),
    pytest.param(
        [('no_standard = "red"', 'no_standard = "blue"')],
        Refused(
            "config.toml: 'kpis.no_standard' = 'blue': Input should be 'red' or 'amber'.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="no_standard",
    ),
    pytest.param(
        [("move_threshold_percent = 25.0", "move_threshold_percent = 0")],
        Refused(
            "config.toml: 'kpis.move_threshold_percent' = 0: it must be more than 0.0.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="threshold-0",
    ),
    pytest.param(
        [("move_threshold_percent = 25.0", 'move_threshold_percent = "x"')],
        Refused(
            "config.toml: 'kpis.move_threshold_percent' = 'x': it must be a number, such as 2.5 (no quotes).",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="threshold-str",
    ),
    pytest.param(
        [("move_threshold_percent = 25.0", 'move_threshold_percent = "30"')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 30.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="threshold-strnum",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-8" = 2023-09-12 }')],
        Refused(
            "config.toml: 'returns.deadlines' = {'2023-8': datetime.date(2023, 9, 12)}: '2023-8' is not a period: write the month as YYYY-MM, e.g. 2023-07.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-bad",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "12 Sept" }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = '12 Sept': Input should be a valid date or datetime, input is too short.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-text",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = 2023-09-12T10:00:00 }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = datetime.datetime(2023, 9, 12, 10, 0): Datetimes provided to dates should have zero time - e.g. be exact dates.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-datetime",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = 2023-09-12T00:00:00 }')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {"2023-08": dt.date(2023, 9, 12)},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="deadlines-datetime0",
    ),
    pytest.param(
        [('colour = "#C00000"', 'colour = "#c00000"')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="colour-lower",
    ),
    pytest.param(
        [('colour = "#C00000"', "colour = 5")],
        Refused(
            "config.toml: 'brag.red.colour' = 5: it must be text in quotes, such as \"High\".",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="colour-int",
    ),
    pytest.param(
        [('first = "2023-07"', "first = 202307")],
        Refused(
            "config.toml: 'periods.first' = 202307: it must be text in quotes, such as \"High\".",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="first-int",
    ),
    pytest.param(
        [('low_confidence = ["Low"]', 'low_confidence = ["Lo"]')],
        Refused(
            "config.toml: 'returns.low_confidence' = ['Lo']: 'Lo' is not one of returns.confidence (High, Medium, Low). Did you mean 'Low'?",
            "In config.toml, give returns.low_confidence only values from returns.confidence, spelt as there.",
        ),
        id="low-conf",
    ),
    pytest.param(
        [('high_risk_levels = ["High"]', 'high_risk_levels = ["Severe", "High"]')],
        Refused(
            "config.toml: 'exceptions.high_risk_levels' = ['Severe', 'High']: 'Severe' is not one of the risk register's severities (High, Medium, Low).",
            "In config.toml, give exceptions.high_risk_levels only values from the risk register's severities, spelt as there.",
        ),
        id="risk-levels",
    ),
    pytest.param(
        [("port = 587", "port = 70000")],
        Refused(
            "config.toml: 'email.smtp.port' = 70000: it must be 65535 or less.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="smtp-port",
    ),
    pytest.param(
        [('security = "starttls"', 'security = "ssl"')],
        Refused(
            "config.toml: 'email.smtp.security' = 'ssl': Input should be 'starttls', 'tls' or 'none'.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="smtp-security",
    ),
    pytest.param(
        [("port = 587", "port = 587\nprot = 3")],
        Refused(
            "config.toml: unknown key 'email.smtp.prot'. Did you mean 'email.smtp.port'?",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="smtp-unknown",
    ),
    pytest.param(
        [("public_fields = []", 'public_fields = ["officer", "commentery"]')],
        Refused(
            "config.toml: 'publish.public_fields' = ['officer', 'commentery']: 'commentery' is not one of the publishable fields (officer, commentary). Did you mean 'commentary'?",
            "In config.toml, give publish.public_fields only values from the publishable fields, spelt as there.",
        ),
        id="publish-fields",
    ),
    pytest.param(
        [("[brag.blue]", "[brag.bleu]")],
        Refused(
            "config.toml: missing key 'brag.blue'.\nconfig.toml: unknown key 'brag.bleu'. Did you mean 'brag.blue'?",
            "Compare with the commented config.toml that 'packbuilder init' writes.",
        ),
        id="brag-missing",
    ),
    pytest.param(
        [
            ("deadline_day = 7", 'deadline_day = "x"'),
            ('format = "YYYY-MM"', "format = 5"),
            ("[programme]", "[programm]"),
        ],
        Refused(
            "config.toml: missing key 'programme'.\nconfig.toml: 'periods.format' = 5: Input should be 'YYYY-MM'.\nconfig.toml: 'returns.deadline_day' = 'x': it must be a whole number, such as 7 (no quotes).\nconfig.toml: unknown key 'programm'. Did you mean 'programme'?",
            "Compare with the commented config.toml that 'packbuilder init' writes.",
        ),
        id="many",
    ),
    pytest.param(
        [("cc = []", 'cc = "a@b"')],
        Refused(
            "config.toml: 'email.cc' = 'a@b': it must be a list in square brackets, such as [\"High\", \"Low\"].",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="email-cc",
    ),
    pytest.param(
        [],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="valid",
    ),
]

MISSED_BY_THE_CORPUS = [
    pytest.param(
        [('font = "#FFFFFF"', 'font = "white"')],
        Refused(
            "config.toml: 'brag.blue.font' = 'white': 'white' is not a colour: write it as #RRGGBB.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="brag-font-colour",
    ),
    pytest.param(
        [('colour = "#C00000"', 'colour = "#C000"')],
        Refused(
            "config.toml: 'brag.red.colour' = '#C000': '#C000' is not a colour: write it as #RRGGBB.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="brag-colour-short",
    ),
    pytest.param(
        [("[brag.blue]", 'amber = "orange"\n[brag.blue]')],
        Refused(
            "config.toml: unknown key 'dfe.amber'.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="brag-style-not-a-table",
    ),
    pytest.param(
        [("[rag.green]", '[rag.green]\ncolor = "#00B050"')],
        Refused(
            "config.toml: unknown key 'rag.green.color'. Did you mean 'rag.green.colour'?",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="rag-colour-missing",
    ),
    pytest.param(
        [("\ntimeout_seconds = 60.0", "\ntimeout_seconds = 0")],
        Refused(
            "config.toml: 'email.smtp.timeout_seconds' = 0: it must be more than 0.0.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="smtp-timeout-0",
    ),
    pytest.param(
        [('host = ""', "host = 25")],
        Refused(
            "config.toml: 'email.smtp.host' = 25: it must be text in quotes, such as \"High\".",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="smtp-host-int",
    ),
    pytest.param(
        [("port = 587", 'port = "465"')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
            "email.smtp.port": 465,
        },
        id="smtp-port-text",
    ),
    pytest.param(
        [("port = 587", "port = 587.5")],
        Refused(
            "config.toml: 'email.smtp.port' = 587.5: it must be a whole number, such as 7, not a fraction.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="smtp-port-fraction",
    ),
    pytest.param(
        [("changes = {}", 'changes = ["more plans"]')],
        Refused(
            "config.toml: 'publish.changes' = ['more plans']: it must be a table of keys and values.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="publish-changes-list",
    ),
    pytest.param(
        [("kpis = []", 'kpis = ["APP01", 2]')],
        Refused(
            "config.toml: 'publish.kpis.1' = 2: it must be text in quotes, such as \"High\".",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="publish-kpis-int",
    ),
    pytest.param(
        [("cc = []", 'cc = ["a@example.org", 7]')],
        Refused(
            "config.toml: 'email.cc.1' = 7: it must be text in quotes, such as \"High\".",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="email-cc-int",
    ),
    pytest.param(
        [("cc = []", "cc = []\nbcc = []")],
        Refused(
            "config.toml: unknown key 'email.bcc'. Did you mean 'email.cc'?",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="email-unknown",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "2023-09-12" }')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {"2023-08": dt.date(2023, 9, 12)},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="deadlines-text-date",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "2023-09-12T00:00:00Z" }')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": True,
            "returns.deadlines": {"2023-08": dt.date(2023, 9, 12)},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="deadlines-text-midnight",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "2023-13-01" }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = '2023-13-01': Input should be a valid date or datetime, month value is outside expected range of 1-12.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-month-13",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "2023-09-31" }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = '2023-09-31': Input should be a valid date or datetime, day value is outside expected range.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-day-31",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "2023/09/12" }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = '2023/09/12': Input should be a valid date or datetime, invalid date separator, expected `-`.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-slashes",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "2023-09-12Z" }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = '2023-09-12Z': Input should be a valid date or datetime, invalid datetime separator, expected `T`, `t`, `_` or space.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-separator",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "2023-09-12T25:00" }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = '2023-09-12T25:00': Input should be a valid date or datetime, hour value is outside expected range of 0-23.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-hour-25",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = ["2023-09-12"]')],
        Refused(
            "config.toml: 'returns.deadlines' = ['2023-09-12']: it must be a table of keys and values.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-list",
    ),
    pytest.param(
        [("months = []", 'months = ["2023-07", "2023-9"]')],
        Refused(
            "config.toml: 'dfe.months' = ['2023-07', '2023-9']: '2023-9' is not a period: write the month as YYYY-MM, e.g. 2023-07.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="dfe-months-bad",
    ),
    pytest.param(
        [("every_months = 2", "every_months = 13")],
        Refused(
            "config.toml: 'dfe.every_months' = 13: it must be 12 or less.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="dfe-every-13",
    ),
    pytest.param(
        [("max_compression_ratio = 200.0", "max_compression_ratio = 1")],
        Refused(
            "config.toml: 'limits.max_compression_ratio' = 1: it must be more than 1.0.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="limits-ratio-1",
    ),
    pytest.param(
        [("worker_memory_mb = 1024", "worker_memory_mb = 64")],
        Refused(
            "config.toml: 'limits.worker_memory_mb' = 64: it must be more than 64.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="limits-memory-64",
    ),
    pytest.param(
        [("max_cells_per_sheet = 200000", 'max_cells_per_sheet = "lots"')],
        Refused(
            "config.toml: 'limits.max_cells_per_sheet' = 'lots': it must be a whole number, such as 7 (no quotes).",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="limits-cells-text",
    ),
    pytest.param(
        [("deadline_day = 7", "deadline_day = 7.5")],
        Refused(
            "config.toml: 'returns.deadline_day' = 7.5: it must be a whole number, such as 7, not a fraction.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadline-fraction",
    ),
    pytest.param(
        [("deadline_day = 7", "deadline_day = inf")],
        Refused(
            "config.toml: 'returns.deadline_day' = inf: Input should be a finite number.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadline-inf",
    ),
    pytest.param(
        [("deadline_day = 7", 'deadline_day = " 1_0 "')],
        {
            "returns.deadline_day": 10,
            "returns.area_leads": True,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="deadline-spaced-text",
    ),
    pytest.param(
        [("area_leads = true", 'area_leads = "OFF"')],
        {
            "returns.deadline_day": 7,
            "returns.area_leads": False,
            "returns.deadlines": {},
            "kpis.move_threshold_percent": 25.0,
            "brag.red.colour": "#C00000",
            "returns.confidence": ["High", "Medium", "Low"],
        },
        id="area-leads-off",
    ),
    pytest.param(
        [("area_leads = true", "area_leads = 0.5")],
        Refused(
            "config.toml: 'returns.area_leads' = 0.5: it must be true or false (no quotes).",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="area-leads-fraction",
    ),
    pytest.param(
        [("move_threshold_percent = 25.0", "move_threshold_percent = nan")],
        Refused(
            "config.toml: 'kpis.move_threshold_percent' = nan: it must be more than 0.0.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="threshold-nan",
    ),
    pytest.param(
        [("[programme]", "zzz = 1\n[programme]\nnme = 3")],
        Refused(
            "config.toml: unknown key 'programme.nme'. Did you mean 'programme.name'?\nconfig.toml: unknown key 'zzz'.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="unknown-top-and-nested",
    ),
    pytest.param(
        [("kept = 10", "kept = 0")],
        Refused(
            "config.toml: 'backups.kept' = 0: it must be 1 or more.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="backups-kept-0",
    ),
]

NUMBERS_ARE_NOT_DATES = [
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = 0 }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = 0: Input should be a valid date.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-number",
    ),
    pytest.param(
        [("deadlines = {}", 'deadlines = { "2023-08" = "1694476800" }')],
        Refused(
            "config.toml: 'returns.deadlines.2023-08' = '1694476800': Input should be a valid date or datetime, invalid date separator, expected `-`.",
            "Fix the key named above in config.toml and run the command again.",
        ),
        id="deadlines-number-text",
    ),
]


def _edited(edits: list[tuple[str, str]]) -> str:
    text = default_config_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _value_at(settings: Any, key: str) -> Any:
    for part in key.split("."):
        settings = getattr(settings, part)
    return settings


@pytest.mark.parametrize(
    ("edits", "expected"), [*CORPUS, *MISSED_BY_THE_CORPUS, *NUMBERS_ARE_NOT_DATES]
)
def test_each_edited_config_is_read_or_refused_exactly(
    edits: list[tuple[str, str]], expected: Expected
) -> None:
    text = _edited(edits)
    if isinstance(expected, Refused):
        with pytest.raises(ConfigError) as caught:
            parse_settings(text, Path("config.toml"))
        assert (caught.value.message, caught.value.hint) == (expected.message, expected.hint)
        return
    settings = parse_settings(text, Path("config.toml"))
    read = {key: _value_at(settings, key) for key in expected}
    assert read == expected
    assert [type(value) for value in read.values()] == [type(value) for value in expected.values()]
