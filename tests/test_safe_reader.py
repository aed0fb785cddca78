"""Files that are not returns: each is recognised by its bytes and gets one finding that says
what to do; nothing is parsed that fails screening."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hostile_corpus import _FLAT_ODS
from hostile_corpus import _ole as ole_file
from returns_factory import (
    DIRECTOR,
    PERIOD,
    check_dir,
    check_one,
    context,
    fill_clean,
    make_blank_returns,
    write_workspace,
)

from packbuilder.checks.context import CheckLimits
from packbuilder.config import Config
from packbuilder.findings import REJECTED_CODES
from packbuilder.model import FileStatus, Severity
from packbuilder.returns.safe import Refusal, assert_defused, screen_file

LIMITS = CheckLimits()


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    return write_workspace(tmp_path / "ws")


def _xlsx_bytes(extra: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet("Sheet1").write("A1", "hello")
    workbook.close()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in drop:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _ole(streams: list[str]) -> bytes:
    """The leading bytes and directory names of an OLE compound file (enough to recognise)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in streams)


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, text in parts.items():
            target.writestr(name, text)
    return out.getvalue()


def _docx() -> bytes:
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def _ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        target.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


R, X = FileStatus.REJECTED, FileStatus.NOT_A_RETURN  # a return with errors; not a return
NOT_RETURNS = [
    ("empty.xlsx", b"", Refusal.EMPTY, R),
    ("truncated.xlsx", _xlsx_bytes()[:300], Refusal.DAMAGED, R),
    ("old.xlsx", _ole(["Workbook", "SummaryInformation"]), Refusal.LEGACY_XLS, R),
    ("locked.xlsx", _ole(["EncryptionInfo", "EncryptedPackage"]), Refusal.PASSWORD, R),
    ("calc.xlsx", _ods(), Refusal.ODS, R),
    ("macro.xlsx", _xlsx_bytes({"xl/vbaProject.bin": b"\x00" * 10}), Refusal.MACRO, R),
    ("letter.xlsx", _docx(), Refusal.WORD, X),
    ("archive.xlsx", _zip({"data/records.xml": "<records/>"}), Refusal.OTHER_ZIP, X),
    ("export.xlsx", b"Action ID,Progress\n1A1,Amber\n", Refusal.CSV, X),
    ("page.xlsx", b"<!DOCTYPE html><html><body><table></table></body></html>", Refusal.HTML, X),
    ("binary.xlsx", bytes(range(256)) * 4, Refusal.UNKNOWN, X),
]


