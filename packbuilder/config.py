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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from packbuilder.errors import ConfigError, WorkspaceError
from packbuilder.model import Period, Rating

CONFIG_NAME = "config.toml"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


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
    first: str
    format: Literal["YYYY-MM"] = "YYYY-MM"

    @field_validator("first")
    @classmethod
    def _period(cls, value: str) -> str:
        Period.parse(value)
        return value


class Returns(_Section):
    deadline_day: int = Field(ge=1, le=28)
    deadlines: dict[str, dt.date] = Field(default_factory=dict)
    password: str = ""
    confidence: list[str] = Field(default_factory=lambda: ["High", "Medium", "Low"], min_length=2)
    low_confidence: list[str] = Field(default_factory=lambda: ["Low"])
    area_leads: bool = True

    @field_validator("deadlines")
    @classmethod
    def _periods(cls, value: dict[str, dt.date]) -> dict[str, dt.date]:
        for key in value:
            Period.parse(key)
        return value


class Dfe(_Section):
    first_period: str
    every_months: int = Field(default=2, ge=1, le=12)
    months: list[str] = Field(default_factory=list)

    @field_validator("first_period")
    @classmethod
    def _period(cls, value: str) -> str:
        Period.parse(value)
        return value

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[str]) -> list[str]:
        for item in value:
            Period.parse(item)
        return value


class RatingStyle(_Section):
    colour: str
    font: str = "#000000"
    definition: str
    pattern: str = ""  # hatching for black-and-white charts: "", "//", "xx", ".."

    @field_validator("colour", "font")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError(f"{value!r} is not a colour: write it as #RRGGBB")
        return value.upper()


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
    high_risk_levels: list[str] = Field(default_factory=lambda: ["High"])


class Limits(_Section):
    max_file_bytes: int = Field(default=20_000_000, gt=0)
    max_uncompressed_bytes: int = Field(default=50_000_000, gt=0)
    max_compression_ratio: float = Field(default=200.0, gt=1)
    max_cells_per_sheet: int = Field(default=200_000, gt=0)
    max_chars_per_cell: int = Field(default=32_767, gt=0)
    max_findings_per_file: int = Field(default=200, gt=0)
    worker_timeout_seconds: float = Field(default=60.0, gt=0)
    worker_memory_mb: int = Field(default=1024, gt=64)


class Settings(_Section):
    """The whole of config.toml."""

    programme: Programme
    paths: Paths = Paths()
    periods: Periods
    returns: Returns
    dfe: Dfe
    brag: Brag
    rag: Rag
    kpis: Kpis = Kpis()
    exceptions: Exceptions = Exceptions()
    limits: Limits = Limits()


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


def load_config(root: Path) -> Config:
    """Read and validate ROOT/config.toml."""
    root = root.resolve()
    if not root.is_dir():
        raise WorkspaceError(
            f"{root} is not a folder",
            hint="Pass a workspace folder with -C, or create one with: packbuilder init DIR",
        )
    path = root / CONFIG_NAME
    if not path.is_file():
        raise WorkspaceError(
            f"{root} is not a packbuilder workspace: it has no {CONFIG_NAME}",
            hint="Run the command inside a workspace, pass -C DIR, or create one with: "
            "packbuilder init DIR",
        )
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
        return Settings.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_describe(error, raw, path), hint=_hint(error)) from None


def _describe(error: ValidationError, raw: dict[str, Any], path: Path) -> str:
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
            reason = problem["msg"].removeprefix("Value error, ")
            lines.append(f"{path.name}: '{key}' = {found!r}: {reason}.")
    return "\n".join(lines)


def _hint(error: ValidationError) -> str:
    if any(p["type"] == "missing" for p in error.errors()):
        return "Compare with the commented config.toml that 'packbuilder init' writes."
    return "Fix the key named above in config.toml and run the command again."


def _known_keys(location: list[str]) -> list[str]:
    model: type[BaseModel] = Settings
    for part in location:
        annotation = model.model_fields[part].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)
