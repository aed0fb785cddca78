"""The workspace and its config.toml, read once, validated, and passed down.

Every setting a stage needs is on ``Config``; nothing else reads config.toml. An unknown key, a
wrong type or a missing key becomes one ``ConfigError`` naming the key (with the key the user
probably meant), never a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from packbuilder.config.schema import MemberOf, Problem, read_section, rule, rule_of
from packbuilder.errors import ConfigError, WorkspaceError
from packbuilder.model import RISK_SEVERITIES, Period, Rating

CONFIG_NAME = "config.toml"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


# The sections are frozen dataclasses whose fields carry their constraints (``rule``), and one
# validator (packbuilder.config.schema) walks that definition: one definition, one validator, and no
# validation library on any command's path. The sections were frozen pydantic models, whose
# import and schema building added 0.1 to 0.2 s to every command's start-up (docs/performance.md).
# The validator reads a value as pydantic's lax mode did, so config.toml files accepted before are
# accepted now, with the same messages: a quoted whole number for a whole number, a whole number
# for a number, ISO date text or a midnight date-time for a date, "yes"/"no" for true/false.
def _check_period(value: str) -> str:
    Period.parse(value)
    return value


def _check_periods(value: list[str] | dict[str, dt.date]) -> Any:
    for item in value:
        Period.parse(item)
    return value


def _check_colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"{value!r} is not a colour: write it as #RRGGBB")
    return value.upper()


@dataclass(frozen=True, kw_only=True)
class Programme:
    name: str
    organisation: str
    short_name: str = "the plan"
    classification: str = "OFFICIAL"
    contact_name: str = "Programme office"
    contact_email: str = ""
    board: str = "the board"
    report_version: str = "1.0"


@dataclass(frozen=True, kw_only=True)
class Paths:
    plan: str = "inputs/plan.xlsx"
    returns: str = "inputs/returns"
    kpis: str = "inputs/kpis"
    overrides: str = "inputs/overrides"
    narrative: str = "inputs/narrative"
    templates: str = "templates"
    outputs: str = "outputs"
    history: str = "history.sqlite"


@dataclass(frozen=True, kw_only=True)
class Periods:
    first: str = field(metadata=rule(check=_check_period))
    format: Literal["YYYY-MM"] = "YYYY-MM"


@dataclass(frozen=True, kw_only=True)
class Returns:
    deadline_day: int = field(metadata=rule(ge=1, le=28))
    deadlines: dict[str, dt.date] = field(default_factory=dict, metadata=rule(check=_check_periods))
    password: str = ""
    confidence: list[str] = field(
        default_factory=lambda: ["High", "Medium", "Low"], metadata=rule(min_length=2)
    )
    low_confidence: list[str] = field(
        default_factory=lambda: ["Low"], metadata=rule(member_of=MemberOf("returns.confidence"))
    )
    area_leads: bool = True


@dataclass(frozen=True, kw_only=True)
class Dfe:
    first_period: str = field(metadata=rule(check=_check_period))
    every_months: int = field(default=2, metadata=rule(ge=1, le=12))
    months: list[str] = field(default_factory=list, metadata=rule(check=_check_periods))


@dataclass(frozen=True, kw_only=True)
class RatingStyle:
    colour: str = field(metadata=rule(check=_check_colour))
    font: str = field(default="#000000", metadata=rule(check=_check_colour))
    definition: str
    pattern: str = ""  # hatching for black-and-white charts: "", "//", "xx", ".."


@dataclass(frozen=True, kw_only=True)
class Brag:
    blue: RatingStyle
    green: RatingStyle
    amber: RatingStyle
    red: RatingStyle
    not_yet_rated: RatingStyle


@dataclass(frozen=True, kw_only=True)
class Rag:
    green: RatingStyle
    amber: RatingStyle
    red: RatingStyle
    not_rated: RatingStyle


@dataclass(frozen=True, kw_only=True)
class Kpis:
    no_standard: Literal["red", "amber"] = "red"
    move_threshold_percent: float = field(default=25.0, metadata=rule(gt=0))


@dataclass(frozen=True, kw_only=True)
class Exceptions:
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
    high_risk_levels: list[str] = field(
        default_factory=lambda: ["High"],
        metadata=rule(member_of=MemberOf(RISK_SEVERITIES, "the risk register's severities")),
    )


@dataclass(frozen=True, kw_only=True)
class Limits:
    max_file_bytes: int = field(default=20_000_000, metadata=rule(gt=0))
    max_uncompressed_bytes: int = field(default=50_000_000, metadata=rule(gt=0))
    max_compression_ratio: float = field(default=200.0, metadata=rule(gt=1))
    max_cells_per_sheet: int = field(default=200_000, metadata=rule(gt=0))
    max_chars_per_cell: int = field(default=32_767, metadata=rule(gt=0))
    max_findings_per_file: int = field(default=200, metadata=rule(gt=0))
    worker_timeout_seconds: float = field(default=60.0, metadata=rule(gt=0))
    worker_memory_mb: int = field(default=1024, metadata=rule(gt=64))


@dataclass(frozen=True, kw_only=True)
class Smtp:
    """Direct sending, for offices with a mail relay. The password is never in config: it is
    read from the environment variable SMTP_PASSWORD_VARIABLE (packbuilder.mail.outbox)."""

    host: str = ""
    port: int = field(default=587, metadata=rule(ge=1, le=65535))
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str = ""
    timeout_seconds: float = field(default=60.0, metadata=rule(gt=0))


@dataclass(frozen=True, kw_only=True)
class Email:
    from_address: str = ""
    cc: list[str] = field(default_factory=list)
    reply_to: str = ""
    max_message_bytes: int = field(default=30_000_000, metadata=rule(gt=0))
    smtp: Smtp = field(default_factory=Smtp)


PUBLIC_FIELDS = ("officer", "commentary")
"""What the office may add to the families' page; by default it shows neither."""


