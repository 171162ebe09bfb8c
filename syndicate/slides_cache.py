"""A cache of the slow slide files (PPTX and carousel images), so a build redraws only what changed.

Drawing ten images and a PPTX takes about a second an article; putting them
back takes a hard link each (a copy where links cannot be made). An entry is
keyed by everything that decides how the files look: the outline, the brand,
the pictures' files, the font, and the code that draws them, so a change to
any of these redraws. It lives in ``.cache/slides/`` beside ``mkdocs.yml``
(ignored by Git; a CI workflow can keep it between runs), and entries no
article used in a build are removed at its end. Each entry's manifest holds
its files' sizes, times and file numbers: a file written into since (through
the site's link to it) no longer matches, and the entry is drawn again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from pathlib import Path

from . import fonts
from .build_cache import file_stamp, place_file

MANIFEST = "files.json"  # name -> [size, time (ns), file number] of each file, written last

# The modules whose code decides what the cached files look like.
_DRAWING = ("fonts.py", "outline.py", "slides.py", "slides_layout.py", "slides_pptx.py", "slides_carousel.py")


@functools.lru_cache(maxsize=1)
def _code_digest() -> bytes:
    import PIL  # only when a drawn format is cached: a build of HTML decks alone never loads python-pptx
    import pptx

    digest = hashlib.sha256(f"{PIL.__version__} {pptx.__version__}".encode())
    here = Path(__file__).parent
    for name in _DRAWING:
        digest.update((here / name).read_bytes())
    digest.update(fonts.font_path().read_bytes())
    digest.update(fonts.font_path(bold=True).read_bytes())
    return digest.digest()


def _stat(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


class DeckCache:
    """Finished slide files by key; a no-op when ``root`` is None (``cache: false``)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.used: set[str] = set()

    def key(self, *parts: object, files: tuple[Path, ...] = ()) -> str:
        """A key for everything that decides how the files look (``repr`` of frozen dataclasses)."""
        digest = hashlib.sha256(_code_digest())
        for part in parts:
            digest.update(repr(part).encode())
        for path in files:
            digest.update(_stat(path).encode())
        return digest.hexdigest()[:32]

    def restore(self, key: str, folder: Path) -> list[Path] | None:
        """Put a cached entry's files into ``folder``; None when there is no such entry, or it changed."""
        if self.root is None:
            return None
        entry = self.root / key
        try:
            stamps = json.loads((entry / MANIFEST).read_bytes())
            if any(tuple(stamp) != file_stamp(entry / name) for name, stamp in stamps.items()):
                raise ValueError(f"{entry} changed since it was kept")
        except (OSError, ValueError, TypeError, AttributeError):
            shutil.rmtree(entry, ignore_errors=True)  # the site's links to its files stay
            return None
        self.used.add(key)
        written = []
        for name in stamps:
            target = folder / name
            place_file(entry / name, target)
            written.append(target)
        return written

    def store(self, key: str, folder: Path, files: list[Path]) -> None:
        """Keep files just written into ``folder`` (linked, not copied)."""
        if self.root is None:
            return
        self.used.add(key)
        entry = self.root / key
        stamps = {}
        for path in files:
            name = path.relative_to(folder).as_posix()
            place_file(path, entry / name)
            stamps[name] = list(file_stamp(entry / name))
        # Written last: an entry interrupted half-way has no manifest and is never restored.
        temporary = entry / f".{MANIFEST}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(stamps), encoding="utf-8")
        os.replace(temporary, entry / MANIFEST)

    def prune(self) -> None:
        """Remove the entries no article used in this build (edited or deleted articles)."""
        if self.root is None or not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry.is_dir() and entry.name not in self.used:
                shutil.rmtree(entry, ignore_errors=True)
