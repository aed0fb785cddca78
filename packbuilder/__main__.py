"""``python -m packbuilder``: the same as the packbuilder command."""

from packbuilder.cli import run

run()
