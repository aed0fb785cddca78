"""The edge where letters leave: drafts written as .eml files, or messages sent by SMTP.

Drafts are the default because most councils use Outlook on Microsoft 365, where a script
cannot log in with a password: the office opens each draft (``X-Unsent: 1``) and sends it from
its own mailbox. With ``--smtp`` each letter also goes through the office's relay, and every
attempt is recorded in ``outputs/PERIOD/emails/sent.csv``, which only grows: a row "sending"
before the message is handed over, then its outcome. A rerun sends nothing whose latest row is
"sent", or "unknown"/"sending" (the connection dropped after the message was handed over, so
it may have arrived): only ``--resend NAME`` sends those again. Refused and failed letters were
not delivered and are tried again.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
import smtplib
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packbuilder.errors import ConfigError, EnvironmentProblem
from packbuilder.mail.compose import Letter, build_message, new_message_id, recipients

SENT_CSV = "sent.csv"
SENT_COLUMNS = (
    "time",
    "kind",
    "name",
    "ref",
    "recipients",
    "message_id",
    "status",
    "detail",
)
SMTP_PASSWORD_VARIABLE = "PACKBUILDER_SMTP_PASSWORD"
SENT, REFUSED, FAILED, UNKNOWN, SENDING = "sent", "refused", "failed", "unknown", "sending"
ALREADY_SENT, HELD, NO_ADDRESS = "already sent", "held", "no address"
_NOT_AGAIN = frozenset({SENT, UNKNOWN, SENDING})
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


@dataclass(frozen=True)
class Outcome:
    """What happened to one letter on this run."""

    letter: Letter
    status: str  # sent | refused | failed | unknown | already sent | held | no address
    detail: str = ""
    message_id: str = ""


@dataclass(frozen=True)
class SmtpRoute:
    """Where and how to send: config's [email.smtp], with the password from the environment."""

    host: str
    port: int
    security: str  # "starttls" | "tls" | "none"
    user: str
    password: str
    timeout: float
    sender: str


# --------------------------------------------------------------------------- drafts


def draft_file_name(stem: str, taken: set[str]) -> str:
    """A Windows-safe ``.eml`` name from STEM, unique (ignoring case) among TAKEN."""
    safe = " ".join(_UNSAFE.sub(" ", stem).split()).strip(" .")[:120] or "email"
    name, number = f"{safe}.eml", 2
    while name.casefold() in taken:
        name, number = f"{safe} ({number}).eml", number + 1
    taken.add(name.casefold())
    return name


def write_drafts(letters: Sequence[Letter], folder: Path, stems: Sequence[str]) -> list[Path]:
    """Write each letter as a draft .eml in FOLDER, named from its stem; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    written = []
    for letter, stem in zip(letters, stems, strict=True):
        path = folder / draft_file_name(stem, taken)
        data = build_message(letter, draft=True).as_bytes()
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        try:
            os.replace(partial, path)
        except PermissionError:
            partial.unlink(missing_ok=True)
            raise EnvironmentProblem(
                f"{path.name} is open in another program, so it was not replaced",
                hint=f"Close {path.name} and run the command again.",
            ) from None
        written.append(path)
    return written


# --------------------------------------------------------------------------- the ledger


def read_ledger(path: Path) -> dict[str, str]:
    """ref -> its latest status in sent.csv ({} when nothing was sent yet)."""
    if not path.is_file():
        return {}
    latest: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("ref"):
                latest[row["ref"]] = row.get("status", "")
    return latest


def _record(path: Path, letter: Letter, status: str, message_id: str, detail: str) -> None:
    new = not path.is_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(SENT_COLUMNS)
        writer.writerow(
            (
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                letter.kind,
                letter.name,
                letter.ref,
                "; ".join(recipients(letter)),
                message_id,
                status,
                detail,
            )
        )
        handle.flush()
        os.fsync(handle.fileno())


# --------------------------------------------------------------------------- SMTP


def smtp_route(
    host: str,
    port: int,
    security: str,
    user: str,
    timeout: float,
    sender: str,
    environ: dict[str, str] | None = None,
) -> SmtpRoute:
    """The route from config's values; the password only from the environment."""
    environ = dict(os.environ) if environ is None else environ
    if not host:
        raise ConfigError(
            "config.toml: [email.smtp] host is empty, so --smtp has nowhere to send",
            hint="Set host (and port, security, user) under [email.smtp], or leave out --smtp "
            "and send the drafts from your own mailbox.",
        )
    if not sender:
        raise ConfigError(
            "config.toml: no sender for --smtp: [email] from_address and "
            "[programme] contact_email are both empty",
            hint="Set from_address under [email] to the mailbox the relay sends as.",
        )
    password = environ.get(SMTP_PASSWORD_VARIABLE, "")
    if user and not password:
        raise ConfigError(
            f"[email.smtp] user is {user!r} but the environment variable "
            f"{SMTP_PASSWORD_VARIABLE} is not set",
            hint=f"Set {SMTP_PASSWORD_VARIABLE} to the password in the shell that runs "
            "packbuilder; it is never read from config.toml.",
        )
    return SmtpRoute(host, port, security, user, password, timeout, sender)


class _Dropped(Exception):
    """The connection ended after the whole message was handed over, before the answer."""


class _CannotConnect(Exception):
    """No session could be opened (or logged in to): no letter after this one is tried."""


