"""``packbuilder check``, ``build``, ``publish`` and ``review``: the month's returns judged, its
outputs written, its pages rewritten, and the six-month review pack.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from packbuilder.cli.common import (
    EXIT_CODES_HELP,
    State,
    admitted_period,
    future_option,
    handles_errors,
    in_workspace,
    new_console,
    parse_period,
    warn_long_paths,
)
from packbuilder.errors import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from rich.console import Console

    from packbuilder.commands.check import CheckRun
    from packbuilder.config import Config


@click.command(
    epilog="Examples:\n\n\b\n  packbuilder check 2023-08\n  packbuilder check 2023-08 --json\n\n"
    + EXIT_CODES_HELP
)
@click.argument("period")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON (see docs/json.md).")
@future_option
@click.pass_obj
@handles_errors
def check(state: State, period: str, as_json: bool, future: bool) -> None:
    """Check the returns received for PERIOD (YYYY-MM).

    Reads every file in inputs/returns/PERIOD/, matches each to its officer by its hidden
    sheet, and writes validation.xlsx, feedback workbooks and chase-list.csv. Exits 1 when any
    return has errors.
    """
    from packbuilder.commands.check import check_and_write

    config = state.config()
    month = admitted_period(config, period, future)
    warn_long_paths(config, month)
    with in_workspace(config):
        run = check_and_write(config, month)
    report = run.report
    if as_json:
        from packbuilder.check_outputs.jsonout import report_json

        # JSON is UTF-8 whatever the console's code page, for whatever program reads it.
        document = report_json(report, config)
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:  # a stream of text only: it takes the text as it is
            click.echo(document)
        else:
            sys.stdout.flush()
            binary.write(document.encode("utf-8") + b"\n")
            binary.flush()
    else:
        _print_check(run, config, new_console())
    sys.exit(EXIT_OK if report.valid else EXIT_FINDINGS)


def _print_check(run: CheckRun, config: Config, console: Console) -> None:
    from packbuilder.console.check import print_check_summary

    print_check_summary(run.report, run.plan, console)
    console.print(f"Every finding: {run.written.validation.relative_to(config.root)}")


@click.command(
    epilog="Examples:\n\n\b\n  packbuilder build 2023-08\n"
    "  packbuilder build 2023-08 --strict --pdf\n\n" + EXIT_CODES_HELP
)
@click.argument("period")
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse to build while any return has errors, or while the office's own words "
    "(inputs/narrative/PERIOD.toml) are missing from the reports.",
)
@click.option("--force", is_flag=True, help="Replace outputs edited by hand (keeps a copy).")
@click.option("--pdf", is_flag=True, help="Also convert the Word reports to PDF (LibreOffice).")
@future_option
@click.pass_obj
@handles_errors
def build(state: State, period: str, strict: bool, force: bool, pdf: bool, future: bool) -> None:
    """Build the tracker and the Word reports for PERIOD (YYYY-MM).

    Runs check first, merges the valid returns (carrying forward what is missing or wrong),
    records the month in history.sqlite and writes outputs/PERIOD/.
    """
    from packbuilder.commands.build import build_period
    from packbuilder.console.build import build_progress, print_build_summary

    config = state.config()
    console = new_console()
    month = admitted_period(config, period, future)
    warn_long_paths(config, month)
    with build_progress(console) as step:
        result = build_period(config, month, strict=strict, force=force, pdf=pdf, step=step)
    print_build_summary(result, config, console)


@click.command(epilog="Example:\n\n\b\n  packbuilder publish 2023-08\n\n" + EXIT_CODES_HELP)
@click.argument("period")
@click.pass_obj
@handles_errors
def publish(state: State, period: str) -> None:
    """Rewrite the families' page and the board's dashboard for PERIOD (YYYY-MM).

    Writes outputs/PERIOD/site/ from what history recorded for the month, as one set, and
    updates the manifest's entries for it. 'build' writes the site too.
    """
    from packbuilder.commands.publish import publish_period

    config = state.config()
    published = publish_period(config, parse_period(period))
    console = new_console()
    site = config.outputs_dir(published.period) / "site"
    console.print(
        f"Published {published.period.label}: {len(published.pages)} pages in "
        f"{site.relative_to(config.root).as_posix()}/"
    )
    for page in published.pages:
        console.print(f"  {page.relative_to(config.root).as_posix()}")


@click.command(epilog="Example:\n\n\b\n  packbuilder review 2023-07 2023-12\n\n" + EXIT_CODES_HELP)
@click.argument("first", metavar="FROM")
@click.argument("last", metavar="TO")
@click.pass_obj
@handles_errors
def review(state: State, first: str, last: str) -> None:
    """Write the DfE six-month review pack for the recorded months FROM to TO (YYYY-MM).

    Reads history alone (no return is read again) and the evidence documents in
    inputs/evidence/, and writes outputs/review-FROM-TO/: the Word pack, the evidence
    workbook, a copy of every evidence file and manifest.json.
    """
    from packbuilder.commands.review import make_review

    config = state.config()
    console = new_console()
    written = make_review(config, parse_period(first), parse_period(last))
    folder = written.folder.relative_to(config.root).as_posix()
    console.print(f"Wrote {folder}/:", markup=False)
    for path in (written.pack, written.workbook):
        console.print(f"  {path.name}", markup=False)
    bank = written.bank
    console.print(
        f"Evidence: {len(bank.files)} files copied, {len(bank.unmapped)} not mapped to an "
        "action or area"
    )
    for item in bank.files:
        if item.note:
            console.print(f"  {item.name}: {item.note}", markup=False, soft_wrap=True)
    for problem in bank.problems:
        console.print(f"  {problem}", markup=False, soft_wrap=True)
    if written.template_note:
        console.print(written.template_note, markup=False, soft_wrap=True)
