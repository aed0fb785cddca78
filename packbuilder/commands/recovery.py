"""Recovery of a build stopped while moving its outputs into place, before any command that
reads or writes the workspace: the output set's journal says what was moved, and history says
whether the build was recorded (then it is finished) or not (then it is undone)."""

from __future__ import annotations

from collections.abc import Callable

from packbuilder import output_set
from packbuilder.config import Config
from packbuilder.history import History
from packbuilder.model import Period


def _is_recorded(config: Config) -> Callable[[str], bool]:
    """Whether history holds a build, by its id: read only when a journal is found."""

    def is_recorded(build_id: str) -> bool:
        with History.open(config) as history:
            return history.has_build(build_id)

    return is_recorded


def recover_interrupted_build(config: Config, period: Period) -> str:
    """Finish or undo a build of PERIOD that was stopped while moving its outputs."""
    return output_set.recover_interrupted_build(config, period, _is_recorded(config))


def recover_interrupted_builds(config: Config) -> list[str]:
    """Finish or undo every stopped build in the workspace: what each recovery did, in words."""
    return output_set.recover_interrupted_builds(config, _is_recorded(config))
