"""Findings of `returns collect` about saved emails and their attachments."""

from __future__ import annotations

from packbuilder.findings.check import Check, E, N, W

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
