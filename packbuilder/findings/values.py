"""Findings about the values in an officer's return (its ratings, choices, dates and text),
about the return compared with last period, and about the returns compared across the folder."""

from __future__ import annotations

from packbuilder.findings.check import CELL, Check, E, N, W

# Ratings and choices (checks/ratings.py).
RATING_CHECKS: tuple[Check, ...] = (
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
)

# Dates (checks/dates.py).
DATE_CHECKS: tuple[Check, ...] = (
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
)

# Text (checks/text.py).
TEXT_CHECKS: tuple[Check, ...] = (
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
)

# Returns compared across the folder (checks/folder.py).
FOLDER_CHECKS: tuple[Check, ...] = (
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
