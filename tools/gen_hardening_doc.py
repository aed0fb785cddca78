"""Write docs/hardening.md: every kind of bad file, its finding and the message the office sees.

The table is made from the hostile corpus (tests/hostile_corpus.py, whose tests prove each case
gets these codes) and the finding registry (packbuilder/findings.py); the limits from
config's ``Limits`` defaults. Run ``python tools/gen_hardening_doc.py`` after changing any of
them; a test fails when the page is out of date.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "hardening.md"

LIMIT_NOTES = {
    "max_file_bytes": "A returned file larger than this is refused unread (`file-too-large`).",
    "max_uncompressed_bytes": "Total size of a workbook's parts once inflated, as their headers "
    "declare (`uncompressed-too-large`); a part that inflates to anything else is refused as "
    "damaged.",
    "max_compression_ratio": "Largest ratio of inflated to compressed size for any part over "
    "64 KB (`compression-ratio`).",
    "max_cells_per_sheet": "Cells a sheet may span, counted from A1 as a reader would allocate "
    "them, from a bounded scan of its XML before any parser runs (`sheet-too-large`).",
    "max_chars_per_cell": "Characters kept from one cell; the rest is cut with a warning "
    "(`text-truncated`) and the row still counts.",
    "max_findings_per_file": "Findings listed per file, errors first; one more says how many "
    "were left out (`too-many-findings`).",
    "worker_timeout_seconds": "A file whose reading takes longer is stopped and reported "
    "(`unreadable`).",
    "worker_memory_mb": "Memory a reading worker may take on top of what it starts with "
    "(RLIMIT_AS; not on Windows). Over it, the file is reported (`unreadable`).",
}

ISOLATION = """\
## Isolation

Every returned file is screened and read in a worker process (`packbuilder/processes.py`,
`map_isolated`), however few files there are. Each worker is long-lived and takes one file at a
time; the command waits on each worker's pipe and its process sentinel together.

- A native crash in a reader (python-calamine aborts the whole process on some inputs), the
  kernel's out-of-memory killer or a time-out costs only the file being read: it is reported
  `unreadable` with the reason, the worker is replaced, and every other file is still read.
  `concurrent.futures.ProcessPoolExecutor` is not used, since one dead worker fails every
  pending file (BrokenProcessPool).
- Memory: each worker sets RLIMIT_AS to what it already holds plus `worker_memory_mb`. The
  address space a forked worker inherits (libraries, thread stacks reserved by the command) is
  not counted against the ceiling, so a large machine does not fail every file.
- Time: a worker still busy after `worker_timeout_seconds` is killed.
- Windows has no RLIMIT_AS: there the time limit applies and the memory ceiling does not. A
  worker's time limit counts from when it has started (a spawned worker starts a new Python).
- Before any parser sees a file, `packbuilder/returns/safe.py` recognises it by its leading
  bytes (never its extension), checks the declared sizes and ratios, then inflates every part
  a chunk at a time: a part whose size or CRC differs from its header, or whose local header
  contradicts the central directory, is refused as damaged. Any DTD or entity declaration in
  any XML part is refused, in whatever encoding a parser would read it: the encoding is taken
  from the byte order mark, from how "<?xml" is written and from the declaration (the XML
  specification's appendix F), so UTF-16, UTF-32, UTF-7 and EBCDIC parts, and a UTF-8 prolog
  that switches to UTF-16, are scanned as the parser would see them; an encoding that cannot
  be decoded here is refused. Formulas are never evaluated and macros never run: a formula's
  cached value is read with a warning.
- What is parsed by what. An officer's return: its values by python-calamine (Rust; its XML
  reader expands no entity and fetches nothing), workbook.xml and its relationships by
  defusedxml when they hold more than the plain elements the reader scans by pattern, and the
  sheets' formulas, errors and merges by a bounded byte scan. The KPI return (and a feedback
  workbook, from the officer's file): by openpyxl, which parses the sheets with defusedxml and
  workbook.xml and the relationships with lxml when lxml is installed (python-docx brings it),
  through a parser that resolves no entity and has network access off; before the first parse
  a probe (`assert_defused`) checks that no parser openpyxl reaches expands an entity, and the
  command stops if one would. The plan register and config.toml are the office's own files.
- Files are named for what they are, from their bytes: an OLE2 container by the names in its
  directory (an Excel 97-2003 workbook, a Word document, an encrypted Office file, a
  PowerPoint, an Outlook message, a VBA project), raw BIFF, .xlsb, flat ODS, RTF, XML, PDF,
  pictures, and text in UTF-8, cp1252, UTF-16 or UTF-32. No message carries a library's words,
  an exception's text or an internal code (tests/test_hostile_corpus.py scans every message).
