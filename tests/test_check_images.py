"""The quick JPEG and PNG readers give Pillow's answer, or leave the file to Pillow."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from syndicate import images


def _pillow(data: bytes) -> tuple[str | None, int, int, tuple[str, ...]]:
    """What the check learns from Pillow alone: format, size and metadata."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format, image.width, image.height, images._metadata(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None, 0, 0, ()


def _jpeg(size: tuple[int, int], mode: str, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128 if mode == "L" else (90, 140, 120)[: len(mode)] if mode != "CMYK" else (1, 2, 3, 4)
              ).save(out, "JPEG", **options)
    return out.getvalue()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0110] = "Phone 12"  # camera model
    return exif


JPEGS = {
    "plain": _jpeg((1200, 630), "RGB"),
    "grey": _jpeg((300, 200), "L"),
    "cmyk": _jpeg((64, 48), "CMYK"),  # Pillow writes an Adobe marker: left to Pillow
    "progressive": _jpeg((1600, 900), "RGB", progressive=True, quality=70),
    "comment": _jpeg((40, 30), "RGB", comment=b"made by hand"),
    "dpi": _jpeg((800, 600), "RGB", dpi=(300, 300)),
    "camera": _jpeg((1200, 630), "RGB", exif=_exif()),  # EXIF: Pillow reads it
    "icc": _jpeg((1200, 630), "RGB", icc_profile=b"\0" * 300),
}


@pytest.mark.parametrize("name", JPEGS)
def test_the_quick_reader_agrees_with_pillow_on_saved_pictures(name: str) -> None:
    data = JPEGS[name]
    quick = images.quick_jpeg_size(data)
    if name in ("plain", "grey", "progressive", "comment", "dpi"):
        assert quick is not None  # the common case is the quick one
    if quick is not None:
        assert _pillow(data) == ("JPEG", *quick, ())


def test_a_picture_with_camera_details_still_reports_them(tmp_path: Path) -> None:
    path = tmp_path / "camera.jpg"
    path.write_bytes(JPEGS["camera"])
    info = images.inspect_image(path)
    assert (info.format, info.width, info.height, info.metadata) == ("JPEG", 1200, 630, ("camera model",))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(JPEGS)), st.lists(st.tuples(st.integers(0, 700), st.integers(0, 255)), max_size=4),
       st.one_of(st.none(), st.integers(0, 800)))
def test_a_damaged_header_is_read_as_pillow_reads_it_or_left_to_pillow(
        name: str, changes: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(JPEGS[name])
    for offset, value in changes:
        data[offset % len(data)] = value
    damaged = bytes(data[:cut] if cut is not None else data)
    quick = images.quick_jpeg_size(damaged)
    if quick is not None:
        assert _pillow(damaged) == ("JPEG", *quick, ())


def _png_saved(mode: str, size: tuple[int, int], **options: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (90, 140, 120, 200)[: len(mode)] if mode != "P" else 3).save(out, "PNG", **options)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


PNGS = {
    "rgb": _png_saved("RGB", (1200, 630)),
    "rgba": _png_saved("RGBA", (64, 48)),
    "grey": _png_saved("L", (30, 20)),
    "grey-alpha": _png_saved("LA", (30, 20)),
    "palette": _png_saved("P", (30, 20)),  # PLTE: left to Pillow
    "dpi": _png_saved("RGB", (30, 20), dpi=(300, 300)),  # pHYs: left to Pillow
    "exif": _png_saved("RGB", (30, 20), exif=_exif()),  # eXIf: Pillow reads it
}


@pytest.mark.parametrize("name", PNGS)
def test_the_quick_png_reader_agrees_with_pillow_on_saved_pictures(name: str) -> None:
    data = PNGS[name]
    quick = images.quick_png_size(data)
    if name in ("rgb", "rgba", "grey", "grey-alpha"):
        assert quick is not None  # the common case is the quick one
    if quick is not None:
        assert _pillow(data) == ("PNG", *quick, ())
    assert _pillow(data)[3] == (("camera model",) if name == "exif" else ())


@st.composite
def _pngs(draw: st.DrawFn) -> bytes:
    """PNGs built chunk by chunk, checksums right: plain ones, and ones with one thing about them odd."""
    odd = draw(st.sampled_from([None, "size", "depth", "colour", "head", "filter", "rows", "stream", "chunk",
                                "junk", "cut"]))

    width = draw(st.integers(0 if odd == "size" else 1, 6))
    height = draw(st.integers(0 if odd == "size" else 1, 5))
    depth = draw(st.sampled_from([1, 2, 4, 16])) if odd == "depth" else 8
    colour = draw(st.sampled_from([1, 3, 5, 7] if odd == "colour" else [0, 2, 4, 6]))
    # Compression, filter method, interlace: all 0 in a plain PNG.
    head = draw(st.lists(st.integers(0, 1), min_size=3, max_size=3)) if odd == "head" else [0, 0, 0]
    samples = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour, 1) * max(depth // 8, 1)
    filters = st.integers(0, 255) if odd == "filter" else st.integers(0, 4)
    rows = b"".join(bytes([draw(filters)]) + bytes(range(width * samples)) for _ in range(height))
    if odd == "rows":
        rows = draw(st.sampled_from([rows[:-1], rows + b"\0", rows + b"\0" * 9]))
    packed = zlib.compress(rows)
    packed = packed[:draw(st.integers(0, len(packed) - 1))] if odd == "stream" else packed
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([depth, colour, *head])
    split = draw(st.integers(0, len(packed)))
    chunks = [_chunk(b"IHDR", ihdr), _chunk(b"IDAT", packed[:split]), _chunk(b"IDAT", packed[split:])]
    if odd == "chunk":
        extra = draw(st.sampled_from([b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"tIME", b"PLTE", b"IDAT", b"IHDR", b"pHYs"]))
        chunks.insert(draw(st.integers(1, len(chunks))), _chunk(extra, b"XML:com.adobe.xmp\0tiff:Make"))
    chunks.append(_chunk(b"IEND", b""))
    data = b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + (b"junk" if odd == "junk" else b"")
    return data[:draw(st.integers(0, len(data) - 1))] if odd == "cut" else data


@settings(max_examples=500, deadline=None)
@given(_pngs())
def test_a_built_png_is_read_as_pillow_reads_it_or_left_to_pillow(data: bytes) -> None:
    quick = images.quick_png_size(data)
    if quick is not None:
        assert _pillow(data) == ("PNG", *quick, ())
