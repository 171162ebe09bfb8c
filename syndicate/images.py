"""Image files: what they are, how big, and what they tell about where and how they were taken.

Pillow stays in this module. Opening an image reads only its header, so
checking a thousand articles that share a few pictures stays fast; the results
are cached per file version. A plain JPEG (no EXIF, no XMP) is sized from its
markers, and a plain PNG from its chunks, without Pillow, which reads every other
file and is imported only then.
"""

from __future__ import annotations

import os
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

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
    try:
        with open(path, "rb") as file:
            return _known_or_read(path, stat, file.fileno())
    except OSError:
        return ImageInfo(path=path)


def _known_or_read(path: Path, stat: os.stat_result, fd: int) -> ImageInfo:
    """What was found in this file before (same size and time), or what its open ``fd`` reads now."""
    key = (path, stat.st_mtime_ns, stat.st_size)
    info = _SEEN.get(key)
    if info is None:
        try:
            quick = _quick_size(fd)
        except OSError:
            info = ImageInfo(path=path)
        else:
            info = _inspect(path, quick)
        _remember(key, info)
    return info


def inspect_file(path: Path) -> ImageInfo | None:
    """``inspect_image`` for a file that exists (one look at the disk), None when there is no such file."""
    try:
        # One lookup of the path, not a stat and an open (a tenth of a second over a thousand pictures);
        # without blocking, so a named pipe is found not to be a file rather than waited on.
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):
        try:  # there but not readable (no permission): a file that is no picture we can read
            return ImageInfo(path=path) if S_ISREG(os.stat(path).st_mode) else None
        except (OSError, ValueError):
            return None
    try:
        stat = os.fstat(fd)
        if not S_ISREG(stat.st_mode):
            return None
        return _known_or_read(path, stat, fd)
    finally:
        os.close(fd)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
# What each version of a file (path, time, size) was found to be: articles share pictures, and a
# build checks the pictures its check already looked at.
_SEEN: dict[tuple[Path, int, int], ImageInfo] = {}
_SEEN_LIMIT = 4096


def _remember(key: tuple[Path, int, int], info: ImageInfo) -> None:
    if len(_SEEN) >= _SEEN_LIMIT:
        _SEEN.clear()
    _SEEN[key] = info


# The plain JPEG the quick reader vouches for: start of frame (baseline, extended or progressive),
# then markers that hold tables, JFIF or a comment, never EXIF or XMP (those are APP1) or anything
# Pillow reads as more (Adobe, ICC, MPO, ...). https://www.w3.org/Graphics/JPEG/itu-t81.pdf, table B.1
_JPEG_FRAMES = (0xC0, 0xC1, 0xC2)
_JPEG_PLAIN = frozenset((0xC4, 0xDB, 0xDD, 0xE0, 0xFE))
_JPEG_SCAN = 0xDA
_JPEG_HEAD = 65536  # markers before the first scan fit here in every plain JPEG
_JPEG_FIRST = 4096  # and in this in nearly all (tables and JFIF take about 600 bytes): read more only when not
# Pictures larger than this go to Pillow, which warns past 89 million pixels (its MAX_IMAGE_PIXELS).
_QUICK_PIXELS = 50_000_000