- Outputs: returned text is written to the tracker as text (never a formula or link) and into
  the Word reports as data, never as template code; tests/test_guarantees.py reads both back.
"""

ENVIRONMENT = """\
## Faults of the environment

A full disk, a folder without permission, a read-only file system, a path of the wrong kind,
damaged state or a stray signal. Each promise below is kept by a test in
`tests/test_faults.py`; the full disk and the read-only file systems are real there (a small
tmpfs in a private mount namespace, `unshare -m`, as root; CI runs them and fails rather than
skip), with patched writes beside them so the same promises are tested everywhere.

- **One line, exit 3, nothing changed.** No space, no permission, a read-only file system, a
  file where a folder goes (or a folder where a file goes), a damaged, locked or read-only
  history database: the command prints one `Error:` line saying what and where and one
  `What to do:` line, and exits 3. `outputs/` and `history.sqlite` are as they were (the build
  writes everything into a staging folder first and changes nothing the office sees until the
  journal is on the disk), and no partial file is left: the journal, the manifest and the
  history backups are written to a partial name that is removed if the write fails, and the
  next command removes any a killed process left. `--debug` shows the traceback.
- **History is checked whenever it is opened.** A file that is empty, not SQLite, another
  program's database, or fails SQLite's quick check is refused (exit 3) and left untouched, with
  what to do. A missing `history.sqlite` is started afresh only while no
  `outputs/PERIOD/manifest.json` names a build: otherwise it is refused, since a new, empty
  history would silently disown those builds.
- **Backups.** Before every build (and every `history remove`) history is copied with SQLite's
  online backup into `backups/history-YYYYMMDD-HHMMSS.sqlite` at the workspace root (ignored by
  git in this repository). The last `[backups] kept` (10 by default) are kept; the folder is
  `[backups] folder` in config.toml.
- **`packbuilder history check`** runs SQLite's integrity check on `history.sqlite` and on each
  backup, and says which periods and how many builds each holds. It exits 3 when
  `history.sqlite` cannot be used.
- **`packbuilder history restore NAME`** shows what the backup NAME holds and asks (or `--yes`),
  then puts it in place. A backup that fails its own integrity check is refused. The file it
  replaces is kept, byte for byte, as `backups/history-replaced-YYYYMMDD-HHMMSS.sqlite`, and the
  periods whose outputs name a build the backup does not hold are listed, to rebuild.
- **The journal and the manifest are durable.** Each is written to a partial file, flushed and
  synced, renamed into place, and its folder synced, so a power cut leaves the old file or the
  new one. A journal that cannot be read (empty, garbage, the wrong shape) is moved aside to
  `.build-journal.unreadable-N.json` with a one-line warning: since it reaches the disk before
  anything moves, an unreadable one means nothing moved, and the outputs on disk are kept.
- **Nothing of the office's is deleted.** Once a period has a recorded build, a file at an
  output's path that no readable manifest vouches for (the manifest lost or damaged) and that
  differs from its new version is kept beside it as `NAME.edited-N.EXT`, listed in the build's
  summary and the manifest's `kept_edits`. (Every output is the same bytes for the same inputs
  and history, so an unchanged one is not kept: only a real edit, or a changed input.) Files
  that `check`, `returns make` or other commands write before the first build are not
  affected. A folder, a link or anything else that is not a file at an output's path (or a
  file where an output's folder goes) is refused before anything moves, never moved into
  staging and deleted.
- **One writing command at a time.** `check`, `returns make`, `returns send`, `returns
  collect`, `returns chase`, `kpis make`, `build` and the `history` commands hold the workspace
  lock (`.packbuilder.lock`). A second one waits 5 seconds, then says "Another packbuilder
  command is running in this workspace" (exit 3). So two `check`s at once never race on a
  partial file.
- **Signals.** SIGTERM (a scheduler, a closing service) and SIGHUP (a closing terminal) stop a
  command as Ctrl+C does: "Stopped. Outputs already in place were left as they were.", the
  build's transaction and moves undone, and exit 143 or 129 (130 for Ctrl+C). A forked worker
  still dies by the signal. Windows has neither signal (see [windows.md](windows.md)).
- **Recovered before reading.** Every command that holds the lock first finishes or undoes a
  build that was stopped part way (in any period), saying so on stderr, and refuses a damaged or
  lost history before it reads it; so `check` and `history` never list a half-moved set or miss
  a complete one. The tests kill a build at each recorded step and run `check` or `history`
  before the next build.
