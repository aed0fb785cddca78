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
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

from packbuilder.errors import ConfigError, WorkspaceError
from packbuilder.model import Period, Rating
from packbuilder.plan.schema import SEVERITIES

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

CONFIG_NAME = "config.toml"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


# The sections are frozen dataclasses, checked by hand (_validate): importing pydantic and
# building its models costs about 0.1 s, more than the rest of a command's start-up. A file the
# hand check does not accept outright goes through pydantic models made from the same fields
# (_pydantic_model), which word every problem and accept what pydantic would coerce.
def _limits(**constraints: object) -> dict[str, object]:
    """Field metadata: pydantic's numeric and length constraints (ge, le, gt, min_length)."""
    return {"constraints": constraints}


def _check_period(value: str) -> str:
    Period.parse(value)
    return value


def _check_periods(value: list[str] | dict[str, Any]) -> Any:
    for item in value:
        Period.parse(item)
    return value


def _check_colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"{value!r} is not a colour: write it as #RRGGBB")
    return value.upper()


def _checked(check: Callable[[Any], Any], **more: object) -> dict[str, object]:
    return {"check": check, **more}


def _member_of(allowed: str | tuple[str, ...], name: str = "") -> dict[str, object]:
    """Field metadata: every value of this list must be one of ALLOWED, either another key's
    list ("returns.confidence") or a fixed set of words called NAME (a list of ratings takes
    ``tuple(r.value for r in BRAG_ORDER), "the BRAG words"``). Checked once the whole file is
    read (_check_sets), since the other key may come later in the file."""
    return {"member_of": (allowed, name)}


@dataclass(frozen=True, kw_only=True)
class _Section:
    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        """A copy with UPDATE's fields replaced (the name pydantic models use)."""
        return dataclasses.replace(self, **(update or {}))


@dataclass(frozen=True, kw_only=True)
class Programme(_Section):
    name: str
    organisation: str
    short_name: str = "the plan"
    classification: str = "OFFICIAL"
    contact_name: str = "Programme office"
    contact_email: str = ""
    board: str = "the board"
    report_version: str = "1.0"


@dataclass(frozen=True, kw_only=True)
class Paths(_Section):
    plan: str = "inputs/plan.xlsx"
    returns: str = "inputs/returns"
    kpis: str = "inputs/kpis"
    overrides: str = "inputs/overrides"
    narrative: str = "inputs/narrative"
    templates: str = "templates"
    outputs: str = "outputs"
    history: str = "history.sqlite"


@dataclass(frozen=True, kw_only=True)
class Periods(_Section):
    first: str = field(metadata=_checked(_check_period))
    format: Literal["YYYY-MM"] = "YYYY-MM"


@dataclass(frozen=True, kw_only=True)
class Returns(_Section):
    deadline_day: int = field(metadata=_limits(ge=1, le=28))
    deadlines: dict[str, dt.date] = field(default_factory=dict, metadata=_checked(_check_periods))
    password: str = ""
    confidence: list[str] = field(
        default_factory=lambda: ["High", "Medium", "Low"], metadata=_limits(min_length=2)
    )
    low_confidence: list[str] = field(
        default_factory=lambda: ["Low"], metadata=_member_of("returns.confidence")
    )
    area_leads: bool = True


@dataclass(frozen=True, kw_only=True)
class Dfe(_Section):
    first_period: str = field(metadata=_checked(_check_period))
    every_months: int = field(default=2, metadata=_limits(ge=1, le=12))
    months: list[str] = field(default_factory=list, metadata=_checked(_check_periods))


@dataclass(frozen=True, kw_only=True)
class RatingStyle(_Section):
    colour: str = field(metadata=_checked(_check_colour))
    font: str = field(default="#000000", metadata=_checked(_check_colour))
    definition: str
    pattern: str = ""  # hatching for black-and-white charts: "", "//", "xx", ".."


@dataclass(frozen=True, kw_only=True)
class Brag(_Section):
    blue: RatingStyle
    green: RatingStyle
    amber: RatingStyle
    red: RatingStyle
    not_yet_rated: RatingStyle


@dataclass(frozen=True, kw_only=True)
class Rag(_Section):
    green: RatingStyle
    amber: RatingStyle
    red: RatingStyle
    not_rated: RatingStyle


@dataclass(frozen=True, kw_only=True)
class Kpis(_Section):
    no_standard: Literal["red", "amber"] = "red"
    move_threshold_percent: float = field(default=25.0, metadata=_limits(gt=0))


