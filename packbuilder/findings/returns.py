"""Findings about an officer's return as a file: whether it can be opened at all, whose
return it is and for which period, and its action rows."""

from __future__ import annotations

from packbuilder.findings.check import FILE, ROW, Check, E, N, W

_SAVE_AS = "Open it in Excel, save it as an Excel workbook (.xlsx) and send it again."

# The file itself: refused before any parser opens it (returns/safe.py).
FILE_CHECKS: tuple[Check, ...] = (
    Check(
        "lock-file",
        N,
        "file",
        "Excel lock file",
        "'{file}' is a lock file that Excel leaves beside an open workbook; it was skipped. "
        "Nothing to do.",
    ),
    Check(
        "system-file",
        N,
        "file",
        "Windows folder file",
        "'{file}' is a file Windows keeps in folders (for the folder's view or picture "
        "previews); it was skipped. Nothing to do.",
    ),
    Check(
        "empty-file",
        E,
        "file",
        "Empty file",
        "The file is empty (0 bytes). Attach the filled-in return again and resend it.",
        rejects=FILE,
    ),
    Check(
        "file-too-large",
        E,
        "file",
        "File too large",
        "The file is {value}, over the limit of {limit} bytes; a return is well under 1 MB. "
        "Send the return you were sent, filled in, without pictures or extra sheets.",
        rejects=FILE,
    ),
    Check(
        "damaged-file",
        E,
        "file",
        "Damaged file",
        "The file is damaged and cannot be opened ({value}). " + _SAVE_AS,
        rejects=FILE,
    ),
    Check(
        "password-protected",
        E,
        "file",
        "Password-protected file",
        "The file is protected with a password ({value}), so it cannot be read. If it is your "
        "return, remove the password in Excel (File › Info › Protect Workbook › Encrypt with "
        "Password, clear it), save and send it again.",
        rejects=FILE,
    ),
    Check(
        "legacy-xls",
        E,
        "file",
        "Old Excel format (.xls)",
        "This is an old-format Excel file ({value}), not the return's .xlsx. " + _SAVE_AS,
        rejects=FILE,
    ),
    Check(
        "ods-file",
        E,
        "file",
        "OpenDocument spreadsheet (.ods)",
        "This is an OpenDocument spreadsheet, not the return's .xlsx. In LibreOffice choose "
        "File › Save As › Excel 2007-365 (.xlsx) and send it again.",
        rejects=FILE,
    ),
    Check(
        "macro-workbook",
        E,
        "file",
        "Workbook with macros (.xlsm)",
        "This workbook contains macros, which are not accepted. " + _SAVE_AS,
        rejects=FILE,
    ),
    Check(
        "word-document",
        E,
        "file",
        "Word document",
        "This is a Word document, not a return. Fill in the Excel return you were sent and "
        "send that instead.",
        rejects=FILE,
    ),
    Check(
        "xlsb-file",
        E,
        "file",
        "Excel binary workbook (.xlsb)",
        "This is an Excel binary workbook (.xlsb), which packbuilder does not read. In Excel "
        "choose File › Save As › Excel Workbook (.xlsx) and send it again.",
        rejects=FILE,
    ),
    Check(
        "other-document",
        E,
        "file",
        "Another kind of document",
        "This file is {value}, not an Excel workbook, so it is not a return. Fill in the Excel "
        "return you were sent and send that instead.",
        rejects=FILE,
    ),
    Check(
        "unusual-workbook",
        E,
        "file",
        "Workbook stored in an unusual way",
        "This workbook is laid out in a way Excel does not save ({value}), so packbuilder does "
        "not read it. " + _SAVE_AS,
        rejects=FILE,
    ),
    Check(
        "not-a-workbook",
        E,
        "file",
        "Not an Excel workbook",
        "This file is not an Excel workbook ({value}). Fill in the Excel return you were sent "
        "and send that instead.",
        rejects=FILE,
    ),
    Check(
        "csv-file",
        E,
        "file",
        "Text or CSV file",
        "This file is plain text ({value}), not a workbook, so the return's hidden details are "
        "lost. Fill in the Excel return you were sent and send that instead.",
        rejects=FILE,
    ),
    Check(
        "html-file",
        E,
        "file",
        "Web page",
        "This file is a web page (HTML) saved with an Excel name. Fill in the Excel return "
        "you were sent and send that instead.",
        rejects=FILE,
    ),
    Check(
        "unknown-format",
        E,
        "file",
        "Unrecognised file",
        "This file is not a format packbuilder reads (it is {value}). Fill in the Excel return "
        "you were sent and send that instead.",
        rejects=FILE,
    ),
    Check(
        "uncompressed-too-large",
        E,
        "file",
        "Workbook too large inside",
        "The workbook would be {value} once opened, over the limit of {limit} bytes. Send "
        "the return you were sent, filled in, without pictures or extra sheets.",
        rejects=FILE,
    ),
    Check(
        "compression-ratio",
        E,
        "file",
        "Suspicious compression",
        "Part of this workbook is compressed far more than a real return ({value}), so it was "
        "not opened. " + _SAVE_AS,
        rejects=FILE,
    ),
    Check(
        "xml-dtd",
        E,
        "file",
        "XML with a DTD",
        "The workbook contains XML that declares a DTD or entities ({value}), which Excel "
        "never writes, so it was not opened. " + _SAVE_AS,
        rejects=FILE,
    ),
    Check(
        "sheet-too-large",
        E,
        "file",
        "Sheet too large",
        "The sheet '{sheet}' reaches beyond {limit} cells, far more than a return uses. Delete "
        "anything typed far below or to the right of your actions and send it again.",
        rejects=FILE,
    ),
    Check(
        "unreadable",
        E,
        "file",
        "Unreadable workbook",
        "The workbook could not be read ({value}). " + _SAVE_AS,
        rejects=FILE,
    ),
)

