"""Signed releases: an Ed25519 signature of the manifest, by a key the dataset lists.

The manifest holds every file's SHA-256, so whoever can write the release folder can rewrite
files and manifest together; a signature says who made the release. `release --sign KEY` writes
`manifest.json.sig` beside the manifest: the key's fingerprint and the Ed25519 signature of the
manifest's SHA-256 (with the version, under a fixed label, so a signature is never valid for
another purpose). `verify` trusts a signature only from a key in `dataset.yaml`'s
`signing_keys` whose dates cover the release date (or from a key given with `--key`), and a
release dated from a listed key's `valid_from` on must be signed.

Ed25519 through `cryptography`: keys are the OpenSSH files `ssh-keygen -t ed25519` writes (or
`claimtrack key new`), checked in-process with no `ssh-keygen` on the verifying machine.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from claimtrack.exc import InputError
from claimtrack.model.identity import DatasetIdentity
from claimtrack.store.layout import Dataset
from claimtrack.store.releases import MANIFEST, SIGNATURE, read_manifest
from claimtrack.validate.publication import identity

SIGNATURE_FILE = SIGNATURE
SIGNATURE_FORMAT = "claimtrack-release-signature/1"
LABEL = b"claimtrack release manifest\n"
PASSPHRASE_VARIABLE = "CLAIMTRACK_SIGNING_PASSPHRASE"
MAX_SIGNATURE_BYTES = 64 << 10
MAX_KEY_BYTES = 64 << 10


class SigningError(InputError):
    """A signing key that cannot be used: unreadable, not Ed25519, or not listed."""


@dataclass(frozen=True)
class TrustedKey:
    """A public key `verify` accepts, who holds it and the release dates it signs."""

    key: Ed25519PublicKey
    owner: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)

    def covers(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class SignatureCheck:
    """What `verify` says of a release's signature: ``signer`` when it holds, else ``problem``
    (None with no signer: an unsigned release that need not be signed)."""

    signer: TrustedKey | None = None
    problem: str | None = None
    unvouched: str | None = None  # a valid signature by this key, with no key here to trust

    @property
    def unsigned(self) -> bool:
        return self.signer is None and self.problem is None and self.unvouched is None


def fingerprint(key: Ed25519PublicKey) -> str:
    """The key's fingerprint as `ssh-keygen -l` prints it: `SHA256:<base64>`."""
    blob = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    digest = hashlib.sha256(base64.b64decode(blob.split()[1])).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def public_line(key: Ed25519PublicKey) -> str:
    """The key as an OpenSSH public key line (`ssh-ed25519 AAAA...`)."""
    return key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode("ascii")


