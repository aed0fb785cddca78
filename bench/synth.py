"""Synthetic programmes for the benchmark: a real workspace with filled returns, cached.

A synthetic programme has A actions over O reporting officers (1 to 8 actions each) in nine
areas of weakness, with lettered sub-themes, KPI codes, risks and officers from several partner
organisations. The workspace is made the way an office would make it: config.toml from
packbuilder's default text, inputs/plan.xlsx following packbuilder/plan/schema.py, returns made
by packbuilder's own ``returns make``, then filled in with openpyxl the way officers fill them
(dropdown ratings, long commentary, evidence, revised dates with reasons, confidence,
escalation) and copied to inputs/returns/PERIOD/ with the example's mix of problems: a few
rating typos and Reds without commentary (so feedback workbooks are written), ratings typed in
the wrong case (normalised), late returns (received.csv), missing returns and one superseded
duplicate.

Workspaces are cached under bench/work/ keyed by size, seed and this module's version, so the
slow part (filling thousands of workbooks) is paid once. Filling runs on every core.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from packbuilder.config import default_config_text
from packbuilder.plan import schema
from packbuilder.plan.writer import write_plan_workbook
from packbuilder.returns import layout

SYNTH_VERSION = "2"
BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / "work"
PERIOD = "2023-08"  # the month timed; 2023-07 is recorded first, with no returns
PREVIOUS = "2023-07"
READY = ".ready"

# One in so many reporting officers' returns carries each kind of problem.
TYPO_SHARE = 0.03  # a rating that is not one of the allowed values: an error
RED_SILENT_SHARE = 0.02  # Red with no commentary: an error
CASE_SHARE = 0.05  # "amber " for Amber: normalised, an info finding
LATE_SHARE = 0.06  # received after the deadline: a warning
MISSING_SHARE = 0.02  # never sent: a warning


@dataclass(frozen=True)
class Size:
    """One benchmark size: a synthetic programme, or None officers for the bundled example."""

    name: str
    officers: int | None  # reporting officers; None: the bundled example
    actions: int | None = None  # total actions; None: 1 to 8 per officer at random
    seed: int = 1
    # Record the month before the timed one (a build with no returns) so the timed month
    # compares with history. Off where only check is timed: check compares with the plan's
    # baseline then, which costs it the same.
    previous: bool = True

    @property
    def key(self) -> str:
        actions = "r" if self.actions is None else str(self.actions)
        return f"{self.name}-o{self.officers}-a{actions}-s{self.seed}-v{SYNTH_VERSION}"


SIZES: dict[str, Size] = {
    "smoke": Size("smoke", 20),
    "example": Size("example", None),
    "600": Size("600", 600),
    "6000": Size("6000", 6000, previous=False),
    "council": Size("council", 600, 2000),
}


@dataclass(frozen=True)
class Workspace:
    """A benchmark workspace and its twin with an empty returns folder (start-up cost)."""

    root: Path
    empty: Path
    period: str
    returns: int  # files that are returns, in inputs/returns/PERIOD/
    actions: int
    officers: int

    @property
    def returns_dir(self) -> Path:
        return self.root / "inputs" / "returns" / self.period


# --------------------------------------------------------------------------- words

_AREA_TITLES = (
    "Parents' confidence that the local area meets their children's needs",
    "Timeliness and quality of education, health and care plans",
    "Joint commissioning and the local offer",
    "Preparation for adulthood",
    "Inclusion in mainstream schools and exclusions",
    "Health services: waiting times for assessment and therapy",
    "Identification of needs in the early years",
    "Use of data and quality assurance across the partnership",
    "Leadership, governance and co-production",
)
_ORGANISATIONS = ("Council", "NHS Kent and Medway", "Parent Carer Forum", "Schools", "Health Trust")
_ROLES = (
    "Head of Service",
    "Assistant Director",
    "Programme Manager",
    "Service Manager",
    "Clinical Lead",
    "Head Teacher Representative",
    "Commissioning Manager",
    "Quality Assurance Lead",
    "Participation Officer",
    "Designated Clinical Officer",
)
_VERBS = (
    "Publish",
    "Review",
    "Implement",
    "Co-produce",
    "Develop",
    "Embed",
    "Recruit to",
    "Audit",
    "Commission",
    "Evaluate",
)
_OBJECTS = (
    "a communications and engagement strategy with parents and carers",
    "the EHCP quality assurance framework across all teams",
    "a graduated approach toolkit for mainstream schools",
    "a preparation for adulthood pathway for young people aged 14 to 25",
    "the neurodevelopmental assessment pathway and its waiting list",
    "a joint commissioning plan for speech and language therapy",
    "the local offer website with families' feedback",
    "an inclusion charter signed by every school in the area",
    "a data dashboard shared by education, health and care",
    "training for SENCOs on outcomes-focused annual reviews",
)
_SENTENCES = (
    "The working group met twice this month and agreed the revised terms of reference.",
    "Recruitment to two of the three vacant posts has completed and induction is under way.",
    "Feedback from the parent carer forum has been incorporated into the second draft.",
    "A pilot with twelve schools began on the first of the month and early returns are positive.",
    "The backlog of annual reviews has fallen from 410 to 285 since the last report.",
    "Capacity in the team remains stretched because of long-term sickness absence.",
    "The audit of forty plans found that most outcomes were specific, but few were measurable.",
    "Health partners have agreed to share waiting list data monthly from next quarter.",
    "A co-production workshop with young people shaped the wording of the new leaflet.",
    "The decision on funding was deferred by the commissioning board to next month.",
    "Training sessions were delivered to 86 SENCOs, with good evaluations from attendees.",
    "Data quality issues in the case management system are delaying the dashboard.",
    "The consultation closed with 312 responses, which are being analysed now.",
    "Schools report that the toolkit is useful but ask for more examples for secondary phase.",
    "We have agreed a new escalation route with the designated clinical officer.",
    "Timeliness of new plans within 20 weeks improved to 48% this month from 41%.",
    "The contract variation has been signed and mobilisation starts in the autumn term.",
    "Families told us the letters are hard to read, so the templates are being rewritten.",
)
_EVIDENCE = (
    "Parent survey: 58% satisfied, up from 44% in the spring.",
    "Audit scores for new plans improved from 2.1 to 2.8 out of 4.",
    "Fewer complaints about communication: 14 this quarter against 31 last quarter.",
    "Attendance of children with EHCPs in pilot schools rose by 3 percentage points.",
    "Waiting times for first appointment fell from 38 to 29 weeks.",
)
_REASONS = (
    "Delayed by the change of provider; new date agreed with the board.",
    "Consultation extended at the request of the parent carer forum.",
    "Recruitment took longer than planned.",
    "Dependent on the new case management system going live.",
)
_RISKS = (
    "Staff capacity over the summer holidays.",
    "Funding for year two not yet confirmed.",
    "Dependency on health partners' data sharing agreement.",
    "",
    "",
)


def _paragraph(rng: random.Random, low: int, high: int) -> str:
    """Commentary of LOW to HIGH characters, in whole sentences."""
    target = rng.randint(low, high)
    words: list[str] = []
    length = 0
    while length < target:
        sentence = rng.choice(_SENTENCES)
        words.append(sentence)
        length += len(sentence) + 1
    return " ".join(words)


# --------------------------------------------------------------------------- the plan


def _action_counts(rng: random.Random, officers: int, actions: int | None) -> list[int]:
    """Actions per reporting officer: 1 to 8 each, summing to ACTIONS when it is given."""
    if actions is None:
        return [rng.randint(1, 8) for _ in range(officers)]
    if not officers <= actions <= 8 * officers:
        raise ValueError(f"{actions} actions cannot be spread 1 to 8 over {officers} officers")
    counts = [1] * officers
    open_officers = list(range(officers))
    for _ in range(actions - officers):
        index = rng.randrange(len(open_officers))
        officer = open_officers[index]
        counts[officer] += 1
        if counts[officer] == 8:
            open_officers[index] = open_officers[-1]
            open_officers.pop()
    return counts


def plan_rows(size: Size) -> dict[str, list[tuple[object, ...]]]:
    """The plan register's rows for SIZE, sheet by sheet, under the schema's headers."""
    assert size.officers is not None
    rng = random.Random(size.seed)
    counts = _action_counts(rng, size.officers, size.actions)
    total = sum(counts)
    officer_ids = [f"officer-{n:05d}" for n in range(1, size.officers + 1)]
    officers: list[tuple[object, ...]] = []
    for n, officer_id in enumerate(officer_ids, start=1):
        role = _ROLES[n % len(_ROLES)]
        organisation = _ORGANISATIONS[n % len(_ORGANISATIONS)]
        officers.append(
            (officer_id, f"{role} {n:05d}", organisation, f"{officer_id}@example.org", "")
        )
    for area in range(1, 10):
        officers.append((f"area-{area}-lead", f"Area {area} lead", "Council", "", ""))

    # Each officer's actions sit together in one area, as owners' actions do in a real plan.
    owners = [officer_ids[i] for i, count in enumerate(counts) for _ in range(count)]
    per_area = [total // 9 + (1 if a < total % 9 else 0) for a in range(9)]
    areas: list[tuple[object, ...]] = []
    sub_themes: list[tuple[object, ...]] = []
    actions: list[tuple[object, ...]] = []
    kpi_codes = [f"APP{n:02d}" for n in range(1, 65)]
    position = 0
    for area in range(1, 10):
        areas.append((area, _AREA_TITLES[area - 1], f"area-{area}-lead"))
        in_area = per_area[area - 1]
        n_subs = max(1, min(26, round(in_area / 12)))
        for sub in range(n_subs):
            letter = chr(ord("a") + sub)
            code = f"{area}{letter}"
            sub_themes.append((code, area, f"Sub-theme {code}: {rng.choice(_OBJECTS)}"))
            in_sub = in_area // n_subs + (1 if sub < in_area % n_subs else 0)
            for number in range(1, in_sub + 1):
                owner = owners[position]
                position += 1
                others = ""
                if rng.random() < 0.2:
                    others = ";".join(rng.sample(officer_ids, k=rng.randint(1, 2)))
                end = dt.date(2023, 9, 30) + dt.timedelta(days=rng.randrange(0, 540))
                form = rng.random()
                if form < 0.6:
                    written, end_date = f"{end.day} {end:%B %Y}", end
                elif form < 0.85:
                    written, end_date = f"{end:%B %Y}", None
                else:
                    written, end_date = rng.choice(("Ongoing", "To be confirmed")), None
                codes = ";".join(rng.sample(kpi_codes, k=rng.randint(0, 3)))
                actions.append(
                    (
                        f"{area}{letter.upper()}{number}",
                        code,
                        f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} ({area}{letter}{number})",
                        written,
                        end_date,
                        owner,
                        others,
                        "",
                        codes,
                        "",
                        rng.choice(_EVIDENCE),
                        rng.choice(("Amber", "Amber", "Red", "Green")),
                        rng.choice(("Not yet rated", "Amber", "Red")),
                    )
                )
    kpis: list[tuple[object, ...]] = []
    targets: list[tuple[object, ...]] = []
    for n, code in enumerate(kpi_codes, start=1):
        baseline = rng.randint(20, 70)
        kpis.append(
            (
                code,
                f"Percentage of measure {n} achieved within timescale",
                str(n % 9 + 1),
                "%",
                "higher",
                "monthly",
                baseline,
                str(baseline),
                dt.date(2023, 3, 31),
                baseline + 5,
                "yes" if n % 4 == 0 else "no",
            )
        )
        targets.append((code, dt.date(2024, 3, 31), str(baseline + 15)))
    risks: list[tuple[object, ...]] = []
    for n in range(1, 26):
        risks.append(
            (
                f"R{n:02d}",
                "01/06/2023",
                rng.choice(_RISKS[:3]),
                rng.choice(_ROLES),
                rng.choice(schema.SEVERITIES),
                "Prioritise actions; recruit; agree data sharing.",
                rng.choice(schema.SEVERITIES),
                "Mitigations in progress.",
                "Open",
                None,
                None,
            )
        )
    return {
        schema.AREAS: areas,
        schema.SUB_THEMES: sub_themes,
        schema.ACTIONS: actions,
        schema.OFFICERS: officers,
        schema.KPIS: kpis,
        schema.KPI_TARGETS: targets,
        schema.RISKS: risks,
    }


def write_config(root: Path, name: str) -> None:
    """config.toml from packbuilder's default text with the programme's name changed."""
    text = default_config_text()
    old = 'name = "Improvement Plan"'
    if old not in text:
        raise RuntimeError("the default config.toml no longer names the programme as expected")
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(text.replace(old, f'name = "{name}"', 1), "utf-8")


def _copy_templates(root: Path) -> None:
    templates = resources.files("packbuilder").joinpath("data/templates")
    target = root / "templates"
    target.mkdir(parents=True, exist_ok=True)
    for entry in templates.iterdir():
        if entry.is_file() and not entry.name.startswith((".", "__")):
            (target / entry.name).write_bytes(entry.read_bytes())


def packbuilder_command(root: Path, *args: str) -> list[str]:
    """The command line that runs packbuilder on workspace ROOT with this interpreter."""
    return [sys.executable, "-m", "packbuilder", "-C", str(root), *args]


def _run(command: list[str], allowed: Iterable[int] = (0,)) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in allowed:
        raise RuntimeError(
            f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}"
            f"\n{done.stderr[-2000:]}"
        )


# --------------------------------------------------------------------------- filling


@dataclass(frozen=True)
class FillJob:
    source: Path  # the return as made
    target: Path  # where the officer's filled copy goes
    seed: int
    problems: tuple[str, ...]  # "typo", "red-silent", "case"


def _meta(workbook: object) -> tuple[str, list[tuple[str, str, str]]]:
    """The return's kind and its row table: (action or field, row or cell, role)."""
    sheet = workbook[layout.META_SHEET]  # type: ignore[index]
    kind = ""
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(layout.META_KEYS), values_only=True):
        if row[0] == "kind":
            kind = str(row[1])
    table = []
    for row in sheet.iter_rows(min_row=layout.META_ROWS_HEADER + 1, values_only=True):
        if row[0] is None:
            break
        table.append((str(row[0]), str(row[1]), str(row[3])))
    return kind, table


