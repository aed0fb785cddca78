"""The charts: print resolution, the configured colours, the same bytes for the same data."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from report_fixtures import make_config

from packbuilder.config import Config, load_config
from packbuilder.model import Rating
from packbuilder.reports.charts import DPI, WIDTH_INCHES, brag_by_area_png, brag_over_time_png

AREAS = ["Area 1", "Area 2", "Area 3"]
PROGRESS = [
    {"blue": 1, "green": 1, "amber": 1, "red": 0},
    {"blue": 0, "green": 0, "amber": 1, "red": 1},
    {"blue": 0, "green": 0, "amber": 0, "red": 2},
]
IMPACT = [
    {"blue": 0, "green": 1, "amber": 1, "red": 0, "not_yet_rated": 1},
    {"blue": 0, "green": 0, "amber": 1, "red": 1, "not_yet_rated": 0},
    {"blue": 0, "green": 0, "amber": 2, "red": 0, "not_yet_rated": 0},
]


def colours_in(png: bytes) -> set[str]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = image.getcolors(maxcolors=1_000_000) or []
    return {"#{:02X}{:02X}{:02X}".format(*rgb) for n, rgb in counts if n > 200}


def fills(config: Config, *ratings: Rating) -> set[str]:
    return {config.brag_style(r).colour for r in ratings}


def test_by_area_chart_at_print_resolution_in_the_configured_colours(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    png = brag_by_area_png(config, AREAS, PROGRESS, IMPACT)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert round(image.info["dpi"][0]) == DPI
    assert image.width == round(WIDTH_INCHES * DPI)
    every = fills(config, Rating.BLUE, Rating.GREEN, Rating.AMBER, Rating.RED)
    assert every | fills(config, Rating.NOT_YET_RATED) <= colours_in(png)


def test_over_time_chart_draws_only_the_ratings_present(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    png = brag_over_time_png(
        config,
        ["July 2023", "August 2023"],
        [{"blue": 0, "green": 0, "amber": 5, "red": 2}, {"blue": 0, "green": 1, "amber": 5}],
    )
    present = colours_in(png)
    assert fills(config, Rating.AMBER, Rating.RED, Rating.GREEN) <= present
    assert config.brag_style(Rating.BLUE).colour not in present


def test_configured_colours_are_used(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    text = config.text.replace('colour = "#C00000"', 'colour = "#7030A0"', 1)
    (tmp_path / "config.toml").write_text(text, "utf-8")
    purple = load_config(tmp_path)
    png = brag_by_area_png(purple, AREAS, PROGRESS, IMPACT)
    assert "#7030A0" in colours_in(png)
    assert "#C00000" not in colours_in(png)


def test_same_data_same_bytes(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    assert brag_by_area_png(config, AREAS, PROGRESS, IMPACT) == brag_by_area_png(
        config, AREAS, PROGRESS, IMPACT
    )