@pytest.mark.parametrize(
    ("name", "data", "refusal", "status"), NOT_RETURNS, ids=[n for n, *_ in NOT_RETURNS]
)
def test_each_kind_of_refused_file_gets_one_finding_and_its_status(
    tmp_path: Path, config: Config, name: str, data: bytes, refusal: Refusal, status: FileStatus
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert screen_file(path, LIMITS).refusal is refusal
    result = check_one(path, context(config))
    assert result.status is status
    assert [(f.code, f.severity, f.file) for f in result.findings] == [
        (refusal.value, Severity.ERROR, name)
    ]
    assert "send" in result.findings[0].message.lower() or "save" in result.findings[0].message


FOREIGN = [
    ("memo.doc", ole_file(["WordDocument", "1Table"]), "word-document", "This is a Word document"),
    ("deck.xlsx", ole_file(["PowerPoint Document"]), "other-document", "a PowerPoint 97-2003"),
    ("mail.xlsx", ole_file(["__substg1.0_0037001F"]), "other-document", "an Outlook message"),
    ("vba.bin", ole_file(["VBA", "PROJECT"]), "other-document", "a macro project (VBA)"),
    ("quattro.xlsx", ole_file(["NativeContent_MAIN"]), "other-document", "a Quattro Pro"),
    ("ole.xlsx", ole_file(["Contents"]), "other-document", "an Office 97-2003 file that is"),
    ("sealed.docx", ole_file(["EncryptedPackage"]), "password-protected", "protected with a"),
    ("old.xls", ole_file(["Workbook"]), "legacy-xls", "(Excel 97-2003 workbook)"),
    ("biff.xls", b"\x09\x08\x10\x00\x00\x06\x05\x00" + bytes(64), "legacy-xls", "Excel 2.0 to 5.0"),
    ("b.xlsb", _zip({"xl/workbook.bin": "x"}), "xlsb-file", "Excel binary workbook (.xlsb)"),
    ("flat.xlsx", _FLAT_ODS.encode(), "ods-file", "This is an OpenDocument spreadsheet"),
    ("memo.rtf", b"{\\rtf1\\ansi Hello}", "other-document", "a rich text document (RTF)"),
    ("data.xml", b"<?xml version='1.0'?><a/>", "other-document", "an XML file"),
    ("text.txt", "A\tB\r\n1\t2\r\n".encode("utf-16"), "csv-file", "Unicode text (UTF-16-LE)"),
    ("u32.csv", "A,B\r\n".encode("utf-32"), "csv-file", "Unicode text (UTF-32-LE)"),
    ("utf16.csv", "Action,Progress\r\n".encode("utf-16-be"), "csv-file", "Unicode text"),
    ("scan.xlsx", b"%PDF-1.7\n" + bytes(200), "other-document", "a PDF document"),
    ("odt.xlsx", _zip({"mimetype": "application/vnd.oasis.opendocument.text"}), "other-document",
     "an OpenDocument text document"),
    ("moved.xlsx", _zip({"book/workbook.xml": "<workbook/>"}), "unusual-workbook",
     "stored as 'book/workbook.xml'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data", "code", "words"), FOREIGN, ids=[n for n, _, _, _ in FOREIGN]
)
def test_a_foreign_file_is_named_for_what_it_is(
    tmp_path: Path, config: Config, name: str, data: bytes, code: str, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = check_one(path, context(config))
    # A return saved in the wrong form is a return with errors; anything else is not a return.
    counted = FileStatus.REJECTED if code in REJECTED_CODES else FileStatus.NOT_A_RETURN
    assert result.status is counted
    [finding] = result.findings
    assert (finding.code, finding.severity) == (code, Severity.ERROR)
    assert words in finding.message
    assert "starts with" not in finding.message and "not-a-workbook" not in finding.message


@pytest.mark.parametrize(
    "encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-7", "cp037", "cp500"]
)
def test_a_dtd_is_refused_in_any_encoding_the_declaration_names(
    tmp_path: Path, encoding: str
) -> None:
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    doctype = '<!DOCTYPE sst [<!ENTITY % e SYSTEM "http://example.invalid/x"> %e;]><sst/>'
    for label, part in (
        ("all in it", (declaration + doctype).encode(encoding)),
        ("after an ASCII declaration", declaration.encode() + doctype.encode(encoding)),
    ):
        path = tmp_path / "dtd.xlsx"
        path.write_bytes(
            _xlsx_bytes({"xl/sharedStrings.xml": part}, drop=("xl/sharedStrings.xml",))
        )
        screening = screen_file(path, LIMITS)
        assert (screening.refusal, label) == (Refusal.DTD, label)


def test_an_encoding_that_cannot_be_checked_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.xlsx"
    part = b'<?xml version="1.0" encoding="X-UNHEARD-OF"?><sst/>'
    path.write_bytes(_xlsx_bytes({"xl/sharedStrings.xml": part}, drop=("xl/sharedStrings.xml",)))
    screening = screen_file(path, LIMITS)
    assert (screening.refusal, screening.detail) == (
        Refusal.DTD,
        "xl/sharedStrings.xml: declares an encoding that cannot be checked (X-UNHEARD-OF)",
    )


def test_a_return_rezipped_with_backslash_part_names_counts(tmp_path: Path, config: Config) -> None:
    made = make_blank_returns(config)
    clean = fill_clean(made[DIRECTOR], tmp_path / "clean.xlsx", DIRECTOR)
    path = tmp_path / "windows-zip.xlsx"
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename.replace("/", "\\"), source.read(info))
    result = check_one(path, context(config))
    assert (result.status, result.officer_id, result.findings) == (
        FileStatus.COUNTED,
        DIRECTOR,
        [],
    )


def test_windows_folder_files_are_skipped_with_a_note(tmp_path: Path, config: Config) -> None:
    for name in ("desktop.ini", "Thumbs.db"):
        path = tmp_path / name
        path.write_bytes(b"[.ShellClassInfo]")
        result = check_one(path, context(config))
        assert result.status is FileStatus.SKIPPED
        assert [(f.code, f.severity) for f in result.findings] == [("system-file", Severity.INFO)]


