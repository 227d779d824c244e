"""The files at a dataset's root that say who publishes it and how: `dataset.yaml` (its
identity), `METHODOLOGY.md` and `CORRECTIONS.md` (its corrections policy), with the templates
`claimtrack init` writes. A template still carries :data:`TEMPLATE_MARK`; `release` refuses a
dataset until each file is written and the mark removed."""

from __future__ import annotations

from pathlib import Path

from claimtrack.model.identity import IDENTITY_FILE, IDENTITY_SCHEMA_VERSION

METHODOLOGY_FILE = "METHODOLOGY.md"
CORRECTIONS_FILE = "CORRECTIONS.md"
POLICY_FILES = (METHODOLOGY_FILE, CORRECTIONS_FILE)
TEMPLATE_MARK = "<!-- claimtrack: template; replace this text, then delete this line -->"
MAX_POLICY_BYTES = 1 << 20

IDENTITY_TEMPLATE = f"""# yaml-language-server: $schema=schemas/dataset.schema.json
# Who publishes this dataset and under what terms. `claimtrack release` needs `name` and
# `license`; a value you do not know yet stays null (nothing is ever filled in for you).
schema_version: '{IDENTITY_SCHEMA_VERSION}'
name: null            # machine name, e.g. city-budget-claims
title: null           # e.g. Claims about the city budget, 2026
description: null
publisher: null       # name: ..., url: https://...
license: null         # of the claim records, as SPDX, e.g. CC-BY-4.0 (quotes keep their rights)
contact: null         # where readers send corrections: an e-mail address or a URL
base_url: null        # where the site is published, e.g. https://example.org/claims
languages: []         # e.g. [en, fr]
"""

METHODOLOGY_TEMPLATE = f"""{TEMPLATE_MARK}
# Methodology

How this dataset chooses the claims it records, how it archives their sources, how it decides a
claim's status and who reviews each decision. Readers and other fact-checkers rely on this page
to judge the dataset: say what you do, not what you would like to do.

## Which claims we record

## How we archive and quote sources

## How we decide a status

## Who reviews, and independence
"""

CORRECTIONS_TEMPLATE = f"""{TEMPLATE_MARK}
# Corrections policy

How readers report an error, how quickly it is checked, and how a correction is published: each
corrected claim carries a dated `corrections` entry (what was wrong, what changed and why) and
the next release lists it.

## How to report an error

## How we correct
"""


def policy_problems(root: Path) -> list[tuple[str, str]]:
    """(file, what is wrong) for each policy file that is missing, empty or still a template."""
    problems = []
    for name in POLICY_FILES:
        path = root / name
        try:
            if path.is_symlink() or not path.is_file():
                problems.append((name, "is missing"))
                continue
            if path.stat().st_size > MAX_POLICY_BYTES:
                problems.append((name, "is over 1 MiB"))
                continue
            text = path.read_text("utf-8")
        except (OSError, UnicodeError):
            problems.append((name, "cannot be read as UTF-8 text"))
            continue
        if TEMPLATE_MARK in text:
            problems.append((name, "is still the template"))
        elif not text.strip():
            problems.append((name, "is empty"))
    return problems


def identity_path(root: Path) -> Path:
    return root / IDENTITY_FILE
