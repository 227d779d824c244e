"""A claim as a readable card (rich renderables; the CLI prints them)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from claimtrack.escape import visible
from claimtrack.model.records import AccessValue, Claim, JurisdictionValue, MoneyValue, TextValue

_SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass(frozen=True)
class QuoteContext:
    """A quote inside its surrounding sentence(s) of the archived text."""

    before: str
    quote: str
    after: str


def quote_context(text: str, start: int, end: int) -> QuoteContext:
    """The sentence around ``text[start:end]``: from the previous sentence end to the next."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    match = _SENTENCE_END.search(text, max(end - 1, start))
    right = match.end() if match else len(text)
    right = max(right, end)
    return QuoteContext(text[left:start].lstrip(), text[start:end], text[end:right].rstrip())


def _amount(value: object) -> str:
    return f"{value:,}" if value is not None else "?"


def describe_value(claim: Claim) -> str | None:
    """The structured value in words, e.g. `GBP 500,000,000 – 1,000,000,000 over P10Y`."""
    v = claim.value
    if isinstance(v, MoneyValue):
        figure = (
            _amount(v.amount) if v.amount is not None else f"{_amount(v.min)} – {_amount(v.max)}"
        )
        period = f" over {v.period}" if v.period else ""
        return f"{v.currency} {figure}{period}" + (" (estimate)" if v.estimate else "")
    if isinstance(v, JurisdictionValue):
        return f"{v.object}: {v.constraint.value.replace('_', ' ')} {', '.join(v.countries)}"
    if isinstance(v, AccessValue):
        return f"{v.party}: {v.access.value} access to {v.object}"
    if isinstance(v, TextValue):
        return v.text
    return None


def _text(text: str, style: str = "") -> Text:
    """A line of the card: data shown as text, control characters made visible, never markup."""
    return Text(visible(text, newlines=True), style=style)


def _indented(line: Text | str, indent: int, style: str = "") -> Padding:
    """A line whose wrapped continuation keeps its indent (a hanging paragraph)."""
    text = line if isinstance(line, Text) else _text(line, style)
    return Padding(text, (0, 0, 0, indent))


QUOTE_MARKS = (">>", "<<")  # around the quoted words when there is no colour to show them


def _one_line(text: str) -> str:
    return visible(text.replace("\n", " "))


def card(claim: Claim, seed_texts: dict[str, str], *, marks: bool = False) -> RenderableType:
    """Statement, value, status timeline, attribution chain, quotes in context, responses;
    with ``marks``, the quoted words inside their context are marked `>>like this<<` (for
    output without colour)."""
    parts: list[RenderableType] = [_text(claim.statement, style="bold")]
    if claim.original:
        parts.append(
            _text(f"Original ({claim.original.language}): {claim.original.text}", style="italic")
        )
    parts.append(_text(f"Kind: {claim.kind.value}"))
    value = describe_value(claim)
    if value:
        parts.append(_text(f"Value: {value}"))
    parts.append(_text(f"\nStatus: {claim.status.value}", style="bold"))
    for entry in claim.history:
        parts.append(_indented(f"{entry.date}  {entry.status.value:<22} {entry.reason}", 2))
    parts.append(_text("\nAttribution", style="bold"))
    for i, link in enumerate(claim.attribution):
        extra = "".join(
            f" ({label}{val})"
            for label, val in (
                ("as described: ", link.as_described),
                ("", link.context),
                ("seed ", link.seed),
            )
            if val
        )
        parts.append(
            _indented(f"{i + 1}. {link.role.value}: {link.name} [{link.type.value}]{extra}", 2)
        )
    parts.append(_text("\nEvidence", style="bold"))
    for quote in claim.evidence:
        where = quote.locator or f"[{quote.start}:{quote.end}]"
        parts.append(_indented(f"{quote.id} · seed {quote.seed} {where}", 2))
        text = seed_texts.get(quote.seed)
        if text is not None and quote.start is not None and quote.end is not None:
            ctx = quote_context(text, quote.start, quote.end)
            left, right = QUOTE_MARKS if marks else ("", "")
            line = Text.assemble(
                _one_line(ctx.before),
                (left + _one_line(ctx.quote) + right, "bold yellow"),
                _one_line(ctx.after),
            )
            parts.append(_indented(line, 4))
        else:
            parts.append(_indented(quote.text, 4))
        if quote.translation:
            t = quote.translation
            parts.append(
                _indented(f"translation ({t.language}, {t.method.value}): {t.text}", 4, "dim")
            )
    if claim.responses:
        parts.append(_text("\nResponses", style="bold"))
        for r in claim.responses:
            via = f", asked by {r.asked_by}" if r.asked_by else ""
            words = f": “{r.words}”" if r.words else ""
            parts.append(_indented(f"{r.party}: {r.response.value}{via}{words}", 2))
    if claim.notes:
        parts.append(_text(f"\nNotes: {claim.notes}", style="dim"))
    return Panel(Group(*parts), title=visible(claim.id), title_align="left")
