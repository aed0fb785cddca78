"""docxtpl's internals, as packbuilder.reports.docx_template relies on them: the pinned
version's methods are the ones the wrapper was written against, and the wrapper's changes to
docxtpl (values never turned back into tags, the body parsed strictly, pictures with alt text)
hold when a small template is rendered through it."""

from __future__ import annotations

import hashlib
import inspect
import io
import struct
import zlib
from pathlib import Path
from typing import Any

import docx
import pytest
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined
from lxml import etree  # type: ignore[import-untyped,unused-ignore]
from markupsafe import Markup

from packbuilder.reports.charts import ChartImages
from packbuilder.reports.docx_template import (
    DOCXTPL_INTERNALS,
    picture_with_alt_text,
    strict_template,
)
from packbuilder.reports.render import ReportTemplateError, render_document

_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
OWNERS = {"DocxTemplate": DocxTemplate, "InlineImage": InlineImage}


def _source_hash(qualified: str) -> str:
    owner, method = qualified.split(".")
    source = inspect.getsource(getattr(OWNERS[owner], method))
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize("qualified", sorted(DOCXTPL_INTERNALS))
def test_docxtpl_methods_are_those_the_wrapper_was_written_against(qualified: str) -> None:
    """An upgrade of docxtpl that changes one of these fails here: read the new method, adapt
    docx_template.py, and record the new hash."""
    assert _source_hash(qualified) == DOCXTPL_INTERNALS[qualified], qualified


def _template(tmp_path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "template.docx"
    document.save(str(path))
    return path


def _texts(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def _compile(jinja_env: Any, source: str) -> Any:
    return jinja_env.from_string(source)


def _words(name: str, error: Exception) -> Exception:
    return ValueError(f"{name}: {error}")


def _strictly(xml: bytes, where: str) -> None:
    try:
        etree.fromstring(xml, etree.XMLParser(recover=False))
    except etree.XMLSyntaxError:
        raise ValueError(f"not well-formed: {where}") from None


def _open(path: Path) -> Any:
    return strict_template(
        str(path), name="t.docx", compile_part=_compile, template_error=_words, check_body=_strictly
    )


def test_rendered_values_are_never_turned_back_into_tags(tmp_path: Path) -> None:
    path = _template(tmp_path, "Said: {{ text }}")
    words = "keep {_{ this }_} and {_% that %_} as written"
    data = render_document(path, {"text": words}, ChartImages(b"", b""))
    assert _texts(data) == [f"Said: {words}"]
    # docxtpl alone would have turned them into tags' brackets.
    plain = DocxTemplate(str(path))
    plain.render({"text": words}, jinja_env=Environment(autoescape=True))
    buffer = io.BytesIO()
    plain.save(buffer)
    assert _texts(buffer.getvalue()) == ["Said: keep {{ this }} and {% that %} as written"]


def test_the_rendered_body_must_parse_strictly(tmp_path: Path) -> None:
    path = _template(tmp_path, "{{ value }}")
    broken = {"value": Markup("<w:r>")}
    environment = Environment(autoescape=True, undefined=StrictUndefined)
    with pytest.raises(ValueError, match=r"^not well-formed: t\.docx \(body\)$"):
        _open(path).render(broken, jinja_env=environment)
    # docxtpl alone repairs the same body silently.
    DocxTemplate(str(path)).render(broken, jinja_env=environment)


def test_a_template_error_is_worded_by_the_caller(tmp_path: Path) -> None:
    path = _template(tmp_path, "{{ missing }}")
    environment = Environment(autoescape=True, undefined=StrictUndefined)
    with pytest.raises(ValueError, match=r"^t\.docx: 'missing' is undefined$"):
        _open(path).render({}, jinja_env=environment)


def test_an_unreadable_body_stops_the_render_with_a_report_error(tmp_path: Path) -> None:
    path = _template(tmp_path, "{{ value }}")
    with pytest.raises(ReportTemplateError, match="made XML that is not valid"):
        render_document(
            path,
            {"value": "text"},
            ChartImages(b"", b""),
            prepare=lambda template, context: {"value": Markup("<w:r>")},
        )


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_picture_carries_its_alt_text_and_title(tmp_path: Path) -> None:
    from docx.shared import Mm

    path = _template(tmp_path, "{{ picture }}")

    def with_picture(template: Any, context: dict[str, Any]) -> dict[str, Any]:
        image = io.BytesIO(_png())
        picture = picture_with_alt_text(template, image, Mm(20), "Bars by area", "Ratings")
        return {"picture": picture}

    data = render_document(path, {}, ChartImages(b"", b""), prepare=with_picture)
    body = etree.fromstring(docx.Document(io.BytesIO(data)).element.xml.encode("utf-8"))
    (doc_pr,) = body.iter(f"{{{_WP}}}docPr")
    assert (doc_pr.get("descr"), doc_pr.get("title"), doc_pr.get("name")) == (
        "Bars by area",
        "Ratings",
        "Ratings",
    )
