"""A laid-out deck as an editable 16:9 PPTX (python-pptx stays in this module).

Every text is a real text box (the slide title in the title placeholder, so
PowerPoint's outline view and screen readers find it), set in the measured
font at the measured size with exact line spacing, so it wraps as it was
measured. The section's full text goes into the speaker notes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu

from . import fonts
from .config import Settings
from .slides import Assets, Deck
from .slides_layout import WIDE, Brand, Picture, Rect, TextBox

_TITLE_ONLY = 5  # the default template's "Title Only" layout: a title placeholder and nothing else
_ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}
_SHAPES = {"rect": MSO_SHAPE.RECTANGLE, "oval": MSO_SHAPE.OVAL, "rounded": MSO_SHAPE.ROUNDED_RECTANGLE}


def _emu(points: float) -> Emu:
    return Emu(round(points * 12700))


def _color(value: str) -> RGBColor:
    hex_value = value.lstrip("#")
    return RGBColor(int(hex_value[0:2], 16), int(hex_value[2:4], 16), int(hex_value[4:6], 16))  # type: ignore[no-untyped-call]


def _plain(shape: object) -> None:
    """Drop the theme style python-pptx gives new shapes (it adds an outline and, in some viewers, a shadow)."""
    element = shape._element  # type: ignore[attr-defined]
    style = element.find(qn("p:style"))
    if style is not None:
        element.remove(style)


def _rect(slide: object, item: Rect) -> None:
    shape = slide.shapes.add_shape(_SHAPES[item.shape], _emu(item.x), _emu(item.y),  # type: ignore[attr-defined]
                                   _emu(item.w), _emu(item.h))
    if item.shape == "rounded":
        shape.adjustments[0] = 0.18
    shape.fill.solid()
    shape.fill.fore_color.rgb = _color(item.color)
    shape.line.fill.background()
    _plain(shape)


def _picture(slide: object, item: Picture, assets: Assets, cache: dict[tuple[int, int], bytes]) -> None:
    scale = 150 / 72  # 150 pixels an inch: sharp when projected, small enough to e-mail
    size = (round(item.w * scale), round(item.h * scale))
    if item.kind == "logo":
        logo = assets.logo_in(*size)
        if logo is None:
            return
        w, h = logo.width / scale, logo.height / scale
        x, y = item.x + (item.w - w) / 2, item.y + (item.h - h) / 2
        if size not in cache:
            buffer = io.BytesIO()
            logo.save(buffer, "PNG")
            cache[size] = buffer.getvalue()
        data = cache[size]
    else:
        picture = assets.image(item.source)
        if picture is None:
            return
        x, y, w, h = item.x, item.y, item.w, item.h
        buffer = io.BytesIO()
        assets.cover(picture, *size).save(buffer, "JPEG", quality=85)
        data = buffer.getvalue()
    shape = slide.shapes.add_picture(io.BytesIO(data), _emu(x), _emu(y), _emu(w), _emu(h))  # type: ignore[attr-defined]
    shape._element.nvPicPr.cNvPr.set("descr", item.alt)  # alt text, read by screen readers


def _bullet(paragraph: object, box: TextBox, index: int) -> None:
    """A real bullet (editable in PowerPoint) hanging in the paragraph's indent."""
    indent = box.indents[index] * box.size if box.indents else 0.0
    p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    p_pr.set("marL", str(_emu(indent)))
    p_pr.set("indent", str(-_emu(min(indent, box.size * 1.0))))
    if not (box.bullets and box.bullets[index]):
        etree.SubElement(p_pr, qn("a:buNone"))
        return
    color = etree.SubElement(p_pr, qn("a:buClr"))
    etree.SubElement(color, qn("a:srgbClr"), val=(box.bullet_color or box.color).lstrip("#").upper())
    etree.SubElement(p_pr, qn("a:buSzPct"), val="100000")
    etree.SubElement(p_pr, qn("a:buFont"), typeface=fonts.FAMILY)
    etree.SubElement(p_pr, qn("a:buChar"), char="•")


