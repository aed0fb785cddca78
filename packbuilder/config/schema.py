"""The one validator of config.toml: reads a table as a frozen dataclass section, field by field.

A section (packbuilder.config) is a frozen, keyword-only dataclass; each field's type says what
it holds (text, a whole number, a number, true/false, a date, one of some words, a list, a table,
or another section) and its metadata (``rule``) the bounds and checks it must keep. ``read_section``
walks that definition: it refuses unknown keys (suggesting the key probably meant), missing keys,
wrong types and values out of bounds, and collects every problem in the file before any is
reported. It reads values as pydantic's lax mode did when the sections were pydantic models, and
words problems the same way, so a file accepted then is accepted now with the same values, and a
file refused then is refused with the same messages; see ``_whole_number``, ``_number``,
``_true_false`` and ``_date`` for the conversions. Dates given as numbers are the one exception:
pydantic read them as Unix timestamps, which no office means by a deadline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class MemberOf:
    """Field metadata: every value of this list must be one of ALLOWED, either another key's
    list ("returns.confidence") or a fixed set of words called NAME (a list of ratings takes
    ``tuple(r.value for r in BRAG_ORDER), "the BRAG words"``). Checked once the whole file is
    read (packbuilder.config._check_sets), since the other key may come later in the file."""

    allowed: str | tuple[str, ...]
    name: str = ""


@dataclass(frozen=True)
class Rule:
    """Field metadata: the bounds a setting's value must keep, and a check that words a
    problem as a ValueError (and may tidy the value, as a colour is upper-cased)."""

    ge: int | None = None
    gt: int | None = None
    le: int | None = None
    min_length: int | None = None
    check: Callable[[Any], Any] | None = None
    member_of: MemberOf | None = None


def rule(
    *,
    ge: int | None = None,
    gt: int | None = None,
    le: int | None = None,
    min_length: int | None = None,
    check: Callable[[Any], Any] | None = None,
    member_of: MemberOf | None = None,
) -> dict[str, Rule]:
    """A field's metadata: ``field(default=2, metadata=rule(ge=1, le=12))``."""
    return {"rule": Rule(ge, gt, le, min_length, check, member_of)}


def rule_of(item: dataclasses.Field[Any]) -> Rule:
    found = item.metadata.get("rule")
    return found if isinstance(found, Rule) else Rule()


@dataclass(frozen=True)
class Problem:
    """One thing wrong in config.toml: KIND is "unknown", "missing" or "value"."""

    location: tuple[str, ...]
    kind: str
    found: Any = None
    reason: str = ""

    def describe(self, path: Path) -> str:
        key = ".".join(self.location)
        if self.kind == "unknown":
            return f"{path.name}: unknown key '{key}'.{self.reason}"
        if self.kind == "missing":
            return f"{path.name}: missing key '{key}'."
        return f"{path.name}: '{key}' = {self.found!r}: {self.reason}."


class _Invalid(ValueError):
    """A value that cannot be read as its setting's type; the message is for the office."""


_BAD: Any = object()  # what a value that could not be read becomes


@functools.cache
def _field_types(section_type: type) -> dict[str, Any]:
    return typing.get_type_hints(section_type)


def read_section(section_type: type[T], raw: dict[str, Any]) -> T | list[Problem]:
    """RAW (config.toml as parsed) read as SECTION_TYPE, or every problem with it."""
    problems: list[Problem] = []
    value = _section(section_type, raw, (), problems)
    return problems if problems else typing.cast(T, value)


