"""The workspace and its config.toml, read once, validated, and passed down.

Every setting a stage needs is on ``Config``; nothing else reads config.toml. An unknown key, a
wrong type or a missing key becomes one ``ConfigError`` naming the key (with the key the user
probably meant), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import typing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from packbuilder.errors import ConfigError, WorkspaceError
from packbuilder.model import RISK_SEVERITIES, Period, Rating

CONFIG_NAME = "config.toml"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


# The sections are frozen pydantic models: one definition that both validates config.toml and
# words every problem. Importing pydantic and building these models adds about 0.1 to 0.2 s to
# a command's start-up (importing this module and loading the example's config.toml: median
# 190 ms before, 384 ms with pydantic, on a shared two-core machine); a hand check that skipped
# pydantic for a valid file saved that, at the price of two validators to keep in step.
def _check_period(value: str) -> str:
    Period.parse(value)
    return value


_Periods = typing.TypeVar("_Periods", list[str], dict[str, dt.date])


def _check_periods(value: _Periods) -> _Periods:
    for item in value:
        Period.parse(item)
    return value


def _check_colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"{value!r} is not a colour: write it as #RRGGBB")
    return value.upper()


@dataclass(frozen=True)
class MemberOf:
    """Field metadata: every value of this list must be one of ALLOWED, either another key's
    list ("returns.confidence") or a fixed set of words called NAME (a list of ratings takes
    ``tuple(r.value for r in BRAG_ORDER), "the BRAG words"``). Checked once the whole file is
    read (_check_sets), since the other key may come later in the file."""

    allowed: str | tuple[str, ...]
    name: str = ""


PeriodText = Annotated[str, AfterValidator(_check_period)]
Colour = Annotated[str, AfterValidator(_check_colour)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Programme(_Section):
    name: str
    organisation: str
    short_name: str = "the plan"
    classification: str = "OFFICIAL"
    contact_name: str = "Programme office"
    contact_email: str = ""
    board: str = "the board"
    report_version: str = "1.0"


class Paths(_Section):
    plan: str = "inputs/plan.xlsx"
    returns: str = "inputs/returns"
    kpis: str = "inputs/kpis"
    overrides: str = "inputs/overrides"
    narrative: str = "inputs/narrative"
    templates: str = "templates"
    outputs: str = "outputs"
    history: str = "history.sqlite"


class Periods(_Section):
    first: PeriodText
    format: Literal["YYYY-MM"] = "YYYY-MM"


class Returns(_Section):
    deadline_day: int = Field(ge=1, le=28)
    deadlines: Annotated[dict[str, dt.date], AfterValidator(_check_periods)] = Field(
        default_factory=dict
    )
    password: str = ""
    confidence: list[str] = Field(default_factory=lambda: ["High", "Medium", "Low"], min_length=2)
    low_confidence: Annotated[list[str], MemberOf("returns.confidence")] = Field(
        default_factory=lambda: ["Low"]
    )
    area_leads: bool = True


class Dfe(_Section):
    first_period: PeriodText
    every_months: int = Field(default=2, ge=1, le=12)
    months: Annotated[list[str], AfterValidator(_check_periods)] = Field(default_factory=list)


class RatingStyle(_Section):
    colour: Colour
    font: Colour = "#000000"
    definition: str
    pattern: str = ""  # hatching for black-and-white charts: "", "//", "xx", ".."


class Brag(_Section):
    blue: RatingStyle
    green: RatingStyle
    amber: RatingStyle
    red: RatingStyle
    not_yet_rated: RatingStyle


class Rag(_Section):
    green: RatingStyle
    amber: RatingStyle
    red: RatingStyle
    not_rated: RatingStyle


class Kpis(_Section):
    no_standard: Literal["red", "amber"] = "red"
    move_threshold_percent: float = Field(default=25.0, gt=0)


class Exceptions(_Section):
    red_progress: bool = True
    red_impact: bool = True
    overdue: bool = True
    worse: bool = True
    low_confidence: bool = True
    escalation: bool = True
    missing_return: bool = True
    invalid_return: bool = True
    red_kpi: bool = True
    high_risk: bool = True
    high_risk_levels: Annotated[
        list[str], MemberOf(RISK_SEVERITIES, "the risk register's severities")
    ] = Field(default_factory=lambda: ["High"])


class Limits(_Section):
    max_file_bytes: int = Field(default=20_000_000, gt=0)
    max_uncompressed_bytes: int = Field(default=50_000_000, gt=0)
    max_compression_ratio: float = Field(default=200.0, gt=1)
    max_cells_per_sheet: int = Field(default=200_000, gt=0)
    max_chars_per_cell: int = Field(default=32_767, gt=0)
    max_findings_per_file: int = Field(default=200, gt=0)
    worker_timeout_seconds: float = Field(default=60.0, gt=0)
    worker_memory_mb: int = Field(default=1024, gt=64)


class Smtp(_Section):
    """Direct sending, for offices with a mail relay. The password is never in config: it is
    read from the environment variable SMTP_PASSWORD_VARIABLE (packbuilder.mail.outbox)."""

    host: str = ""
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str = ""
    timeout_seconds: float = Field(default=60.0, gt=0)


class Email(_Section):
    from_address: str = ""
    cc: list[str] = Field(default_factory=list)
    reply_to: str = ""
    max_message_bytes: int = Field(default=30_000_000, gt=0)
    smtp: Smtp = Field(default_factory=Smtp)


PUBLIC_FIELDS = ("officer", "commentary")
"""What the office may add to the families' page; by default it shows neither."""


