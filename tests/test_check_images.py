"""The quick JPEG reader gives Pillow's answer, or leaves the file to Pillow."""

from __future__ import annotations

import io
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