def quick_jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The width and height of a plain JPEG without metadata, read from its markers; None for anything else.

    Pillow reads a JPEG's markers a byte at a time (a third of a millisecond a file,
    a third of a second over a thousand articles' pictures). This reads the common
    case in a few steps and answers only when Pillow would give the same size and no
    metadata; for every other file (EXIF, XMP, odd markers, damage) Pillow decides.
    A property test holds the two to the same answer.
    """
    if not data.startswith(b"\xff\xd8\xff"):
        return None
    position, size, available = 2, None, len(data)
    while True:
        if position + 4 > available or data[position] != 0xFF:
            return None
        marker = data[position + 1]
        end = position + 2 + ((data[position + 2] << 8) | data[position + 3])
        if end < position + 4 or end > available:  # a length below 2, or past the data
            return None
        if marker == _JPEG_SCAN:
            break
        if marker in _JPEG_FRAMES:
            segment = data[position + 4:end]
            # Pillow's SOF: 8-bit samples, 1, 3 or 4 components, the last frame's size.
            if len(segment) < 6 or segment[0] != 8 or segment[5] not in (1, 3, 4):
                return None
            size = ((segment[3] << 8) | segment[4], (segment[1] << 8) | segment[2])
        elif marker == 0xDB:
            if not _whole_tables(data, position + 4, end):
                return None  # Pillow refuses a short quantization table
        elif marker not in _JPEG_PLAIN:
            return None
        position = end
    if size is None or not size[0] or not size[1]:
        return None
    return None if size[0] * size[1] > _QUICK_PIXELS else size


def _whole_tables(data: bytes, start: int, end: int) -> bool:
    """Whether the DQT segment ``data[start:end]`` holds whole quantization tables, as Pillow requires."""
    while start < end:
        start += 1 + (64 if data[start] < 16 else 128)
    return start == end


# The plain PNG the quick reader vouches for: 8-bit grey, grey and alpha, RGB or RGBA, not interlaced,
# nothing but its header, picture data and end (no text, EXIF, XMP or colour chunks), every chunk's
# checksum right and the picture data whole. https://www.w3.org/TR/png-3/#5Chunk-layout
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_SAMPLES = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> bytes per pixel at 8 bits
_PNG_LARGEST = 8 << 20  # bytes: a larger file goes to Pillow


def quick_png_size(data: bytes) -> tuple[int, int] | None:
    """The width and height of a plain PNG without metadata; None for anything else (Pillow decides).

    Pillow finds a PNG's EXIF only after decoding the whole picture, and importing
    it takes longer than the rest of the settings check: authors' photos are
    usually plain PNGs. This answers only when Pillow would give the same size and
    no metadata (a picture Pillow cannot decode reads as "unreadable EXIF data"
    there, so the data must be whole here). A property test holds the two to one answer.
    """
    if not data.startswith(_PNG_SIGNATURE):
        return None
    position, size, pictures = 8, None, []
    while True:
        if position + 12 > len(data):
            return None
        length = int.from_bytes(data[position:position + 4], "big")
        end = position + 12 + length
        if end > len(data) or zlib.crc32(data[position + 4:end - 4]) != int.from_bytes(data[end - 4:end], "big"):
            return None
        kind, body = data[position + 4:position + 8], data[position + 8:end - 4]
        if kind == b"IHDR" and size is None and length == 13:
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            depth, colour, compression, method, interlace = body[8:13]
            if depth != 8 or colour not in _PNG_SAMPLES or compression or method or interlace:
                return None
            if not 0 < width * height <= _QUICK_PIXELS:
                return None
            size = (width, height)
        elif kind == b"IDAT" and size is not None:
            pictures.append(body)
        elif kind == b"IEND" and pictures and end == len(data):
            break
        else:
            return None
        position = end
    if size is None:  # pragma: no cover - an IDAT is taken only after the header
        return None
    # Every row: a filter type (0 to 4) and its pixels, exactly, in one finished zlib stream.
    row = 1 + size[0] * _PNG_SAMPLES[colour]
    inflate = zlib.decompressobj()
    try:
        pixels = inflate.decompress(b"".join(pictures), row * size[1] + 1)
    except zlib.error:
        return None
    if len(pixels) != row * size[1] or not inflate.eof or inflate.unused_data or max(pixels[::row]) > 4:
        return None
    return size


def _quick_size(fd: int) -> tuple[str, int, int] | None:
    """Format and size of a plain JPEG or PNG, read from an open file; None when Pillow must look.

    A JPEG's first few kilobytes say it (more are read only when needed); a PNG is read whole.
    """
    head = os.read(fd, _JPEG_FIRST)
    if head.startswith(_PNG_SIGNATURE):
        data = [head]
        while len(head) and sum(map(len, data)) <= _PNG_LARGEST:
            head = os.read(fd, 1 << 20)
            data.append(head)
        whole = b"".join(data)
        quick = quick_png_size(whole) if len(whole) <= _PNG_LARGEST else None
        return ("PNG", *quick) if quick else None
    quick = quick_jpeg_size(head)
    if quick is None and len(head) == _JPEG_FIRST:
        head += os.read(fd, _JPEG_HEAD - _JPEG_FIRST)
        quick = quick_jpeg_size(head)
    return ("JPEG", *quick) if quick else None


def _inspect(path: Path, quick: tuple[str, int, int] | None) -> ImageInfo:
    """What the file is: a plain JPEG or PNG the quick readers sized, or whatever Pillow makes of it."""
    if quick is not None:
        return ImageInfo(path=path, format=quick[0], width=quick[1], height=quick[2])
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - most runs see only plain JPEGs

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

    from PIL import Image, ImageOps, JpegImagePlugin  # noqa: PLC0415

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
