"""LIAR (Wang, 2017): tab-separated PolitiFact statements; quotes are character spans of the TSV."""

from __future__ import annotations

from claimtrack.interop.drafts import Draft, Parsed, asserter, claim_fields, quote, relay
from claimtrack.model.ids import slug
from claimtrack.model.labels import LIAR

_BLANK = " \t\r\n\ufeff"  # blanks, and the byte order marks some LIAR statements carry


def parse_liar(text: str, seed: str, name: str) -> Parsed:
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        where = f"{name}:{number}"
        cols = line.rstrip("\r").split("\t")
        if len(cols) != 14:
            yield (where, f"expected 14 tab-separated fields, found {len(cols)}")
            continue
        record_id, label = cols[0].strip().lstrip("\ufeff"), cols[1].strip()
        statement = cols[2]
        status = LIAR.status_of(label)
        if status is None:
            yield (where, f"unknown label `{label}`; known: {', '.join(LIAR.imports)}")
            continue
        if not statement.strip():
            yield (where, "empty statement")
            continue
        claim_id = "liar-" + slug(record_id.removesuffix(".json"))
        if claim_id == "liar-":
            yield (where, f"unusable record id `{record_id}`")
            continue
        speaker = " ".join(cols[4].split())
        context = ", ".join(
            p for p in (" ".join(c.split()) for c in (cols[5], cols[6], cols[7])) if p
        )
        venue = " ".join(cols[13].split())
        extra = {"as_described": speaker}
        link = asserter(speaker, "unknown", "Unnamed speaker (blank in LIAR)", **extra)
        if context or venue:
            link["context"] = "; ".join(p for p in (context, venue and f"venue: {venue}") if p)
        field_start = start + sum(len(c) + 1 for c in cols[:2])
        lead = len(statement) - len(statement.lstrip(_BLANK))
        quoted = statement.strip(_BLANK)
        yield Draft(
            claim_id=claim_id,
            fields=claim_fields(
                quoted,
                [link, relay(f"LIAR dataset file {name}", seed)],
                quote(seed, quoted, start=field_start + lead),
                [{"system": "liar", "id": record_id}],
                topics=sorted({t for t in (slug(x) for x in cols[3].split(",")) if t}),
            ),
            status=status,
            label=label,
            rated_by="PolitiFact",
            date=None,
            reason=f"Rated `{label}` by PolitiFact, as recorded in LIAR; the rating date is not in "
            "the data, so the date is the import's.",
        )
