"""The web pages as build and publish write them, read back with an HTML parser.

What the families' page may show (nothing the office has not made public), that nothing an
officer typed becomes markup or a link, and that ``publish`` rewrites the same site from
history as one set. The pages in a real browser are tests/test_site_browser.py.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_corpus import MARKUP_COMMENTARY, MARKUP_EVIDENCE
from returns_factory import (
    DIRECTOR,
    OFFICERS,
    PERIOD,
    fill_clean,
    make_blank_returns,
    reported,
    write_workspace,
)
from site_pages import Page, read_page

from packbuilder.cli import main
from packbuilder.commands.build import build_period
from packbuilder.config import Config, load_config
from packbuilder.reports.narrative import parse_narrative

PUBLIC = "site/public/index.html"
BOARD = "site/board/index.html"

# Values the office has not made public: each must be absent from the families' page.
SECRET = {
    "progress_commentary": "Commentary-not-for-families {action}",
    "evidence": "Evidence-not-for-families {action}",
    "risks": "Risk-not-for-families {action}",
    "revised_reason": "Reason-not-for-families {action}",
    "next_milestone": "Milestone-not-for-families {action}",
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def workspace_publishing(root: Path, public_fields: str) -> Config:
    """The test workspace with config's [publish] public_fields set to PUBLIC_FIELDS."""
    write_workspace(root)
    path = root / "config.toml"
    text = path.read_text("utf-8")
    assert text.count("public_fields = []") == 1
    path.write_text(text.replace("public_fields = []", f"public_fields = {public_fields}"), "utf-8")
    return load_config(root)


def build_with_returns(
    tmp_path: Path, rows: dict[str, dict[str, object]], public_fields: str = "[]"
) -> Config:
    """A workspace whose director and head of communications return ROWS' values; built."""
    config = workspace_publishing(tmp_path / "ws", public_fields)
    made = make_blank_returns(config, PERIOD)
    folder = config.returns_dir(PERIOD)
    for officer in (DIRECTOR, "head-of-comms"):
        mine = {a: v for a, v in rows.items() if a in reported(officer)}
        fill_clean(made[officer], folder / made[officer].name, officer, mine)
    build_period(config, PERIOD)
    return config


def secret_rows(escalate: bool = True) -> dict[str, dict[str, object]]:
    rows: dict[str, dict[str, object]] = {}
    for action in ("1A1", "1A2", "2A1"):
        rows[action] = {key: text.format(action=action) for key, text in SECRET.items()}
        rows[action]["escalation"] = "Yes" if escalate else "No"
        rows[action]["confidence"] = "Low"
    rows["1A1"]["progress"] = "Red"
    return rows


def test_build_writes_both_pages_and_lists_them_in_the_manifest(tmp_path: Path) -> None:
    config = build_with_returns(tmp_path, {})
    folder = config.outputs_dir(PERIOD)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    for page in (PUBLIC, BOARD):
        assert listed[page] == sha(folder / page)
    board = read_page(folder / BOARD)
    # Without a script every row is in the table; the filters appear only with one.
    rows = [a for a in board.named("tr") if "data-area" in a]
    assert [r["data-area"] for r in rows] == ["1", "1", "2", "2"]
    assert not any("hidden" in r for r in rows)
    assert "hidden" in board.named("form")[0]


def test_the_families_page_shows_none_of_the_fields_not_made_public(tmp_path: Path) -> None:
    config = build_with_returns(tmp_path, secret_rows())
    folder = config.outputs_dir(PERIOD)
    public_html = (folder / PUBLIC).read_text("utf-8")
    board_html = (folder / BOARD).read_text("utf-8")
    secrets = [text.format(action=a) for a in ("1A1", "1A2", "2A1") for text in SECRET.values()]
    names = [officer[1] for officer in OFFICERS]
    risk_words = ["Capacity to deliver the plan", "Low confidence", "escalation", "Escalat"]
    for value in [*secrets, *names, *risk_words]:
        assert value not in public_html, value
    # The board shows the officers, the commentary and the exceptions: the test can see them.
    for value in (names[0], names[1], secrets[0], "escalation"):
        assert value in board_html, value
    public = read_page(folder / PUBLIC)
    assert "Of 2 actions, 1 done, 0 on track and 1 delayed." in public.text


def test_public_fields_named_in_config_are_shown(tmp_path: Path) -> None:
    config = build_with_returns(tmp_path, secret_rows(), '["officer", "commentary"]')
    public_html = (config.outputs_dir(PERIOD) / PUBLIC).read_text("utf-8")
    assert "Commentary-not-for-families 1A1" in public_html
    assert "Head of Communications" in public_html
    assert "Evidence-not-for-families" not in public_html
    assert "Risk-not-for-families" not in public_html


def _no_markup_from_returns(page: Page, board_script: str) -> None:
    assert page.named("img") == page.named("iframe") == []
    assert [s for s in page.scripts if s != board_script] == []
    handlers = [(tag, key) for tag, key, _ in page.attributes() if key.startswith("on")]
    assert handlers == []
    hrefs = [a.get("href", "") for a in page.named("a")]
    assert hrefs and all(h.startswith("#") for h in hrefs), hrefs
    assert not any("javascript:" in v for _, k, v in page.attributes() if k in ("href", "src"))


