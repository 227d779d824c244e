"""Reusable annotated types, defined once and shared by every model.

Each type carries its own JSON Schema fragment (pattern, format) so that the generated schema
tells editors the same rule the model enforces. Checks that a schema cannot express (a currency
code that really exists, a date that is not in the future) run as pydantic validators and raise
errors whose ``type`` is the rule code reported by ``claimtrack validate``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from claimtrack.model.rulebook import Scope, declare

# the rules checked here (docs/rules.md)
declare("model.future-date", "A date or timestamp in the future.", Scope.FILE, dated=True)
declare(
    "model.naive-timestamp",
    "A timestamp without a time zone (add `Z` or an offset).",
    Scope.FILE,
    example="tests/acceptance/test_rule_registry.py::test_model_types_behind_an_out_of_date_schema",
)
declare("model.invalid-date", "A partial date that is not a real calendar date.", Scope.FILE)
declare("model.unknown-currency", "Not an ISO 4217 currency code.", Scope.FILE)
declare("model.unknown-country", "Not an ISO 3166-1 alpha-2 country code.", Scope.FILE)
declare(
    "model.inexact-amount",
    "A money amount given as a float (inexact).",
    Scope.FILE,
    example="tests/acceptance/test_rule_registry.py::test_model_types_behind_an_out_of_date_schema",
)
declare(
    "model.invalid-amount",
    "A money amount that is not a plain decimal number.",
    Scope.FILE,
    example="tests/acceptance/test_rule_registry.py::test_model_types_behind_an_out_of_date_schema",
)
declare("model.invalid-duration", "An empty ISO 8601 duration such as `P` or `PT`.", Scope.FILE)

SLUG = r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$"
SEED_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$"
FILE_NAME = r"^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.[A-Za-z0-9_-]){0,254}$"
ISO_DURATION = r"^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$"
BCP47 = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
DECIMAL_TEXT = r"^[0-9]{1,32}(\.[0-9]{1,6})?$"


def today() -> dt.date:
    """Today's date in UTC: the reference for 'not in the future'."""
    return dt.datetime.now(dt.UTC).date()


def _not_future_date(value: dt.date) -> dt.date:
    if value > today():
        raise PydanticCustomError(
            "future-date",
            "date {value} is in the future",
            {"value": value.isoformat()},
        )
    return value


def _not_future_datetime(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise PydanticCustomError(
            "naive-timestamp",
            "timestamp {value} has no time zone",
            {"value": value.isoformat()},
        )
    if value > dt.datetime.now(dt.UTC):
        raise PydanticCustomError(
            "future-date",
            "timestamp {value} is in the future",
            {"value": value.isoformat()},
        )
    return value


def surely_before(a: str, b: str) -> bool:
    """Whether partial date ``a`` is before ``b`` at the precision both have (`2021-10` is not
    before `2021-10-27`)."""
    size = min(len(a), len(b))
    return a[:size] < b[:size]


def _partial_date(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    try:
        first = dt.date(year, month, day)
    except ValueError:
        raise PydanticCustomError(
            "invalid-date", "{value} is not a real calendar date", {"value": value}
        ) from None
    if first > today():
        raise PydanticCustomError("future-date", "date {value} is in the future", {"value": value})
    return value


def _duration(value: str) -> str:
    if value in ("P", "PT") or value.endswith("T"):
        raise PydanticCustomError(
            "invalid-duration", "{value} is an empty ISO 8601 duration", {"value": value}
        )
    return value


def _currency(value: str) -> str:
    import pycountry  # noqa: PLC0415 - 30 ms to import: only when a record has a code

    if pycountry.currencies.get(alpha_3=value) is None:
        raise PydanticCustomError(
            "unknown-currency", "{value} is not an ISO 4217 currency code", {"value": value}
        )
    return value


def _country(value: str) -> str:
    import pycountry  # noqa: PLC0415 - 30 ms to import: only when a record has a code

    if pycountry.countries.get(alpha_2=value) is None:
        raise PydanticCustomError(
            "unknown-country", "{value} is not an ISO 3166-1 alpha-2 country code", {"value": value}
        )
    return value


def _exact_decimal(value: Any) -> Any:
    if isinstance(value, float):
        raise PydanticCustomError(
            "inexact-amount",
            "amounts must be exact: write {value} as an integer or a quoted decimal string",
            {"value": value},
        )
    if isinstance(value, str) and not re.fullmatch(DECIMAL_TEXT, value):
        raise PydanticCustomError(
            "invalid-amount", "{value} is not a plain decimal number", {"value": value}
        )
    try:
        return Decimal(value) if isinstance(value, int | str) else value
    except InvalidOperation:
        raise PydanticCustomError(
            "invalid-amount", "{value} is not a decimal number", {"value": str(value)}
        ) from None


ClaimId = Annotated[
    str,
    Field(
        pattern=SLUG,
        description=(
            "Stable claim identifier: lowercase letters, digits and hyphens; equal to the claim "
            "file's name without `.yaml`. Never reused for another claim."
        ),
    ),
]
SeedId = Annotated[
    str,
    Field(
        pattern=SEED_ID,
        description=(
            "Identifier of an archived source document under `seeds/` (letters, digits, `_`, `-`)."
        ),
    ),
]
LocalId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9-]{0,31}$",
        description="Identifier unique within one claim, e.g. `q1` for a quote.",
    ),
]
FileName = Annotated[
    str,
    Field(
        pattern=FILE_NAME,
        description="A plain file name inside `seeds/`: no folders, no `..`.",
    ),
]
Slug = Annotated[
    str,
    Field(pattern=SLUG, description="Lowercase words joined by hyphens, e.g. `cloud-computing`."),
]
LanguageTag = Annotated[
    str,
    Field(pattern=BCP47, description="BCP 47 language tag, e.g. `fr`, `en`, `en-GB`."),
]
CurrencyCode = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code, e.g. `GBP`."),
    AfterValidator(_currency),
]
CountryCode = Annotated[
    str,
    Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code, e.g. `GB`."),
    AfterValidator(_country),
]
IsoDuration = Annotated[
    str,
    Field(pattern=ISO_DURATION, description="ISO 8601 duration, e.g. `P10Y` for ten years."),
    AfterValidator(_duration),
]
PartialDate = Annotated[
    str,
    Field(
        pattern=PARTIAL_DATE,
        description="A date as precise as the source gives it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
    ),
    AfterValidator(_partial_date),
]
PastDate = Annotated[
    dt.date,
    Field(description="A calendar date (`YYYY-MM-DD`), not in the future."),
    AfterValidator(_not_future_date),
]
Timestamp = Annotated[
    dt.datetime,
    Field(description="An ISO 8601 timestamp with a UTC offset, not in the future."),
    AfterValidator(_not_future_datetime),
]
WikidataId = Annotated[
    str,
    Field(pattern=r"^Q[1-9][0-9]*$", description="Wikidata item id, e.g. `Q42`."),
]
Sha256 = Annotated[
    str,
    Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 digest, 64 lowercase hex digits."),
]
HTTP_URL = r"^https?://[^\s/$.?#][^\s]*$"
HttpUrl = Annotated[
    str,
    Field(
        pattern=HTTP_URL,
        description="An absolute http(s) URL.",
    ),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_exact_decimal),
    PlainSerializer(lambda d: format(d, "f"), return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": 10**32 - 1},
                {"type": "string", "pattern": DECIMAL_TEXT},
            ],
            "description": "A non-negative exact decimal: an integer, or a quoted decimal string "
            "with at most 32 digits before the point and 6 after.",
        }
    ),
]
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]
