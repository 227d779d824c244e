"""Every CI workflow we document runs, step by step, in a dataset made by `init`.

The workflows are the one `init` writes and every GitHub Actions block in `docs/`. Each `run:`
step is run by bash in a scratch dataset (with `${{ ... }}` filled in as GitHub would), in job
order (`needs`, and each value of a matrix); each `uses:` step is one the dataset needs nothing
for here (checkout: the scratch folder is the checkout; artifacts: the jobs share it), and an
action not in that list fails the test, so a new workflow cannot go untested. The install step
is checked, not run (this claimtrack is installed already): `requirements.txt` must hold one
requirement that installs claimtrack.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import InvalidRequirement, Requirement

from claimtrack._version import VERSION
from claimtrack.store import install
from tests.conftest import REPO, RunCli, add_text_seed, committed, publishable

INSTALL_STEP = "pip install -r requirements.txt"
EXPRESSIONS = {
    "github.repository_owner": "newsroom",
    "github.event.repository.name": "claims",
    "github.base_ref": "main",
    "github.sha": "0" * 40,
    "vars.WATCHED": "inbox",  # docs/tracking.md: what `watch` reads (an inbox folder here)
}
# actions whose work the scratch folder already stands for, and what to check after each
KNOWN_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "actions/cache",
    "actions/upload-artifact",
    "actions/download-artifact",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
    "peter-evans/create-pull-request",
}
FENCE = re.compile(r"^```ya?ml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def documented_workflows() -> list[tuple[str, str]]:
    """(where, text) of every GitHub Actions workflow block in docs/."""
    found = []
    for page in sorted((REPO / "docs").glob("*.md")):
        for i, block in enumerate(FENCE.findall(page.read_text("utf-8"))):
            data = yaml.safe_load(block)
            if isinstance(data, dict) and "jobs" in data:
                found.append((f"{page.name}#{i}", block))
    return found


def _scratch(tmp_path: Path, run_cli: RunCli) -> Path:
    """A dataset made by `init`, with a seed, a claim and a release, committed."""
    root = tmp_path / "claims-repo"
    run_cli("init", root)
    add_text_seed(run_cli, root, "Council minutes\n\nThe council said the bridge cost £2m.\n",
                  "--id", "minutes", "--published", "2024-02-05",
                  "--redistribution", "full_text")  # fmt: skip
    run_cli("claim", "add", "--root", root, "--seed", "minutes", "--quote", "the bridge cost £2m",
            "--statement", "The bridge cost £2m.", "--kind", "quantity",
            "--asserter", "The council", "--asserter-type", "government")  # fmt: skip
    publishable(root)
    (root / "inbox").mkdir()  # what docs/tracking.md's workflow watches
    (root / "inbox" / "note.txt").write_text("The council said the bridge cost £2m.\n", "utf-8")
    committed(root)
    run_cli("release", "--root", root, "--version", "1.0.0")
    committed(root)
    return root


def _fill(command: str, matrix: dict[str, Any], secrets: dict[str, str] | None = None) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name.startswith("matrix."):
            return str(matrix[name.removeprefix("matrix.")])
        if name.startswith("secrets."):
            return (secrets or {}).get(name.removeprefix("secrets."), "")
        assert name in EXPRESSIONS, f"the test does not know the expression {name}"
        return EXPRESSIONS[name]

    return re.sub(r"\$\{\{(.*?)\}\}", value, command)


def _environment(
    tmp_path: Path, step_env: dict[str, Any], secrets: dict[str, str] | None = None
) -> dict[str, str]:
    """This claimtrack first on PATH, a stand-in `aws` that makes the folder it syncs to, and
    the runner's temporary folder."""
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    aws = tools / "aws"
    aws.write_text('#!/bin/sh\n[ "$1 $2" = "s3 sync" ] && mkdir -p "$4"\n', "utf-8")
    aws.chmod(aws.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), str(tools), env["PATH"]])
    env.pop("GITHUB_STEP_SUMMARY", None)
    env["RUNNER_TEMP"] = str(tmp_path / "runner-temp")
    Path(env["RUNNER_TEMP"]).mkdir(exist_ok=True)
    env.update({k: _fill(str(v), {}, secrets) for k, v in step_env.items()})
    return env


