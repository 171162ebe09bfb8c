"""The image link previews show for an article: its hero image, made to measure.

Open Graph asks for the image's width and height, and a template cannot read
an image file, so the build writes ``share.jpg`` beside each article's page,
cropped and scaled to exactly ``SIZE``, and ``overrides/partials/trust-data.html``
points ``og:image`` and ``twitter:image`` at it with those numbers. Written
afresh, the file also carries none of the original's EXIF data (GPS position,
camera), whatever the writer's photo held.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

from .config import Settings
from .errors import ContentError, Problem
from .site import SitePage

if TYPE_CHECKING:  # build imports this module's step lazily; only the type is needed here
    from datetime import datetime

    from .build import Published

# 1.91:1, the size Facebook and LinkedIn recommend and X's summary_large_image
# accepts (https://developers.facebook.com/docs/sharing/webmasters/images/,
# https://developer.x.com/en/docs/x-for-websites/cards/overview/summary-card-with-large-image).
# The templates state the same numbers: change both together.
SIZE = (1200, 630)
FILENAME = "share.jpg"
QUALITY = 85  # well under the platforms' size caps (Bluesky's link card thumb: 1,000,000 bytes)


def share_image_path(page: SitePage) -> Path:
    """Where the article's preview image goes in the built site."""
    if page.path.name == "index.html":
        return page.path.parent / FILENAME
    return page.path.with_name(page.path.stem + "." + FILENAME)


def share_image_url(page: SitePage) -> str:
    """The preview image's absolute URL, as the page's ``og:image`` states it."""
    if page.url.endswith("/"):
        return page.url + FILENAME
    return page.url.removesuffix(".html") + "." + FILENAME


def make_share_image(source: Path, dest: Path) -> None:
    """Crop and scale ``source`` to ``SIZE`` around its centre and save it as JPEG, without metadata."""
    with Image.open(source) as original:
        image = ImageOps.exif_transpose(original)  # a phone photo's "rotate me" flag, applied
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGBA", image.size, "white")  # JPEG has no transparency
            image = Image.alpha_composite(background, image)
        fitted = ImageOps.fit(image.convert("RGB"), SIZE, Image.Resampling.LANCZOS)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fitted.save(dest, "JPEG", quality=QUALITY, optimize=True, progressive=True)


def _made(job: tuple[Path, Path]) -> str | None:
    """Make one share image (in a worker process); the error's text when the picture cannot be read."""
    source, dest = job
    try:
        make_share_image(source, dest)
    except FileNotFoundError:
        return ""
    except (UnidentifiedImageError, OSError) as exc:
        return str(exc) or type(exc).__name__
    return None


def write_share_images(settings: Settings, published: list[Published], now: datetime) -> list[Path]:
    """Write ``share.jpg`` for every published article that has a hero image.

    Each one is kept in the build cache by its picture's content, so a rebuild
    copies it instead of scaling and compressing the picture again; the others
    are made on every processor.
    """
    from . import parallel
    from .build_cache import FileDigests, StepCache

    cache = StepCache(settings, "share-images")
    digests = FileDigests(settings, "share-images")
    chosen = [item for item in published if item.article.image]
    jobs: dict[Path, tuple[Path, Path]] = {}  # dest -> (source, dest) of the images not kept
    keys: dict[Path, str] = {}
    for item in chosen:
        source = settings.docs_dir / str(item.article.image)
        dest = share_image_path(item.page)
        keys[dest] = cache.key(digests(source))
        if not cache.restore(keys[dest], dest, ".jpg"):
            jobs[dest] = (source, dest)
    failures = dict(zip(jobs, parallel.run(_made, list(jobs.values())), strict=True))
    written: list[Path] = []
    problems: list[Problem] = []
    for item in chosen:
        article = item.article
        dest = share_image_path(item.page)
        error = failures.get(dest)
        if error == "":
            problems.append(Problem(path=article.source, line=article.line_of("image"),
                                    message=f"the image '{article.image}' does not exist",
                                    hint=f"Put the picture at {settings.docs_dir.name}/{article.image}, "
                                         "or correct the path", code="image-missing"))
            continue
        if error is not None:
            problems.append(Problem(path=article.source, line=article.line_of("image"),
                                    message=f"the image '{article.image}' cannot be read ({error})",
                                    hint="Save it as JPEG or PNG", code="image-unreadable"))
            continue
        if dest in jobs:
            cache.store(keys[dest], dest, ".jpg")
        written.append(dest)
    if problems:
        raise ContentError(problems)
    digests.save()
    cache.prune()
    return written