@dataclass(frozen=True, kw_only=True)
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
    high_risk_levels: list[str] = field(
        default_factory=lambda: ["High"],
        metadata=_member_of(SEVERITIES, "the risk register's severities"),
    )


@dataclass(frozen=True, kw_only=True)
class Limits(_Section):
    max_file_bytes: int = field(default=20_000_000, metadata=_limits(gt=0))
    max_uncompressed_bytes: int = field(default=50_000_000, metadata=_limits(gt=0))
    max_compression_ratio: float = field(default=200.0, metadata=_limits(gt=1))
    max_cells_per_sheet: int = field(default=200_000, metadata=_limits(gt=0))
    max_chars_per_cell: int = field(default=32_767, metadata=_limits(gt=0))
    max_findings_per_file: int = field(default=200, metadata=_limits(gt=0))
    worker_timeout_seconds: float = field(default=60.0, metadata=_limits(gt=0))
    worker_memory_mb: int = field(default=1024, metadata=_limits(gt=64))


@dataclass(frozen=True, kw_only=True)
class Smtp(_Section):
    """Direct sending, for offices with a mail relay. The password is never in config: it is
    read from the environment variable SMTP_PASSWORD_VARIABLE (packbuilder.mail.outbox)."""

    host: str = ""
    port: int = field(default=587, metadata=_limits(ge=1, le=65535))
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str = ""
    timeout_seconds: float = field(default=60.0, metadata=_limits(gt=0))


@dataclass(frozen=True, kw_only=True)
class Email(_Section):
    from_address: str = ""
    cc: list[str] = field(default_factory=list)
    reply_to: str = ""
    max_message_bytes: int = field(default=30_000_000, metadata=_limits(gt=0))
    smtp: Smtp = field(default_factory=Smtp)


PUBLIC_FIELDS = ("officer", "commentary")
"""What the office may add to the families' page; by default it shows neither."""


@dataclass(frozen=True, kw_only=True)
class Publish(_Section):
    """The families' progress page and the board's dashboard (packbuilder.site)."""

    # Area number ("1") -> what the plan says will change, in the office's words.
    changes: dict[str, str] = field(default_factory=dict)
    # KPI codes shown on the families' page, with their values, targets and trend.
    kpis: list[str] = field(default_factory=list)
    # Fields the families' page also shows; none by default.
    public_fields: list[str] = field(
        default_factory=list, metadata=_member_of(PUBLIC_FIELDS, "the publishable fields")
    )


@dataclass(frozen=True, kw_only=True)
class Backups(_Section):
    folder: str = "backups"
    kept: int = field(default=10, metadata=_limits(ge=1))


@dataclass(frozen=True, kw_only=True)
class Settings(_Section):
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
    try:
        settings = _validate(Settings, raw)
    except _NotPlain:
        settings = _validate_with_pydantic(raw, path)
    _check_sets(settings, path)
    return settings


def _validate_with_pydantic(raw: dict[str, Any], path: Path) -> Settings:
    from pydantic import ValidationError

    try:
        model = _pydantic_model(Settings).model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_describe(error, raw, path), hint=_hint(error)) from None
    return _validate(Settings, model.model_dump())


def _check_sets(settings: Settings, path: Path) -> None:
    """Refuse a list whose values must come from another list but do not.

    A value outside its set would be accepted and then silently match nothing (a
    ``low_confidence`` of "Lo" never flags a return), so it is refused, with the allowed
    values and the one probably meant.
    """
    for key, values, allowed, name in _set_fields(settings, Settings, ""):
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
    section: object, kind: type[_Section], prefix: str
) -> typing.Iterator[tuple[str, list[str], str | tuple[str, ...], str]]:
    """Each list field under SECTION that must take its values from a set."""
    for name, (field_kind, metadata, _) in _fields(kind).items():
        value = getattr(section, name)
        if isinstance(field_kind, type) and issubclass(field_kind, _Section):
            yield from _set_fields(value, field_kind, f"{prefix}{name}.")
        elif "member_of" in metadata:
            allowed, words = metadata["member_of"]
            yield f"{prefix}{name}", value, allowed, words


def _value_at(settings: Settings, key: str) -> Any:
    value: Any = settings
    for part in key.split("."):
        value = getattr(value, part)
    return value


