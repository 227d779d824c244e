"""Edits run at the same time take turns: every edit that says it wrote is in the file, and an
existing claim is never overwritten (the dataset's edit lock, `store/locking.py`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from claimtrack.store.layout import Dataset
from claimtrack.store.locking import EditLocked, edit_lock

CLAIM = "aws-is-a-us-company"
PARALLEL = 6


def _claimtrack(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "claimtrack", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_parallel_responses_are_all_kept(dataset: Path) -> None:
    path = dataset / "claims" / f"{CLAIM}.yaml"
    before = len(yaml.safe_load(path.read_text("utf-8")).get("responses") or [])
    reported = 0
    for round_ in range(3):
        runs = [
            _claimtrack(
                "claim",
                "respond",
                CLAIM,
                "--root",
                dataset,
                "--party",
                f"Party {round_}-{i}",
                "--type",
                "company",
                "--response",
                "declined_to_comment",
            )
            for i in range(PARALLEL)
        ]
        for run in runs:
            _, err = run.communicate(timeout=120)
            assert run.returncode in (0, 2), err
            reported += run.returncode == 0 and "wrote" in err
    parties = [r["party"] for r in yaml.safe_load(path.read_text("utf-8"))["responses"]]
    assert reported == 3 * PARALLEL  # each waited for its turn; none was refused
    assert len(parties) == before + reported  # and every one that said so is in the file
    assert len(set(parties[before:])) == reported


def test_parallel_adds_of_one_id_write_one_file(dataset: Path, tmp_path: Path) -> None:
    source = dataset / "seeds" / "000_41d59578b16f00ef.txt"
    assert source.is_file()
    runs = [
        _claimtrack(
            "claim",
            "add",
            "--root",
            dataset,
            "--seed",
            "000_41d59578b16f00ef",
            "--quote",
            "Amazon ne pourra pas y accéder",
            "--statement",
            f"Version {i}.",
            "--kind",
            "access",
            "--asserter",
            "The article",
            "--id",
            "same-claim",
            "--translation-method",
            "human",
        )
        for i in range(PARALLEL)
    ]
    results = [(run.communicate(timeout=120)[1], run.returncode) for run in runs]
    wrote = [i for i, (_, code) in enumerate(results) if code == 0]
    refused = [err for err, code in results if code != 0]
    assert len(wrote) == 1, results
    assert all("exists already" in err for err in refused)
    claim = yaml.safe_load((dataset / "claims" / "same-claim.yaml").read_text("utf-8"))
    assert claim["statement"] == f"Version {wrote[0]}."  # the one edit that said it wrote


def test_an_edit_that_cannot_take_the_lock_writes_nothing(dataset: Path) -> None:
    with edit_lock(dataset):
        held = subprocess.run(
            [
                sys.executable, "-c",
                "import pathlib, sys\n"
                "from claimtrack.store.locking import edit_lock\n"
                "with edit_lock(pathlib.Path(sys.argv[1]), wait_s=0.2):\n"
                "    pass\n",
                str(dataset),
            ],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
    assert held.returncode != 0 and "EditLocked" in held.stderr
    with edit_lock(Dataset(dataset).root), edit_lock(dataset):  # re-entrant in one process
        pass
    assert issubclass(EditLocked, Exception)