@dataclass(frozen=True, kw_only=True)
class Publish:
    """The families' progress page and the board's dashboard (packbuilder.site)."""

    # Area number ("1") -> what the plan says will change, in the office's words.
    changes: dict[str, str] = field(default_factory=dict)
    # KPI codes shown on the families' page, with their values, targets and trend.
    kpis: list[str] = field(default_factory=list)
    # Fields the families' page also shows; none by default.
    public_fields: list[str] = field(
        default_factory=list,
        metadata=rule(member_of=MemberOf(PUBLIC_FIELDS, "the publishable fields")),
    )


@dataclass(frozen=True, kw_only=True)
class Backups:
    folder: str = "backups"
    kept: int = field(default=10, metadata=rule(ge=1))


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The whole of config.toml."""

    programme: Programme
    paths: Paths = field(default_factory=Paths)
    periods: Periods
    returns: Returns
    dfe: Dfe
    brag: Brag
    rag: Rag
    kpis: Kpis = field(default_factory=Kpis)
    exceptions: Exceptions = field(default_factory=Exceptions)
    limits: Limits = field(default_factory=Limits)
    email: Email = field(default_factory=Email)
    backups: Backups = field(default_factory=Backups)
    publish: Publish = field(default_factory=Publish)


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
    settings = read_section(Settings, raw)
    if isinstance(settings, list):
        raise ConfigError(
            "\n".join(problem.describe(path) for problem in settings), hint=_hint(settings)
        )
    _check_sets(settings, path)
    return settings


def _hint(problems: list[Problem]) -> str:
    if any(problem.kind == "missing" for problem in problems):
        return "Compare with the commented config.toml that 'packbuilder init' writes."
    return "Fix the key named above in config.toml and run the command again."


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
    section: Any, prefix: str
) -> Iterator[tuple[str, list[str], str | tuple[str, ...], str]]:
    """Each list field under SECTION that must take its values from a set."""
    for item in dataclasses.fields(section):
        value = getattr(section, item.name)
        if dataclasses.is_dataclass(value):
            yield from _set_fields(value, f"{prefix}{item.name}.")
        member_of = rule_of(item).member_of
        if member_of is not None:
            yield f"{prefix}{item.name}", value, member_of.allowed, member_of.name


def _value_at(settings: Settings, key: str) -> Any:
    value: Any = settings
    for part in key.split("."):
        value = getattr(value, part)
    return value
