"""Two versions of packbuilder on the example, output for output: for a change meant to keep
every output the same (a restructure, a speed-up).

    python tools/compare_outputs.py BEFORE_CHECKOUT [--work DIR]

BEFORE_CHECKOUT is another checkout of packbuilder with its own virtual environment in .venv
(``make`` there makes it); this checkout is the "after". Each version gets its own copy of the
example workspace (config.toml, inputs/, templates/) and runs the same commands in it:
``plan check``, ``build`` of both months, ``check``, ``returns make`` (officers', area leads',
a later month), ``kpis make``, ``review``, ``publish`` and ``returns chase``. Then it compares
the console text and exit code of each command, the manifests (apart from ``build_id`` and
``built_at``, which name one build) and every other file under outputs/, byte for byte. The
outputs of a build are deterministic; the returns, KPI return and email drafts are made for
sending and carry the time they were made, so those times (document properties, an email's
Date, Message-ID and MIME boundary) are masked before comparing. Prints "identical" or each
difference, and exits 1 on any.
"""

from __future__ import annotations

import argparse
import email
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COMMANDS = (
    ("plan", "check"),
    ("build", "2023-07"),
    ("build", "2023-08"),
    ("check", "2023-08"),
    ("returns", "make", "2023-08"),
    ("returns", "make", "2023-08", "--area-leads"),
    ("returns", "make", "2023-09", "--future"),
    ("kpis", "make", "2023-09", "--future"),
    ("review", "2023-07", "2023-08"),
    ("publish", "2023-08"),
    ("returns", "chase", "2023-08"),
)
_MADE_AT = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")
_MANIFEST_PER_BUILD = ("build_id", "built_at")


def run_version(python: Path, tree: Path, workspace: Path) -> list[str]:
    """Copy the example from TREE into WORKSPACE and run every command with PYTHON."""
    workspace.mkdir(parents=True)
    shutil.copy2(tree / "config.toml", workspace / "config.toml")
    for folder in ("inputs", "templates"):
        shutil.copytree(tree / folder, workspace / folder)
    env = dict(os.environ, PYTHONHASHSEED="0")
    log = []
    for args in COMMANDS:
        done = subprocess.run(
            [str(python), "-m", "packbuilder", *args],
            cwd=workspace,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        text = f"$ packbuilder {' '.join(args)} -> {done.returncode}\n{done.stdout}{done.stderr}"
        log.append(text.replace(str(workspace), "WORKSPACE"))
    return log


def fingerprint(path: Path) -> str:
    """The file's content, with the times of making masked where a file carries them."""
    data = path.read_bytes()
    if path.name == "manifest.json":
        manifest = json.loads(data)
        for key in _MANIFEST_PER_BUILD:
            manifest.pop(key, None)
        return json.dumps(manifest, sort_keys=True)
    if path.suffix in (".xlsx", ".docx"):
        return _package_digest(data)
    if path.suffix == ".eml":
        return _email_digest(data)
    return hashlib.sha256(data).hexdigest()


def _package_digest(data: bytes) -> str:
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            body = package.read(info)
            if info.filename == "docProps/core.xml":
                body = _MADE_AT.sub(b"", body)
            digest.update(info.filename.encode() + b"\0" + body)
    return digest.hexdigest()


def _email_digest(data: bytes) -> str:
    message = email.message_from_bytes(data)
    digest = hashlib.sha256()
    for key, value in message.items():
        if key not in ("Date", "Message-ID", "Content-Type"):
            digest.update(f"{key}: {value}\n".encode())
    for part in message.walk():
        if part.is_multipart():
            continue
        body = part.get_payload(decode=True) or b""
        name = part.get_filename() or ""
        if name.endswith((".xlsx", ".docx")):
            body = _package_digest(body).encode()
        digest.update(name.encode() + b"\0" + body)
    return digest.hexdigest()


def outputs(workspace: Path) -> dict[str, str]:
    """Every file under outputs/, by its path there, with its fingerprint."""
    root = workspace / "outputs"
    return {
        path.relative_to(root).as_posix(): fingerprint(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the other checkout, with its own .venv")
    parser.add_argument("--work", type=Path, help="where the two workspaces go (default: temp)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="packbuilder-compare-"))
    before, after = args.before.resolve(), HERE
    logs, files = [], []
    for label, tree in (("before", before), ("after", after)):
        python = tree / ".venv" / "bin" / "python"
        if not python.exists():
            python = tree / ".venv" / "Scripts" / "python.exe"
        logs.append(run_version(python, tree, work / label))
        files.append(outputs(work / label))
    differences = [
        f"console differs:\n--- before\n{a}--- after\n{b}"
        for a, b in zip(*logs, strict=True)
        if a != b
    ]
    differences += [
        f"{name}: {'differs' if name in files[0] and name in files[1] else 'only in one'}"
        for name in sorted(set(files[0]) | set(files[1]))
        if files[0].get(name) != files[1].get(name)
    ]
    print("\n".join(differences) if differences else f"identical ({len(files[1])} files)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
