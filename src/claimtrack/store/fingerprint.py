"""Digests of claimtrack's own code, so results kept between runs are those of the code now.

The validation cache, the warm store and the stored tables are keyed by the code that made
them, not only by the version number: an editable install, or a release that forgets to bump the
version, may change a rule or a model, and every kept result made by other code is then made
again. Reading and hashing the few hundred kilobytes of the modules involved costs a few
milliseconds, once per process.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from claimtrack._version import VERSION

PACKAGE = Path(__file__).resolve().parent.parent

# what decides a validation's findings: the models and their rules, the checks, and how records
# are read (the YAML reader's problems are findings)
VALIDATION_CODE = ("model", "validate", "store", "exc.py", "escape.py")


def _files(parts: tuple[str, ...]) -> list[Path]:
    found: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


@cache
def code_digest(parts: tuple[str, ...]) -> str:
    """SHA-256 of claimtrack's version and of the modules ``parts`` names (package folders or
    files, relative to the package), by path and content; a file that cannot be read counts by
    its name, so the digest still changes when it comes back."""
    digest = hashlib.sha256(VERSION.encode())
    for path in _files(parts):
        name = path.relative_to(PACKAGE).as_posix().encode()
        try:
            digest.update(name + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(name + b"\0?")
    return digest.hexdigest()


def validation_code() -> str:
    """The digest of the code whose findings the validation cache and the warm store keep."""
    return code_digest(VALIDATION_CODE)
