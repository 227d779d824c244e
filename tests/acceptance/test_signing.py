"""Signed releases: `release --sign` signs the manifest with a key dataset.yaml lists, `verify`
names the signer, and a rewritten release, a signature by another key, a removed signature or
an old key used after its time are refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from claimtrack.release.signing import SIGNATURE_FILE, fingerprint, signature

from ..conftest import RunCli


def _key(run_cli: RunCli, path: Path) -> str:
    run_cli("key", "new", path)
    return path.with_name(path.name + ".pub").read_text("utf-8").strip()


def _list(root: Path, line: str, owner: str, since: str, until: str | None = None) -> None:
    text = (root / "dataset.yaml").read_text("utf-8")
    if "signing_keys:" not in text:
        text += "signing_keys:\n"
    text += f"- public_key: {line}\n  owner: {owner}\n  valid_from: {since}\n"
    text += f"  valid_until: {until}\n" if until else ""
    (root / "dataset.yaml").write_text(text, "utf-8")


def _touch_a_claim(root: Path, tag: str) -> None:
    path = next((root / "claims").glob("*.yaml"))
    path.write_text(path.read_text("utf-8").replace("\ntags:\n", f"\ntags:\n- {tag}\n", 1))


def _forge(folder: Path, rel: str) -> None:
    """Rewrite a file and the manifest to match, as anyone who can write the folder can."""
    target = folder / rel
    target.write_bytes(target.read_bytes().replace(b"reported", b"confirmed", 1))
    manifest = json.loads((folder / "manifest.json").read_bytes())
    for entry in manifest["files"]:
        if entry["path"] == rel:
            entry["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
            entry["bytes"] = target.stat().st_size
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")


def test_key_new_writes_a_private_key_only_its_owner_reads(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("key", "new", tmp_path / "k")
    assert stat.S_IMODE((tmp_path / "k").stat().st_mode) == 0o600
    line = (tmp_path / "k.pub").read_text("utf-8").strip()
    assert line.startswith("ssh-ed25519 ") and f"- public_key: {line}" in result.stdout
    refused = run_cli("key", "new", tmp_path / "k", code=2)
    assert "never overwritten" in refused.stderr


def test_a_signed_release_verifies_and_names_its_signer(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    today = dt.date.today().isoformat()
    line = _key(run_cli, tmp_path / "desk")
    _list(dataset, line, "Claims desk release key", today)
    made = run_cli("release", "--root", dataset, "--version", "1.0.0", "--sign", tmp_path / "desk")
    key = serialization.load_ssh_public_key(line.encode())
    assert isinstance(key, type(Ed25519PrivateKey.generate().public_key()))
    assert f"signed by Claims desk release key (key {fingerprint(key)})" in made.stdout
    checked = run_cli("verify", "1.0.0", "--root", dataset)
    assert "release 1.0.0 is intact, signed by Claims desk release key" in checked.stdout
    assert fingerprint(key) in checked.stdout
    # a downloaded copy, checked against the key given out of band
    copy = tmp_path / "downloads" / "1.0.0"
    shutil.copytree(dataset / "dataset" / "1.0.0", copy)
    given = run_cli("verify", copy, "--key", tmp_path / "desk.pub")
    assert "signed by the key in desk.pub" in given.stdout
    alone = run_cli("verify", copy)  # no key to trust: a valid signature, vouched by nothing
    assert "is intact" in alone.stdout and f"signed by the key {fingerprint(key)}" in alone.stderr
    assert "--key" in alone.stderr
    other = _key(run_cli, tmp_path / "other")
    assert other != line
    refused = run_cli("verify", copy, "--key", tmp_path / "other.pub", code=1)
    assert "not a trusted key" in refused.stdout


def test_a_rewritten_or_re_signed_release_is_refused(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    _list(dataset, _key(run_cli, tmp_path / "desk"), "Desk", dt.date.today().isoformat())
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--sign", tmp_path / "desk")
    folder = dataset / "dataset" / "1.0.0"
    pristine = tmp_path / "pristine"
    shutil.copytree(folder, pristine)
    _forge(folder, "claims.csv")
    away = tmp_path / "away" / "1.0.0"  # the forger's manifest matches the files...
    shutil.copytree(folder, away)
    (away / SIGNATURE_FILE).unlink()
    assert "is intact" in run_cli("verify", away).stdout
    refused = run_cli("verify", "1.0.0", "--root", dataset, code=1)
    assert "the manifest changed after it was signed" in refused.stdout  # ...not the signature
    # the forger signs the new manifest with a key of their own
    theirs = Ed25519PrivateKey.generate()
    (folder / SIGNATURE_FILE).write_bytes(
        signature(theirs, "1.0.0", (folder / "manifest.json").read_bytes())
    )
    refused = run_cli("verify", "1.0.0", "--root", dataset, code=1)
    assert f"signed by the key {fingerprint(theirs.public_key())}, which is not a trusted key" in (
        refused.stdout
    )
    # or removes the signature: a release from a signing key's date on must carry one
    (folder / SIGNATURE_FILE).unlink()
    refused = run_cli("verify", "1.0.0", "--root", dataset, code=1)
    assert "carries no signature" in refused.stdout
    # a signature whose bytes were changed
    shutil.rmtree(folder)
    shutil.copytree(pristine, folder)
    body = json.loads((folder / SIGNATURE_FILE).read_bytes())
    body["signature"] = (
        body["signature"][:10]
        + ("A" if body["signature"][10] != "A" else "B")
        + (body["signature"][11:])
    )
    (folder / SIGNATURE_FILE).write_text(json.dumps(body), "utf-8")
    assert "does not match" in run_cli("verify", "1.0.0", "--root", dataset, code=1).stdout


def test_unsigned_releases_verify_with_a_note(dataset: Path, run_cli: RunCli) -> None:
    run_cli("release", "--root", dataset, "--version", "1.0.0")
    checked = run_cli("verify", "1.0.0", "--root", dataset)
    assert "release 1.0.0 is intact" in checked.stdout
    assert "not signed" in checked.stderr


def test_signing_needs_a_listed_key_and_refuses_before_any_work(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    _key(run_cli, tmp_path / "stray")
    refused = run_cli(
        "release", "--root", dataset, "--version", "1.0.0", "--sign", tmp_path / "stray", code=2
    )
    assert "is not among dataset.yaml's signing_keys" in refused.stderr
    assert not (dataset / "dataset" / "1.0.0").exists()
    (tmp_path / "rsa").write_text("-----BEGIN RSA PRIVATE KEY-----\nnot a key\n", "utf-8")
    refused = run_cli(
        "release", "--root", dataset, "--version", "1.0.0", "--sign", tmp_path / "rsa", code=2
    )
    assert "not a private key claimtrack can read" in refused.stderr


def test_keys_rotate_and_old_releases_verify_against_the_key_of_their_date(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    old = _key(run_cli, tmp_path / "old")
    new = _key(run_cli, tmp_path / "new")
    _list(dataset, old, "Old key", "2026-01-01", "2026-06-30")
    _list(dataset, new, "New key", "2026-07-01")
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--date", "2026-03-01",
            "--sign", tmp_path / "old", "--no-changelog")  # fmt: skip
    _touch_a_claim(dataset, "rotated")
    refused = run_cli("release", "--root", dataset, "--version", "1.1.0", "--date", "2026-08-01",
                      "--sign", tmp_path / "old", "--no-changelog", code=2)  # fmt: skip
    assert "not for a release dated 2026-08-01" in refused.stderr
    run_cli("release", "--root", dataset, "--version", "1.1.0", "--date", "2026-08-01",
            "--sign", tmp_path / "new", "--no-changelog")  # fmt: skip
    assert "signed by Old key" in run_cli("verify", "1.0.0", "--root", dataset).stdout
    assert "signed by New key" in run_cli("verify", "1.1.0", "--root", dataset).stdout
    # whoever still holds the retired key cannot sign a later release with it
    folder = dataset / "dataset" / "1.1.0"
    retired = serialization.load_ssh_private_key((tmp_path / "old").read_bytes(), None)
    assert isinstance(retired, Ed25519PrivateKey)
    manifest = (folder / "manifest.json").read_bytes()
    (folder / SIGNATURE_FILE).write_bytes(signature(retired, "1.1.0", manifest))
    refused = run_cli("verify", "1.1.0", "--root", dataset, code=1)
    assert "does not sign releases dated 2026-08-01" in refused.stdout


def test_an_encrypted_key_signs_with_its_passphrase(
    dataset: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"correct horse"),
    )
    (tmp_path / "locked.pem").write_bytes(pem)
    line = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    _list(dataset, line.decode(), "Locked key", dt.date.today().isoformat())
    refused = run_cli(
        "release",
        "--root",
        dataset,
        "--version",
        "1.0.0",
        "--sign",
        tmp_path / "locked.pem",
        code=2,
    )
    assert "CLAIMTRACK_SIGNING_PASSPHRASE" in refused.stderr
    monkeypatch.setenv("CLAIMTRACK_SIGNING_PASSPHRASE", "correct horse")
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--sign", tmp_path / "locked.pem")
    assert "signed by Locked key" in run_cli("verify", "1.0.0", "--root", dataset).stdout


def test_a_key_made_by_ssh_keygen_signs(dataset: Path, run_cli: RunCli, tmp_path: Path) -> None:
    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        pytest.skip("ssh-keygen is not installed")
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-C", "desk@example.org",
                    "-f", str(tmp_path / "ssh")], check=True)  # fmt: skip
    line = (tmp_path / "ssh.pub").read_text("utf-8")
    _list(dataset, line.strip(), "SSH key", dt.date.today().isoformat())
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--sign", tmp_path / "ssh")
    shown = subprocess.run([keygen, "-l", "-f", str(tmp_path / "ssh.pub")], capture_output=True,
                           text=True, check=True).stdout.split()[1]  # fmt: skip
    assert shown in run_cli("verify", "1.0.0", "--root", dataset).stdout


def test_a_key_given_out_of_band_asks_for_a_signature(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    line = _key(run_cli, tmp_path / "desk")
    run_cli("release", "--root", dataset, "--version", "1.0.0")  # before any key is listed
    copy = tmp_path / "away" / "1.0.0"
    shutil.copytree(dataset / "dataset" / "1.0.0", copy)
    refused = run_cli("verify", copy, "--key", tmp_path / "desk.pub", code=1)
    assert "carries no signature, and --key asks for one" in refused.stdout
    _list(dataset, line, "Desk", dt.date.today().isoformat())
    _touch_a_claim(dataset, "later")
    refused = run_cli("release", "--root", dataset, "--version", "1.1.0", code=2)
    assert "are signed (Desk" in refused.stderr and "--sign" in refused.stderr
    assert not (dataset / "dataset" / "1.1.0").exists()


def test_a_key_listed_twice_signs_in_either_of_its_spans(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    line = _key(run_cli, tmp_path / "desk")
    _list(dataset, line, "Desk, first stint", "2026-01-01", "2026-03-31")
    _list(dataset, line, "Desk, back again", "2026-06-01")
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--date", "2026-07-01",
            "--sign", tmp_path / "desk", "--no-changelog")  # fmt: skip
    assert "signed by Desk, back again" in run_cli("verify", "1.0.0", "--root", dataset).stdout
