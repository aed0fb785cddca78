# ruff: noqa: E501  (the expected output is the console's own lines, up to 100 characters wide)
"""The command line through click's runner, as a table of commands with their exact output.

Each row runs one command on a fresh copy of the bundled example workspace (copied once per
session, then copied again per test) and compares the exit code, stdout and stderr exactly,
line by line (rich pads its tables, so trailing spaces count). test_cli.py tests the commands
one behaviour at a time; this table pins what the office sees.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from packbuilder import __version__
from packbuilder.cli import main

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def example_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's own files (config, inputs, templates), copied once: never written."""
    folder = tmp_path_factory.mktemp("example-source")
    shutil.copyfile(REPOSITORY / "config.toml", folder / "config.toml")
    for name in ("inputs", "templates"):
        shutil.copytree(REPOSITORY / name, folder / name)
    name_as_windows_would(folder)
    return folder


def name_as_windows_would(folder: Path) -> None:
    """Rename files whose UTF-8 names this process reads in another encoding.

    The Windows imitation's cp1252 locale makes Python read the repository's UTF-8 file names
    in cp1252 ("–" as "â€“"), which Windows, naming files in UTF-16, never does
    (docs/windows.md). Written again under their real names, they read as on Windows. Under a
    UTF-8 file-system encoding this renames nothing.
    """
    for path in sorted(folder.rglob("*"), reverse=True):
        real = os.fsencode(path.name).decode("utf-8", errors="surrogateescape")
        if real != path.name:
            path.rename(path.with_name(real))


@pytest.fixture()
def example(example_source: Path) -> Iterator[Path]:
    """A fresh copy of the example workspace for one test to write in.

    In a short folder of its own: under pytest's longer tmp_path the longest return name would
    pass Excel's 218 characters, and plan check would warn of it (on stderr, naming the path).
    """
    folder = Path(tempfile.mkdtemp(prefix="pb-"))
    yield Path(shutil.copytree(example_source, folder / "ws"))
    shutil.rmtree(folder)


def invoke(workspace: Path, args: list[str]) -> Result:
    # Click wraps help at the terminal's width, 80 off a terminal: fixed so a wide CI console
    # reads the same.
    return CliRunner().invoke(main, ["-C", str(workspace), *args], env={"COLUMNS": "80"})


def lines(text: str) -> tuple[str, ...]:
    """Output as its lines; every line, the last included, ends in a newline."""
    assert text == "" or text.endswith("\n"), text[-200:]
    return tuple(text.split("\n")[:-1])


