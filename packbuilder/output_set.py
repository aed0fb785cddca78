"""A set of outputs written whole or not at all: staging, journal, manifest and recovery.

Foundation for the commands that write outputs/PERIOD/ (``build``, ``publish``) and the review
pack: everything is written first into a staging folder beside the target, on the same disk,
and only then moved into place, in this order, with a journal so that a command stopped at any
moment is undone or completed by the next one:

1. a journal (outputs/PERIOD/.build-journal.json) names the set and the files it will move;
2. the ledger (history, for a build) records the set inside one open transaction;
3. each output already in place is moved aside, and its new version moved in;
4. manifest.json is written last, then the ledger is committed, then the journal removed.

A failure in steps 2 to 4 rolls everything back (the transaction and the moves). After a
crash, the next command reads the journal: if the ledger holds the set, it was complete and
only the leftovers are cleared; if not, the moved files are put back. This module knows files
and folders only: what a set means, and where it is recorded, is the caller's, handed in as a
``Ledger`` and an ``is_recorded`` function, so it imports no stage and no history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from packbuilder import __version__
from packbuilder.config import Config
from packbuilder.errors import EnvironmentProblem
from packbuilder.model import Period
from packbuilder.replace import replace_file

MANIFEST = "manifest.json"
JOURNAL = ".build-journal.json"
# Files that ``check`` rewrites on every run: they are outputs of the build too, but never the
# office's own edits, so a changed hash there is not protected.
CHECK_OUTPUTS = ("validation.xlsx", "feedback/")


def checkpoint(step: str) -> None:
    """A named step of writing a set. Does nothing; tests stop a build here to prove atomicity."""


@dataclass(frozen=True)
class SetEntry:
    """What the ledger records of a set, as its manifest says it."""

    build_id: str
    built_at: str
    config_sha256: str
    inputs: dict[str, str]  # workspace-relative path -> sha256


class Ledger(Protocol):
    """Where a set is recorded as it is committed (history, for a build): one transaction."""

    def begin(self) -> None: ...
    def record(self, entry: SetEntry) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


@dataclass(frozen=True)
class CommittedSet:
    """A set now in place: its id, its files, its manifest and the hand-edited copies kept."""

    build_id: str
    outputs: list[Path]
    manifest: Path
    kept_edits: list[Path]


# --------------------------------------------------------------------------- staging


def staging_dir(config: Config, period: Period) -> Path:
    """outputs/.staging-PERIOD/PERIOD/: beside the target, on the same disk, emptied first."""
    outputs_root = config.path(config.settings.paths.outputs)
    root = outputs_root / f".staging-{period}"
    shutil.rmtree(root, ignore_errors=True)
    folder = root / str(period)
    folder.mkdir(parents=True)
    return folder


def staged_config(config: Config, staging: Path) -> Config:
    """The same workspace with its outputs folder pointed at the staging folder's parent."""
    paths = dataclasses.replace(
        config.settings.paths, outputs=staging.parent.relative_to(config.root).as_posix()
    )
    return dataclasses.replace(config, settings=dataclasses.replace(config.settings, paths=paths))


def clear_staging(config: Config, period: Period, staging: Path) -> None:
    """The staging folder removed, unless a journal remains: the files moved aside are in it."""
    if not (config.outputs_dir(period) / JOURNAL).exists():
        shutil.rmtree(staging.parent, ignore_errors=True)


# --------------------------------------------------------------------------- files and manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_files(config: Config, period: Period) -> list[Path]:
    """Every input a build of PERIOD reads, in a fixed order."""
    candidates = [
        config.root / "config.toml",
        config.plan_path,
        config.kpis_path(period),
        config.overrides_path(period),
        config.narrative_path(period),
    ]
    returns = config.returns_dir(period)
    if returns.is_dir():
        candidates += sorted(p for p in returns.rglob("*") if p.is_file())
    if config.templates_dir.is_dir():
        candidates += sorted(p for p in config.templates_dir.iterdir() if p.is_file())
    return [p for p in candidates if p.is_file()]


def read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _protected(relative: str) -> bool:
    return not any(relative == c or relative.startswith(c) for c in CHECK_OUTPUTS)