# Is it a return, and whose, for when (checks/identity.py).
IDENTITY_CHECKS: tuple[Check, ...] = (
    Check(
        "not-a-return",
        E,
        "identity",
        "Not a return",
        "This workbook is not a packbuilder return (it has no return details sheet). Fill in "
        "the return you were sent for this month, not a copy of another workbook.",
        rejects=FILE,
    ),
    Check(
        "wrong-period",
        E,
        "identity",
        "Return for another period",
        "This is the return for {value}, not for {period}. Fill in the return you were sent "
        "for {period_label} and send that.",
        rejects=FILE,
    ),
    Check(
        "unknown-officer",
        E,
        "identity",
        "Unknown officer",
        "This return is for officer '{value}', who is not in the plan. Fill in the return "
        "you were sent for this month and send that.",
        rejects=FILE,
    ),
    Check(
        "officer-no-actions",
        E,
        "identity",
        "Officer reports no actions",
        "This return is for {officer_name}, who no longer reports any action in the plan. "
        "Ask the programme office which return you should fill in.",
        rejects=FILE,
    ),
    Check(
        "unknown-area",
        E,
        "identity",
        "Unknown area",
        "This area-lead return is for area '{value}', which is not in the plan. Fill in the "
        "return you were sent for this month and send that.",
        rejects=FILE,
    ),
    Check(
        "template-version",
        E,
        "identity",
        "Old template",
        "This return was made from template version {value}; this month's is version "
        "{expected}. Fill in the return you were sent for {period_label} and send that.",
        rejects=FILE,
    ),
    Check(
        "template-version-older",
        N,
        "identity",
        "Earlier template",
        "This return was made from template version {value} (this month's is version "
        "{expected}); it was read with that version's columns. Nothing to do.",
    ),
    Check(
        "meta-sheet-shown",
        N,
        "identity",
        "Hidden sheet made visible",
        "The return's hidden sheet '{sheet}' has been made visible; it was read as usual. "
        "Please do not edit it.",
    ),
)

# The action rows (checks/rows.py).
ROW_CHECKS: tuple[Check, ...] = (
    Check(
        "row-missing",
        E,
        "rows",
        "Action row missing",
        "Action {action} is missing from the return. Use the return you were sent and fill "
        "in every action on it, without deleting rows.",
        rejects=ROW,
        carried="the row was missing from this month's return",
    ),
    Check(
        "row-added",
        E,
        "rows",
        "Action row added",
        "Row {row} has action '{value}', which is not one of yours on this return. Remove "
        "the row, or ask the programme office to add the action to your return.",
        rejects=ROW,
    ),
    Check(
        "row-duplicated",
        E,
        "rows",
        "Action row duplicated",
        "Action {action} appears more than once (rows {rows}). Keep one row for it, with "
        "the right ratings, and delete the copy.",
        rejects=ROW,
        carried="this month's row was duplicated",
    ),
    Check(
        "locked-text-changed",
        E,
        "rows",
        "Locked text changed",
        "The locked details of action {action} (columns A to E) were changed. Put back the "
        "text from the return you were sent; ask the programme office to change the plan.",
        rejects=ROW,
        carried="this month's row had its locked text changed",
    ),
    Check(
        "plan-changed",
        W,
        "rows",
        "Plan changed since the return was made",
        "The plan's details for action {action} changed after this return was made; it was "
        "matched by its action ID. No action needed unless the change affects your ratings.",
    ),
    Check(
        "info-row-filled",
        W,
        "rows",
        "Input on an information-only row",
        "Action {action} is reported by another officer; what you typed in {cell} is not "
        "used. Send your update to the reporting officer instead.",
    ),
    Check(
        "formula",
        W,
        "rows",
        "Formula in an input cell",
        "{cell} holds a formula; formulas are not worked out, so {outcome}. Type the value "
        "itself instead of a formula.",
    ),
    Check(
        "merged-cells",
        W,
        "rows",
        "Input cells merged",
        "Cells {value} have been merged; a merged range keeps only the value of its first cell, "
        "so an entry for another column may be missing. Unmerge them (Home › Merge & Center) and "
        "fill each cell.",
    ),
    Check(
        "extra-sheet",
        N,
        "identity",
        "Extra sheet not read",
        "The sheet '{sheet}' is not part of the return and was not read. Anything the office "
        "should see belongs in the Return sheet's commentary.",
    ),
)