"""

NOT_DEFENDED = """\
## What is not defended, and why

- **Windows memory ceiling.** The standard library has no per-process memory limit there; a
  reader that blows up memory on Windows is stopped only by the time limit or the system.
- **A zip with a huge number of tiny parts** is bounded only by `max_file_bytes` (a central
  directory of 20 MB lists a few hundred thousand entries, which zipfile reads in about a
  second). There is no separate limit on the number of parts.
- **A value in XFD1048576** (or anything far from the return's range) makes the whole sheet
  refused (`sheet-too-large`) rather than read around: the reader allocates a sheet densely,
  and reading only the template's range would need a second, streaming parser. The message
  tells the officer to delete what is typed far away.
- **Merged input cells** are reported (`merged-cells`) but not unmerged: only the first cell
  of a merge holds a value, and which column the officer meant cannot be known.
- **Wrong `<dimension>`** is ignored rather than reported: the reader does not trust it, so
  rows it would hide are read; nothing is lost, so nothing is said.
- **Old .xls, .ods, .xlsm and password-protected files** are refused with instructions to
  save as .xlsx, not converted: converting needs LibreOffice or a password, and a macro
  workbook is never opened.
- **The Excel lock file** (`~$…`) is skipped with a note: it holds only the name of whoever had
  the return open.
- **The workspace itself is trusted.** Returns come from outside and get every defence above;
  the office's own files do not: config.toml, the templates (Jinja in Word) and the plan cache
  (`.packbuilder-cache/`, a pickle of the loaded register that packbuilder writes and reads back
  so an unchanged plan is not parsed by every command) are as trusted as the folder they are
  in. Whoever can write to the workspace could already change the templates; keep it where
  only the programme office can write. Returned content never reaches the cache.
- **Hostile content that is valid data** (a rude comment, a plausible but false rating) is
  checked like any other return; packbuilder proves where each value came from
  (the tracker's source file and cell), not that it is true.
"""


def render() -> str:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from hostile_corpus import corpus_cases

    from packbuilder.config import Limits
    from packbuilder.findings import REGISTRY

    lines = [
        "# Hardening: hostile and broken returns",
        "",
        "Generated by `tools/gen_hardening_doc.py` from the hostile corpus "
        "(`tests/hostile_corpus.py`) and the finding registry (do not edit by hand). "
        "`tests/test_hostile_corpus.py` proves that each case gets exactly these findings, "
        "that the clean returns beside the corpus still count, and that `packbuilder check` "
        "prints no traceback for any of them; `tests/corpus_check.py` checks the example's "
        "July returns with the whole corpus beside them and prints time and memory.",
        "",
        "## Bad files and what the officer or office sees",
        "",
        "A file refused before parsing is listed as *Rejected* (a return that cannot be used, "
        "counted as a return with errors) or *Not a return* (counted once as such, never as an "
        "error), as [findings.md](findings.md) says for each code; one read with errors has what "
        "each error rejects (the cell, keeping its last value; the row; or the whole file) kept "
        "out of the tracker. Words in braces are filled in from the file. Cases marked *counts* "
        "are read as returns, with any tidy-up noted.",
        "",
        "| file in the corpus | what it is | finding | severity | message |",
        "| --- | --- | --- | --- | --- |",
    ]
    for case in corpus_cases():
        what = case.what.replace("|", "\\|")
        if case.clean_rows:
            what += " (*counts*)"
        if not case.codes:
            lines.append(f"| `{case.name}` | {what} | none | | read as a return, as typed |")
            continue
        codes = "<br>".join(f"`{c}`" for c in case.codes)
        severities = "<br>".join(REGISTRY[c].severity.value for c in case.codes)
        messages = "<br>".join(REGISTRY[c].template.replace("|", "\\|") for c in case.codes)
        lines.append(f"| `{case.name}` | {what} | {codes} | {severities} | {messages} |")
    lines += [
        "",
        "## Limits",
        "",
        "In `config.toml`'s `[limits]`; over a limit, the file gets one finding and is not "
        "parsed further (except `max_chars_per_cell`, which cuts the text with a warning).",
        "",
        "| setting | default | what it bounds |",
        "| --- | --- | --- |",
    ]
    for limit in dataclasses.fields(Limits):
        default = limit.default
        shown = f"{default:,}" if isinstance(default, int) else f"{default:g}"
        lines.append(f"| `{limit.name}` | {shown} | {LIMIT_NOTES[limit.name]} |")
    lines += ["", ISOLATION, ENVIRONMENT, NOT_DEFENDED]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    PAGE.write_text(render(), "utf-8")
    print(f"Wrote {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