def parse_public(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from an OpenSSH line or a PEM block; ValueError otherwise."""
    data = text.strip().encode("ascii", "replace")
    try:
        key = (
            serialization.load_pem_public_key(data)
            if data.startswith(b"-----BEGIN")
            else serialization.load_ssh_public_key(b" ".join(data.split()[:2]))
        )
    except (ValueError, UnsupportedAlgorithm, IndexError) as error:
        raise ValueError(f"not a public key: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key


def _read_small(path: Path, what: str) -> bytes:
    try:
        if not path.is_file():
            raise SigningError(f"no {what} file", path=path, hint="give the path of the key file")
        if path.stat().st_size > MAX_KEY_BYTES:
            raise SigningError(f"the {what} file is too large to be a key", path=path)
        return path.read_bytes()
    except OSError as error:
        raise SigningError(f"cannot read the {what}: {error.strerror}", path=path) from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in ``path`` (OpenSSH or PEM); its passphrase, if any, from
    `CLAIMTRACK_SIGNING_PASSPHRASE`."""
    data = _read_small(path, "signing key")
    secret = os.environ.get(PASSPHRASE_VARIABLE)
    password = secret.encode("utf-8") if secret else None
    try:
        if data.lstrip().startswith(b"-----BEGIN OPENSSH PRIVATE KEY"):
            key: Any = serialization.load_ssh_private_key(data, password)
        else:
            key = serialization.load_pem_private_key(data, password)
    except TypeError:
        raise SigningError(
            "the signing key is encrypted" if password is None else "the key is not encrypted",
            path=path,
            hint=f"set {PASSPHRASE_VARIABLE} to its passphrase"
            if password is None
            else f"unset {PASSPHRASE_VARIABLE}",
        ) from None
    except (ValueError, UnsupportedAlgorithm) as error:
        raise SigningError(
            f"not a private key claimtrack can read: {str(error)[:200]}",
            path=path,
            hint="use an Ed25519 key: `claimtrack key new KEY` or `ssh-keygen -t ed25519 -f KEY`",
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(
            "the signing key is not an Ed25519 key",
            path=path,
            hint="make one with `claimtrack key new KEY` or `ssh-keygen -t ed25519 -f KEY`",
        )
    return key


def new_key() -> tuple[bytes, str]:
    """A new Ed25519 key: its private half as an OpenSSH file, and its public line."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    return private, public_line(key.public_key())


def write_key_pair(path: Path, private: bytes, public: str) -> None:
    """Write a new key pair: ``path`` readable by its owner only, and ``path``.pub. Neither may
    exist: a key is never overwritten. Each file appears whole or not at all."""
    targets = [
        (path, private, 0o600),
        (path.with_name(path.name + ".pub"), (public + "\n").encode("ascii"), 0o644),
    ]
    for target, _, _ in targets:
        if target.exists() or target.is_symlink():
            raise SigningError(
                "the file exists; a key is never overwritten", path=target, hint="choose a new path"
            )
    for target, data, mode in targets:
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.link(temp, target)  # fails if the target appeared meanwhile
        except OSError as error:
            raise SigningError(
                f"cannot write the key: {error.strerror}", path=target, hint="check the folder"
            ) from None
        finally:
            temp.unlink(missing_ok=True)


def listed_keys(about: DatasetIdentity | None) -> list[TrustedKey]:
    """The signing keys `dataset.yaml` lists."""
    if about is None:
        return []
    return [
        TrustedKey(parse_public(k.public_key), k.owner, k.valid_from, k.valid_until)
        for k in about.signing_keys
    ]


def _message(version: str, manifest_sha256: str) -> bytes:
    return LABEL + f"{version}\n{manifest_sha256}\n".encode("ascii")


def signing_required(trusted: Sequence[TrustedKey], date: str) -> TrustedKey | None:
    """A listed key that signs releases of this date, if any: such a release must be signed."""
    day = dt.date.fromisoformat(date)
    return next((k for k in trusted if k.valid_from is not None and k.covers(day)), None)


def signing_key_for(
    key: Ed25519PrivateKey, trusted: Sequence[TrustedKey], date: str, path: Path
) -> TrustedKey:
    """The listed key matching ``key`` that covers the release date: a release is signed only
    with a key `verify` will accept."""
    mine = fingerprint(key.public_key())
    day = dt.date.fromisoformat(date)
    for entry in trusted:
        if entry.fingerprint == mine and entry.covers(day):
            return entry
    listed = any(entry.fingerprint == mine for entry in trusted)
    raise SigningError(
        f"the key {mine} is listed in dataset.yaml, but not for a release dated {date}"
        if listed
        else f"the key {mine} is not among dataset.yaml's signing_keys",
        path=path,
        hint="check its valid_from and valid_until"
        if listed
        else "add its public key line (`ssh-ed25519 AAAA...`) to signing_keys with its owner "
        "and valid_from, commit it, then release again",
    )


def signature(key: Ed25519PrivateKey, version: str, manifest: bytes) -> bytes:
    """The signature file's bytes for a manifest."""
    digest = hashlib.sha256(manifest).hexdigest()
    body = {
        "format": SIGNATURE_FORMAT,
        "algorithm": "ed25519",
        "key": fingerprint(key.public_key()),
        "public_key": public_line(key.public_key()),
        "version": version,
        "manifest_sha256": digest,
        "signature": base64.b64encode(key.sign(_message(version, digest))).decode("ascii"),
    }
    return (json.dumps(body, indent=2) + "\n").encode("ascii")


def _read_signature(folder: Path) -> dict[str, Any] | str:
    path = folder / SIGNATURE_FILE
    try:
        if path.is_symlink() or not path.is_file():
            return "the signature is not a plain file"
        if path.stat().st_size > MAX_SIGNATURE_BYTES:
            return "the signature file is too large"
        body = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as error:
        return f"the signature cannot be read: {error}"
    fields = ("format", "key", "version", "manifest_sha256", "signature")
    if not isinstance(body, dict) or not all(isinstance(body.get(f), str) for f in fields):
        return "the signature file is malformed"
    if body["format"] != SIGNATURE_FORMAT or body.get("algorithm") != "ed25519":
        return f"unknown signature format `{str(body['format'])[:60]}`"
    return body


def check_signature(
    folder: Path, version: str, release_date: str, trusted: Sequence[TrustedKey]
) -> SignatureCheck:
    """Whether the release in ``folder`` is signed by a trusted key that covers its date."""
    day = dt.date.fromisoformat(release_date)
    path = folder / SIGNATURE_FILE
    if not path.exists() and not path.is_symlink():
        return _unsigned(trusted, day, release_date)
    body = _read_signature(folder)
    if isinstance(body, str):
        return SignatureCheck(problem=body)
    try:
        manifest = (folder / MANIFEST).read_bytes()
    except OSError as error:
        return SignatureCheck(problem=f"the manifest cannot be read: {error.strerror}")
    digest = hashlib.sha256(manifest).hexdigest()
    if body["manifest_sha256"] != digest or body["version"] != version:
        return SignatureCheck(problem="the manifest changed after it was signed")
    if not trusted:  # a copy outside its dataset, no --key: the signature vouches for nothing
        return _unvouched(body)
    return _match(body, trusted, day, release_date)


def _unsigned(trusted: Sequence[TrustedKey], day: dt.date, release_date: str) -> SignatureCheck:
    """No signature: fine before signing began, a problem from a listed key's `valid_from` on."""
    due = [k for k in trusted if k.valid_from is not None and day >= k.valid_from]
    if not due:
        return SignatureCheck()
    first = min(due, key=lambda k: k.valid_from or day)
    return SignatureCheck(
        problem=f"the release is dated {release_date} but carries no signature; "
        f"releases from {first.valid_from} on are signed ({first.owner})"
    )


def _unvouched(body: dict[str, Any]) -> SignatureCheck:
    """A signature checked with the key it carries: it says the manifest is as signed, not who
    signed it."""
    try:
        key = parse_public(str(body.get("public_key", "")))
    except ValueError:
        return SignatureCheck(problem="the signature carries no readable public key")
    if fingerprint(key) != body["key"]:
        return SignatureCheck(problem="the signature's key does not match its fingerprint")
    own = TrustedKey(key, "the key the signature carries")
    found = _match(body, [own], dt.date.min, "any date")
    return found if found.problem else SignatureCheck(unvouched=own.fingerprint)


def _match(
    body: dict[str, Any], trusted: Sequence[TrustedKey], day: dt.date, release_date: str
) -> SignatureCheck:
    shown = str(body["key"])[:80]
    keys = [k for k in trusted if k.fingerprint == body["key"]]
    if not keys:
        return SignatureCheck(
            problem=f"signed by the key {shown}, which is not a trusted key "
            "(dataset.yaml's signing_keys, or --key)"
        )
    try:
        raw = base64.b64decode(body["signature"], validate=True)
    except (binascii.Error, ValueError):
        return SignatureCheck(problem="the signature is not base64")
    try:  # the entries of one key (listed again after a pause) share its public half
        keys[0].key.verify(raw, _message(body["version"], body["manifest_sha256"]))
    except InvalidSignature:
        return SignatureCheck(problem=f"the signature by {shown} does not match the manifest")
    for key in keys:
        if key.covers(day):
            return SignatureCheck(signer=key)
    spans = "; ".join(f"{k.valid_from or 'always'} to {k.valid_until or 'now'}" for k in keys)
    return SignatureCheck(
        problem=f"signed by {keys[0].owner} ({shown}), a key that does not sign releases "
        f"dated {release_date} (valid {spans})"
    )


def given_keys(paths: Sequence[Path]) -> list[TrustedKey]:
    """Keys given with `verify --key FILE`: trusted for any date."""
    keys = []
    for path in paths:
        try:
            key = parse_public(_read_small(path, "public key").decode("utf-8", "replace"))
        except ValueError as error:
            raise SigningError(
                str(error), path=path, hint="give the `.pub` file of an Ed25519 key"
            ) from None
        keys.append(TrustedKey(key, f"the key in {path.name}"))
    return keys


def dataset_keys(folder: Path) -> list[TrustedKey] | str:
    """The signing keys of the dataset whose `dataset/` holds the release ``folder`` (none for a
    release folder elsewhere); a problem when its `dataset.yaml` cannot be read."""
    root = folder.resolve().parent.parent
    if folder.resolve().parent.name != "dataset" or not (root / "claims").is_dir():
        return []
    found = identity(Dataset(root))
    if found.present and found.model is None:
        return "dataset.yaml is invalid, so its signing keys are unknown: run `claimtrack validate`"
    return listed_keys(found.model)


def check_release(folder: Path, given: Sequence[Path] = ()) -> SignatureCheck:
    """The signature check of the release in ``folder``, against the keys given, or else the
    keys its dataset lists. Call it on a release whose files verify."""
    trusted = given_keys(given) if given else dataset_keys(folder)
    if isinstance(trusted, str):
        return SignatureCheck(problem=trusted)
    try:
        manifest = read_manifest(folder)
        version, date = str(manifest["version"]), str(manifest["release_date"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        return SignatureCheck(problem=f"the manifest cannot be read: {error}")
    found = check_signature(folder, version, date, trusted)
    if given and found.unsigned:  # a key was given to check: the release must be signed by it
        return SignatureCheck(problem="the release carries no signature, and --key asks for one")
    return found
