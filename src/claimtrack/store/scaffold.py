"""`claimtrack init`: a new, valid, empty dataset repository."""

from __future__ import annotations

from pathlib import Path

from claimtrack.exc import InputError
from claimtrack.model import schema_export as schemas
from claimtrack.model.identity import IDENTITY_FILE
from claimtrack.store.atomic import atomic_write_text
from claimtrack.store.install import (
    REQUIREMENTS_FILE,
    InstallSpec,
    copy_wheel,
    detect,
    requirements_text,
)
from claimtrack.store.policies import (
    CORRECTIONS_FILE,
    CORRECTIONS_TEMPLATE,
    IDENTITY_TEMPLATE,
    METHODOLOGY_FILE,
    METHODOLOGY_TEMPLATE,
)

README = """# {name}

A claims dataset kept with claimtrack: one YAML file per
claim in `claims/`, archived sources in `seeds/`, JSON Schemas in `schemas/`, releases in
`dataset/`.

```sh
pip install -r requirements.txt     # the claimtrack this dataset is checked with
claimtrack validate                 # check every claim and seed
claimtrack import liar train.tsv    # bring in claims from LIAR, AVeriTeC or ClaimReview
claimtrack release --version 1.0.0  # publish an immutable, verifiable release
```

Before the first release, fill in `dataset.yaml` (name, publisher, licence, contact),
`METHODOLOGY.md` and `CORRECTIONS.md`: `claimtrack release` refuses a dataset without them.
"""

CHANGELOG = """# Changelog

All notable changes to this dataset are documented here, following Keep a Changelog and
Semantic Versioning.

## [Unreleased]
"""

GITIGNORE = """# written by claimtrack, not part of the dataset: locks, an interrupted release
dataset/.release.lock
dataset/.edit.lock
dataset/.staging-*
"""

PRE_COMMIT = """# Validate claims before each commit.
repos:
  - repo: local
    hooks:
      - id: claimtrack-validate
        name: claimtrack validate
        entry: claimtrack validate
        language: system
        files: ^(claims|seeds|schemas)/
        pass_filenames: false
"""

WORKFLOW = """name: validate
on:
  push:
  pull_request:
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
      - uses: actions/cache@v4
        with:
          path: ~/.cache/claimtrack
          key: claimtrack-${{ github.sha }}
          restore-keys: claimtrack-
      - run: pip install -r requirements.txt
      - run: claimtrack validate --format github
      - run: claimtrack schema --check
"""


def init(folder: Path, install: InstallSpec | None = None) -> list[Path]:
    """Create the dataset skeleton in ``folder`` (new or empty); return the files written.
    ``install`` is how CI installs claimtrack (`requirements.txt`; detected when None)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError(
            "the folder exists and is not empty",
            path=folder,
            hint="choose a new folder; init never overwrites anything",
        )
    install = install or detect()
    files = {
        "README.md": README.format(name=folder.resolve().name),
        "CHANGELOG.md": CHANGELOG,
        IDENTITY_FILE: IDENTITY_TEMPLATE,
        METHODOLOGY_FILE: METHODOLOGY_TEMPLATE,
        CORRECTIONS_FILE: CORRECTIONS_TEMPLATE,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".gitignore": GITIGNORE,
        ".github/workflows/validate.yml": WORKFLOW,
        REQUIREMENTS_FILE: requirements_text(install),
        "claims/.gitkeep": "",
        "seeds/.gitkeep": "",
        "dataset/.gitkeep": "",
    }
    for schema in schemas.SCHEMAS:
        files[f"schemas/{schema.file_name}"] = schemas.render(schema).decode("utf-8")
    written = []
    for name, text in files.items():
        path = folder / name
        atomic_write_text(path, text)
        written.append(path)
    wheel = copy_wheel(install, folder)
    return [*written, *([wheel] if wheel else [])]