class Publish(_Section):
    """The families' progress page and the board's dashboard (packbuilder.site)."""

    # Area number ("1") -> what the plan says will change, in the office's words.
    changes: dict[str, str] = Field(default_factory=dict)
    # KPI codes shown on the families' page, with their values, targets and trend.
    kpis: list[str] = Field(default_factory=list)
    # Fields the families' page also shows; none by default.
    public_fields: Annotated[list[str], MemberOf(PUBLIC_FIELDS, "the publishable fields")] = Field(
        default_factory=list
    )


class Backups(_Section):
    folder: str = "backups"
    kept: int = Field(default=10, ge=1)


class Settings(_Section):
    """The whole of config.toml."""

    programme: Programme
    paths: Paths = Field(default_factory=Paths)
    periods: Periods
    returns: Returns
    dfe: Dfe
    brag: Brag
    rag: Rag
    kpis: Kpis = Field(default_factory=Kpis)
    exceptions: Exceptions = Field(default_factory=Exceptions)
    limits: Limits = Field(default_factory=Limits)
    email: Email = Field(default_factory=Email)
    backups: Backups = Field(default_factory=Backups)
    publish: Publish = Field(default_factory=Publish)


@dataclass(frozen=True)
class Config:
    """A workspace: its folder and its validated settings."""

    root: Path
    settings: Settings
    text: str  # config.toml as read, for the manifest's hash

    def path(self, relative: str) -> Path:
        return self.root / relative

    @property
    def plan_path(self) -> Path:
        return self.path(self.settings.paths.plan)

    def returns_dir(self, period: Period) -> Path:
        return self.path(self.settings.paths.returns) / str(period)

    def kpis_path(self, period: Period) -> Path:
        return self.path(self.settings.paths.kpis) / f"{period}.xlsx"

    def emails_dir(self, period: Period) -> Path:
        return self.outputs_dir(period) / "emails"

    def overrides_path(self, period: Period) -> Path:
        return self.path(self.settings.paths.overrides) / f"{period}.xlsx"

    def narrative_path(self, period: Period) -> Path:
        return self.path(self.settings.paths.narrative) / f"{period}.toml"

    @property
    def templates_dir(self) -> Path:
        return self.path(self.settings.paths.templates)

    def outputs_dir(self, period: Period) -> Path:
        return self.path(self.settings.paths.outputs) / str(period)

    @property
    def history_path(self) -> Path:
        return self.path(self.settings.paths.history)

    @property
    def first_period(self) -> Period:
        return Period.parse(self.settings.periods.first)

    def deadline(self, period: Period) -> dt.date:
        """The return deadline for a period: an override, else a day of the following month."""
        override = self.settings.returns.deadlines.get(str(period))
        if override is not None:
            return override
        following = period.next
        return dt.date(following.year, following.month, self.settings.returns.deadline_day)

    def is_dfe_month(self, period: Period) -> bool:
        dfe = self.settings.dfe
        if dfe.months:
            return str(period) in dfe.months
        first = Period.parse(dfe.first_period)
        months = (period.year - first.year) * 12 + period.month - first.month
        return months >= 0 and months % dfe.every_months == 0

    def previous_dfe_month(self, period: Period) -> Period | None:
        """The DfE month before this one, not before the programme's first period."""
        candidate = period.previous
        while candidate >= self.first_period:
            if self.is_dfe_month(candidate):
                return candidate
            candidate = candidate.previous
        return None

    def brag_style(self, rating: Rating) -> RatingStyle:
        brag = self.settings.brag
        return {
            Rating.BLUE: brag.blue,
            Rating.GREEN: brag.green,
            Rating.AMBER: brag.amber,
            Rating.RED: brag.red,
            Rating.NOT_YET_RATED: brag.not_yet_rated,
        }[rating]


def default_config_text() -> str:
    """The commented config.toml that ``init`` writes (package data)."""
    return resources.files("packbuilder").joinpath("data/config.toml").read_text("utf-8")


def enclosing_workspace(folder: Path) -> Path | None:
    """The workspace FOLDER is in (FOLDER itself or the nearest folder above with a
    config.toml), as git finds its repository from any folder inside it; None outside any."""
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    return None


def load_config(root: Path) -> Config:
    """Read and validate the config.toml of the workspace ROOT is in (ROOT or a folder above)."""
    root = root.resolve()
    if not root.is_dir():
        raise WorkspaceError(
            f"{root} is not a folder",
            hint="Pass a workspace folder with -C, or create one with: packbuilder init DIR",
        )
    workspace = enclosing_workspace(root)
    if workspace is None:
        raise WorkspaceError(
            f"{root} is not a packbuilder workspace: neither it nor a folder above it has a "
            f"{CONFIG_NAME}",
            hint="Run the command inside a workspace, pass -C DIR, or create one with: "
            "packbuilder init DIR",
        )
    root = workspace
    path = root / CONFIG_NAME
    text = path.read_text("utf-8-sig")
    return Config(root=root, settings=parse_settings(text, path), text=text)


