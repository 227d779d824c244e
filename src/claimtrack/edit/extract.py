"""The text of a source document to archive: plain text, HTML, PDF, or a record of a WARC file.

Extraction is deterministic (the same bytes give the same text) and uses well-kept libraries:
trafilatura for the main text of a web page (no navigation, cookie banners or comments) and
the metadata it declares, pypdf for the text layer of a PDF, warcio for web archives. They are
the optional extra `claimtrack[archive]`; plain text needs none of them.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack.exc import InputError
from claimtrack.store.files import MAX_SEED_BYTES

_LANG = re.compile(
    rb"<html\b[^>]*\blang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.IGNORECASE
)


@dataclass(frozen=True)
class Extracted:
    """The archived text of a document, where it came from, and what the document declares."""

    text: str
    kind: str  # text, html or pdf: what the text was extracted from
    original_media_type: str | None  # None when the text is the file itself
    declared: dict[str, str] = field(default_factory=dict)  # title, author, published, url...
    extracted_with: str | None = None


def _missing(library: str) -> InputError:
    return InputError(
        f"archiving this kind of file needs {library}, which is not installed",
        hint="pip install 'claimtrack[archive]'",
    )


def _version(distribution: str) -> str:
    return f"{distribution} {importlib.metadata.version(distribution)}"


def kind_of(path: Path, raw: bytes) -> str:
    """What a file is, from its name and its first bytes."""
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if raw.startswith(b"%PDF-") or name.endswith(".pdf"):
        return "pdf"
    head = raw[:2048].lstrip().lower()
    if name.endswith((".html", ".htm")) or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def plain_text(raw: bytes, encoding: str | None) -> str:
    """A text file's content: UTF-8 unless ``encoding`` names another."""
    try:
        text = raw.decode(encoding or "utf-8")
    except LookupError:
        raise InputError(f"`{encoding}` is not an encoding Python knows") from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"the file is not {encoding or 'UTF-8'} (byte 0x{raw[error.start]:02x} at offset "
            f"{error.start})",
            hint="give its encoding with --encoding, e.g. --encoding latin-1",
        ) from None
    return text.removeprefix("\ufeff")


MAX_HTML_BYTES = 32 << 20  # a web page: news pages are well under 5 MB; past this, refused


def html_text(raw: bytes) -> Extracted:
    """The main text of a web page, and the metadata it declares."""
    if len(raw) > MAX_HTML_BYTES:
        raise InputError(
            f"the web page is {len(raw):,} bytes; pages of more than {MAX_HTML_BYTES:,} are not "
            "read",
            hint="save the article's own page (or its text, as a .txt file) and archive that",
        )
    try:
        import trafilatura  # noqa: PLC0415 - optional, heavy
    except ImportError:
        raise _missing("trafilatura") from None
    text = trafilatura.extract(
        raw,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        favor_precision=True,
    )
    if not text or not text.strip():
        raise InputError(
            "no main text could be extracted from this page",
            hint="archive the page's text as a .txt file instead",
        )
    meta = trafilatura.extract_metadata(raw)
    declared: dict[str, str] = {}
    if meta is not None:
        # not the site name: trafilatura falls back on the host name, a guess, not a declaration
        pairs = (
            ("title", meta.title),
            ("author", meta.author),
            ("published", meta.date),
            ("url", meta.url),
        )
        declared = {k: str(v).strip() for k, v in pairs if v and str(v).strip()}
    language = _LANG.search(raw[:8192])
    if language:
        declared["language"] = language.group(1).decode("ascii")
    return Extracted(text.strip() + "\n", "html", "text/html", declared, _version("trafilatura"))


def pdf_text(raw: bytes) -> Extracted:
    """The text layer of a PDF, page by page (pages apart by a blank line)."""
    try:
        from pypdf import PdfReader  # noqa: PLC0415 - optional
        from pypdf.errors import PdfReadError  # noqa: PLC0415
    except ImportError:
        raise _missing("pypdf") from None
    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info: Any = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise InputError(f"the PDF cannot be read: {error}") from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise InputError(
            "the PDF has no text layer (a scan?)",
            hint="run OCR on it first, then archive the text it gives as a .txt file",
        )
    declared = {
        k: str(info.get(key)).strip()
        for k, key in (("title", "/Title"), ("author", "/Author"))
        if info.get(key) and str(info.get(key)).strip()
    }
    return Extracted(text + "\n", "pdf", "application/pdf", declared, _version("pypdf"))


@dataclass(frozen=True)
class WarcRecord:
    url: str
    date: str
    content_type: str
    payload: bytes


MAX_PAYLOAD = MAX_SEED_BYTES  # bytes of one record's payload, once decompressed
_WARC_START = (b"WARC/", b"\x1f\x8b")  # a WARC file, or a gzipped one