def _section(
    section_type: type, raw: Any, location: tuple[str, ...], problems: list[Problem]
) -> Any:
    """Read RAW as SECTION_TYPE, adding every problem to PROBLEMS: each field's in the order
    the section defines them, then each unknown key in the order of the file."""
    if not isinstance(raw, dict):
        reason = f"Input should be a valid dictionary or instance of {section_type.__name__}"
        problems.append(Problem(location, "value", raw, reason))
        return _BAD
    before = len(problems)
    types = _field_types(section_type)
    values = {}
    for item in dataclasses.fields(section_type):
        where = (*location, item.name)
        if item.name in raw:
            values[item.name] = _setting(item, types[item.name], raw[item.name], where, problems)
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            problems.append(Problem(where, "missing"))
    known = [item.name for item in dataclasses.fields(section_type)]
    for key in raw:
        if key not in known:
            guess = difflib.get_close_matches(key, known, n=1)
            meant = f" Did you mean '{'.'.join([*location, guess[0]])}'?" if guess else ""
            problems.append(Problem((*location, key), "unknown", reason=meant))
    return _BAD if len(problems) > before else section_type(**values)


def _setting(
    item: dataclasses.Field[Any],
    kind: Any,
    raw: Any,
    location: tuple[str, ...],
    problems: list[Problem],
) -> Any:
    """Read RAW as one field of type KIND, then hold it to the field's Rule."""
    value = _value(kind, raw, location, problems)
    kept = rule_of(item)
    if value is _BAD:
        return _BAD
    try:
        _keep_rule(kept, kind, value)
        return kept.check(value) if kept.check is not None else value
    except ValueError as error:
        problems.append(Problem(location, "value", raw, str(error)))
        return _BAD


def _keep_rule(kept: Rule, kind: Any, value: Any) -> None:
    if kept.min_length is not None and len(value) < kept.min_length:
        items = "item" if kept.min_length == 1 else "items"
        raise ValueError(
            f"List should have at least {kept.min_length} {items} after validation, "
            f"not {len(value)}"
        )

    def bound(limit: int) -> str:
        return str(float(limit)) if kind is float else str(limit)

    if kept.ge is not None and not value >= kept.ge:
        raise ValueError(f"it must be {bound(kept.ge)} or more")
    if kept.gt is not None and not value > kept.gt:
        raise ValueError(f"it must be more than {bound(kept.gt)}")
    if kept.le is not None and not value <= kept.le:
        raise ValueError(f"it must be {bound(kept.le)} or less")


def _value(kind: Any, raw: Any, location: tuple[str, ...], problems: list[Problem]) -> Any:
    """Read RAW as KIND (a section, a list, a table, a choice of words or a scalar)."""
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind):
        return _section(typing.cast(type, kind), raw, location, problems)
    if origin is list:
        if not isinstance(raw, list):
            problems.append(Problem(location, "value", raw, _LIST))
            return _BAD
        (item,) = typing.get_args(kind)
        items = [_value(item, v, (*location, str(i)), problems) for i, v in enumerate(raw)]
        return _BAD if any(v is _BAD for v in items) else items
    if origin is dict:
        if not isinstance(raw, dict):
            problems.append(Problem(location, "value", raw, _TABLE))
            return _BAD
        _, item = typing.get_args(kind)
        table = {k: _value(item, v, (*location, k), problems) for k, v in raw.items()}
        return _BAD if any(v is _BAD for v in table.values()) else table
    try:
        if origin is Literal:
            return _choice(typing.get_args(kind), raw)
        return _SCALARS[kind](raw)
    except _Invalid as error:
        problems.append(Problem(location, "value", raw, str(error)))
        return _BAD


_LIST = 'it must be a list in square brackets, such as ["High", "Low"]'
_TABLE = "it must be a table of keys and values"
_WHOLE = "it must be a whole number, such as 7 (no quotes)"
_NUMBER = "it must be a number, such as 2.5 (no quotes)"
_TRUE_FALSE = "it must be true or false (no quotes)"
_TEXT = 'it must be text in quotes, such as "High"'
_NOT_DATE = "Input should be a valid date or datetime, "
_NOT_MIDNIGHT = "Datetimes provided to dates should have zero time - e.g. be exact dates"
_WHOLE_TEXT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")
_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


def _choice(allowed: tuple[str, ...], raw: Any) -> str:
    if isinstance(raw, str) and raw in allowed:
        return raw
    words = [repr(word) for word in allowed]
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
    raise _Invalid(f"Input should be {listed}")


