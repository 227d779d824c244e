"""Kept results are those of the code now: a rule added to claimtrack, with the version number
unchanged, finds what it finds in files the cache and the warm store already hold."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import claimtrack
from claimtrack.store import fingerprint

NEW_RULE = """

@checks(("test-rule", "A rule added after the cache was filled."))
def _test_rule_every_claim(claim: Claim) -> Iterator[Violation]:
    yield Violation("/statement", "test-rule", "a rule added after the cache was filled", "-")
"""


def _validate(src: Path, root: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src), "CLAIMTRACK_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", "validate", "--root", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_a_new_rule_rechecks_unchanged_files(tmp_path: Path, dataset: Path) -> None:
    src = tmp_path / "src"  # a copy of this claimtrack, first on the path: an editable install
    shutil.copytree(
        Path(claimtrack.__file__).parent, src / "claimtrack", ignore=shutil.ignore_patterns("*.pyc")
    )
    cache = tmp_path / "cache"
    for _ in range(2):  # filled, then warm: neither reports the rule that does not exist yet
        first = _validate(src, dataset, cache)
        assert first.returncode == 0, first.stderr
        assert "model.test-rule" not in first.stdout
    rules = src / "claimtrack" / "model" / "rules.py"
    rules.write_text(rules.read_text("utf-8") + NEW_RULE, "utf-8")

    second = _validate(src, dataset, cache)
    claims = len(list((dataset / "claims").glob("*.yaml")))
    assert second.stdout.count('"model.test-rule"') == claims, second.stdout[-2000:]
    assert second.returncode == 1


def test_the_digest_follows_the_code_it_names(tmp_path: Path) -> None:
    package = tmp_path / "claimtrack"
    (package / "model").mkdir(parents=True)
    (package / "model" / "rules.py").write_text("A = 1\n", "utf-8")
    (package / "cli.py").write_text("B = 1\n", "utf-8")
    setattr(fingerprint, "PACKAGE", package)  # noqa: B010 - restored below
    try:
        before = fingerprint.code_digest.__wrapped__(("model",))
        (package / "cli.py").write_text("B = 2\n", "utf-8")  # not validation code
        assert fingerprint.code_digest.__wrapped__(("model",)) == before
        (package / "model" / "rules.py").write_text("A = 2\n", "utf-8")
        assert fingerprint.code_digest.__wrapped__(("model",)) != before
    finally:
        fingerprint.PACKAGE = Path(fingerprint.__file__).resolve().parent.parent