def test_markup_in_returns_never_becomes_markup_or_a_link(tmp_path: Path) -> None:
    rows: dict[str, dict[str, object]] = {
        a: {"progress_commentary": MARKUP_COMMENTARY, "evidence": MARKUP_EVIDENCE}
        for a in ("1A1", "1A2", "2A1")
    }
    rows["1A1"].update(progress="Red", risks=MARKUP_COMMENTARY, escalation="Yes")
    # The most exposed set-up: the families' page shows the officers' commentary too.
    config = build_with_returns(tmp_path, rows, '["officer", "commentary"]')
    script = resources.files("packbuilder.site").joinpath("templates/board.js").read_text("utf-8")
    for name in (PUBLIC, BOARD):
        page = read_page(config.outputs_dir(PERIOD) / name)
        _no_markup_from_returns(page, script)
        # What was typed is there, as text a reader sees.
        assert " ".join(MARKUP_COMMENTARY.split()) in page.text
    board = read_page(config.outputs_dir(PERIOD) / BOARD)
    assert len(board.scripts) == 1
    public = read_page(config.outputs_dir(PERIOD) / PUBLIC)
    assert public.scripts == []


def test_publish_rewrites_only_the_site_from_history_as_build_wrote_it(tmp_path: Path) -> None:
    config = build_with_returns(tmp_path, secret_rows(escalate=False))
    folder = config.outputs_dir(PERIOD)
    built = {p: (folder / p).read_bytes() for p in (PUBLIC, BOARD)}
    others = {
        p.relative_to(folder).as_posix(): sha(p)
        for p in folder.rglob("*")
        if p.is_file() and "site" not in p.relative_to(folder).parts and p.name != "manifest.json"
    }
    (folder / PUBLIC).write_text("edited", "utf-8")
    (folder / "site" / "stray.html").write_text("left over", "utf-8")
    result = CliRunner().invoke(main, ["-C", str(config.root), "publish", str(PERIOD)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Published July 2023: 2 pages in outputs/2023-07/site/",
        "  outputs/2023-07/site/board/index.html",
        "  outputs/2023-07/site/public/index.html",
    ]
    assert {p: (folder / p).read_bytes() for p in (PUBLIC, BOARD)} == built
    assert not (folder / "site" / "stray.html").exists()
    assert {
        p.relative_to(folder).as_posix(): sha(p)
        for p in folder.rglob("*")
        if p.is_file() and "site" not in p.relative_to(folder).parts and p.name != "manifest.json"
    } == others
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    assert listed[PUBLIC] == sha(folder / PUBLIC)
    assert [p for p in listed if p.startswith("site/")] == [BOARD, PUBLIC]
    assert not list(config.path("outputs").glob(".staging-*"))


def test_publish_of_a_month_not_built_says_so(tmp_path: Path) -> None:
    config = build_with_returns(tmp_path, {})
    result = CliRunner().invoke(main, ["-C", str(config.root), "publish", "2023-08"])
    assert result.exit_code == 2
    assert " ".join(result.output.split()) == (
        "Error: August 2023 is not recorded in history (recorded: 2023-07), so there is nothing "
        "to publish What to do: Run 'packbuilder build 2023-08' first: it writes the site too."
    )


def test_the_narrative_public_section_is_read_and_checked() -> None:
    narrative = parse_narrative(
        {
            "public": {
                "summary": "Most actions are on track.",
                "areas": {"1": "Recruitment is under way.", "one": "?"},
                "title": "x",
            }
        },
        "inputs/narrative/2023-07.toml",
    )
    assert narrative.summary("public") == "Most actions are on track."
    assert narrative.public_areas == {1: "Recruitment is under way."}
    assert [(f.code, f.message) for f in narrative.findings] == [
        (
            "narrative-unknown-key",
            "inputs/narrative/2023-07.toml: unknown key 'public.title' (the keys here are "
            "summary, areas); it was ignored.",
        ),
        (
            "narrative-invalid",
            'inputs/narrative/2023-07.toml: [public.areas] holds one line per area, as 1 = "text"; '
            "'one' was ignored.",
        ),
    ]


@pytest.mark.parametrize("fields", [["officers"], ["risks"]])
def test_only_publishable_fields_are_accepted_in_config(tmp_path: Path, fields: list[str]) -> None:
    from packbuilder.errors import ConfigError

    with pytest.raises(ConfigError, match="is not one of the publishable fields"):
        workspace_publishing(tmp_path / "ws", json.dumps(fields))


def test_the_board_says_in_words_when_a_rating_was_carried_forward(tmp_path: Path) -> None:
    config = build_with_returns(tmp_path, {"1A2": {"progress": "Purple"}})
    board = read_page(config.outputs_dir(PERIOD) / BOARD)
    assert "Green carried forward: this month's rating was not valid" in board.text
    public = read_page(config.outputs_dir(PERIOD) / PUBLIC)
    assert "carried forward" not in public.text
