"""Which record files git reports as changed, for `validate --changed-since REF`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from claimtrack.exc import InputError
from claimtrack.store.layout import SUFFIX, Dataset


def git(root: Path, *args: str) -> str:
    """Run git in ``root``; its output, or an InputError that says what failed."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InputError(
            f"cannot run git: {error}",
            path=root,
            hint="install git, or validate without --changed-since",
        ) from None
    if done.returncode != 0:
        raise InputError(
            f"git {' '.join(args[:2])} failed: {done.stderr.strip()}",
            path=root,
            hint="check that the folder is a git checkout and the ref exists",
        ) from None
    return done.stdout


def changed_files(dataset: Dataset, ref: str) -> list[Path]:
    """Record files changed since ``ref`` (committed, staged, unstaged or untracked).

    A changed or removed seed file selects its metadata file and every claim, since any claim
    may quote it.
    """
    top = Path(git(dataset.root, "rev-parse", "--show-toplevel").strip())
    git(dataset.root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    names = git(dataset.root, "diff", "--name-only", "-z", ref, "--").split("\0")
    names += git(
        dataset.root, "ls-files", "--others", "--exclude-standard", "-z", "--full-name"
    ).split("\0")
    claims, seeds = dataset.claims_dir.resolve(), dataset.seeds_dir.resolve()
    selected: set[Path] = set()
    seed_changed = False
    for name in filter(None, names):
        path = (top / name).resolve()
        if path.parent == seeds:
            seed_changed = True
            path = path.with_suffix(SUFFIX)
        in_claims = path.is_relative_to(claims) and not any(
            part.startswith(".") for part in path.relative_to(claims).parent.parts
        )
        if (in_claims or path.parent == seeds) and path.name.endswith(SUFFIX) and path.exists():
            selected.add(path)
    if seed_changed:  # quotes of any claim may depend on it: check every claim
        selected |= {f.path.resolve() for f in dataset.claim_files()}
    return sorted(selected)