def _fill_text(frame: object, box: TextBox) -> None:
    text_frame = frame.text_frame  # type: ignore[attr-defined]
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.NONE
    text_frame.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(text_frame, side, 0)
    for index, text in enumerate(box.texts):
        paragraph = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        paragraph.alignment = _ALIGN[box.align]
        paragraph.line_spacing = _emu(box.size * box.leading)
        paragraph.space_before = 0
        paragraph.space_after = _emu(box.size * box.gap) if index < len(box.texts) - 1 else 0
        if box.indents:
            _bullet(paragraph, box, index)
        run = paragraph.add_run()
        run.text = text
        font = run.font
        font.name = fonts.FAMILY
        font.size = _emu(box.size)
        font.bold = box.bold
        font.color.rgb = _color(box.color)


def _text(slide: object, box: TextBox, *, placeholder: object | None) -> None:
    # Web addresses are written out rather than linked: viewers draw links in their own
    # blue, unreadable on the practice's colour, and a printed slide needs the address anyway.
    if placeholder is not None:
        shape = placeholder
        shape.left, shape.top = _emu(box.x), _emu(box.y)  # type: ignore[attr-defined]
        shape.width, shape.height = _emu(box.w), _emu(box.h)  # type: ignore[attr-defined]
        # The placeholder came first in the drawing order: move it above the shapes drawn so far.
        element = shape._element  # type: ignore[attr-defined]
        tree = element.getparent()
        tree.remove(element)
        tree.append(element)
    else:
        shape = slide.shapes.add_textbox(_emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))  # type: ignore[attr-defined]
        shape.name = box.role
    _fill_text(shape, box)


def write_pptx(deck: Deck, settings: Settings, brand: Brand, assets: Assets, path: Path) -> Path:
    """Write the deck's 16:9 layout as a PPTX with speaker notes; return its path."""
    presentation = Presentation()
    frames = deck.wide
    logos: dict[tuple[int, int], bytes] = {}
    presentation.slide_width = _emu(WIDE.width)
    presentation.slide_height = _emu(WIDE.height)
    for frame in frames:
        slide = presentation.slides.add_slide(presentation.slide_layouts[_TITLE_ONLY])
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = _color(frame.background)
        title_placeholder = slide.shapes.title
        used_title = False
        for item in frame.items:
            if isinstance(item, Rect):
                _rect(slide, item)
            elif isinstance(item, Picture):
                _picture(slide, item, assets, logos)
            elif item.role == "title" and not used_title:
                _text(slide, item, placeholder=title_placeholder)
                used_title = True
            else:
                _text(slide, item, placeholder=None)
        if not used_title and title_placeholder is not None:
            # An empty placeholder shows "Click to add title" while editing: remove it, and
            # name the slide instead.
            title_placeholder._element.getparent().remove(title_placeholder._element)
        slide._element.cSld.set("name", frame.slide.title)
        if frame.slide.notes:
            slide.notes_slide.notes_text_frame.text = frame.slide.notes
    properties = presentation.core_properties
    properties.title = deck.outline.title
    properties.subject = deck.outline.description
    properties.author = brand.name
    properties.language = deck.outline.language
    properties.keywords = deck.outline.category
    day = datetime.fromisoformat(deck.outline.date)
    properties.created = properties.modified = day
    buffer = io.BytesIO()
    presentation.save(buffer)
    _rezip(buffer.getvalue(), path, day)
    return path


def _rezip(package: bytes, path: Path, day: datetime) -> None:
    """Write the package with every member dated ``day``, so that the same deck is the same file.

    zipfile dates each member with the time of writing; a rebuild (or the build
    cache) would otherwise give new bytes for unchanged slides.
    """
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)  # ZIP dates start in 1980
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = info.compress_type
            target.writestr(member, source.read(info))