def parse_settings(text: str, path: Path) -> Settings:
    """Validate config.toml's text; every problem becomes one ConfigError naming the key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"{path.name} is not valid TOML: {error}",
            hint="Check quotes and brackets on that line; every text value needs quotes.",
        ) from None
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_describe(error, path), hint=_hint(error)) from None
    _check_sets(settings, path)
    return settings


def _check_sets(settings: Settings, path: Path) -> None:
    """Refuse a list whose values must come from another list but do not.

    A value outside its set would be accepted and then silently match nothing (a
    ``low_confidence`` of "Lo" never flags a return), so it is refused, with the allowed
    values and the one probably meant.
    """
    for key, values, allowed, name in _set_fields(settings, ""):
        if isinstance(allowed, str):
            name = allowed
            allowed = tuple(_value_at(settings, allowed))
        for value in values:
            if value in allowed:
                continue
            same = [a for a in allowed if a.casefold() == value.strip().casefold()]
            guess = same or difflib.get_close_matches(value, allowed, n=1)
            meant = f" Did you mean '{guess[0]}'?" if guess else ""
            raise ConfigError(
                f"{path.name}: '{key}' = {values!r}: '{value}' is not one of {name} "
                f"({', '.join(allowed)}).{meant}",
                hint=f"In config.toml, give {key} only values from {name}, spelt as there.",
            )


def _set_fields(
    section: _Section, prefix: str
) -> typing.Iterator[tuple[str, list[str], str | tuple[str, ...], str]]:
    """Each list field under SECTION that must take its values from a set."""
    for name, info in type(section).model_fields.items():
        value = getattr(section, name)
        if isinstance(value, _Section):
            yield from _set_fields(value, f"{prefix}{name}.")
        for rule in info.metadata:
            if isinstance(rule, MemberOf):
                yield f"{prefix}{name}", value, rule.allowed, rule.name


def _value_at(settings: Settings, key: str) -> Any:
    value: Any = settings
    for part in key.split("."):
        value = getattr(value, part)
    return value


def _describe(error: ValidationError, path: Path) -> str:
    lines = []
    for problem in error.errors():
        location = [str(part) for part in problem["loc"]]
        key = ".".join(location)
        kind = problem["type"]
        if kind == "extra_forbidden":
            known = _known_keys(location[:-1])
            guess = difflib.get_close_matches(location[-1], known, n=1)
            suggestion = f" Did you mean '{'.'.join([*location[:-1], guess[0]])}'?" if guess else ""
            lines.append(f"{path.name}: unknown key '{key}'.{suggestion}")
        elif kind == "missing":
            lines.append(f"{path.name}: missing key '{key}'.")
        else:
            found = problem.get("input")
            reason = _plain_reason(kind, problem.get("ctx") or {}) or problem["msg"].removeprefix(
                "Value error, "
            )
            lines.append(f"{path.name}: '{key}' = {found!r}: {reason}.")
    return "\n".join(lines)


# The validator's error types in the office's words; a type not listed here is one of our own
# checks, whose message is already worded for the office.
_PLAIN_REASONS = {
    "int_parsing": "it must be a whole number, such as 7 (no quotes)",
    "int_type": "it must be a whole number, such as 7 (no quotes)",
    "int_from_float": "it must be a whole number, such as 7, not a fraction",
    "float_parsing": "it must be a number, such as 2.5 (no quotes)",
    "float_type": "it must be a number, such as 2.5 (no quotes)",
    "bool_parsing": "it must be true or false (no quotes)",
    "bool_type": "it must be true or false (no quotes)",
    "string_type": 'it must be text in quotes, such as "High"',
    "list_type": 'it must be a list in square brackets, such as ["High", "Low"]',
    "dict_type": "it must be a table of keys and values",
    "greater_than_equal": "it must be {ge} or more",
    "greater_than": "it must be more than {gt}",
    "less_than_equal": "it must be {le} or less",
    "less_than": "it must be less than {lt}",
}


def _plain_reason(kind: str, context: dict[str, Any]) -> str:
    """What is wrong with a value, in words for the office ("" for our own checks' words)."""
    template = _PLAIN_REASONS.get(kind, "")
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return ""


def _hint(error: ValidationError) -> str:
    if any(p["type"] == "missing" for p in error.errors()):
        return "Compare with the commented config.toml that 'packbuilder init' writes."
    return "Fix the key named above in config.toml and run the command again."


def _known_keys(location: list[str]) -> list[str]:
    section: type[_Section] = Settings
    for part in location:
        info = section.model_fields.get(part)
        kind = info.annotation if info is not None else None
        if not (isinstance(kind, type) and issubclass(kind, _Section)):
            return []
        section = kind
    return list(section.model_fields)
