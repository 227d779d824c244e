"""The rule catalogue: every rule code a finding can carry, with what it means (docs/rules.md)."""

from __future__ import annotations

RULES: dict[str, str] = {
    # file: reading bytes
    "file.unreadable": "The file cannot be read (permissions, I/O error).",
    "file.not-a-file": "A folder or special file stands where a record file is expected.",
    "file.symlink": "A record file is a symbolic link; links may lead outside the dataset.",
    "file.too-large": "The file is over 1 MiB; record files are a few KB.",
    "file.empty": "The file holds no YAML document (empty, or comments only).",
    "file.binary": "The file contains NUL bytes: it is binary, not text.",
    "file.encoding": "The file is not UTF-8 (invalid bytes, UTF-16, or a byte order mark).",
    "file.too-many-findings": "More than 100 findings in one file: the first 100 are reported.",
    # yaml: safe, unambiguous YAML
    "yaml.syntax": "The text is not valid YAML.",
    "yaml.multiple-documents": "The file holds more than one YAML document (`---`).",
    "yaml.duplicate-key": "A mapping has the same key twice; YAML loaders silently keep one.",
    "yaml.alias": "Anchors and aliases are refused (they allow billion-laughs expansion).",
    "yaml.tag": "An explicit YAML tag such as `!!python/object` is refused: no code from data.",
    "yaml.key-type": "A mapping key is not a plain string.",
    "yaml.too-deep": "Nesting deeper than 32 levels, or more than 2000 flow brackets.",
    "yaml.value": "A scalar that cannot be read (e.g. an integer with thousands of digits).",
    # schema: the committed JSON Schema
    "schema.required": "A required field is missing.",
    "schema.unknown-field": "A field the schema does not define (often a typo).",
    "schema.type": "A value of the wrong type; unquoted YAML 1.1 values (`no`, `0755`, "
    "`12:30:00`) are explained.",
    "schema.enum": "A value outside its controlled vocabulary.",
    "schema.const": "A value that must be one fixed value (e.g. `schema_version`).",
    "schema.pattern": "A string not in its expected form (ids, codes, durations).",
    "schema.format": "A string that is not a valid date or timestamp.",
    "schema.minItems": "A list with fewer items than required.",
    "schema.minLength": "An empty string where text is required.",
    "schema.maxLength": "A string longer than allowed (statements: 300 characters).",
    "schema.invalid": "A value that fits none of the allowed shapes.",
    "schema.stale": "The committed schema does not match claimtrack's models.",
    "schema.missing": "A committed schema file is missing.",
    # model: rules across fields of one record
    "model.future-date": "A date or timestamp in the future.",
    "model.naive-timestamp": "A timestamp without a time zone (add `Z` or an offset).",
    "model.invalid-date": "A partial date that is not a real calendar date.",
    "model.unknown-currency": "Not an ISO 4217 currency code.",
    "model.unknown-country": "Not an ISO 3166-1 alpha-2 country code.",
    "model.inexact-amount": "A money amount given as a float (inexact).",
    "model.invalid-amount": "A money amount that is not a plain decimal number.",
    "model.invalid-duration": "An empty ISO 8601 duration such as `P` or `PT`.",
    "model.money-shape": "A money value with both `amount` and a range, or with neither.",
    "model.range-order": "A range whose `min` is greater than its `max`.",
    "model.history-order": "Status history entries out of date order.",
    "model.status-mismatch": "`status` differs from the last history entry's status.",
    "model.timestamp-order": "`updated` is earlier than `created`.",
    "model.duplicate-quote-id": "Two quotes of one claim share an id.",
    "model.offset-order": "A quote's `end` is not after its `start`.",
    "model.quote-position": "A quote has neither offsets nor a locator, or both.",
    "model.unknown-quote": "A history entry or response cites a quote id the claim lacks.",
    "model.relay-seed": "A `relay` attribution link names no archived seed.",
    "model.missing-relay": "The attribution chain has no `relay` link to an archived document.",
    "model.schema-version": "A status or response term that the claim's `schema_version` does "
    "not have yet.",
    "model.review-before-claim": "A rater's review (`published`, or the entry's date) predates "
    "the claim's `claim_date`.",
    "model.corrections-order": "Corrections out of date order.",
    "model.budget-reason": "A seed's quote budget is above the default 25% without a reason.",
    # cross-record
    "id.file-name": "A record's id differs from its file name.",
    "id.duplicate": "Two records share an id, compared ignoring case.",
    "seed.missing": "A claim refers to a seed that is not archived under seeds/.",
    "seed.text-missing": "A seed's archived text file is missing, or outside seeds/.",
    "seed.hash-mismatch": "A seed's archived text (or original file) no longer has its recorded "
    "SHA-256.",
    "seed.encoding": "A seed's archived text is not UTF-8.",
    "seed.unreadable": "A seed's archived text cannot be read (permissions, I/O error).",
    "seed.original-missing": "The file a seed's text was extracted from is not in seeds/.",
    "seed.too-large": "A seed's archived text is over 64 MiB.",
    "seed.orphan": "A file in seeds/ that no seed names (left by an interrupted `seed add`).",
    "evidence.not-found": "A quote does not occur in its seed (whitespace and quote marks aside).",
    "evidence.offsets": "A quote occurs in its seed, but `start`/`end` do not point at it.",
    "evidence.original-not-found": "The claim's `original.text` occurs in none of the seeds its "
    "quotes come from (whitespace and quote marks aside).",
    "evidence.locator": "A quote's `locator` does not lead to a string in its JSON seed.",
    "evidence.before-source": "A status entry is dated before a source it cites as evidence was "
    "published.",
    "evidence.claim-after-appearance": "`claim_date` is after the publication of the claim's "
    "earliest source (its first known appearance).",
    # publication: what a release may carry
    "publish.quote-budget": "The published quotes of a `quotes_only` source cover more of its "
    "text than its quote budget allows (default: a quarter).",
    "publish.quote-too-long": "A quote of a `quotes_only` source is longer than its budget's "
    "longest quote (default: 200 characters).",
    "identity.invalid": "`dataset.yaml` (the dataset's identity) is not valid.",
}
