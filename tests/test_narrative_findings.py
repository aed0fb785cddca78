"""The narrative file's findings, each on a table built in memory, messages compared whole."""

from __future__ import annotations

from packbuilder.model import ExceptionItem
from packbuilder.reports.narrative import (
    Narrative,
    missing_words,
    parse_narrative,
    unmatched_asks,
)

FILE = "inputs/narrative/2023-08.toml"


def messages(raw: dict[str, object]) -> list[tuple[str, str, str]]:
    return [(f.code, f.value, f.message) for f in parse_narrative(raw, FILE).findings]


def test_an_unknown_key_names_the_keys_allowed_there() -> None:
    raw: dict[str, object] = {
        "summry": {},
        "exception": {"summary": "", "extra": ""},
        "public": {"sumary": ""},
        "asks": {"red-progress:1A1": {"ask": "Note", "who": "PO"}},
    }
    assert messages(raw) == [
        (
            "narrative-unknown-key",
            "summry",
            f"{FILE}: unknown key 'summry' (use one of: assurance, exception, dfe, asks, "
            "public); it was ignored.",
        ),
        (
            "narrative-unknown-key",
            "exception.extra",
            f"{FILE}: unknown key 'exception.extra' (the keys here are summary, default_ask); "
            "it was ignored.",
        ),
        (
            "narrative-unknown-key",
            "public.sumary",
            f"{FILE}: unknown key 'public.sumary' (the keys here are summary, areas); it was "
            "ignored.",
        ),
        (
            "narrative-unknown-key",
            'asks."red-progress:1A1".who',
            f"{FILE}: unknown key 'asks.\"red-progress:1A1\".who' (the only key here is 'ask'); "
            "it was ignored.",
        ),
    ]


def test_an_entry_of_the_wrong_shape_says_the_shape_wanted() -> None:
    raw: dict[str, object] = {
        "assurance": "words",
        "public": {"summary": 3, "areas": {"one": "text"}},
        "asks": {"red-progress:1A1": "text"},
    }
    assert messages(raw) == [
        ("narrative-invalid", "", f'{FILE}: [assurance] should hold summary = "text".'),
        ("narrative-invalid", "", f'{FILE}: [public] summary should be "text".'),
        (
            "narrative-invalid",
            "",
            f"{FILE}: [public.areas] holds one line per area, as 1 = \"text\"; 'one' was ignored.",
        ),
        ("narrative-invalid", "", f'{FILE}: [asks."red-progress:1A1"] should hold ask = "text".'),
    ]
    assert messages({"asks": "text"}) == [
        (
            "narrative-invalid",
            "",
            f'{FILE}: write each ask as [asks."RULE:SUBJECT"] with ask = "text".',
        )
    ]


def test_an_ask_for_no_exception_and_words_not_written() -> None:
    narrative = Narrative(FILE, True, asks={"red-progress:9Z9": "Note"})
    item = ExceptionItem("red-progress", "1A1", "action", 1, "ann", "Progress is Red")
    assert [f.message for f in unmatched_asks(narrative, [item])] == [
        f'{FILE}: [asks."red-progress:9Z9"] matches no exception this period; the key is '
        "RULE:SUBJECT as listed in the exception report."
    ]
    missing = missing_words(narrative, "The summary", "1A1")
    assert (missing.code, missing.file, missing.action_id, missing.message) == (
        "narrative-missing",
        FILE,
        "1A1",
        f"The summary is not written yet: the report says so in its place. Add it to {FILE} "
        "and build again.",
    )
