"""The install spec `init` records: how CI installs the very claimtrack that made a dataset.

A dataset repository is no Python project (`pip install .` has nothing to install) and the
distribution may not be on an index (`pip install claimtrack` may find nothing), so `init`
writes `requirements.txt` with a spec that installs this claimtrack, read from how it was
installed (PEP 610's `direct_url.json`):

- from a version control URL: that URL at the exact commit;
- from an archive URL: that URL (with its hash when pip recorded one);
- from a local wheel: the wheel copied into the dataset (`.claimtrack/`), installed from there;
- from a local folder (a checkout): its git remote at its current commit, when it has one;
- from an index: the exact version (`claimtrack==X.Y.Z`).

When none of these is known (a folder without a remote), the spec is the exact version with a
warning, and `init --install SPEC` (a requirement, or a wheel's path to vendor) sets it.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from claimtrack._version import VERSION
from claimtrack.exc import InputError
from claimtrack.store.atomic import atomic_write_bytes

DISTRIBUTION = "claimtrack"
REQUIREMENTS_FILE = "requirements.txt"
VENDOR_DIR = ".claimtrack"
GIT_TIMEOUT = 10  # seconds for each git question about a local checkout


@dataclass(frozen=True)
class InstallSpec:
    """A requirement line that installs claimtrack, where it came from, and the wheel to copy
    into the dataset when the spec names one there (None otherwise)."""

    requirement: str
    origin: str
    wheel: Path | None = None
    warning: str | None = None


def _direct_url() -> dict[str, Any] | None:
    """This claimtrack's PEP 610 record, or None (installed from an index, or not installed)."""
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def _from_folder(folder: Path) -> InstallSpec | None:
    """A checkout's remote at its current commit (None without a remote or a commit)."""
    remote = _git(folder, "remote", "get-url", "origin")
    commit = _git(folder, "rev-parse", "HEAD")
    if not remote or not commit:
        return None
    warning = None
    if remote.startswith("git@") and ":" in remote:  # scp-like: git@host:owner/repo.git
        host, path = remote.removeprefix("git@").split(":", 1)
        remote = f"ssh://git@{host}/{path}"
    elif "://" not in remote:  # a folder on this machine
        remote = (folder / remote).resolve().as_uri()
        warning = f"the remote of {folder} is a folder on this machine, which CI cannot reach"
    if warning is None and _git(folder, "status", "--porcelain", "--untracked-files=no"):
        warning = f"{folder} has uncommitted changes: CI installs commit {commit[:12]} without them"
    return InstallSpec(
        f"{DISTRIBUTION} @ git+{remote}@{commit}",
        f"the git checkout {folder} (commit {commit[:12]}; it must be pushed to {remote})",
        warning=warning,
    )


def detect(record: dict[str, Any] | None = None) -> InstallSpec:
    """The spec for the running claimtrack, from its PEP 610 ``record`` (read when None)."""
    record = _direct_url() if record is None else record
    pinned = f"{DISTRIBUTION}=={VERSION}"
    if not record or not isinstance(record.get("url"), str):
        return InstallSpec(pinned, f"a package index (version {VERSION})")
    url: str = record["url"]
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(vcs.get("vcs"), str):
        at = vcs.get("commit_id") or vcs.get("requested_revision")
        ref = f"@{at}" if at else ""
        return InstallSpec(f"{DISTRIBUTION} @ {vcs['vcs']}+{url}{ref}", f"{url}{ref}")
    local = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else None
    if "archive_info" in record and local is None:
        sha = (record["archive_info"] or {}).get("hashes", {}).get("sha256")
        spec = f"{url}#sha256={sha}" if sha and "#" not in url else url
        return InstallSpec(f"{DISTRIBUTION} @ {spec}", url)
    if local is not None and local.suffix == ".whl" and local.is_file():
        return vendored(local)
    if local is not None and local.is_dir():
        found = _from_folder(local)
        if found is not None:
            return found
    return InstallSpec(
        pinned,
        f"the local folder {local or url}, which CI cannot reach",
        warning=f"claimtrack {VERSION} was installed from {local or url}, which CI cannot "
        f"install from; set the spec in {REQUIREMENTS_FILE}, or run init with --install SPEC "
        "(a requirement, or the path of a claimtrack wheel to copy into the dataset)",
    )


def vendored(wheel: Path) -> InstallSpec:
    """A wheel copied into the dataset's `.claimtrack/` and installed from there."""
    if wheel.suffix != ".whl" or not wheel.name.startswith(f"{DISTRIBUTION}-"):
        raise InputError(
            "not a claimtrack wheel",
            path=wheel,
            hint="give a file named claimtrack-<version>-...whl (from `pip wheel` or a release)",
        )
    if not wheel.is_file():
        raise InputError("no such file", path=wheel, hint="give the path of a claimtrack wheel")
    return InstallSpec(f"./{VENDOR_DIR}/{wheel.name}", f"the wheel {wheel}", wheel=wheel)


def given(spec: str) -> InstallSpec:
    """What `init --install SPEC` says: a wheel's path to vendor, or a requirement line."""
    if spec.endswith(".whl"):
        return vendored(Path(spec).expanduser())
    line = spec.strip()
    if not line or "\n" in line or line.startswith(("-", "#")):
        raise InputError(
            f"--install {json.dumps(spec)} is not a requirement",
            hint='give e.g. "claimtrack==0.2.0", "claimtrack @ git+https://host/repo@TAG" or '
            "the path of a wheel",
        )
    return InstallSpec(line, "--install")


def requirements_text(spec: InstallSpec) -> str:
    """`requirements.txt`: the spec, and where it came from, for a reader and for pip."""
    return (
        f"# The claimtrack this dataset is checked with: CI runs `pip install -r "
        f"{REQUIREMENTS_FILE}`.\n"
        f"# Written by `claimtrack init` (claimtrack {VERSION}, installed from "
        f"{spec.origin.replace(chr(10), ' ')}).\n"
        "# To upgrade, replace the line below and commit.\n"
        f"{spec.requirement}\n"
    )


def copy_wheel(spec: InstallSpec, folder: Path) -> Path | None:
    """Copy a vendored wheel into ``folder``/.claimtrack/ (None when the spec names none)."""
    if spec.wheel is None:
        return None
    target = folder / VENDOR_DIR / spec.wheel.name
    atomic_write_bytes(target, spec.wheel.read_bytes())
    return target
