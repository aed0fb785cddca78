"""Writing the two web pages from their views, with Jinja2 templates shipped as package data.

Autoescape is on for every template, and the only text marked safe is the package's own CSS
and script, whose hashes the pages' Content-Security-Policy allows (and nothing else).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from packbuilder.site.view import SiteInput, board_page, public_page

SITE_FOLDER = "site"
PUBLIC_PAGE = "site/public/index.html"
BOARD_PAGE = "site/board/index.html"


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("packbuilder.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def render_site(site: SiteInput) -> dict[str, str]:
    """The site's files, relative path (under outputs/PERIOD/) -> HTML text."""
    env = _environment()
    style = env.get_template("site.css").render()
    script = env.get_template("board.js").render()
    public = env.get_template("public.html.j2").render(
        page=public_page(site), style=Markup(style), style_hash=_csp_hash(style)
    )
    board = env.get_template("board.html.j2").render(
        page=board_page(site),
        style=Markup(style),
        style_hash=_csp_hash(style),
        script=Markup(script),
        script_hash=_csp_hash(script),
    )
    return {PUBLIC_PAGE: public, BOARD_PAGE: board}


def write_site(folder: Path, site: SiteInput) -> list[Path]:
    """Write the site under FOLDER (outputs/PERIOD/ or its staging copy); the files written."""
    written = []
    for relative, text in render_site(site).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8", newline="\n")
        written.append(path)
    return written
