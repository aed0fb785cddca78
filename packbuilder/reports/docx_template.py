"""docxtpl, as the Word reports use it: the one module that reaches into docxtpl's internals.

The renderer (packbuilder.reports.render) opens every template through ``strict_template`` and
makes every picture with ``picture_with_alt_text``. docxtpl has no public hook for what they
change, so this module overrides three of ``DocxTemplate``'s methods and sets the attribute
its pictures read; nothing else in packbuilder touches docxtpl beyond its public API
(``DocxTemplate``, ``RichText``, ``render``, ``save``).

- ``render_xml_part``: docxtpl turns "{_{" in the rendered XML back into "{{" (its escape for
  tags in a template's text); officer text may hold "{_{" literally, so the override renders
  the part the same way without that step, compiling each part once (``compile_part``) and
  wording a Jinja error for the office (``template_error``).
- ``resolve_listing``: docxtpl's, applied paragraph by paragraph to the few paragraphs holding
  a tab, break or new-paragraph character, not to the whole body.
- ``fix_tables``: the rendered body must parse strictly (``check_body``) before docxtpl's
  lenient parser repairs anything; ``tables_hook`` then sees the parsed body.
- Pictures write their alt text and title; they read the part being rendered from
  ``current_rendering_part``, which ``render_xml_part`` sets.

These depend on docxtpl's code as it is in the pinned versions (pyproject.toml);
``DOCXTPL_INTERNALS`` records a hash of the source of each docxtpl method overridden or relied
on, and tests/test_docx_template.py fails when an upgrade changes one of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree  # type: ignore[import-untyped,unused-ignore]  # no stubs shipped

# The source of each docxtpl method this module overrides or whose behaviour it relies on, as
# the first 16 hex digits of the sha256 of inspect.getsource, for docxtpl 0.20.2: the methods it
# overrides, those that call them, and InlineImage's picture, which _Picture writes as well.
DOCXTPL_INTERNALS = {
    "DocxTemplate.render_xml_part": "b762e42956e6709c",
    "DocxTemplate.resolve_listing": "20441608d64f33fd",
    "DocxTemplate.fix_tables": "da467aabccf452e4",
    "DocxTemplate.build_xml": "210792ef9e97b524",
    "DocxTemplate.build_headers_footers_xml": "ab0cb4a4c1587483",
    "DocxTemplate.render_footnotes": "901d286ae2f10f33",
    "DocxTemplate.render": "6ea018943e2fe4ab",
    "InlineImage._insert_image": "c0a906372c53b31c",
}

# docxtpl's resolve_listing turns these characters of rendered text into Word's breaks, tabs
# and new paragraphs, working paragraph by paragraph as _PARAGRAPH finds them.
_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", flags=re.DOTALL)
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def strict_template(
    path: str,
    *,
    name: str,
    compile_part: Callable[[Any, str], Any],
    template_error: Callable[[str, Exception], Exception],
    check_body: Callable[[bytes, str], object],
) -> Any:
    """The docxtpl template at PATH, rendering as the module's opening paragraph says.

    NAME is the template as the office knows it, for messages; COMPILE_PART(jinja_env, source)
    compiles one part; TEMPLATE_ERROR(name, error) words a Jinja error; CHECK_BODY(xml, where)
    raises if the rendered body is not well-formed XML. Set ``tables_hook`` on the result to see
    the rendered body's tree.
    """
    template = _template_class()(path)
    template.template_name = name
    template.compile_part = compile_part
    template.template_error = template_error
    template.check_body = check_body
    return template


def picture_with_alt_text(
    template: Any, image: Any, width: Any, description: str, title: str
) -> Any:
    """A picture for TEMPLATE (made by strict_template) with the alt text (and title) Word
    shows and reads out; put it in the context and render it with a plain ``{{ }}`` tag."""
    return _Picture(template, image, width, description, title)


class _Picture:
    """What docxtpl's InlineImage writes, with the alt text (descr) and title as well."""

    def __init__(self, tpl: Any, image: Any, width: Any, description: str, title: str) -> None:
        self.tpl = tpl
        self.image_descriptor = image
        self.width = width
        self.description = description
        self.title = title

    def _drawing(self) -> str:
        inline = self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, None
        )
        doc_pr = inline.find(f"{{{_WP}}}docPr")
        doc_pr.set("descr", self.description)
        doc_pr.set("title", self.title)
        doc_pr.set("name", self.title[:60])
        xml = etree.tostring(inline, encoding="unicode")
        return f'</w:t></w:r><w:r><w:drawing>{xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    def __html__(self) -> str:
        return self._drawing()

    def __str__(self) -> str:
        return self._drawing()


def _template_class() -> Any:
    # docxtpl brings python-docx, Jinja and their imports (about 0.1 s): only a command that
    # renders a Word document pays for them.
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    class StrictTemplate(DocxTemplate):  # type: ignore[misc]
        """docxtpl with two changes: rendered values are never turned back into tags, and
        the rendered body must parse strictly before docxtpl's lenient table fix-up."""

        template_name = ""
        tables_hook: Callable[[Any], None] | None = None  # given the rendered body's tree
        compile_part: Callable[[Any, str], Any]
        template_error: Callable[[str, Exception], Exception]
        check_body: Callable[[bytes, str], object]

        def render_xml_part(
            self, src_xml: str, part: Any, context: Any, jinja_env: Any = None
        ) -> str:
            src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            self.current_rendering_part = part
            try:
                dst_xml: str = self.compile_part(jinja_env, src_xml).render(context)
            except TemplateError as error:
                raise self.template_error(self.template_name, error) from None
            dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
            # docxtpl would now turn "{_{" back into "{{"; officer text may hold it literally.
            return self.resolve_listing(dst_xml)

        def resolve_listing(self, xml: str) -> str:
            # docxtpl's, paragraph by paragraph, skipping the many with nothing to resolve.
            resolve = super().resolve_listing

            def paragraph(match: re.Match[str]) -> str:
                text = match.group(0)
                if _LISTING_CHARACTERS.search(text) is None:
                    return text
                resolved: str = resolve(text)
                return resolved

            return _PARAGRAPH.sub(paragraph, xml)

        def fix_tables(self, xml: str) -> Any:
            self.check_body(xml.encode("utf-8"), f"{self.template_name} (body)")
            tree = super().fix_tables(xml)
            if self.tables_hook is not None:
                self.tables_hook(tree)
            return tree

    return StrictTemplate