def fill_return(job: FillJob) -> Path:
    """Fill one made return as its officer would and save it to the job's target."""
    from openpyxl import load_workbook

    rng = random.Random(job.seed)
    workbook = load_workbook(job.source)
    kind, table = _meta(workbook)
    if kind == "area-lead":
        sheet = workbook[layout.AREA_SHEET]
        for _field, cell, _role in table:
            sheet[cell] = _paragraph(rng, 300, 1200)
    else:
        sheet = workbook[layout.RETURN_SHEET]
        reporting = [int(row) for _id, row, role in table if role == layout.ROLE_REPORTING]
        problem_rows = {p: rng.choice(reporting) for p in job.problems} if reporting else {}
        for row in reporting:
            _fill_row(sheet, row, rng, [p for p, r in problem_rows.items() if r == row])
    job.target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(job.target)
    return job.target


def _fill_row(sheet: object, row: int, rng: random.Random, problems: list[str]) -> None:
    def put(key: str, value: object) -> None:
        sheet[f"{layout.COLUMN_BY_KEY[key].letter}{row}"] = value  # type: ignore[index]

    ratings = ("Red", "Amber", "Green", "Blue")
    progress = rng.choices(ratings, weights=(18, 52, 24, 6))[0]
    # Impact mostly trails progress, as it does in real returns; now and then it is ahead.
    if rng.random() < 0.2:
        impact = "Not yet rated"
    elif rng.random() < 0.9:
        impact = rng.choice(ratings[: ratings.index(progress) + 1])
    else:
        impact = rng.choice(ratings)
    commentary = _paragraph(rng, 300, 1500)
    if "red-silent" in problems:
        progress, commentary = "Red", ""
    if "typo" in problems:
        progress = rng.choice(("Ambre", "Gren", "Amber/Green", "Grene"))
    elif "case" in problems:
        progress = f"{progress.lower()} "
    put("progress", progress)
    put("impact", impact)
    put("progress_commentary", commentary)
    if impact in ("Green", "Blue") or progress in ("Green", "Blue") or rng.random() < 0.5:
        put("evidence", _paragraph(rng, 120, 500) + " " + rng.choice(_EVIDENCE))
    if rng.random() < 0.12:
        put("revised_end_date", dt.datetime(2024, rng.randint(1, 12), 28))
        put("revised_reason", rng.choice(_REASONS))
    put("confidence", rng.choices(("High", "Medium", "Low"), weights=(40, 48, 12))[0])
    put("risks", rng.choice(_RISKS))
    put("escalation", "Yes" if rng.random() < 0.06 else "No")
    put("next_milestone", rng.choice(_SENTENCES))
    put("next_milestone_date", dt.datetime(2023, rng.randint(9, 12), rng.randint(1, 28)))


