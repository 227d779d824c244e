"""The site's output folder: files written under a staging folder and counted, the names release
files are offered under, and the move into place (only over a folder a site wrote)."""

from __future__ import annotations

import filecmp
import os
import shutil
import stat
from pathlib import Path

from claimtrack.site.source import SiteError

MARKER = ".claimtrack-site"


class SiteWriter:
    """Writes the files of the site under a staging folder, counting them. With ``previous``
    (the site being replaced), a file whose bytes are already there is linked from it, not
    written: it keeps its time, so a host that syncs by time or a reader's cache sees only
    what changed."""

    def __init__(self, folder: Path, previous: Path | None = None) -> None:
        self.folder = folder
        self.previous = previous
        self.files = 0
        self.pages = 0
        self.bytes = 0
        self.kept = 0  # files linked from the previous site, unchanged
        self._folders: dict[str, bool] = {}  # the previous site's folders: real ones, not links

    def write(self, rel: str, data: str | bytes) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        old = self._unchanged(rel, len(raw))
        if self.previous is not None:
            path.unlink(missing_ok=True)  # a name written twice: never write through a link
        if old is not None and _same_bytes(old, raw) and _linked(old, path):
            self.kept += 1
        else:
            path.write_bytes(raw)
        self.files += 1
        self.pages += rel.endswith(".html")
        self.bytes += len(raw)

    def copy(self, rel: str, data: bytes | Path) -> None:
        """A file of the release, from memory or copied from where it is."""
        if isinstance(data, bytes):
            self.write(rel, data)
            return
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        size = data.stat().st_size
        old = self._unchanged(rel, size)
        if self.previous is not None:
            path.unlink(missing_ok=True)
        if old is not None and filecmp.cmp(old, data, shallow=False) and _linked(old, path):
            self.kept += 1
        else:
            shutil.copyfile(data, path)
        self.files += 1
        self.bytes += size

    def _unchanged(self, rel: str, size: int) -> Path | None:
        """The previous site's file at ``rel`` when it is a plain file of ``size`` bytes, in
        folders of the site itself (none of them a link to elsewhere)."""
        if self.previous is None or not self._real_folder(rel.rpartition("/")[0]):
            return None
        old = self.previous / rel
        try:
            found = old.lstat()
        except OSError:
            return None
        return old if stat.S_ISREG(found.st_mode) and found.st_size == size else None

    def _real_folder(self, rel: str) -> bool:
        """Whether the previous site's folder ``rel`` (and each above it) is a folder, not a
        link: a file is only ever linked from inside the site."""
        if not rel:
            return True
        if rel not in self._folders:
            parent, _, _ = rel.rpartition("/")
            try:
                mode = (self.previous / rel).lstat().st_mode if self.previous else 0
            except OSError:
                mode = 0
            self._folders[rel] = self._real_folder(parent) and stat.S_ISDIR(mode)
        return self._folders[rel]


def _same_bytes(path: Path, raw: bytes) -> bool:
    try:
        return path.read_bytes() == raw
    except OSError:
        return False


def _linked(old: Path, path: Path) -> bool:
    """``path`` made a second name of ``old`` (False where links cannot be made: a file
    system without them, another device)."""
    try:
        os.link(old, path, follow_symlinks=False)
    except OSError:
        return False
    return True


# release files a browser may show as they are; any other is offered under a name no browser
# runs (an archived web page's scripts would run on the site's origin, with its cookies)
INERT_SUFFIXES = {
    ".csv",
    ".parquet",
    ".json",
    ".jsonl",
    ".jsonld",
    ".cff",
    ".md",
    ".txt",
    ".tsv",
    ".yaml",
}


def served_name(path: str) -> str:
    """Where the site offers a release file: its own path, or, for a file a browser could run
    (an archived page `.orig.html`, an SVG, a PDF, a web archive), that path with `.txt` added,
    which static hosts serve as plain text."""
    suffix = Path(path).suffix.lower()
    return path if suffix in INERT_SUFFIXES else f"{path}.txt"


def checked_target(target: Path, releases: Path | None) -> Path:
    """The output folder, made absolute, with its parent made; refused when it is a link, not a
    folder, or inside the dataset's releases (``releases``)."""
    target = Path(os.path.normpath(target.absolute()))  # `x/..` names the folder it is
    if target.is_symlink():
        raise SiteError(
            "the output is a symbolic link; a site never replaces a link or what it points to",
            path=target,
            hint="give the folder itself, or a new folder",
        )
    if (target.exists() and not target.is_dir()) or target.parent == target:
        raise SiteError("the output is not a folder", path=target, hint="give a folder")
    if releases is not None and target.resolve().is_relative_to(releases.resolve()):
        raise SiteError(
            "the output is inside dataset/, where releases are immutable",
            path=target,
            hint="write the site outside the dataset's releases, e.g. -o public",
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SiteError(
            f"cannot make the output's folder: {error.strerror}",
            path=target.parent,
            hint="give a folder under one you can write to",
        ) from None
    return target


def replace(staging: Path, target: Path) -> None:
    """Move the built site into place; an existing folder is replaced only if it is a site."""
    if target.exists() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise SiteError(
            "the output folder exists and is not a claimtrack site; nothing was replaced",
            path=target,
            hint="give an empty or new folder, or one a previous `claimtrack site` wrote",
        )
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