def test_lock_file_is_skipped_with_a_note(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "~$Return.xlsx"
    path.write_bytes(b"\x0bOfficer" + b"\x00" * 150)
    result = check_one(path, context(config))
    assert result.status is FileStatus.SKIPPED
    assert [(f.code, f.severity) for f in result.findings] == [("lock-file", Severity.INFO)]


def test_another_programmes_workbook_is_not_a_return(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "2023-07 Return - Director of Education and SEND.xlsx"
    path.write_bytes(_xlsx_bytes())
    result = check_one(path, context(config))
    assert result.status is FileStatus.NOT_A_RETURN
    assert [f.code for f in result.findings] == ["not-a-return"]


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(_xlsx_bytes())
    limits = CheckLimits(max_file_bytes=100)
    result = check_one(path, context(config, limits=limits))
    assert [f.code for f in result.findings] == ["file-too-large"]
    assert "100" in result.findings[0].message


def test_declared_uncompressed_size_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_xlsx_bytes({"xl/media/padding.bin": b"\x00" * 300_000}))
    screening = screen_file(path, CheckLimits(max_uncompressed_bytes=200_000))
    assert screening.refusal is Refusal.UNCOMPRESSED_TOO_LARGE


def test_compression_ratio_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_xlsx_bytes({"xl/media/padding.bin": b"\x00" * 3_000_000}))
    screening = screen_file(path, CheckLimits(max_compression_ratio=200))
    assert screening.refusal is Refusal.COMPRESSION_RATIO
    assert "xl/media/padding.bin" in screening.detail


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>',
        b'<?xml version="1.0"?><!-- note --><!doctype x SYSTEM "http://example.org/x.dtd">',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x>'.encode("utf-16"),
    ],
    ids=["entity", "external", "utf-16"],
)
def test_xml_part_with_a_dtd_is_refused(tmp_path: Path, prolog: bytes) -> None:
    path = tmp_path / "dtd.xlsx"
    body = _xlsx_bytes(drop=("xl/sharedStrings.xml",))
    path.write_bytes(body)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", prolog + b"<sst/>")
    screening = screen_file(path, LIMITS)
    assert screening.refusal is Refusal.DTD
    assert screening.detail.startswith("xl/sharedStrings.xml")


def test_clean_workbook_passes_screening_with_its_parts(tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    path.write_bytes(_xlsx_bytes())
    screening = screen_file(path, LIMITS)
    assert screening.accepted
    assert "xl/workbook.xml" in screening.parts
    assert len(screening.sha256) == 64


def test_defusedxml_is_in_use_before_the_first_parse() -> None:
    assert_defused(openpyxl=True)


def test_no_parser_openpyxl_reaches_expands_an_entity() -> None:
    """Whether openpyxl chose lxml or ElementTree, what it parses expands no entity."""
    from openpyxl.xml import functions

    from packbuilder.returns import safe

    probe = safe._ENTITY_PROBE
    for parse in (functions.fromstring, safe._first_of_iterparse(functions.iterparse)):
        try:
            element = parse(probe)  # type: ignore[operator]
        except Exception:  # refused outright: as good
            continue
        assert "expanded" not in "".join(element.itertext())  # type: ignore[attr-defined]


def test_the_probe_catches_a_parser_that_expands_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    import xml.etree.ElementTree as ElementTree

    from openpyxl.xml import functions

    from packbuilder.returns import safe

    monkeypatch.setattr(functions, "fromstring", ElementTree.fromstring)
    monkeypatch.setattr(safe, "_openpyxl_checked", [])
    with pytest.raises(RuntimeError, match="would expand entities"):
        assert_defused(openpyxl=True)


def test_folder_of_bad_files_still_checks_the_good_return(tmp_path: Path, config: Config) -> None:
    made = make_blank_returns(config)
    folder = tmp_path / "in"
    for name, data, *_ in NOT_RETURNS:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    fill_clean(made[DIRECTOR], folder / "director.xlsx", DIRECTOR)
    report = check_dir(folder, config, context(config, PERIOD))
    assert DIRECTOR in report.counted_officer_returns()
    for name, _, refusal, _ in NOT_RETURNS:
        assert any(f.file == name and f.code == refusal.value for f in report.findings)
    # Only the returns that cannot be used count as errors; the other files are listed.
    assert sorted({f.file for f in report.errors}) == sorted(
        name for name, _, _, status in NOT_RETURNS if status is R
    )
    assert sorted(f.name for f in report.not_returns()) == sorted(
        name for name, _, _, status in NOT_RETURNS if status is X
    )