TABLE = [
    pytest.param(
        ["--version"],
        0,
        ("packbuilder, version 0.1.0",),
        (),
        id="version",
    ),
    pytest.param(
        ["plan", "check"],
        0,
        (
            "plan.xlsx: 9 areas of weakness, 48 sub-themes, 116 actions, 56 officers (44 reporting), 65 KPIs (19 ",
            "high impact), 12 risks.",
            "Actions per area of weakness (baseline ratings)                                          ",
            "                                       Sub-               Progress         Impact     No ",
            " Area   Title                        themes   Actions      B/G/A/R    B/G/A/R/NYR   date ",
            "─────────────────────────────────────────────────────────────────────────────────────────",
            "    1   A widely held concern of …        6        19     0/8/10/1      0/3/7/9/0      1 ",
            "    2   A variable quality of pro…        5        14      0/6/7/1      0/1/8/3/2      0 ",
            "    3   That parents and carers h…        5        13      3/6/4/0      2/6/3/2/0      0 ",
            "    4   An inability of current j…        3         7      0/2/3/2      0/1/3/2/1      2 ",
            "    5   Poor standards achieved, …        5        12      0/7/5/0      0/8/3/0/1      1 ",
            "    6   The inconsistent quality …       10        22     2/14/5/1      0/8/8/6/0      0 ",
            "    7   Weak governance of SEND a…        6        14      3/7/4/0      2/5/4/3/0      1 ",
            "    8   Unacceptable waiting time…        6        11      1/3/6/1      0/2/6/2/1      0 ",
            "    9   A lack of effective syste…        2         4      1/0/2/1      0/2/1/1/0      1 ",
            "  All                                    48       116   10/53/46/7   4/36/43/28/5      6 ",
            "Actions per sub-theme: 1a 4, 1b 3, 1c 4, 1d 2, 1e 3, 1f 3, 2a 4, 2b 3, 2c 1, 2d 4, 2e 2, 3a 3, 3b 5,",
            "3c 2, 3d 2, 3e 1, 4a 2, 4b 2, 4c 3, 5a 3, 5b 2, 5c 3, 5d 1, 5e 3, 6a 2, 6b 2, 6c 2, 6d 3, 6e 2, 6f ",
            "4, 6g 1, 6h 2, 6i 1, 6j 3, 7a 4, 7b 3, 7c 1, 7d 3, 7e 1, 7f 2, 8a 5, 8b 1, 8c 2, 8d 1, 8e 1, 8f 1, ",
            "9a 3, 9b 1",
            "Actions per reporting officer                                                               ",
            " Officer ID                             Name or role                     Reports   For info ",
            "────────────────────────────────────────────────────────────────────────────────────────────",
            " designated-clinical-officer            Designated Clinical Officer (…         9          1 ",
            " marketing-resident-experience-partn…   Marketing and Resident Experi…         9          0 ",
            " deputy-director-childrens-services-…   Deputy Director Children's Se…         8          0 ",
            " education-officer-mainstream-inclus…   Education Officer, Mainstream…         8          0 ",
            " interim-ad-send-operations             Interim Assistant Director fo…         8          0 ",
            " director-education-send                Director of Education and SEND         6          0 ",
            " corporate-director-cype                Corporate Director Children Y…         5          0 ",
            " send-engagement-operations-assuranc…   SEND Engagement, Operations a…         5          0 ",
            " ad-quality-assurance-social-work       Assistant Director – Quality …         4          0 ",
            " interim-ad-send-processes              Interim Assistant Director fo…         3          0 ",
            " kent-pact                              Kent Parents and Carers Toget…         3          0 ",
            " performance-analytics-manager          Performance and Analytics Man…         3          0 ",
            " send-strategic-development-manager     SEND Strategic Development Ma…         3          0 ",
            " ad-management-information-intellige…   Assistant Director - Manageme…         2          0 ",
            " ad-principal-educational-psychologi…   Assistant Director/Principal …         2          2 ",
            " chief-nurse                            Chief Nurse NHS Kent and Medw…         2          0 ",
            " commissioner-disabled-cyp-services     Commissioner – Disabled Child…         2          0 ",
            " commissioner-inclusion                 Commissioner – Inclusion               2          0 ",
            " education-lead-adviser                 Education Lead Adviser                 2          0 ",
            " head-strategic-commissioning-public…   Head of Strategic Commissioni…         2          1 ",
            " pias-manager                           PIAS Manager (PRU, Inclusion …         2          0 ",
            " senior-commissioner                    Senior Commissioner                    2          0 ",
            " senior-commissioner-inclusion          Senior Commissioner – Inclusi…         2          0 ",
            " senior-commissioning-manager           Senior Commissioning Manager           2          0 ",
            " ad-fair-access-sen-processes           Assistant Director - Fair Acc…         1          0 ",
            " associate-director-childrens-mental…   Associate Director (Children'…         1          0 ",
            " client-transport-manager               Client Transport Manager               1          0 ",
            " commissioning-manager-nhs              Commissioning Manager                  1          0 ",
            " countywide-autism-leader-trainer       Countywide Autism Leader Trai…         1          0 ",
            " deputy-director-childrens-services-…   Deputy Director for Children'…         1          0 ",
            " director-childrens-services-icb        Director of Children's Servic…         1          0 ",
            " director-integrated-childrens-servi…   Director of Integrated Childr…         1          0 ",
            " educational-child-psychologist         Educational and Child Psychol…         1          0 ",
            " general-counsel                        General Counsel                        1          0 ",
            " head-strategic-commissioning-cyp-se…   Head of Strategic Commissioni…         1          0 ",
            " learning-disabilities-autism-associ…   Learning, Disabilities, and A…         1          0 ",
            " lived-experience-expert                Lived Experience Expert                1          0 ",
            " participation-manager                  Participation Manager                  1          0 ",
            " principal-five-acre-wood-school        Principal, Five Acre Wood Sch…         1          0 ",
            " send-lead-slt                          SEND Lead Speech and Language…         1          2 ",
            " send-support-inclusion-manager-earl…   SEND Support and Inclusion Ma…         1          0 ",
            " senior-commissioning-manager-cyp-se…   Senior Commissioning Manager …         1          0 ",
            " strategic-reset-programme-lead         Strategic Reset Programme – S…         1          0 ",
            " thrive-programme-manager               Thrive Programme Manager               1          0 ",
            "Findings                                                                                            ",
            "┏━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
            "┃ Code                  ┃ Severity ┃ Where                      ┃ Message                          ┃",
            "┡━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
            "│ PLAN-NO-END-DATE      │ warning  │ plan.xlsx › Actions › D52  │ The end date of action 4C1       │",
            "│                       │          │                            │ ('Completed') holds no date: it  │",
            "│                       │          │                            │ shows as 'no date' and is never  │",
            "│                       │          │                            │ overdue. Write a date such as    │",
            "│                       │          │                            │ 31/03/2024, or a month such as   │",
            "│                       │          │                            │ March 2024, if there is one.     │",
            "├───────────────────────┼──────────┼────────────────────────────┼──────────────────────────────────┤",
            "│ KPI-TARGET-WRONG-SIDE │ warning  │ plan.xlsx › KPI targets    │ KPI APP57 (lower is better) has  │",
            "│                       │          │                            │ a target of 80 for December      │",
            "│                       │          │                            │ 2023, above its baseline of      │",
            "│                       │          │                            │ 13.3: it would be rated Green    │",
            "│                       │          │                            │ for getting worse. Check the     │",
            "│                       │          │                            │ target (is it another measure's, │",
            "│                       │          │                            │ or is the polarity wrong?) and   │",
            "│                       │          │                            │ correct the KPI targets or KPIs  │",
            "│                       │          │                            │ sheet; until then packbuilder    │",
            "│                       │          │                            │ rates against the target as      │",
            "│                       │          │                            │ written.                         │",
            "├───────────────────────┼──────────┼────────────────────────────┼──────────────────────────────────┤",
            "│ KPI-TARGET-WRONG-SIDE │ warning  │ plan.xlsx › KPI targets    │ KPI APP62 (higher is better) has │",
            "│                       │          │                            │ a target of 70 for December      │",
            "│                       │          │                            │ 2023, below its baseline of 89:  │",
            "│                       │          │                            │ it would be rated Green for      │",
            "│                       │          │                            │ getting worse. Check the target  │",
            "│                       │          │                            │ (is it another measure's, or is  │",
            "│                       │          │                            │ the polarity wrong?) and correct │",
            "│                       │          │                            │ the KPI targets or KPIs sheet;   │",
            "│                       │          │                            │ until then packbuilder rates     │",
            "│                       │          │                            │ against the target as written.   │",
            "├───────────────────────┼──────────┼────────────────────────────┼──────────────────────────────────┤",
            "│ PLAN-OPEN-END-DATE    │ info     │ plan.xlsx › Actions › D20  │ Action 1F3 has no end date ('To  │",
            "│                       │          │                            │ be confirmed in Family Hubs      │",
            "│                       │          │                            │ Delivery Plan in August 2023'):  │",
            "│                       │          │                            │ it shows as 'no date' and is     │",
            "│                       │          │                            │ never overdue.                   │",
            "├───────────────────────┼──────────┼────────────────────────────┼──────────────────────────────────┤",
            "│ PLAN-OPEN-END-DATE    │ info     │ plan.xlsx › Actions › D50  │ Action 4B1 has no end date ('To  │",
            "│                       │          │                            │ be confirmed'): it shows as 'no  │",
            "│                       │          │                            │ date' and is never overdue.      │",
            "├───────────────────────┼──────────┼────────────────────────────┼──────────────────────────────────┤",
            "│ PLAN-OPEN-END-DATE    │ info     │ plan.xlsx › Actions › D57  │ Action 5A3 has no end date       │",
            "│                       │          │                            │ ('Ongoing'): it shows as 'no     │",
            "│                       │          │                            │ date' and is never overdue.      │",
            "├───────────────────────┼──────────┼────────────────────────────┼──────────────────────────────────┤",
            "│ PLAN-OPEN-END-DATE    │ info     │ plan.xlsx › Actions › D102 │ Action 7F2 has no end date       │",
            "│                       │          │                            │ ('Ongoing'): it shows as 'no     │",
            "│                       │          │                            │ date' and is never overdue.      │",
            "├───────────────────────┼──────────┼────────────────────────────┼──────────────────────────────────┤",
            "│ PLAN-OPEN-END-DATE    │ info     │ plan.xlsx › Actions › D116 │ Action 9A3 has no end date       │",
            "│                       │          │                            │ ('Ongoing'): it shows as 'no     │",
            "│                       │          │                            │ date' and is never overdue.      │",
            "└───────────────────────┴──────────┴────────────────────────────┴──────────────────────────────────┘",
            "No errors, 3 warnings.",
        ),
        (),
        id="plan-check",
    ),
    pytest.param(
        ["check", "2023-07"],
        1,
        (
            "Returns for July 2023",
            "Expected 44, received 43, valid 42, with errors 1, missing 1.",
            "Not counted: 1 superseded return: see validation.xlsx.",
            "Findings by code                                                                 ",
            "┏━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
            "┃ Code                  ┃ Severity ┃ Count ┃ What                               ┃",
            "┡━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
            "│ rating-not-allowed    │ error    │     1 │ Rating not allowed                 │",
            "│ impact-above-progress │ warning  │     8 │ Impact rated above progress        │",
            "│ late-return           │ warning  │     1 │ Return after the deadline          │",
            "│ missing-area-return   │ warning  │     1 │ Area-lead return missing           │",
            "│ missing-return        │ warning  │     1 │ Return missing                     │",
            "│ overdue               │ warning  │     8 │ Past its end date and not complete │",
            "│ rating-normalised     │ info     │     1 │ Rating tidied                      │",
            "└───────────────────────┴──────────┴───────┴────────────────────────────────────┘",
            "Still to chase:",
            "  Assistant Director/Principal Educational Psychologist ",
            "<ad-principal-educational-psychologist@example.org>: no return",
            "  SEND Engagement, Operations and Assurance Manager ",
            "<send-engagement-operations-assurance-manager@example.org>: errors in 2023-07 Return - SEND ",
            "Engagement, Operations and Assurance Manager.xlsx",
            "Every finding: outputs/2023-07/validation.xlsx",
        ),
        (),
        id="check-july",
    ),
    pytest.param(
        ["history"],
        0,
        ("No period recorded yet in history.sqlite. Run: packbuilder build PERIOD",),
        (),
        id="history-empty",
    ),
    pytest.param(
        ["check", "2023-05"],
        2,
        (),
        (
            "Error: 2023-05 is before the programme's first period, 2023-07 (July 2023), set by periods.first in config.toml, so nothing was done",
            "What to do: Check the year of the period; if the programme really started earlier, change periods.first in config.toml.",
        ),
        id="period-before-first",
    ),
    pytest.param(
        ["frobnicate"],
        2,
        (),
        (
            "Usage: main [OPTIONS] COMMAND [ARGS]...",
            "Try 'main --help' for help.",
            "",
            "Error: No such command 'frobnicate'.",
        ),
        id="unknown-command",
    ),
    pytest.param(
        ["build", "2023-13"],
        2,
        (),
        (
            "Usage: main build [OPTIONS] PERIOD",
            "Try 'main build --help' for help.",
            "",
            "Error: Invalid value: '2023-13' is not a period: write the month as YYYY-MM, e.g. 2023-07",
        ),
        id="not-a-period",
    ),
    pytest.param(
        ["--help"],
        0,
        (
            "Usage: main [OPTIONS] COMMAND [ARGS]...",
            "",
            "  Monthly returns, checks, master tracker and Word packs for an improvement",
            "  plan.",
            "",
            "  The monthly cycle:",
            "    packbuilder returns make 2023-08   pre-filled returns for every officer",
            "    packbuilder returns send 2023-08   an email (draft) per officer, return attached",
            "    packbuilder returns collect 2023-08 SAVED-EMAILS   returns from replies into inputs/",
            "    packbuilder check 2023-08          check what came back; who to chase",
            "    packbuilder returns chase 2023-08  reminders and feedback emails",
            "    packbuilder build 2023-08          tracker, assurance and exception reports",
            "",
            "Options:",
            "  --version                  Show the version and exit.",
            "  -C, --workspace DIRECTORY  The workspace folder (the one holding config.toml).",
            "                             [default: (the current folder)]",
            "  --debug                    Show a traceback for errors (for reporting bugs).",
            "  -h, --help                 Show this message and exit.",
            "",
            "Commands:",
            "  build    Build the tracker and the Word reports for PERIOD (YYYY-MM).",
            "  check    Check the returns received for PERIOD (YYYY-MM).",
            "  history  List the periods recorded in history.sqlite, with each build.",
            "  init     Create a new, empty workspace in DIRECTORY (not inside another...",
            "  kpis     KPI returns for the data team.",
            "  plan     The plan register (inputs/plan.xlsx).",
            "  publish  Rewrite the families' page and the board's dashboard for PERIOD...",
            "  returns  Officers' return workbooks.",
            "  review   Write the DfE six-month review pack for the recorded months FROM...",
            "",
            "  Example:",
            "",
            "    packbuilder -C ~/improvement-plan build 2023-08",
            "",
            "  Exit codes (the same for every command):",
            "    0  the command did its job (warnings and missing returns allowed)",
            "    1  check found errors, or build --strict refused to build",
            "    2  a usage, configuration or plan error",
            "    3  the environment stopped it: an output open in another program,",
            "       the workspace busy with another command, LibreOffice missing for",
            "       --pdf, no space, no permission, a damaged history",
            "    130, 143, 129  stopped by SIGINT (Ctrl+C), SIGTERM or SIGHUP",
        ),
        (),
        id="help",
    ),
    pytest.param(
        ["check", "--help"],
        0,
        (
            "Usage: main check [OPTIONS] PERIOD",
            "",
            "  Check the returns received for PERIOD (YYYY-MM).",
            "",
            "  Reads every file in inputs/returns/PERIOD/, matches each to its officer by its",
            "  hidden sheet, and writes validation.xlsx, feedback workbooks and chase-",
            "  list.csv. Exits 1 when any return has errors.",
            "",
            "Options:",
            "  --json      Print findings as JSON (see docs/json.md).",
            "  --future    Allow a period that starts after the end of next month (refused",
            "              otherwise, as a likely typo).",
            "  -h, --help  Show this message and exit.",
            "",
            "  Examples:",
            "",
            "    packbuilder check 2023-08",
            "    packbuilder check 2023-08 --json",
            "",
            "  Exit codes (the same for every command):",
            "    0  the command did its job (warnings and missing returns allowed)",
            "    1  check found errors, or build --strict refused to build",
            "    2  a usage, configuration or plan error",
            "    3  the environment stopped it: an output open in another program,",
            "       the workspace busy with another command, LibreOffice missing for",
            "       --pdf, no space, no permission, a damaged history",
            "    130, 143, 129  stopped by SIGINT (Ctrl+C), SIGTERM or SIGHUP",
        ),
        (),
        id="check-help",
    ),
]


