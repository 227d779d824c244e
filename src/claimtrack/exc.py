"""One exception base for the library; the CLI maps each subclass to a message and exit code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from claimtrack.validate.findings import Finding

# what a command exits with: done, findings, a usage or input error, a bug (cli/exits.py adds
# the reader that left)
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class ClaimtrackError(Exception):
    """Base of every error the library raises on purpose.

    ``path`` names the file or folder at fault (when there is one) and ``hint`` says how to fix it.
    ``exit_code`` is what the command line exits with (documented in `claimtrack --help`).
    """

    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, message: str, *, path: Path | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path is not None else ""
        return f"{where}{self.message}"


class DatasetNotFound(ClaimtrackError):
    """The folder given as the dataset root is not a claimtrack dataset."""


class InputError(ClaimtrackError):
    """A file or folder named by the user cannot be read."""


class InvalidDataset(ClaimtrackError):
    """The dataset has findings of severity error; ``findings`` lists them all."""

    exit_code: ClassVar[int] = EXIT_FINDINGS

    def __init__(self, findings: list[Finding], *, path: Path | None = None) -> None:
        errors = [f for f in findings if f.severity == "error"]
        super().__init__(
            f"the dataset is invalid: {len(errors)} error(s)",
            path=path,
            hint="run `claimtrack validate` to see each finding and its fix",
        )
        self.findings = findings


class WorkersStopped(ClaimtrackError):
    """Worker processes died before their work was done: killed, out of memory, or started
    from a script that re-runs its own call to claimtrack in each of them."""

    def __init__(self, whose: str) -> None:
        super().__init__(
            f"the {whose} worker processes stopped unexpectedly",
            hint='in a script, call claimtrack from inside `if __name__ == "__main__":` (each '
            "worker process imports the script again), or use jobs=1; otherwise look for a "
            "process killed for want of memory",
        )


class QueryError(ClaimtrackError):
    """A query cannot run: unknown column, bad SQL, forbidden function."""


class EditRefused(ClaimtrackError):
    """An edit whose result would not validate: nothing was written; ``findings`` says why."""

    exit_code: ClassVar[int] = EXIT_FINDINGS

    def __init__(self, findings: list[Finding], *, path: Path | None = None) -> None:
        super().__init__(
            "the edit was not written: the file would not validate",
            path=path,
            hint="fix what the findings say (or the options given), then run the command again",
        )
        self.findings = findings


class NeedsValidFile(ClaimtrackError):
    """An edit of a record file that has findings already: nothing was written."""

    exit_code: ClassVar[int] = EXIT_FINDINGS

    def __init__(self, findings: list[Finding], *, path: Path | None = None) -> None:
        super().__init__(
            "this file has findings, and an edit starts from a valid file; nothing was written",
            path=path,
            hint="fix what the findings say (`claimtrack fix` mends some), then run the "
            "command again",
        )
        self.findings = findings


class AlreadyArchived(ClaimtrackError):
    """The same bytes are archived already, as ``seed_id``."""

    exit_code: ClassVar[int] = 1

    def __init__(self, seed_id: str, *, path: Path | None = None) -> None:
        super().__init__(
            f"these bytes are archived already, as seed `{seed_id}`",
            path=path,
            hint=f"quote seed `{seed_id}`; nothing was written",
        )
        self.seed_id = seed_id


class ConcurrentEdit(ClaimtrackError):
    """A file changed between the moment an edit read it and the moment it would be written."""