class _NotPlain(Exception):
    """config.toml is not plainly valid: pydantic decides, and words any problem."""


_SectionT = typing.TypeVar("_SectionT", bound=_Section)


def _validate(section: type[_SectionT], raw: object) -> _SectionT:
    """SECTION from RAW when every key is known and every value already of its type and
    within its limits; _NotPlain otherwise (pydantic may still accept it, coercing)."""
    if not isinstance(raw, dict):
        raise _NotPlain
    fields = _fields(section)
    if not raw.keys() <= fields.keys():
        raise _NotPlain
    values: dict[str, Any] = {}
    for name, (kind, metadata, required) in fields.items():
        if name not in raw:
            if required:
                raise _NotPlain
            continue
        value = _plain_value(kind, raw[name])
        for constraint, limit in metadata.get("constraints", {}).items():
            measured = len(value) if constraint == "min_length" else value
            if not _OPERATORS[constraint](measured, limit):
                raise _NotPlain
        if "check" in metadata:
            try:
                value = metadata["check"](value)
            except ValueError:
                raise _NotPlain from None
        values[name] = value
    return section(**values)


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "ge": lambda v, limit: v >= limit,
    "le": lambda v, limit: v <= limit,
    "gt": lambda v, limit: v > limit,
    "min_length": lambda v, limit: v >= limit,
}


def _plain_value(kind: Any, value: object) -> Any:
    if isinstance(kind, type) and issubclass(kind, _Section):
        return _validate(kind, value)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is bool and isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if origin is Literal and value in args and isinstance(value, str):
        return value
    if (
        origin is list
        and isinstance(value, list)
        and args == (str,)
        and all(isinstance(item, str) for item in value)
    ):
        return list(value)
    if (
        origin is dict
        and isinstance(value, dict)
        and args in ((str, dt.date), (str, str))
        and all(type(item) is args[1] for item in value.values())
    ):
        return dict(value)
    raise _NotPlain


_FIELDS: dict[str, dict[str, tuple[Any, Any, bool]]] = {}
_MODELS: dict[str, type[BaseModel]] = {}


def _fields(section: type[_Section]) -> dict[str, tuple[Any, Any, bool]]:
    """Each field of SECTION: its type, its metadata, and whether it must be given."""
    if section.__name__ not in _FIELDS:
        _FIELDS[section.__name__] = _fields_of(section)
    return _FIELDS[section.__name__]


def _fields_of(section: type[_Section]) -> dict[str, tuple[Any, Any, bool]]:
    hints = typing.get_type_hints(section)
    return {
        f.name: (
            hints[f.name],
            f.metadata,
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(section)
    }


def _pydantic_model(section: type[_Section]) -> type[BaseModel]:
    """A pydantic model with SECTION's fields, limits and checks (built only when needed)."""
    if section.__name__ not in _MODELS:
        _MODELS[section.__name__] = _make_pydantic_model(section)
    return _MODELS[section.__name__]


def _make_pydantic_model(section: type[_Section]) -> type[BaseModel]:
    from pydantic import ConfigDict, Field, create_model, field_validator

    definitions: dict[str, Any] = {}
    validators: dict[str, Any] = {}
    for f in dataclasses.fields(section):
        kind, metadata, required = _fields(section)[f.name]
        if isinstance(kind, type) and issubclass(kind, _Section):
            kind = _pydantic_model(kind)
        if required:
            default: Any = Field(**metadata.get("constraints", {}))
        elif f.default_factory is not dataclasses.MISSING:
            factory = f.default_factory
            if isinstance(factory, type) and issubclass(factory, _Section):
                model = _pydantic_model(factory)
                factory = model
            default = Field(default_factory=factory, **metadata.get("constraints", {}))
        else:
            default = Field(default=f.default, **metadata.get("constraints", {}))
        definitions[f.name] = (kind, default)
        if "check" in metadata:
            validators[f"check_{f.name}"] = field_validator(f.name)(
                classmethod(_pydantic_check(metadata["check"]))
            )
    return create_model(
        section.__name__,
        __config__=ConfigDict(extra="forbid", frozen=True),
        __validators__=validators,
        **definitions,
    )


def _pydantic_check(check: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    def validate(cls: Any, value: Any) -> Any:
        return check(value)

    return validate


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
        kind = _fields(section).get(part, (None,))[0]
        if not (isinstance(kind, type) and issubclass(kind, _Section)):
            return []
        section = kind
    return list(_fields(section))