@pytest.mark.parametrize(("args", "exit_code", "stdout", "stderr"), TABLE)
def test_command_output(
    example: Path,
    args: list[str],
    exit_code: int,
    stdout: tuple[str, ...],
    stderr: tuple[str, ...],
) -> None:
    result = invoke(example, args)
    assert (lines(result.stdout), lines(result.stderr), result.exit_code) == (
        stdout,
        stderr,
        exit_code,
    )


def test_the_version_is_the_package_s(example: Path) -> None:
    assert invoke(example, ["--version"]).stdout == f"packbuilder, version {__version__}\n"


def test_check_json_keys(example: Path) -> None:
    result = invoke(example, ["check", "2023-07", "--json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(document) == [
        "schema_version",
        "period",
        "valid",
        "counts",
        "files",
        "missing",
        "findings",
        "deadline",
    ]
    assert list(document["counts"]) == ["expected", "received", "valid", "with_errors", "missing"]
    assert list(document["files"][0]) == [
        "file",
        "sha256",
        "status",
        "kind",
        "officer_id",
        "area",
        "period",
        "received_at",
        "received_source",
        "superseded_by",
        "errors",
        "warnings",
    ]
    assert list(document["findings"][0]) == [
        "code",
        "severity",
        "message",
        "file",
        "sheet",
        "cell",
        "value",
        "officer_id",
        "action_id",
    ]


EXAMPLE_HEADINGS = ("  Example:", "  Examples:")


def commands(group: click.Group, words: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The words to type for every command (not group) under GROUP."""
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.extend(commands(command, (*words, name)))
        else:
            found.append((*words, name))
    return found


@pytest.mark.parametrize("words", commands(main), ids=" ".join)
def test_every_command_has_help_with_an_example(example: Path, words: tuple[str, ...]) -> None:
    result = invoke(example, [*words, "--help"])
    assert result.exit_code == 0
    assert result.stderr == ""
    help_lines = lines(result.stdout)
    assert help_lines[0].startswith(f"Usage: main {' '.join(words)} ")
    assert help_lines[1] == ""
    assert help_lines[2].strip(), "a one-line summary of what the command does"
    example_at = next(i for i, line in enumerate(help_lines) if line in EXAMPLE_HEADINGS)
    first_example = next(line for line in help_lines[example_at + 1 :] if line)
    assert first_example.startswith("    packbuilder ")
    assert f" {' '.join(words)}" in first_example


def masked(text: str) -> str:
    """Output with the clock's times (a build's time, a backup's name) written as their form."""
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "YYYY-MM-DD HH:MM", text)
    return re.sub(r"history-\d{8}-\d{6}", "history-YYYYMMDD-HHMMSS", text)


BUILT_TABLE = [
    pytest.param(
        ["history"],
        0,
        (
            "                 History: Kent Local Area SEND Accelerated Progress Plan (APP)                  ",
            "┏━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━┓",
            "┃ Period  ┃ Built (UTC)      ┃ Builds ┃ packbuilder ┃ Actions ┃  Returns ┃ Exceptions ┃ Errors ┃",
            "┡━━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━┩",
            "│ 2023-07 │ YYYY-MM-DD HH:MM │ 1      │ 0.1.0       │ 116     │ 43 of 44 │         60 │      1 │",
            "│ 2023-08 │ YYYY-MM-DD HH:MM │ 1      │ 0.1.0       │ 116     │ 43 of 44 │         63 │      1 │",
            "└─────────┴──────────────────┴────────┴─────────────┴─────────┴──────────┴────────────┴────────┘",
        ),
        (),
        id="history",
    ),
    pytest.param(
        ["history", "check"],
        0,
        (
            "history.sqlite: sound; holds 2023-07, 2023-08 (2 builds).",
            "  backup history-YYYYMMDD-HHMMSS.sqlite: holds 2023-07 (1 build)",
        ),
        (),
        id="history-check",
    ),
    pytest.param(
        ["build", "2023-06"],
        2,
        (),
        (
            "Error: 2023-06 is before the programme's first period, 2023-07 (July 2023), set by periods.first in config.toml, so nothing was done",
            "What to do: Check the year of the period; if the programme really started earlier, change periods.first in config.toml.",
        ),
        id="build-refuses-a-period-before-the-first",
    ),
]


@pytest.mark.parametrize(("args", "exit_code", "stdout", "stderr"), BUILT_TABLE)
def test_command_output_once_built(
    built_example_copy: Path,
    args: list[str],
    exit_code: int,
    stdout: tuple[str, ...],
    stderr: tuple[str, ...],
) -> None:
    """Commands on the example with July and August built (conftest.py's built_example)."""
    result = invoke(built_example_copy, args)
    assert (
        lines(masked(result.stdout)),
        lines(masked(result.stderr)),
        result.exit_code,
    ) == (stdout, stderr, exit_code)