def _check_requirements(root: Path) -> None:
    lines = [
        line.strip()
        for line in (root / "requirements.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) == 1, lines
    if lines[0].startswith("./"):
        assert (root / lines[0]).is_file()
        return
    try:
        assert Requirement(lines[0]).name == "claimtrack"
    except InvalidRequirement as error:
        pytest.fail(f"requirements.txt: {error}")


def _jobs(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(name, job, matrix values) in an order that respects `needs`."""
    jobs: dict[str, Any] = workflow["jobs"]
    done: list[str] = []
    while len(done) < len(jobs):
        ready = [
            n
            for n, job in jobs.items()
            if n not in done
            and all(d in done for d in ([job["needs"]] if isinstance(job.get("needs"), str)
                                        else job.get("needs", [])))
        ]  # fmt: skip
        assert ready, "the jobs' `needs` form a cycle"
        done += ready
    runs = []
    for name in done:
        matrix = jobs[name].get("strategy", {}).get("matrix", {})
        assert len(matrix) <= 1, "the test expands a matrix of one variable"
        for key, values in matrix.items() or [(None, [None])]:
            for value in values:
                runs.append((name, jobs[name], {key: value} if key else {}))
    return runs


def run_workflow(
    text: str, root: Path, tmp_path: Path, secrets: dict[str, str] | None = None
) -> list[str]:
    """Run the workflow's steps in ``root`` (``secrets``: the repository's secrets); the
    commands run, for the test to look at."""
    workflow = yaml.safe_load(text)
    ran = []
    for name, job, matrix in _jobs(workflow):
        for step in job["steps"]:
            if "uses" in step:
                action = step["uses"].split("@")[0]
                assert action in KNOWN_ACTIONS, f"job {name}: the test cannot stand in for {action}"
                if action == "actions/upload-pages-artifact":
                    assert (root / step["with"]["path"] / "index.html").is_file()
                if action == "peter-evans/create-pull-request":
                    assert (root / step["with"]["body-path"]).is_file()
                continue
            command = _fill(step["run"], matrix, secrets)
            if command.strip() == INSTALL_STEP:
                _check_requirements(root)
                continue
            done = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", command],
                cwd=root,
                env=_environment(tmp_path, step.get("env", {}), secrets),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, (
                f"job {name} {matrix}: `{command}` exited {done.returncode}\n"
                f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
            )
            ran.append(command)
    return ran


def _signing(root: Path, run_cli: RunCli) -> dict[str, str]:
    """For a workflow that releases signed: a key listed in dataset.yaml (its private half the
    repository's secret, as docs/publishing.md keeps it), and a change to release."""
    key = root.parent / "release-key"
    run_cli("key", "new", key)
    line = key.with_name("release-key.pub").read_text("utf-8").strip()
    with (root / "dataset.yaml").open("a", encoding="utf-8") as identity:
        identity.write(f"signing_keys:\n- public_key: {line}\n  owner: CI release key\n"
                       f"  valid_from: {dt.date.today().isoformat()}\n")  # fmt: skip
    run_cli("claim", "add", "--root", root, "--seed", "minutes", "--quote", "the bridge cost £2m",
            "--statement", "The council put the bridge's cost at £2m.", "--kind", "quantity",
            "--asserter", "The council", "--asserter-type", "government")  # fmt: skip
    committed(root)
    return {"RELEASE_SIGNING_KEY": key.read_text("utf-8"), "RELEASE_SIGNING_PASSPHRASE": ""}


def test_docs_hold_the_workflows_this_test_runs() -> None:
    where = {w for w, _ in documented_workflows()}
    assert {w.split("#")[0] for w in where} >= {"validate.md", "site.md", "publishing.md"}


@pytest.mark.parametrize("where", [w for w, _ in documented_workflows()])
def test_a_documented_workflow_runs_in_a_dataset_made_by_init(
    where: str, tmp_path: Path, run_cli: RunCli
) -> None:
    text = dict(documented_workflows())[where]
    root = _scratch(tmp_path, run_cli)
    secrets = _signing(root, run_cli) if "--sign" in text else None
    ran = run_workflow(text, root, tmp_path, secrets)
    assert any(command.startswith("claimtrack") for command in ran)
    assert INSTALL_STEP in text  # the one way our docs install claimtrack


def test_the_workflow_init_writes_runs(tmp_path: Path, run_cli: RunCli) -> None:
    root = _scratch(tmp_path, run_cli)
    text = (root / ".github" / "workflows" / "validate.yml").read_text("utf-8")
    ran = run_workflow(text, root, tmp_path)
    assert "claimtrack validate --format github" in ran
    assert INSTALL_STEP in text


def test_the_workflow_fails_on_an_invalid_claim(tmp_path: Path, run_cli: RunCli) -> None:
    root = _scratch(tmp_path, run_cli)
    claim = next((root / "claims").glob("*.yaml"))
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: qty"), "utf-8")
    text = (root / ".github" / "workflows" / "validate.yml").read_text("utf-8")
    with pytest.raises(AssertionError, match="claimtrack validate --format github"):
        run_workflow(text, root, tmp_path)


# ------------------------------------------------------------------ the install spec


def test_init_records_a_git_install_at_its_commit() -> None:
    spec = install.detect(
        {"url": "https://example.org/claimtrack.git",
         "vcs_info": {"vcs": "git", "commit_id": "a" * 40, "requested_revision": "v0.1.0"}}
    )  # fmt: skip
    assert spec.requirement == f"claimtrack @ git+https://example.org/claimtrack.git@{'a' * 40}"
    assert Requirement(spec.requirement).url


def test_init_records_an_archive_url_with_its_hash() -> None:
    url = "https://example.org/claimtrack-0.1.0-py3-none-any.whl"
    spec = install.detect({"url": url, "archive_info": {"hashes": {"sha256": "b" * 64}}})
    assert spec.requirement == f"claimtrack @ {url}#sha256={'b' * 64}"


def test_init_pins_the_version_from_an_index() -> None:
    spec = install.detect({})
    assert spec.requirement == f"claimtrack=={VERSION}"
    assert spec.warning is None


def test_a_folder_ci_cannot_reach_is_pinned_with_a_warning(tmp_path: Path) -> None:
    spec = install.detect({"url": tmp_path.as_uri(), "dir_info": {"editable": True}})
    assert spec.requirement == f"claimtrack=={VERSION}"
    assert spec.warning and "--install" in spec.warning


def test_a_checkout_with_a_remote_is_installed_from_it_at_its_commit(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", "utf-8")
    committed(tmp_path)
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "origin", "git@example.org:news/ct.git"],
        check=True,
    )
    commit = subprocess.run(
        ["git", "-C", str(tmp_path), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    spec = install.detect({"url": tmp_path.as_uri(), "dir_info": {}})
    assert spec.requirement == f"claimtrack @ git+ssh://git@example.org/news/ct.git@{commit}"


def _wheel(folder: Path) -> Path:
    """A minimal wheel named claimtrack (metadata only), as pip reads one."""
    path = folder / f"claimtrack-{VERSION}-py3-none-any.whl"
    info = f"claimtrack-{VERSION}.dist-info"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        wheel.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: claimtrack\n"
                       f"Version: {VERSION}\n")  # fmt: skip
        wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\n"
                       "Root-Is-Purelib: true\nTag: py3-none-any\n")  # fmt: skip
        wheel.writestr(f"{info}/RECORD", "")
    path.write_bytes(buffer.getvalue())
    return path


def test_init_with_a_wheel_vendors_it_and_pip_accepts_the_spec(
    tmp_path: Path, run_cli: RunCli
) -> None:
    wheel = _wheel(tmp_path)
    root = tmp_path / "d"
    run_cli("init", root, "--install", wheel)
    assert (root / ".claimtrack" / wheel.name).read_bytes() == wheel.read_bytes()
    _check_requirements(root)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--no-deps",
         "--disable-pip-version-check", "-r", "requirements.txt"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"claimtrack-{VERSION}" in done.stdout


def test_init_refuses_an_install_spec_that_is_not_one(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("init", tmp_path / "d", "--install", "-r other.txt", code=2)
    assert "is not a requirement" in result.stderr
    result = run_cli("init", tmp_path / "d", "--install", str(tmp_path / "x.whl"), code=2)
    assert "not a claimtrack wheel" in result.stderr
    assert not (tmp_path / "d").exists()


def test_a_checkout_whose_remote_is_a_folder_gets_a_file_url_and_a_warning(
    tmp_path: Path,
) -> None:
    (tmp_path / "f").write_text("x", "utf-8")
    committed(tmp_path)
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "origin", "../upstream"], check=True
    )
    spec = install.detect({"url": tmp_path.as_uri(), "dir_info": {}})
    assert spec.requirement.startswith(
        f"claimtrack @ git+{(tmp_path.parent / 'upstream').as_uri()}@"
    )
    assert Requirement(spec.requirement).url
    assert spec.warning and "cannot reach" in spec.warning