def _fill_all(jobs: list[FillJob]) -> None:
    workers = max(1, os.cpu_count() or 1)
    if len(jobs) < 8 or workers == 1:
        for job in jobs:
            fill_return(job)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(fill_return, jobs, chunksize=8):
            pass


# --------------------------------------------------------------------------- workspaces


def synthetic_workspace(size: Size, work_dir: Path = WORK_DIR, log: bool = True) -> Workspace:
    """The cached workspace for SIZE, made (and filled) on first use."""
    assert size.officers is not None
    base = work_dir / size.key
    root, empty = base / "ws", base / "ws-empty"
    if (base / READY).is_file():
        # Made before build could record the first month: record it now, returns unchanged
        # (the first month has no returns, so its values are the plan's baseline either way).
        for folder in (root, empty):
            # The default templates change as packbuilder does; a cached copy must not lag.
            _copy_templates(folder)
            if size.previous and not (folder / "history.base.sqlite").is_file():
                _record_previous(folder, lambda _text: None)
        return _describe(base, root, empty)
    if base.exists():
        shutil.rmtree(base)

    def say(text: str) -> None:
        if log:
            print(f"[{size.name}] {text}", file=sys.stderr, flush=True)

    rows = plan_rows(size)
    n_actions = len(rows[schema.ACTIONS])
    say(f"writing the plan: {n_actions} actions over {size.officers} officers")
    for folder in (root, empty):
        write_config(folder, f"Synthetic Programme {size.name}")
        write_plan_workbook(folder / "inputs" / "plan.xlsx", rows)
        _copy_templates(folder)
        for sub in ("inputs/kpis", "inputs/overrides", "inputs/narrative", "outputs"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / "inputs" / "returns" / PREVIOUS).mkdir(parents=True, exist_ok=True)
        (folder / "inputs" / "returns" / PERIOD).mkdir(parents=True, exist_ok=True)
        # The first month is recorded with no returns (the plan's baseline carried forward), so
        # the timed month compares with a previous one as a real second month does.
        if size.previous:
            _record_previous(folder, say)

    say(f"making the returns for {PERIOD} with packbuilder returns make")
    _run(packbuilder_command(root, "returns", "make", PERIOD))
    made = sorted((root / "outputs" / PERIOD / "returns").glob("*.xlsx"))
    say(f"filling {len(made)} returns on {os.cpu_count()} cores")
    jobs = _plan_fills(made, root / "inputs" / "returns" / PERIOD, size.seed)
    _fill_all([job for job, _ in jobs])
    _write_received(root / "inputs" / "returns" / PERIOD, jobs, size.seed)
    shutil.rmtree(root / "outputs" / PERIOD)
    (base / READY).write_text(f"{n_actions}\n", "utf-8")
    say("ready")
    return _describe(base, root, empty)