class _Connection:
    """One SMTP session, opened when first needed and again after a drop."""

    def __init__(self, route: SmtpRoute) -> None:
        self.route = route
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                route = self.route
                raise _CannotConnect(
                    f"could not open a session with {route.host}:{route.port}: " + _describe(error)
                ) from None
        return self.smtp

    def _connect(self) -> smtplib.SMTP:
        route = self.route
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if route.security == "tls":
            smtp = smtplib.SMTP_SSL(route.host, route.port, timeout=route.timeout, context=context)
        else:
            smtp = smtplib.SMTP(route.host, route.port, timeout=route.timeout)
        try:
            smtp.ehlo()
            if route.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if route.user:
                smtp.login(route.user, route.password)
        except BaseException:
            self._abandon(smtp)
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._abandon(self.smtp)
            self.smtp = None

    def drop(self) -> None:
        if self.smtp is not None:
            self._abandon(self.smtp)
            self.smtp = None

    @staticmethod
    def _abandon(smtp: smtplib.SMTP) -> None:
        with contextlib.suppress(OSError):
            smtp.close()

    def transmit(
        self, sender: str, to: Sequence[str], data: bytes, handed_over: Callable[[], None]
    ) -> dict[str, str]:
        """Send DATA to TO (the officer first, then the Cc); the Cc refused (address -> reply).
        Raises SMTPRecipientsRefused when the officer's address is refused, and _Dropped when
        the connection ends after the message was handed over (HANDED_OVER is called then)."""
        smtp = self.open()
        code, reply = smtp.mail(sender)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for address in to:
            code, reply = smtp.rcpt(address)
            if code not in (250, 251):
                refused[address] = (code, reply)
        if to[0] in refused:
            # The officer's own address refused: nothing is sent (not even to the Cc), so a
            # rerun after the address is fixed sends the letter to everyone exactly once.
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        # DATA by hand rather than smtp.data(): only here can "the server never answered the
        # whole message" be told apart from "the message never got there".
        code, reply = smtp.docmd("data")
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, reply)
        handed_over()
        smtp.send(_dot_stuffed(data) + b".\r\n")
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise _Dropped(str(error) or "connection closed") from None
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
        return {address: _reply_text(c, r) for address, (c, r) in refused.items()}


def _dot_stuffed(data: bytes) -> bytes:
    data = re.sub(rb"(?m)^\.", b"..", data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _reply_text(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {' '.join(text.split())}"


def send_letters(
    letters: Iterable[Letter],
    route: SmtpRoute,
    ledger: Path,
    resend: Iterable[str] = (),
) -> list[Outcome]:
    """Send each letter through ROUTE, recording every attempt in LEDGER (sent.csv).

    A letter already sent, or whose earlier outcome is unknown, is not sent again unless its
    name is in RESEND. A refused recipient or a dropped connection costs only that letter: the
    next one opens a new connection.
    """
    again = set(resend)
    earlier = read_ledger(ledger)
    connection = _Connection(route)
    outcomes: list[Outcome] = []
    unreachable = ""
    try:
        for letter in letters:
            previous = earlier.get(letter.ref, "")
            if previous in _NOT_AGAIN and letter.name not in again:
                status = ALREADY_SENT if previous == SENT else HELD
                outcomes.append(Outcome(letter, status, previous))
            elif not letter.to:
                outcomes.append(Outcome(letter, NO_ADDRESS))
            elif unreachable:
                # One time-out per run, not one per letter, when the server cannot be reached.
                detail = f"not tried: {unreachable}"
                _record(ledger, letter, FAILED, "", detail)
                outcomes.append(Outcome(letter, FAILED, detail))
            else:
                try:
                    outcomes.append(_send_one(letter, route, connection, ledger))
                except _CannotConnect as error:
                    unreachable = str(error)
                    _record(ledger, letter, FAILED, "", unreachable)
                    outcomes.append(Outcome(letter, FAILED, unreachable))
    finally:
        connection.close()
    return outcomes


def _send_one(letter: Letter, route: SmtpRoute, connection: _Connection, ledger: Path) -> Outcome:
    message_id = new_message_id(route.sender)
    message = build_message(
        letter, draft=False, message_id=message_id, date=dt.datetime.now(dt.UTC)
    )
    data = message.as_bytes()
    to = recipients(letter)
    try:
        refused = connection.transmit(
            route.sender,
            to,
            data,
            handed_over=lambda: _record(ledger, letter, SENDING, message_id, ""),
        )
    except _Dropped as error:
        connection.drop()
        detail = f"the connection dropped before the server answered ({error}); it may have "
        detail += "arrived: check with the recipient, then --resend if it did not"
        _record(ledger, letter, UNKNOWN, message_id, detail)
        return Outcome(letter, UNKNOWN, detail, message_id)
    except smtplib.SMTPRecipientsRefused as error:
        detail = "; ".join(
            f"{address}: {_reply_text(*reply)}" for address, reply in error.recipients.items()
        )
        _record(ledger, letter, REFUSED, message_id, detail)
        return Outcome(letter, REFUSED, detail, message_id)
    except (smtplib.SMTPException, OSError) as error:
        connection.drop()
        detail = _describe(error)
        _record(ledger, letter, FAILED, message_id, detail)
        return Outcome(letter, FAILED, detail, message_id)
    detail = "; ".join(f"refused {address}: {reply}" for address, reply in refused.items())
    _record(ledger, letter, SENT, message_id, detail)
    return Outcome(letter, SENT, detail, message_id)


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply_text(error.smtp_code, error.smtp_error)
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
