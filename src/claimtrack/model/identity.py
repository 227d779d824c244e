"""The dataset's own identity: `dataset.yaml` at the dataset root.

One file says who publishes the dataset and under what terms: its name and title, a description,
the publisher, the licence of the claim records (an SPDX expression), a contact, the published
site's base URL, and the languages. Manifests, the data
card, `datapackage.json`, the site and `export claimreview` read it. A value not given stays
unknown (null) and nothing is invented in its place; `release` refuses a dataset without a name
or a licence.

The licence covers the claim records (statements, typed values, attributions, history): the
quotes stay under their sources' rights, which each seed's `rights` and `redistribution` state.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from claimtrack.model.types import HttpUrl, LanguageTag, Slug, Text

IDENTITY_FILE = "dataset.yaml"
IDENTITY_SCHEMA_VERSION = "1.0"


def _spdx(value: str) -> str:
    """An SPDX licence expression, in its normalised form (`CC-BY-4.0`, `MIT OR Apache-2.0`)."""
    from license_expression import get_spdx_licensing  # noqa: PLC0415 - loads the SPDX list

    info = get_spdx_licensing().validate(value)
    if info.errors:
        raise PydanticCustomError(
            "unknown-license", "`{value}` is not an SPDX licence expression", {"value": value}
        )
    if info.normalized_expression != value:
        raise PydanticCustomError(
            "unknown-license",
            "write the licence as SPDX does: `{normal}`",
            {"normal": str(info.normalized_expression)},
        )
    return value


SpdxExpression = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="An SPDX licence expression (https://spdx.org/licenses/), e.g. `CC-BY-4.0`.",
    ),
    AfterValidator(_spdx),
]


class _IdentityPart(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Publisher(_IdentityPart):
    """The organisation (or person) that publishes the dataset and answers for it."""

    name: Text = Field(description="The publisher's name, as it signs its work.")
    url: HttpUrl | None = Field(default=None, description="The publisher's web site, if any.")
    kind: Literal["organisation", "person"] | None = Field(
        default=None,
        description="Whether the publisher is an organisation or a person; structured data "
        "(Croissant) names a publisher only when this is known.",
    )


def _ssh_ed25519(value: str) -> str:
    """An OpenSSH Ed25519 public key line: `ssh-ed25519 <base64 key> [comment]`."""
    parts = value.split()
    try:
        blob = base64.b64decode(parts[1], validate=True) if len(parts) >= 2 else b""
    except binascii.Error:
        blob = b""
    # the key's wire form: the string "ssh-ed25519", then the 32-byte key, each length-prefixed
    if parts[:1] != ["ssh-ed25519"] or not blob.startswith(_ED25519_PREFIX) or len(blob) != 51:
        raise PydanticCustomError(
            "signing-key",
            "not an Ed25519 public key line (`ssh-ed25519 AAAA...`): paste the `.pub` file that "
            "`ssh-keygen -t ed25519` wrote, or what `claimtrack key new` printed",
        )
    return " ".join(parts[:2])


_ED25519_PREFIX = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20"

Ed25519PublicKeyLine = Annotated[
    str,
    Field(
        max_length=200,
        description="An Ed25519 public key as OpenSSH writes it: `ssh-ed25519 AAAA...`.",
    ),
    AfterValidator(_ssh_ed25519),
]


class SigningKey(_IdentityPart):
    """A key whose signature on a release's manifest says the publisher made that release."""

    public_key: Ed25519PublicKeyLine
    owner: Text = Field(
        description="Who holds the private key, as `verify` names the signer, e.g. "
        "'Release key of the claims desk (CI secret RELEASE_SIGNING_KEY)'."
    )
    valid_from: dt.date = Field(
        description="The first release date this key signs; releases dated from then on must "
        "be signed by a listed key."
    )
    valid_until: dt.date | None = Field(
        default=None,
        description="The last release date this key signs (after a rotation or a compromise); "
        "null while it is in use. Older releases still verify against it.",
    )


class DatasetIdentity(_IdentityPart):
    """Who publishes this dataset, what it is called and under what terms (`dataset.yaml`)."""

    schema_version: Literal["1.0"] = Field(description="Version of this file's format.")
    name: Slug | None = Field(
        default=None,
        description="Machine name of the dataset (lower case, digits and `-`), used in "
        "manifests and `datapackage.json`; required to release.",
    )
    title: Text | None = Field(default=None, description="Human title, shown on the site.")
    description: Text | None = Field(
        default=None, description="What the dataset holds, in a few sentences."
    )
    publisher: Publisher | None = Field(
        default=None, description="Who publishes the dataset; null until it is decided."
    )
    license: SpdxExpression | None = Field(
        default=None,
        description="Licence of the claim records (SPDX); the quotes keep their sources' rights. "
        "Required to release.",
    )
    contact: Text | None = Field(
        default=None,
        description="Where readers send corrections and questions (an e-mail address or URL).",
    )
    base_url: HttpUrl | None = Field(
        default=None,
        description="Where the dataset's site is published; absolute links and structured data "
        "need it.",
    )
    languages: list[LanguageTag] = Field(
        default_factory=list, description="Languages of the claims and sources (BCP 47)."
    )
    signing_keys: list[SigningKey] = Field(
        default_factory=list,
        description="The keys that sign releases (`release --sign`), each with the dates it "
        "signs; `verify` trusts a release's signature only from one of these.",
    )

    def missing_for_release(self) -> list[str]:
        """The fields a release needs that are not set."""
        return [name for name in ("name", "license") if getattr(self, name) is None]