def _whole_number(raw: Any) -> int:
    """A whole number: also true/false (1/0), 7.0, and quoted whole numbers such as "7"."""
    if isinstance(raw, int):
        return int(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _Invalid("Input should be a finite number")
        if not -(2**63) <= raw <= 2**63:
            raise _Invalid("Unable to parse input string as an integer, exceeded maximum size")
        if not raw.is_integer():
            raise _Invalid("it must be a whole number, such as 7, not a fraction")
        return int(raw)
    if isinstance(raw, str) and _WHOLE_TEXT.fullmatch(raw.strip()):
        return int(raw.strip().partition(".")[0])
    raise _Invalid(_WHOLE)


def _number(raw: Any) -> float:
    """A number: also a whole number, true/false, and quoted numbers such as "2.5"."""
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str) and raw.isascii():
        try:
            return float(raw)
        except ValueError:
            pass
    raise _Invalid(_NUMBER)


def _true_false(raw: Any) -> bool:
    """true or false: also 1/0 and quoted words such as "yes", "off" or "t"."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.lower() in _TRUE | _FALSE:
        return raw.lower() in _TRUE
    raise _Invalid(_TRUE_FALSE)


def _text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    raise _Invalid(_TEXT)


def _date(raw: Any) -> dt.date:
    """A date: also a date-time at midnight, and ISO text (2023-09-12, with a midnight time)."""
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise _Invalid(_NOT_MIDNIGHT)
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        return _date_text(raw)
    raise _Invalid("Input should be a valid date")


_TIME = re.compile(r"(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?(?:[Zz]|[+-]\d\d:?\d\d)?")


def _date_text(text: str) -> dt.date:
    """ISO date text, with the wording of pydantic's date parser for what is wrong with it."""
    if len(text) < 10:
        raise _Invalid(_NOT_DATE + "input is too short")
    for part, span, separator in (("year", text[:4], text[4]), ("month", text[5:7], text[7])):
        if not (span.isascii() and span.isdigit()):
            raise _Invalid(f"{_NOT_DATE}invalid character in {part}")
        if separator != "-":
            raise _Invalid(f"{_NOT_DATE}invalid date separator, expected `-`")
    if not (text[8:10].isascii() and text[8:10].isdigit()):
        raise _Invalid(f"{_NOT_DATE}invalid character in day")
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:10])
    if not 1 <= month <= 12:
        raise _Invalid(f"{_NOT_DATE}month value is outside expected range of 1-12")
    try:
        date = dt.date(year, month, day)
    except ValueError:
        if year == 0:
            raise _Invalid(
                "Input should be a valid date in the format YYYY-MM-DD, year 0 is out of range"
            ) from None
        raise _Invalid(f"{_NOT_DATE}day value is outside expected range") from None
    if len(text) == 10:
        return date
    if text[10] not in "Tt_ ":
        raise _Invalid(f"{_NOT_DATE}invalid datetime separator, expected `T`, `t`, `_` or space")
    time = _TIME.fullmatch(text[11:])
    if time is None:
        for part, span in (("hour", text[11:13]), ("minute", text[14:16])):
            if len(span) == 2 and not (span.isascii() and span.isdigit()):
                raise _Invalid(f"{_NOT_DATE}invalid character in {part}")
        raise _Invalid(_NOT_DATE + "input is too short")
    for value, part, top in zip(
        time.groups()[:3], ("hour", "minute", "second"), (23, 59, 59), strict=True
    ):
        if value is not None and int(value) > top:
            raise _Invalid(f"{_NOT_DATE}{part} value is outside expected range of 0-{top}")
    if any(value and int(value) for value in time.groups()):
        raise _Invalid(_NOT_MIDNIGHT)
    return date


_SCALARS: dict[Any, Callable[[Any], Any]] = {
    int: _whole_number,
    float: _number,
    bool: _true_false,
    str: _text,
    dt.date: _date,
}