def _archive_iterator(raw: bytes) -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator  # noqa: PLC0415 - optional
    except ImportError:
        raise _missing("warcio") from None
    if not raw.lstrip(b"\r\n").startswith(_WARC_START):
        raise InputError(
            "the file is not a WARC web archive (it does not start with a WARC record)",
            hint="archive it under its own kind (.txt, .html, .pdf), or give the .warc file",
        )
    return ArchiveIterator(io.BytesIO(raw))


def _unreadable(error: BaseException) -> InputError:
    return InputError(
        f"the WARC file cannot be read: {str(error)[:200] or type(error).__name__}",
        hint="check that the file is a whole WARC archive (truncated or damaged files are refused)",
    )


def _payload(record: Any, url: str) -> bytes:
    """A record's payload, decoded, within :data:`MAX_PAYLOAD`; a record cut short (its block
    ends before the length its header gives) is refused."""
    payload: bytes = record.content_stream().read(MAX_PAYLOAD + 1)
    if len(payload) > MAX_PAYLOAD:
        raise InputError(
            f"the response record for {url[:200]} expands to more than {MAX_PAYLOAD:,} bytes",
            hint="archive the part of the document the claims quote",
        )
    while record.raw_stream.read(1 << 16):  # what the decoder left, within the file
        pass
    if getattr(record.raw_stream, "limit", 0):
        raise InputError(
            f"the WARC response record for {url[:200]} is cut short",
            hint="archive a whole WARC file (this one ends inside a record)",
        )
    return payload


def warc_records(raw: bytes, wanted: str | None = None) -> list[WarcRecord]:
    """The response records of a WARC file (gzipped or not): each one's URL, date and type, and
    the payload only of the one whose URL is ``wanted`` (of each, when None), read within
    :data:`MAX_PAYLOAD` bytes once decompressed, so that a small archive cannot expand into
    gigabytes."""
    from warcio.exceptions import ArchiveLoadFailed  # noqa: PLC0415 - optional

    records = []
    try:
        for record in _archive_iterator(raw):
            if record.rec_type != "response":
                continue
            headers = record.http_headers
            url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
            payload = b""
            if wanted is None or url == wanted:
                payload = _payload(record, url)
            records.append(
                WarcRecord(
                    url,
                    str(record.rec_headers.get_header("WARC-Date") or ""),
                    str(headers.get_header("Content-Type") or "") if headers else "",
                    payload,
                )
            )
    except InputError:
        raise
    except (ValueError, OSError, EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise _unreadable(error) from None
    except (ArchiveLoadFailed, IndexError, KeyError, UnicodeError) as error:
        raise _unreadable(error) from None
    return records


def from_warc(raw: bytes, record_url: str | None) -> tuple[WarcRecord, Extracted]:
    """The response record for ``record_url`` (the only one when not given), extracted."""
    records = warc_records(raw, record_url if record_url is not None else "")
    chosen = [r for r in records if record_url is None or r.url == record_url]
    if len(chosen) != 1:
        urls = ", ".join(r.url for r in records[:10]) or "none"
        what = "no" if not chosen else f"{len(chosen)}"
        raise InputError(
            f"the WARC file holds {what} response record(s) for {record_url or 'this file'}",
            hint=f"pick one with --record-url; response records: {urls}",
        )
    record = chosen[0]
    if record_url is None:  # the only record: its payload, read now (within the budget)
        (record,) = warc_records(raw, record.url)
    if "html" in record.content_type.lower() or kind_of(Path("x"), record.payload) == "html":
        return record, html_text(record.payload)
    if "pdf" in record.content_type.lower():
        return record, pdf_text(record.payload)
    return record, Extracted(plain_text(record.payload, None), "text", "application/warc")


def extract(path: Path, raw: bytes, *, encoding: str | None, record_url: str | None) -> Extracted:
    """The archived text of ``path`` (its bytes ``raw``), by what kind of file it is."""
    kind = kind_of(path, raw)
    if kind == "warc":
        record, extracted = from_warc(raw, record_url)
        declared = dict(extracted.declared)
        declared.setdefault("url", record.url)
        if record.date:
            declared["retrieved"] = record.date[:10]
        tools = "; ".join(t for t in (_version("warcio"), extracted.extracted_with) if t)
        return Extracted(extracted.text, extracted.kind, "application/warc", declared, tools)
    if kind == "html":
        return html_text(raw)
    if kind == "pdf":
        return pdf_text(raw)
    text = plain_text(raw, encoding)
    title = text_title(text)
    return Extracted(text, "text", None, {"title": title} if title else {})


MAX_TITLE = 150  # a headline; a longer first line is the text itself


def text_title(text: str) -> str | None:
    """A plain text's title: its first line, when it reads as a heading (short, not a
    sentence: no end punctuation) and a blank line or more text follows it."""
    lines = text.lstrip().split("\n", 2)
    first = " ".join(lines[0].split())
    if len(lines) < 2 or not 2 <= len(first) <= MAX_TITLE:
        return None
    if first[-1] in ".,;:!?…" or (lines[1].strip() and len(lines) < 3):
        return None
    return first
