"""The zip under a workbook read byte by byte: parts inflated within their declared sizes,
headers that contradict the directory, and a DTD hidden in a part's prolog."""

from __future__ import annotations

import io
import zipfile

import pytest

from packbuilder.ooxml import gate as ooxml


def _package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_part_is_inflated_whole_when_the_reader_needs_it_and_its_head_is_returned() -> None:
    sheet = b"<worksheet>" + b"<row/>" * 20_000 + b"</worksheet>"
    data = _package({"xl/worksheets/sheet1.xml": sheet, "xl/styles.xml": b"<styleSheet/>"})
    archive = zipfile.ZipFile(io.BytesIO(data))
    kept: dict[str, bytes] = {}
    heads = [ooxml.inflate_part(data, info, kept) for info in archive.infolist()]
    assert heads == [sheet[: ooxml.DTD_SCAN_BYTES], b"<styleSheet/>"]
    assert kept == {"xl/worksheets/sheet1.xml": sheet}  # styles are not kept: not needed raw


def test_a_part_that_lies_about_its_size_is_damaged() -> None:
    data = _package({"xl/workbook.xml": b"<workbook/>"})
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    info.file_size += 5  # the directory now says more than the part holds
    with pytest.raises(ooxml.PartProblem, match="not the size its header declares"):
        ooxml.inflate_part(data, info, {})
    assert ooxml.local_header_disagrees(data, info) == (
        "local header says 11 bytes, directory says 16"
    )


@pytest.mark.parametrize(
    ("head", "why"),
    [
        (b'<?xml version="1.0"?><workbook/>', ""),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "declares a DTD (<!DOCTYPE)"),
        ('<?xml version="1.0"?><!DOCTYPE x><x/>'.encode("utf-16"), "declares a DTD (<!DOCTYPE)"),
        (
            b'<?xml version="1.0" encoding="x-nothing"?><x/>',
            "declares an encoding that cannot be checked (x-nothing)",
        ),
    ],
)
def test_a_dtd_is_found_in_the_prolog_whatever_its_encoding(head: bytes, why: str) -> None:
    assert ooxml.dtd_in_prolog(head) == why