def _manifest_outputs(manifest: dict[str, Any]) -> dict[str, str]:
    """The outputs a manifest vouches for (path -> sha256); entries of the wrong shape skipped."""
    outputs = manifest.get("outputs")
    if not isinstance(outputs, list):
        return {}
    return {
        o["path"]: o["sha256"]
        for o in outputs
        if isinstance(o, dict) and all(isinstance(o.get(k), str) for k in ("path", "sha256"))
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """PATH written whole or not at all, and on the disk (file and folder) before it returns,
    so a power cut never leaves a half-written journal or manifest."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as stream:
            stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        replace_file(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """The rename itself on the disk. Windows cannot open a folder to flush it (NTFS journals
    renames itself), so there it is skipped."""
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _rel(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- the set


@dataclass(frozen=True)
class _InTheWay:
    """What is at the target before the set moves in."""

    edited: list[str]  # changed by hand since the last set: kept beside with --force
    unvouched: list[str]  # no manifest vouches for it and it differs: kept beside
    stale: list[str]  # outputs of the last set that this one does not write


def commit_set(
    config: Config,
    period: Period,
    staging: Path,
    ledger: Ledger,
    *,
    force: bool,
    built_before: bool,
    plan_sha256: str,
    counts: dict[str, int],
) -> CommittedSet:
    """Move the files in STAGING into outputs/PERIOD/ as one set, recorded in LEDGER.

    BUILT_BEFORE says whether the period already has a set: then a file at an output's path
    that no readable manifest vouches for is kept beside, never replaced unseen.
    """
    target = config.outputs_dir(period)
    target.mkdir(parents=True, exist_ok=True)
    new = {p.relative_to(staging).as_posix(): p for p in sorted(staging.rglob("*")) if p.is_file()}
    new_hashes = {rel: sha256_of(p) for rel, p in new.items()}
    in_the_way = _what_is_in_the_way(config, target, new_hashes, force, built_before)
    input_entries: list[dict[str, Any]] = [
        {"path": _rel(config, p), "sha256": sha256_of(p), "size": p.stat().st_size}
        for p in input_files(config, period)
    ]
    entry = _entry(config, input_entries)
    manifest = _manifest(period, entry, plan_sha256, input_entries, new, new_hashes, counts)
    kept, moves = _moves(config, target, staging.parent / "previous", new, in_the_way)
    manifest["kept_edits"] = [
        {"path": aside.relative_to(target).as_posix(), "sha256": sha256_of(aside_source)}
        for aside, aside_source in ((k, target / _original(k)) for k in kept)
    ]
    journal = {
        "build_id": entry.build_id,
        "new": {rel: new_hashes[rel] for rel in sorted(new)},
        "target": _rel(config, target),
        "aside": moves,
    }
    _move_in(config, target, journal, new, manifest, ledger, entry)
    return CommittedSet(
        build_id=entry.build_id,
        outputs=[target / rel for rel in sorted(new)],
        manifest=target / MANIFEST,
        kept_edits=kept,
    )


def _what_is_in_the_way(
    config: Config, target: Path, new_hashes: dict[str, str], force: bool, built_before: bool
) -> _InTheWay:
    """Edited, unvouched and stale files at TARGET; refused early when one is not ours, is
    edited without --force, or is open in another program."""
    old_outputs = _manifest_outputs(read_manifest(target) or {})
    for rel in [*new_hashes, MANIFEST]:
        _refuse_what_is_not_ours(config, target, rel)

    # What is in the way: edited by hand since the last build, or open in another program.
    edited = [
        rel
        for rel in sorted(set(new_hashes) | set(old_outputs))
        if rel in old_outputs
        and (target / rel).is_file()
        and _protected(rel)
        and sha256_of(target / rel) != old_outputs[rel]
    ]
    # Once the period has a build, a file at an output's path that no readable manifest
    # vouches for may be a hand edit (the manifest lost or damaged): it is kept beside, never
    # replaced unseen. One identical to the new version is not an edit.
    unvouched = (
        [
            rel
            for rel in sorted(new_hashes)
            if rel not in old_outputs
            and _protected(rel)
            and (target / rel).is_file()
            and sha256_of(target / rel) != new_hashes[rel]
        ]
        if built_before
        else []
    )
    if edited and not force:
        raise EnvironmentProblem(
            f"{', '.join(edited)} in {_rel(config, target)} changed since the last build "
            "(edited by hand?), so nothing was replaced",
            hint="Move your edited copy elsewhere, or run again with --force: the edited copy "
            f"is then kept beside the new one as {_kept_names(edited)}.",
        )
    stale = sorted(rel for rel in old_outputs if rel not in new_hashes and (target / rel).is_file())
    for rel in [*new_hashes, *stale, MANIFEST]:
        _check_replaceable(target / rel, config)
    return _InTheWay(edited=edited, unvouched=unvouched, stale=stale)


def _kept_names(edited: list[str]) -> str:
    """Where --force would keep each edited output: tracker-2023-08.edited-1.xlsx."""
    return ", ".join(f"{Path(rel).stem}.edited-1{Path(rel).suffix}" for rel in edited)


def _entry(config: Config, input_entries: list[dict[str, Any]]) -> SetEntry:
    """A new set's id and time, and the inputs and configuration it was made from."""
    return SetEntry(
        build_id=uuid.uuid4().hex,
        built_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        config_sha256=hashlib.sha256(config.text.encode("utf-8")).hexdigest(),
        inputs={str(e["path"]): str(e["sha256"]) for e in input_entries},
    )


def _manifest(
    period: Period,
    entry: SetEntry,
    plan_sha256: str,
    input_entries: list[dict[str, Any]],
    new: dict[str, Path],
    new_hashes: dict[str, str],
    counts: dict[str, int],
) -> dict[str, Any]:
    """manifest.json's content, in its fixed order of keys (kept_edits is added last)."""
    return {
        "packbuilder": __version__,
        "period": str(period),
        "build_id": entry.build_id,
        "built_at": entry.built_at,
        "config_sha256": entry.config_sha256,
        "plan_sha256": plan_sha256,
        "inputs": input_entries,
        "outputs": [
            {"path": rel, "sha256": new_hashes[rel], "size": new[rel].stat().st_size}
            for rel in sorted(new)
        ],
        "counts": counts,
    }


def _moves(
    config: Config,
    target: Path,
    aside_root: Path,
    new: dict[str, Path],
    in_the_way: _InTheWay,
) -> tuple[list[Path], list[dict[str, str]]]:
    """The hand-edited copies to keep beside, and every move aside: {"from": target rel, "to":
    path aside}, both relative to the workspace."""
    kept: list[Path] = []
    moves: list[dict[str, str]] = []
    for rel in [MANIFEST, *in_the_way.stale, *new]:
        existing = target / rel
        if not existing.exists():
            continue
        if rel in in_the_way.edited or rel in in_the_way.unvouched:
            aside = _edited_name(existing)
            kept.append(aside)
            moves.append({"from": _rel(config, existing), "to": _rel(config, aside)})
        else:
            moves.append({"from": _rel(config, existing), "to": _rel(config, aside_root / rel)})
    return kept, moves


def _move_in(
    config: Config,
    target: Path,
    journal: dict[str, Any],
    new: dict[str, Path],
    manifest: dict[str, Any],
    ledger: Ledger,
    entry: SetEntry,
) -> None:
    """The journal, the ledger's transaction, the moves and the manifest, in that order; all
    undone if any step fails."""
    try:
        write_json(target / JOURNAL, journal)
        checkpoint("journal written")
        ledger.begin()
        ledger.record(entry)
        checkpoint("history recorded")
        for move in journal["aside"]:
            source, destination = config.root / move["from"], config.root / move["to"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            _replace(source, destination, config)
            checkpoint(f"moved aside {move['from']}")
        for rel, staged in new.items():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            _replace(staged, target / rel, config)
            checkpoint(f"moved in {rel}")
        write_json(target / MANIFEST, manifest)
        checkpoint("manifest written")
        ledger.commit()
    except BaseException:
        ledger.rollback()
        _abandon(config, journal)
        raise
    checkpoint("history committed")
    (target / JOURNAL).unlink(missing_ok=True)


def _refuse_what_is_not_ours(config: Config, target: Path, rel: str) -> None:
    """Refuse, before anything moves, a folder, a link or another non-file at an output's path
    or a file where one of its folders goes: moving it aside would lose what is in it."""
    path = target / rel
    for folder in reversed(path.relative_to(target).parents[:-1]):
        if (target / folder).is_symlink() or (
            (target / folder).exists() and not (target / folder).is_dir()
        ):
            path = target / folder
            break
    else:
        if not path.is_symlink() and (not path.exists() or path.is_file()):
            return
    raise EnvironmentProblem(
        f"{_rel(config, path)} is not a file packbuilder wrote (a folder, a link or a file where "
        "a folder goes), so nothing was replaced",
        hint=f"Move {path.name} out of {_rel(config, target)} (it may hold your own files) and "
        "run the build again.",
    )


def _check_replaceable(path: Path, config: Config) -> None:
    """Refuse early, before anything moves, when an output is open in another program."""
    if not path.is_file():
        return
    try:
        with path.open("r+b"):
            pass
    except PermissionError:
        raise _locked(path, config) from None


def _replace(source: Path, destination: Path, config: Config) -> None:
    try:
        replace_file(source, destination)
    except PermissionError:
        raise _locked(destination if destination.exists() else source, config) from None


def _locked(path: Path, config: Config) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"{_rel(config, path)} is open in another program, so it could not be replaced; "
        "the previous outputs were kept",
        hint=f"Close {path.name} (in Excel or Word, say) and run the build again.",
    )


def _edited_name(path: Path) -> Path:
    """Where a hand-edited output is kept: NAME.edited-N.EXT beside it, N the first free."""
    number = 1
    while path.with_name(f"{path.stem}.edited-{number}{path.suffix}").exists():
        number += 1
    return path.with_name(f"{path.stem}.edited-{number}{path.suffix}")


def _original(kept: Path) -> str:
    """tracker.edited-2.xlsx -> tracker.xlsx: the output a kept copy was edited from."""
    stem, _, _ = kept.stem.rpartition(".edited-")
    return f"{stem}{kept.suffix}"


# --------------------------------------------------------------------------- recovery


def _undo(config: Config, journal: dict[str, Any]) -> None:
    """Put the previous set back, from whatever point the build reached.

    Works from the disk alone: a file moved aside is moved back over whatever is in its
    place; a new file with no earlier version is removed if it is the one this build wrote.
    """
    root = config.root
    target = root / journal["target"]
    manifest = read_manifest(target)
    if manifest is not None and manifest.get("build_id") == journal["build_id"]:
        (target / MANIFEST).unlink()
    replaced = set()
    for move in reversed(journal["aside"]):
        aside, original = root / move["to"], root / move["from"]
        replaced.add(original)
        if aside.exists():
            try:
                replace_file(aside, original)
            except PermissionError:
                raise _locked(original, config) from None
    for rel, digest in journal["new"].items():
        placed = target / rel
        if placed not in replaced and placed.is_file() and sha256_of(placed) == digest:
            placed.unlink()


def _abandon(config: Config, journal: dict[str, Any]) -> None:
    """A build that failed in this process: undo its moves and drop its journal."""
    _undo(config, journal)
    (config.root / journal["target"] / JOURNAL).unlink(missing_ok=True)


def remove_partial_files(folder: Path) -> list[Path]:
    """Remove what a stopped command left half-written under FOLDER: every output is written
    under a partial name (``.NAME.partial``, ``.NAME.partial.xlsx``, ``.NAME.PID.tmp``) and
    moved into place whole, so a file still so named was never finished."""
    if not folder.is_dir():
        return []
    removed = []
    for path in folder.rglob(".*"):
        name = path.name
        if path.is_file() and (".partial" in name or _TEMPORARY.match(name)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


_TEMPORARY = re.compile(r"^\..+\.\d+\.tmp$")


def recover_interrupted_build(
    config: Config, period: Period, is_recorded: Callable[[str], bool]
) -> str:
    """Finish or undo a build of PERIOD that was stopped while moving its outputs.

    A journal that cannot be read is moved aside (``.build-journal.unreadable-N.json``) with a
    warning: written durably before anything moves, it can only be damaged if nothing moved,
    so the outputs on disk are the previous set. The partial files a stopped build leaves are
    removed. IS_RECORDED says whether the ledger holds a set, by its id.
    """
    target = config.outputs_dir(period)
    path = target / JOURNAL
    leftovers = remove_partial_files(target)
    if not path.is_file():
        return "Files left half-written by a stopped build were removed." if leftovers else ""
    journal = _read_journal(path)
    if journal is None:
        aside = _unreadable_name(path)
        os.replace(path, aside)
        shutil.rmtree(config.path(config.settings.paths.outputs) / f".staging-{period}", True)
        return (
            f"Warning: {_rel(config, path)} could not be read, so it was moved aside to "
            f"{aside.name}; the outputs on disk were kept as they were."
        )
    if is_recorded(journal["build_id"]):
        message = "An earlier build of this period was stopped after it finished; tidied up."
    else:
        _undo(config, journal)
        message = "An earlier build of this period was stopped part way; its changes were undone."
    path.unlink()
    shutil.rmtree(config.path(config.settings.paths.outputs) / f".staging-{period}", True)
    return message


def recover_interrupted_builds(config: Config, is_recorded: Callable[[str], bool]) -> list[str]:
    """Finish or undo every stopped build in the workspace: what each recovery did, in words."""
    outputs = config.path(config.settings.paths.outputs)
    messages = []
    for journal in sorted(outputs.glob(f"*/{JOURNAL}")):
        try:
            period = Period.parse(journal.parent.name)
        except ValueError:
            continue
        message = recover_interrupted_build(config, period, is_recorded)
        if message:
            messages.append(f"{period}: {message}")
    return messages


def _read_journal(path: Path) -> dict[str, Any] | None:
    """The journal, or None when it is not one this build wrote (garbage, empty, cut short)."""
    try:
        journal = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(journal, dict):
        return None
    shape = {"build_id": str, "new": dict, "target": str, "aside": list}
    if any(not isinstance(journal.get(key), kind) for key, kind in shape.items()):
        return None
    if any(
        not isinstance(move, dict) or not {"from", "to"} <= set(move) for move in journal["aside"]
    ):
        return None
    return journal


def _unreadable_name(path: Path) -> Path:
    number = 1
    while path.with_name(f".build-journal.unreadable-{number}.json").exists():
        number += 1
    return path.with_name(f".build-journal.unreadable-{number}.json")
