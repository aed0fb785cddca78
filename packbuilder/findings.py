"""Every finding code packbuilder can report, with its severity, title and message template.

One registry for every input (officers' returns, saved emails, the plan register, the KPI
return, overrides, the narrative) and for the build itself. This is the one place a code is
defined: the rules name codes from here, the reference page docs/findings.md is generated
from it (tools/gen_findings_doc.py), and a test fails when the package makes a finding with a
code that is not registered. Codes are stable, the upper-case plan and KPI ones included:
rename one only with a note, since the office may filter validation.xlsx by them.

A message speaks to the officer who sent the return: what is wrong and what to do. Each error
says what it keeps out of the tracker (``rejects``: the cell, the row or the file) and, where a
value is carried forward in its place, why in words (``carried``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from packbuilder.model import Finding, Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: a note (info)


# What an error keeps out of the tracker (DESIGN.md, "Checks"): the cell it names (with the
# fields that go with it, packbuilder/merge.py), the whole action row, or the whole file.
CELL, ROW, FILE = "cell", "row", "file"


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    family: str  # "file", "identity", "rows", "ratings", "dates", "text", "comparison", "folder",
    # "email" (returns collect), "plan", "kpi", "overrides", "narrative" or "build"
    title: str
    template: str  # str.format fields: any keyword given to finding(), plus value and cell;
    # empty where the message is written at the place the finding is made
    rejects: str = ""  # errors only: CELL, ROW or FILE
    carried: str = ""  # why a value shown was carried forward, in words: "…: {carried}"


_SAVE_AS = "Open it in Excel, save it as an Excel workbook (.xlsx) and send it again."

CHECKS: tuple[Check, ...] = (
    # ---- the file itself: refused before any parser opens it (returns/safe.py)
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
    # ---- is it a return, and whose, for when (checks/identity.py)
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
    # ---- the action rows (checks/rows.py)
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
    # ---- ratings and choices (checks/ratings.py)
    Check(
        "rating-normalised",
        N,
        "ratings",
        "Rating tidied",
        "{field_name} '{value}' was read as {rating}.",
    ),
    Check(
        "rating-letter",
        W,
        "ratings",
        "Rating given as a letter",
        "{field_name} '{value}' was read as {rating}. Choose the full word from the list in "
        "{cell}.",
    ),
    Check(
        "rating-not-allowed",
        E,
        "ratings",
        "Rating not allowed",
        "{field_name} '{value}' is not one of {choices}. Choose one from the list in {cell}.",
        rejects=CELL,
        carried="this month's rating was not valid",
    ),
    Check(
        "not-yet-rated-progress",
        E,
        "ratings",
        "Progress not yet rated",
        "Progress cannot be 'Not yet rated'; only impact can. Choose Blue, Green, Amber or Red "
        "in {cell}.",
        rejects=CELL,
        carried="this month's rating was not valid",
    ),
    Check(
        "rating-missing",
        E,
        "ratings",
        "Rating left blank",
        "{field_name} for action {action} is blank. Choose one from the list in {cell}.",
        rejects=CELL,
        carried="this month's rating was left blank",
    ),
    Check(
        "choice-normalised",
        N,
        "ratings",
        "Choice tidied",
        "{field_name} '{value}' was read as {choice}.",
    ),
    Check(
        "confidence-not-allowed",
        E,
        "ratings",
        "Confidence not allowed",
        "Confidence '{value}' is not one of {choices}. Choose one from the list in {cell}.",
        rejects=CELL,
        carried="this month's confidence was not one of the choices",
    ),
    Check(
        "yesno-not-allowed",
        E,
        "ratings",
        "Yes or No expected",
        "{field_name} '{value}' is not Yes or No. Choose one from the list in {cell}.",
        rejects=CELL,
        carried="this month's answer was not Yes or No",
    ),
    Check(
        "commentary-missing",
        E,
        "ratings",
        "Red or Amber without commentary",
        "Action {action} is rated {rating} but has no progress commentary. Say what is "
        "happening and what is being done about it in {cell}.",
        rejects=CELL,
        carried="no commentary was given this month",
    ),
    Check(
        "evidence-missing",
        W,
        "ratings",
        "Green or Blue without evidence",
        "Action {action} is rated {rating} but gives no evidence of impact. Describe the "
        "evidence in {cell}.",
    ),
    Check(
        "impact-above-progress",
        W,
        "ratings",
        "Impact rated above progress",
        "Action {action} has impact {impact} above progress {progress}. Check both ratings.",
    ),
    Check(
        "low-confidence",
        W,
        "ratings",
        "Low confidence in delivery",
        "Confidence in delivering action {action} is {value}. Say what would raise it in "
        "the commentary or the key risks.",
    ),
    Check(
        "escalation",
        W,
        "ratings",
        "Escalation asked for",
        "Escalation to the board is asked for on action {action}. Make sure the commentary "
        "says what the board is asked to do.",
    ),
    # ---- dates (checks/dates.py)
    Check(
        "not-a-date",
        E,
        "dates",
        "Not a date",
        "{field_name} '{value}' is not a date. Type a date such as 31/12/2023 in {cell}.",
        rejects=CELL,
        carried="this month's date could not be read as a date",
    ),
    Check(
        "date-from-text",
        N,
        "dates",
        "Date typed as text",
        "{field_name} '{value}' was read as {date}.",
    ),
    Check(
        "date-from-number",
        N,
        "dates",
        "Date given as a number",
        "{field_name} '{value}' was read as the date {date}.",
    ),
    Check(
        "revised-date-no-reason",
        E,
        "dates",
        "Revised end date without a reason",
        "Action {action} has a new revised end date ({date}) but no reason. Say why the date "
        "moved in {cell}, or leave the revised end date blank to keep the end date in force "
        "({in_force}).",
        rejects=CELL,
        carried="this month's revised end date had no reason",
    ),
    Check(
        "overdue",
        W,
        "dates",
        "Past its end date and not complete",
        "Action {action} was due by {date} and progress is {rating}, not complete. Give a "
        "revised end date with a reason, or rate it complete.",
    ),
    # ---- text (checks/text.py)
    Check(
        "text-cleaned",
        N,
        "text",
        "Hidden characters removed",
        "Invisible control characters were removed from {cell}.",
    ),
    Check(
        "text-truncated",
        W,
        "text",
        "Text cut short",
        "{cell} holds {detail} characters; only the first {limit} were kept. Shorten the text.",
    ),
    Check(
        "rating-worse",
        W,
        "comparison",
        "Rating worse than last period",
        "{field_name} for action {action} is {rating}, worse than {previous} last period. Say "
        "why in the progress commentary.",
    ),
    Check(
        "commentary-copied",
        W,
        "comparison",
        "Commentary unchanged from last period",
        "The progress commentary for action {action} is the same as last period's. Say what "
        "has happened this month.",
    ),
    Check(
        "area-commentary-blank",
        W,
        "text",
        "Area commentary left blank",
        "The area commentary '{field_name}' in {cell} is blank. Fill it in before the board.",
    ),
    # ---- returns compared across the folder (checks/folder.py)
    Check(
        "late-return",
        W,
        "folder",
        "Return after the deadline",
        "This return arrived on {value}, after the deadline of {deadline}.",
    ),
    Check(
        "superseded",
        W,
        "folder",
        "Older return from the same officer",
        "A newer return from {officer_name} counts instead: {newer} ({source}). This one "
        "was not used.",
    ),
    Check(
        "missing-return",
        W,
        "folder",
        "Return missing",
        "No return has been received from {officer_name}{email} for {period_label}.",
    ),
    Check(
        "return-in-wrong-folder",
        W,
        "folder",
        "Workbook outside the period's folder",
        "'{value}' is in {where}, not in {folder}, so it was not read. If it is a return for "
        "{period_label}, move it into {folder} and check again.",
    ),
    Check(
        "received-row-unmatched",
        W,
        "folder",
        "Arrival record names no file",
        "Row {row} of {record} names '{value}', which is not a file in this period's folder, "
        "so the row was not used. Correct the file name in {record} to match the file.",
    ),
    Check(
        "received-time-unreadable",
        W,
        "folder",
        "Arrival time not read",
        "Row {row} of {record} gives '{value}' as the time '{name}' arrived, which is not a "
        "time packbuilder reads, so the file is judged by its own times. Write it as "
        "2024-03-08 09:15 or 08/03/2024 09:15.",
    ),
    Check(
        "received-csv-headers",
        W,
        "folder",
        "Arrival record not read",
        "{record} has the columns '{value}', so none of it was read. Give it the columns "
        "file and received.",
    ),
    Check(
        "missing-area-return",
        W,
        "folder",
        "Area-lead return missing",
        "No area commentary has been received for area {area} ({lead}) for {period_label}.",
    ),
    Check(
        "too-many-findings",
        W,
        "folder",
        "More findings not listed",
        "{value} more findings in this file were not listed. Fix those above and check "
        "again to see the rest.",
    ),
)

# Findings of 'returns collect' about saved emails and their attachments (mail/collect.py).
# The office reads these, not an officer: each says what was done and what to do.
COLLECT_CHECKS: tuple[Check, ...] = (
    Check(
        "email-too-large",
        E,
        "email",
        "Saved email too large",
        "The saved email '{file}' is {value}, over the limit of {limit} bytes ([email] "
        "max_message_bytes); it was not read. Save its return on its own and collect that, "
        "or raise the limit.",
    ),
    Check(
        "unreadable-email",
        E,
        "email",
        "Saved email unreadable",
        "'{file}' could not be read as an email ({value}). Save the email again from the mail "
        "program as .eml or .msg, or save its attachment into inputs/returns/{period}/.",
    ),
    Check(
        "attachment-too-large",
        E,
        "email",
        "Attachment too large",
        "The attachment '{value}' in '{file}' is {size} bytes, over the limit of {limit} "
        "(limits.max_file_bytes); it was not collected. Ask the officer for the return they "
        "were sent, without pictures or extra sheets.",
    ),
    Check(
        "no-delivery-time",
        W,
        "email",
        "No time of receipt",
        "'{file}' does not say when it was received (no Received or Date header), so its "
        "returns cannot be judged late and count by their own times. If it matters, add "
        "when it arrived to received.csv.",
    ),
    Check(
        "other-period-return",
        W,
        "email",
        "Another month's return",
        "'{value}' in '{file}' is the return for {stated}, not {period}; it was put in {folder}.",
    ),
    Check(
        "attachment-left",
        N,
        "email",
        "Not a spreadsheet: left",
        "'{value}' in '{file}' is not a spreadsheet ({kind}); it was left where it is.",
    ),
    Check(
        "duplicate-attachment",
        N,
        "email",
        "Already collected",
        "'{value}' in '{file}' is identical to '{existing}', already there; it was skipped.",
    ),
    Check(
        "attachment-renamed",
        N,
        "email",
        "Name already taken",
        "'{value}' in '{file}' differs from the file of that name already in {folder}; it "
        "was saved as '{saved}'.",
    ),
    Check(
        "unsafe-attachment-name",
        N,
        "email",
        "Name made safe",
        "'{value}' in '{file}' is not a plain file name (a folder, '..' or characters Windows "
        "refuses); it is saved as '{saved}'.",
    ),
)

# ---- the other inputs and the build. Their messages are written where the finding is made
# (each names the cell and what to do, with values a template could not hold), so the
# template is left empty and the title says what the code means.

# The plan register, inputs/plan.xlsx (plan/loader.py); `plan check` reports them, and an
# error stops every command that needs the plan.
PLAN_CHECKS: tuple[Check, ...] = (
    Check("PLAN-MISSING-SHEET", E, "plan", "A sheet of the plan register is missing.", ""),
    Check("PLAN-MISSING-HEADER", E, "plan", "A sheet lacks a column the loader needs.", ""),
    Check(
        "PLAN-UNKNOWN-HEADER", N, "plan", "A column the loader does not read; it is ignored.", ""
    ),
    Check("PLAN-EMPTY", E, "plan", "A sheet that must have rows has none.", ""),
    Check("PLAN-MISSING-VALUE", E, "plan", "A cell that must be filled in is empty.", ""),
    Check("PLAN-DUPLICATE-AREA", E, "plan", "Two rows give the same area of weakness.", ""),
    Check("PLAN-DUPLICATE-SUB-THEME", E, "plan", "Two rows give the same sub-theme.", ""),
    Check("PLAN-DUPLICATE-ACTION", E, "plan", "Two rows give the same action ID.", ""),
    Check("PLAN-DUPLICATE-OFFICER", E, "plan", "Two rows give the same officer ID.", ""),
    Check("PLAN-DUPLICATE-KPI", E, "plan", "Two rows give the same KPI code.", ""),
    Check("PLAN-DUPLICATE-TARGET", E, "plan", "Two targets for one KPI on the same date.", ""),
    Check("PLAN-DUPLICATE-RISK", E, "plan", "Two rows give the same risk ID.", ""),
    Check(
        "PLAN-UNKNOWN-SUB-THEME",
        E,
        "plan",
        "An action names a sub-theme not on the Sub-themes sheet.",
        "",
    ),
    Check("PLAN-UNKNOWN-AREA", E, "plan", "An area number that is not on the Areas sheet.", ""),
    Check(
        "PLAN-UNKNOWN-OFFICER", E, "plan", "An officer ID that is not on the Officers sheet.", ""
    ),
    Check("PLAN-UNKNOWN-KPI", E, "plan", "A KPI code that is not on the KPIs sheet.", ""),
    Check("PLAN-BAD-DATE", E, "plan", "A date cell that does not hold a date.", ""),
    Check(
        "PLAN-BAD-RATING",
        E,
        "plan",
        "A rating that is not Blue, Green, Amber, Red or Not yet rated.",
        "",
    ),
    Check(
        "PLAN-BAD-VALUE",
        E,
        "plan",
        "A value that is not one of the allowed values, or not a number.",
        "",
    ),
    Check(
        "PLAN-DATE-MISMATCH",
        W,
        "plan",
        "An action's end date cell differs from its end date as written.",
        "",
    ),
    Check("PLAN-NO-END-DATE", W, "plan", "An action's end date as written holds no date.", ""),
    Check(
        "PLAN-OPEN-END-DATE",
        N,
        "plan",
        "An open end date such as Ongoing: shown as no date, never overdue.",
        "",
    ),
)

# The data team's KPI return, inputs/kpis/PERIOD.xlsx (kpis/read.py), checked by `check` and
# `build` with the officers' returns; KPI-TARGET-WRONG-SIDE comes from `plan check`
# (kpis/targets.py).
KPI_CHECKS: tuple[Check, ...] = (
    Check("KPI-NO-RETURN", W, "kpi", "No KPI return for a period in which KPIs are due.", ""),
    Check("KPI-UNREADABLE", E, "kpi", "The KPI return could not be read as an Excel workbook.", ""),
    Check(
        "KPI-NOT-KPI-RETURN",
        E,
        "kpi",
        "The file is not a KPI return made by 'packbuilder kpis make'.",
        "",
    ),
    Check("KPI-WRONG-PERIOD", E, "kpi", "The KPI return was made for another period.", ""),
    Check("KPI-UNKNOWN-CODE", E, "kpi", "A row's KPI code is not in the plan.", ""),
    Check("KPI-DUPLICATE-CODE", E, "kpi", "Two rows give the same KPI code.", ""),
    Check("KPI-NOT-A-NUMBER", E, "kpi", "A value that is not a number.", ""),
    Check(
        "KPI-NUMBER-FROM-TEXT",
        N,
        "kpi",
        "A number typed with % or commas (64%, 7,399), or a percentage as a fraction (0.64), "
        "read as one.",
        "",
    ),
    Check("KPI-PERCENT-RANGE", E, "kpi", "A percentage outside 0 to 100.", ""),
    Check("KPI-BAD-DATE", E, "kpi", "An as-at date that is not a date.", ""),
    Check("KPI-DATE-FROM-TEXT", N, "kpi", "An as-at date typed as text, read day first.", ""),
    Check(
        "KPI-AS-AT-DEFAULTED",
        N,
        "kpi",
        "A value with no as-at date, taken as at the period's end.",
        "",
    ),
    Check("KPI-AS-AT-AFTER-PERIOD", W, "kpi", "An as-at date after the end of the period.", ""),
    Check("KPI-DUE-NO-VALUE", W, "kpi", "A KPI due this period has no value.", ""),
    Check(
        "KPI-BIG-MOVE",
        W,
        "kpi",
        "A value moved more than the configured amount, with no note.",
        "",
    ),
    Check(
        "KPI-TARGET-WRONG-SIDE",
        W,
        "kpi",
        "A target on the wrong side of the baseline for its polarity.",
        "",
    ),
)

# The office's corrections, inputs/overrides/PERIOD.xlsx (overrides.py reads them, merge.py applies
# them): a bad override changes nothing and is listed by build as a warning at its cell.
OVERRIDE_CHECKS: tuple[Check, ...] = (
    Check("overrides-unreadable", W, "overrides", "Overrides workbook not read", ""),
    Check("overrides-missing-column", W, "overrides", "Overrides sheet lacks a column", ""),
    Check("override-no-action", W, "overrides", "Override names no action", ""),
    Check("override-unknown-action", W, "overrides", "Override names an unknown action", ""),
    Check("override-unknown-field", W, "overrides", "Override names a field not corrected", ""),
    Check("override-no-reason", W, "overrides", "Override without a reason", ""),
    Check("override-bad-value", W, "overrides", "Override value does not fit its field", ""),
)

# The office's words for the reports, inputs/narrative/PERIOD.toml (reports/narrative.py).
NARRATIVE_CHECKS: tuple[Check, ...] = (
    Check("narrative-unreadable", W, "narrative", "Narrative file not read", ""),
    Check("narrative-invalid", W, "narrative", "Narrative entry of the wrong shape", ""),
    Check("narrative-unknown-key", W, "narrative", "Narrative key not used", ""),
    Check("narrative-ask-unmatched", W, "narrative", "Ask for no exception this period", ""),
    Check("narrative-missing", W, "narrative", "Report words not written yet", ""),
)

# The build itself: the periods recorded, the plan it ran with, the outputs it wrote
# (periods.py, history/plan_changes.py, tracker/formats.py, reports/render.py).
BUILD_CHECKS: tuple[Check, ...] = (
    Check("period-months-skipped", W, "build", "Months before this one not built", ""),
    Check("period-built-out-of-order", W, "build", "Later months built before this one", ""),
    Check("plan-changed-since-build", W, "build", "Plan changed since the period was built", ""),
    Check("tracker-text-cut", W, "build", "Text cut to Excel's cell limit in the tracker", ""),
    Check("template-default", W, "build", "Default Word template used", ""),
)

ALL_CHECKS: tuple[Check, ...] = (
    *CHECKS,
    *COLLECT_CHECKS,
    *PLAN_CHECKS,
    *KPI_CHECKS,
    *OVERRIDE_CHECKS,
    *NARRATIVE_CHECKS,
    *BUILD_CHECKS,
)
REGISTRY: dict[str, Check] = {check.code: check for check in ALL_CHECKS}


class FileCount(enum.Enum):
    """How a file refused by a file-level code counts (checks/run.py sets FileStatus from it)."""

    # Meant as a return but cannot be used: an error in the totals, the exit code and
    # --strict, and its officer (where the file names one) is chased to send it again.
    RETURN_WITH_ERRORS = "a return with errors"
    # Not a return at all: listed in validation.xlsx and the returns log, counted once as
    # such, never as an error.
    NOT_A_RETURN = "not a return"


_R, _X = FileCount.RETURN_WITH_ERRORS, FileCount.NOT_A_RETURN
FILE_COUNTS: dict[str, FileCount] = {
    "empty-file": _R,  # an attachment that lost its content on the way
    "file-too-large": _R,
    "damaged-file": _R,
    "password-protected": _R,
    "legacy-xls": _R,
    "ods-file": _R,
    "macro-workbook": _R,
    "uncompressed-too-large": _R,
    "compression-ratio": _R,
    "xml-dtd": _R,
    "sheet-too-large": _R,
    "unreadable": _R,
    "wrong-period": _R,
    "unknown-officer": _R,
    "officer-no-actions": _R,
    "unknown-area": _R,
    "template-version": _R,
    "xlsb-file": _R,  # a return saved as an Excel binary workbook: the officer can save it again
    "word-document": _X,
    "not-a-workbook": _X,
    "csv-file": _X,
    "html-file": _X,
    "unknown-format": _X,
    "not-a-return": _X,
    "other-document": _X,  # a Word, PowerPoint or Outlook file, or another OLE2 document
    "unusual-workbook": _X,  # a workbook whose parts are not where Excel writes them
}

# Codes that decide what a whole file is (checks/run.py sets FileStatus from them).
NOT_A_RETURN_CODES = frozenset(code for code, count in FILE_COUNTS.items() if count is _X)
REJECTED_CODES = frozenset(code for code, count in FILE_COUNTS.items() if count is _R)


class _Fields(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(code: str, **fields: object) -> str:
    """The message for CODE with its fields filled in (an unknown field stays visible)."""
    return REGISTRY[code].template.format_map(_Fields(fields))


def finding(
    code: str,
    *,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    value: object = "",
    officer_id: str = "",
    action_id: str = "",
    **fields: object,
) -> Finding:
    """A Finding for CODE, its message made from the registry's template."""
    check = REGISTRY[code]
    text = "" if value is None else str(value)
    return Finding(
        code=code,
        severity=check.severity,
        message=message(
            code, file=file, sheet=sheet, cell=cell, value=text, action=action_id, **fields
        ),
        file=file,
        sheet=sheet,
        cell=cell,
        value=text,
        officer_id=officer_id,
        action_id=action_id,
    )
