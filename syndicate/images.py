"""Image files: what they are, how big, and what they tell about where and how they were taken.

Pillow stays in this module. Opening an image reads only its header, so
checking a thousand articles that share a few pictures stays fast; the results
are cached per file version.
"""

from __future__ import annotations

import functools
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

# Large link previews (Facebook, LinkedIn, X summary_large_image) want at least 1200x630
# (https://developers.facebook.com/docs/sharing/webmasters/images/).
MIN_WIDTH, MIN_HEIGHT = 1200, 630

# Formats every browser and network shows (Pillow's format names -> what people call them).
WEB_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}

# EXIF tags that tell where, when, with which device or by whom a photo was taken
# (tag numbers: https://exiftool.org/TagNames/EXIF.html and .../GPS.html).
_IFD0_TAGS = {0x010F: "camera make", 0x0110: "camera model", 0x013B: "photographer's name"}
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_EXIF_TAGS = {
    0x9003: "date and time taken",  # DateTimeOriginal
    0x9004: "date and time taken",  # DateTimeDigitized
    0xA430: "camera owner's name",
    0xA431: "camera serial number",
    0xA433: "lens make",
    0xA434: "lens model",
    0xA435: "lens serial number",
}
GPS = "GPS position"
# The same facts as XMP properties (https://developer.adobe.com/xmp/docs/XMPNamespaces/exif/).
_XMP_MARKERS = {b"exif:GPSLatitude": GPS, b"tiff:Make": "camera make", b"tiff:Model": "camera model",
                b"exif:DateTimeOriginal": "date and time taken", b"aux:SerialNumber": "camera serial number"}


@dataclass(frozen=True, kw_only=True)
class ImageInfo:
    """What Pillow could read from an image file's header."""

    path: Path
    format: str | None = None  # Pillow's name ("JPEG", "PNG"...); None when it is not a raster image
    width: int = 0
    height: int = 0
    metadata: tuple[str, ...] = ()  # what the file tells about the photo: "GPS position", "camera model"

    @property
    def is_web_format(self) -> bool:
        """Whether browsers and networks show this format."""
        return self.format in WEB_FORMATS

    @property
    def has_gps(self) -> bool:
        """Whether the file says where the photo was taken."""
        return GPS in self.metadata


def inspect_image(path: Path) -> ImageInfo:
    """Format, size and revealing metadata of an image file (never raises for a bad file)."""
    try:
        stat = path.stat()
    except OSError:
        return ImageInfo(path=path)
    return _inspect(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _inspect(path: Path, mtime_ns: int, size: int) -> ImageInfo:  # noqa: ARG001 - the cache key
    try:
        with warnings.catch_warnings():
            # Huge photos trigger Pillow's decompression-bomb warning; we only read the header.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return ImageInfo(path=path, format=image.format, width=image.width, height=image.height,
                                 metadata=_metadata(image))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return ImageInfo(path=path)


def _metadata(image: Image.Image) -> tuple[str, ...]:
    found: list[str] = []
    try:
        exif = image.getexif()
        if exif.get(_GPS_IFD) is not None and exif.get_ifd(_GPS_IFD):
            found.append(GPS)
        found += [name for tag, name in _IFD0_TAGS.items() if exif.get(tag)]
        if exif.get(_EXIF_IFD) is not None:
            sub = exif.get_ifd(_EXIF_IFD)
            found += [name for tag, name in _EXIF_TAGS.items() if sub.get(tag)]
    # A damaged EXIF block can make Pillow raise nearly anything; the picture itself may be fine.
    except Exception:  # noqa: BLE001
        found.append("unreadable EXIF data")
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8", "replace")
    found += [name for marker, name in _XMP_MARKERS.items() if marker in xmp]
    return tuple(dict.fromkeys(found))


def strip_metadata(path: Path) -> tuple[str, ...]:
    """Re-save an image without EXIF and XMP, its orientation applied; return what was removed.

    JPEGs keep their quantization tables and subsampling, so the quality stays as it was;
    the colour profile is kept. The file is replaced atomically.
    """
    import tempfile  # noqa: PLC0415 - only --fix-images writes: the check stays quick to start

    from PIL import ImageOps, JpegImagePlugin  # noqa: PLC0415

    info = inspect_image(path)
    if not info.metadata or info.format not in ("JPEG", "PNG", "WEBP"):
        return ()
    with Image.open(path) as image:
        image.load()
        options: dict[str, Any] = {}
        if image.format == "JPEG":
            sampling = JpegImagePlugin.get_sampling(image)
            options["qtables"] = getattr(image, "quantization", None)
            if sampling >= 0:
                options["subsampling"] = sampling
            if image.info.get("progressive"):
                options["progressive"] = True
        elif image.format == "WEBP":
            options["lossless"] = bool(image.info.get("lossless"))
            options["quality"] = 90  # WebP does not record its quality; 90 is visually lossless
        for key in ("icc_profile", "dpi", "transparency"):
            if image.info.get(key) is not None:
                options[key] = image.info[key]
        clean = ImageOps.exif_transpose(image)
        clean.info = {}  # nothing of the old metadata may ride along
        fmt = image.format
    fd, temp = tempfile.mkstemp(prefix=".strip-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        clean.save(temp, format=fmt, **options)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return info.metadata
