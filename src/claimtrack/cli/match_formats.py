"""How `match` and `watch` write their proposals, by `--format`: text for a terminal, JSON for
programs, Markdown for a pull request's review list. Passages and statements are untrusted
text: escaped for each."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from claimtrack.escape import json_text, markdown_code, markdown_text, visible
from claimtrack.track.match import LIKELY, Proposal
from claimtrack.track.run import MatchReport
from claimtrack.track.watch import WatchResult

SHOWN_CHARS = 300  # of a passage, in text and Markdown (JSON has it whole)


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_CHARS else flat[: SHOWN_CHARS - 1] + "…"


def _signals(p: Proposal) -> str:
    s = p.signals
    parts = []
    if s["words"]:
        parts.append("words: " + ", ".join(s["words"][:12]))
    if s["values"]:
        parts.append("values: " + ", ".join(s["values"]))
    if s["entities"]:
        parts.append("entities: " + ", ".join(s["entities"]))
    lang = s["language"]
    via = f" via {lang['via']}" if lang["via"] else ""
    parts.append(
        f"language: {lang['passage']}{via}" + (" (across languages)" if lang["across"] else "")
    )
    if s.get("meaning") is not None:
        parts.append(f"meaning: {s['meaning']:.2f}")
    if s["conflict"]:
        parts.append(f"conflict: {s['conflict']}")
    if s["other_names"]:
        parts.append("names only others: " + ", ".join(s["other_names"][:6]))
    return "; ".join(parts)


def _where(p: Proposal) -> str:
    return f"{p.source} [{p.passage.start}:{p.passage.end}]"


def as_text(report: MatchReport) -> str:
    lines = []
    for p in report.matches:
        flag = "likely" if p.likely else "maybe "
        lines += [
            visible(
                f"{p.score:.2f} {flag} {p.claim}"
                + (" (contradicts)" if p.relation == "contradicts" else "")
            ),
            visible(f"    claim:   {_cut(p.statement)}"),
            visible(f"    passage: {_where(p)} {_cut(p.passage.text)}"),
            visible(f"    signals: {_signals(p)}"),
            visible(f"    record:  {p.command}"),
            "",
        ]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: MatchReport) -> str:
    likely = len(report.likely)
    text = (
        f"{len(report.matches)} proposal(s), {likely} likely (score >= {LIKELY}), from "
        f"{report.passages} passage(s) of {len(report.sources)} source(s) against "
        f"{report.claims} claim(s)"
    )
    if report.recorded:
        text += f"; {report.recorded} left out: the claim quotes that passage already"
    if report.skipped:
        text += "\n" + "\n".join(visible(f"skipped {f}: {why}") for f, why in report.skipped)
    return text


def as_json(report: MatchReport) -> str:
    body: dict[str, Any] = {
        "matches": [p.as_json() for p in report.matches],
        "likely_threshold": LIKELY,
        "sources": [s.name for s in report.sources],
        "passages": report.passages,
        "claims": report.claims,
        "skipped": [{"file": f, "why": why} for f, why in report.skipped],
        "already_recorded": report.recorded,
    }
    return json_text(json.dumps(body, ensure_ascii=False, indent=2)) + "\n"


def as_markdown(report: MatchReport) -> str:
    lines = ["## Claims these sources may repeat", ""]
    if not report.matches:
        lines.append("No known claim found.")
    for p in report.matches:
        verdict = "likely" if p.likely else "possible"
        if p.relation == "contradicts":
            verdict += ", contradicts"
        lines += [
            f"- [ ] **{markdown_text(p.claim)}** ({p.score:.2f}, {verdict}): "
            f"{markdown_text(_cut(p.statement))}",
            "",
            f"  > {markdown_text(_cut(p.passage.text))}",
            "",
            f"  {markdown_text(_where(p))}. Signals: {markdown_text(_signals(p))}.",
            "",
            "  " + markdown_code(p.command).replace("\n", "\n  "),
            "",
        ]
    lines += ["", markdown_text(_summary(report))]
    return "\n".join(lines) + "\n"


def queue_markdown(result: WatchResult) -> str:
    """The review queue of a watch run, for a pull request."""
    lines = ["# Review queue", ""]
    lines += [f"{len(result.archived)} item(s) to review; {result.seen} seen before.", ""]
    for item in result.archived:  # a seed id is a slug: no backtick can close its code span
        title = markdown_text(item.title or "(no title)")
        lines.append(f"- seed `{item.seed}`: {title} ({markdown_text(item.origin)})")
    changes = result.status_changes
    lines += ["", "## Possible status changes", ""]
    if not changes:
        lines.append("None: no new passage contradicts a known claim.")
    for p in changes:
        lines += [
            f"- [ ] **{markdown_text(p.claim)}** ({p.score:.2f}): "
            f"{markdown_text(_cut(p.statement))}",
            "",
            f"  > {markdown_text(_cut(p.passage.text))}",
            "",
            f"  {markdown_text(_where(p))}. Signals: {markdown_text(_signals(p))}.",
            "",
        ]
    lines += [
        "",
        as_markdown(_only_likely(result.report)).replace(
            "## Claims these", "## Appearances: claims these", 1
        ),
    ]
    if result.skipped:
        lines += ["## Not archived", ""]
        lines += [f"- {markdown_text(f)}: {markdown_text(why)}" for f, why in result.skipped]
    return "\n".join(lines) + "\n"


def _only_likely(report: MatchReport) -> MatchReport:
    return MatchReport(report.likely, report.sources, report.passages, report.claims, report.index)


def queue_json(result: WatchResult) -> str:
    body = {
        "archived": [
            {"seed": i.seed, "origin": i.origin, "title": i.title, "language": i.language}
            for i in result.archived
        ],
        "seen_before": result.seen,
        "appearances": [p.as_json() for p in result.report.likely],
        "possible_status_changes": [p.as_json() for p in result.status_changes],
        "skipped": [{"item": f, "why": why} for f, why in result.skipped],
        "likely_threshold": LIKELY,
    }
    return json_text(json.dumps(body, ensure_ascii=False, indent=2)) + "\n"


# `match --format` / `watch --format` choice -> writer (cli.formats.registry lists them)
MATCH_WRITERS: dict[str, Callable[[MatchReport], str]] = {
    "text": as_text,
    "json": as_json,
    "markdown": as_markdown,
}
