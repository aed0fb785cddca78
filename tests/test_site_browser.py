"""The web pages in headless Chromium: axe-core's WCAG 2.2 A and AA rules, the dashboard's
filters and sorting driven as a board member would, and a keyboard-only walk.

One browser session serves every test here. The pages come from the bundled example (built
in a temporary copy) and from a plan made in the test with long names and every rating.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import axe_source, axe_violations, start_chromium

from packbuilder.config import load_config
from packbuilder.model import (
    Action,
    ActionStatus,
    Area,
    Direction,
    EndDate,
    EndDateKind,
    ExceptionItem,
    Kpi,
    KpiRag,
    KpiStatus,
    KpiTarget,
    Officer,
    Period,
    Plan,
    Rating,
    ReturnStatus,
    Risk,
    RiskStatus,
    SubTheme,
)
from packbuilder.site import PublicWords, SiteInput, write_site

AUGUST = Period(2023, 8)
LONG = "an exceptionally long name that goes on and on " * 3


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.fixture(scope="module")
def example(built_example: Path) -> Path:
    """outputs/2023-08/ of the bundled example, built once for the run (conftest.py)."""
    return load_config(built_example).outputs_dir(AUGUST)


def long_names_site() -> SiteInput:
    """A two-area plan with long names, every progress and impact rating, every RAG."""
    officers = tuple(
        Officer(f"officer-{n}", f"Officer {n}: {LONG}", "Organisation " + LONG) for n in range(3)
    )
    areas = (Area(1, "Area one " + LONG, "officer-0"), Area(2, "Area two " + LONG, "Area 2 lead"))
    ratings = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE, None]
    impacts = [Rating.BLUE, Rating.GREEN, Rating.AMBER, Rating.RED, Rating.NOT_YET_RATED]
    actions = tuple(
        Action(
            id=f"{1 + n % 2}A{n + 1}",
            sub_theme=f"{1 + n % 2}a",
            area=1 + n % 2,
            text=f"Action {n} " + LONG,
            end_date=EndDate("31 March 2024", dt.date(2024, 3, 31), EndDateKind.DATE)
            if n % 3
            else EndDate("Ongoing", None, EndDateKind.OPEN),
            reporting_officer=f"officer-{n % 3}",
        )
        for n in range(10)
    )
    statuses = tuple(
        ActionStatus(
            action=action,
            progress=ratings[n % 5],
            impact=impacts[n % 5],
            previous_progress=ratings[(n + 1) % 5],
            previous_impact=impacts[(n + 2) % 5],
            return_status=list(ReturnStatus)[n % len(ReturnStatus)],
            progress_commentary="Commentary " + LONG,
            revised_end_date=dt.date(2023, 6, 30) if n == 2 else None,
            end_date_agreed_in=Period(2023, 7) if n == 2 else None,
        )
        for n, action in enumerate(actions)
    )
    kpis = tuple(
        Kpi(
            code=f"K{n}",
            description=f"Measure {n} " + LONG,
            areas=(1 + n % 2,) if n < 3 else (),
            unit="%",
            targets=(KpiTarget(dt.date(2024, 3, 31), 80.0, "80%"),),
        )
        for n in range(4)
    )
    kpi_statuses = tuple(
        KpiStatus(
            kpi=kpi,
            value=40.0 + 15 * n,
            value_text=f"{40 + 15 * n}%",
            as_at=AUGUST.last_day,
            carried_forward=False,
            target=kpi.targets[0],
            rag=list(KpiRag)[n],
            rag_reason="why " + LONG,
            previous_value=35.0,
            direction=Direction.IMPROVED,
        )
        for n, kpi in enumerate(kpis)
    )
    risk = Risk("R01", "17/05/23", "Risk " + LONG, "High", owner="Owner " + LONG)
    plan = Plan(
        areas=areas,
        sub_themes=(SubTheme("1a", 1, "One"), SubTheme("2a", 2, "Two")),
        actions=actions,
        officers=officers,
        kpis=kpis,
        risks=(risk,),
    )
    july = {a.id: (ratings[(n + 1) % 5], impacts[n % 5]) for n, a in enumerate(actions)}
    return SiteInput(
        programme="A programme " + LONG,
        organisation="A partnership " + LONG,
        period=AUGUST,
        previous_period=Period(2023, 7),
        plan=plan,
        actions=statuses,
        exceptions=(
            ExceptionItem("red-progress", "1A1", "action", 1, "officer-0", "Progress is Red"),
        ),
        kpis=kpi_statuses,
        risks=(RiskStatus(risk, "New"),),
        ratings_by_period={
            Period(2023, 7): july,
            AUGUST: {s.action.id: (s.progress, s.impact) for s in statuses},
        },
        kpi_series={
            k.code: {Period(2023, 7): 35.0, AUGUST: 40.0 + 15 * n} for n, k in enumerate(kpis)
        },
        words=PublicWords("A summary " + LONG, {1: "Words for area one " + LONG}),
        changes={"1": "What will change " + LONG},
        public_kpis=tuple(k.code for k in kpis),
    )


@pytest.fixture(scope="module")
def long_names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    write_site(folder, long_names_site())
    return folder


def open_page(browser: Any, path: Path, width: int = 1280) -> None:
    browser.set_window_size(width, 900)
    browser.get(path.as_uri())


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
@pytest.mark.parametrize("page", ["public", "board"])
@pytest.mark.parametrize("which", ["example", "long_names"])
def test_no_wcag_22_aa_violations(
    browser: Any, axe: str, request: pytest.FixtureRequest, which: str, page: str, width: int
) -> None:
    folder: Path = request.getfixturevalue(which)
    open_page(browser, folder / "site" / page / "index.html", width)
    assert axe_violations(browser, axe) == []
    # The inline style and script are the ones the Content-Security-Policy allows.
    blocked = [
        e["message"] for e in browser.get_log("browser") if "Content Security" in e["message"]
    ]
    assert blocked == []


def visible_rows(browser: Any) -> list[dict[str, str]]:
    return browser.execute_script(  # type: ignore[no-any-return]
        "return Array.from(document.querySelectorAll('#action-table tbody tr'))"
        ".filter(r => r.offsetParent !== null).map(r => ({id: r.cells[0].textContent.trim()"
        ".split(' ')[0], area: r.dataset.area, progress: r.dataset.progress,"
        " exception: r.dataset.exception, officer: r.dataset.officer}));"
    )


def choose(browser: Any, field: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", field)).select_by_value(value)


def test_the_dashboards_filters_show_the_rows_asked_for(browser: Any, example: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, example / "site" / "board" / "index.html")
    everything = visible_rows(browser)
    assert len(everything) == 116
    choose(browser, "filter-area", "6")
    area_six = visible_rows(browser)
    assert area_six == [r for r in everything if r["area"] == "6"] and area_six
    status = browser.find_element(By.ID, "shown").text
    assert status == f"Showing {len(area_six)} of 116 actions."
    choose(browser, "filter-rating", "Red")
    assert visible_rows(browser) == [r for r in area_six if r["progress"] == "Red"]
    choose(browser, "filter-area", "")
    choose(browser, "filter-rating", "")
    choose(browser, "filter-exception", "yes")
    flagged = visible_rows(browser)
    assert flagged == [r for r in everything if r["exception"] == "yes"] and flagged
    choose(browser, "filter-exception", "")
    officer = everything[0]["officer"]
    choose(browser, "filter-officer", officer)
    assert visible_rows(browser) == [r for r in everything if r["officer"] == officer]
    browser.find_element(By.ID, "filter-reset").click()
    search = browser.find_element(By.ID, "filter-search")
    search.send_keys("6C1")
    assert [r["id"] for r in visible_rows(browser)] == ["6C1"]
    browser.find_element(By.ID, "filter-reset").click()
    # The form's fields are cleared after its reset event, so the page filters a moment later.
    WebDriverWait(browser, 10).until(lambda b: len(visible_rows(b)) == 116)
    # Sorting by progress: Red first, then Amber, Green and Blue; again, the other way.
    header = browser.find_element(By.XPATH, "//th[@data-sort='rating'][1]/button")
    header.click()
    ranks = {"Red": 1, "Amber": 2, "Green": 3, "Blue": 4}
    order = [ranks[r["progress"]] for r in visible_rows(browser)]
    assert order == sorted(order)
    header.click()
    order = [ranks[r["progress"]] for r in visible_rows(browser)]
    assert order == sorted(order, reverse=True)
    aria = browser.find_element(By.XPATH, "//th[@data-sort='rating'][1]")
    assert aria.get_attribute("aria-sort") == "descending"


@pytest.mark.parametrize("page", ["public", "board"])
def test_a_keyboard_alone_reaches_every_control(browser: Any, example: Path, page: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(browser, example / "site" / page / "index.html")
    controls = browser.execute_script(
        "const all = Array.from(document.querySelectorAll('a[href], button, select, input'))"
        ".filter(e => !e.closest('[hidden]'));"
        "all.forEach((e, i) => e.dataset.walk = i); return all.length;"
    )
    reached: list[str] = []
    for _ in range(controls + 20):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        walk = browser.execute_script("return document.activeElement.dataset.walk || null;")
        if walk is not None and walk not in reached:
            reached.append(walk)
        if len(reached) == controls:
            break
    assert sorted(reached, key=int) == [str(i) for i in range(controls)]
    # The first stop is the skip link, and it takes the reader to the main content.
    open_page(browser, example / "site" / page / "index.html")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element.text == "Skip to the main content"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "main"