def _record_previous(root: Path, say: Callable[[str], None]) -> None:
    try:
        _run(packbuilder_command(root, "build", PREVIOUS))
    except RuntimeError as error:
        last = str(error).strip().splitlines()[-1]
        say(f"could not record {PREVIOUS} first, so {PERIOD} is timed as a first month: {last}")
    history = root / "history.sqlite"
    if history.is_file():
        shutil.copy2(history, root / "history.base.sqlite")
    shutil.rmtree(root / "outputs" / PREVIOUS, ignore_errors=True)


def _plan_fills(made: list[Path], folder: Path, seed: int) -> list[tuple[FillJob, str]]:
    """One fill job per return sent back, with its arrival: "on time", "late" or "superseded".

    Each kind of problem goes to its share of officer returns, at least one of each, so even
    the smallest size has a missing return, a typo, a silent Red and a superseded copy.
    """
    rng = random.Random(seed * 7919)
    officer_returns = [p for p in made if " Return - " in p.name]

    def pick(share: float, among: list[Path]) -> set[Path]:
        count = min(len(among), max(1, round(share * len(officer_returns))))
        return set(rng.sample(among, k=count)) if among else set()

    duplicate = officer_returns[len(officer_returns) // 2] if len(officer_returns) > 2 else None
    missing = pick(MISSING_SHARE, [p for p in officer_returns if p != duplicate])
    sent = [p for p in officer_returns if p not in missing]
    problems = {
        "typo": pick(TYPO_SHARE, sent),
        "red-silent": pick(RED_SILENT_SHARE, sent),
        "case": pick(CASE_SHARE, sent),
    }
    late = pick(LATE_SHARE, sent)
    jobs: list[tuple[FillJob, str]] = []
    for number, path in enumerate(made):
        if path in missing:
            continue
        kinds = tuple(kind for kind, paths in problems.items() if path in paths)
        status = "late" if path in late else "on time"
        job_seed = seed * 100003 + number
        jobs.append((FillJob(path, folder / path.name, job_seed, kinds), status))
        if path == duplicate:
            earlier = folder / f"{path.stem} - first version.xlsx"
            jobs.append((FillJob(path, earlier, job_seed + 1, ()), "superseded"))
    return jobs


def _write_received(folder: Path, jobs: list[tuple[FillJob, str]], seed: int) -> None:
    """received.csv: when each file arrived, late ones after the deadline (7 September)."""
    rng = random.Random(seed * 104729)
    with (folder / "received.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("file", "received"))
        for job, status in jobs:
            if status == "late":
                day = dt.datetime(
                    2023, 9, rng.randint(9, 20), rng.randint(8, 17), rng.randint(0, 59)
                )
            elif status == "superseded":
                day = dt.datetime(2023, 9, 1, 9, 0)
            else:
                day = dt.datetime(
                    2023, 9, rng.randint(2, 6), rng.randint(8, 17), rng.randint(0, 59)
                )
            writer.writerow((job.target.name, day.strftime("%Y-%m-%d %H:%M")))


def _describe(base: Path, root: Path, empty: Path) -> Workspace:
    folder = root / "inputs" / "returns" / PERIOD
    returns = sum(1 for p in folder.iterdir() if p.suffix.lower() == ".xlsx")
    actions = int((base / READY).read_text("utf-8").split()[0])
    officers = int(base.name.split("-o")[1].split("-")[0])
    return Workspace(root, empty, PERIOD, returns, actions, officers)


def example_workspace(work_dir: Path = WORK_DIR) -> Workspace | None:
    """A temporary copy of the bundled example (config.toml, inputs/, templates/), or None.

    The repository's own outputs/ and history are never written: every run works in the copy.
    The example's later recorded month is timed, with the earlier one recorded first.
    """
    if not (REPO / "config.toml").is_file() or not (REPO / "inputs" / "plan.xlsx").is_file():
        return None
    months = sorted(p.name for p in (REPO / "inputs" / "returns").iterdir() if p.is_dir())
    if not months:
        return None
    base = work_dir / "example"
    if base.exists():
        shutil.rmtree(base)
    root, empty = base / "ws", base / "ws-empty"
    for folder in (root, empty):
        folder.mkdir(parents=True)
        shutil.copy2(REPO / "config.toml", folder / "config.toml")
        shutil.copytree(REPO / "inputs", folder / "inputs")
        if (REPO / "templates").is_dir():
            shutil.copytree(REPO / "templates", folder / "templates")
        (folder / "outputs").mkdir()
    period = months[-1]
    for folder in (root, empty):
        for month in months[:-1]:
            try:
                _run(packbuilder_command(folder, "build", month))
            except RuntimeError as error:
                print(f"[example] could not record {month} first: {error}", file=sys.stderr)
        history = folder / "history.sqlite"
        if history.is_file():
            shutil.copy2(history, folder / "history.base.sqlite")
        shutil.rmtree(folder / "outputs")
        (folder / "outputs").mkdir()
    empty_returns = empty / "inputs" / "returns" / period
    shutil.rmtree(empty_returns)
    empty_returns.mkdir()
    folder = root / "inputs" / "returns" / period
    returns = sum(1 for p in folder.iterdir() if p.suffix.lower() == ".xlsx")
    return Workspace(root, empty, period, returns, 0, 0)


def reset(root: Path) -> None:
    """Put a workspace back as it was before a timed run: no outputs, the base history."""
    shutil.rmtree(root / "outputs", ignore_errors=True)
    (root / "outputs").mkdir()
    for stale in root.glob("history.sqlite*"):
        stale.unlink()
    base = root / "history.base.sqlite"
    if base.is_file():
        shutil.copy2(base, root / "history.sqlite")
