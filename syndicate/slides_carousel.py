"""The portrait layout drawn as 1080x1350 PNG images and one PDF of the same pages.

Made for LinkedIn document posts and Instagram carousels. Text is drawn with
the same font, size and line breaks the layout measured.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw

from . import fonts
from .slides import Assets, Deck, _rgb
from .slides_layout import Brand, Frame, Picture, Rect, TextBox

_SUPERSAMPLE = 3  # shapes are drawn this much larger and scaled down, for smooth edges


def _shape(canvas: Image.Image, item: Rect) -> None:
    x0, y0 = round(item.x), round(item.y)
    w, h = max(round(item.w), 1), max(round(item.h), 1)
    if item.shape == "rect":
        ImageDraw.Draw(canvas).rectangle((x0, y0, x0 + w - 1, y0 + h - 1), fill=_rgb(item.color))
        return
    mask = Image.new("L", (w * _SUPERSAMPLE, h * _SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(mask)
    box = (0, 0, w * _SUPERSAMPLE - 1, h * _SUPERSAMPLE - 1)
    if item.shape == "oval":
        draw.ellipse(box, fill=255)
    else:
        draw.rounded_rectangle(box, radius=min(w, h) * 0.18 * _SUPERSAMPLE, fill=255)
    mask = mask.reduce(_SUPERSAMPLE)
    canvas.paste(Image.new("RGB", (w, h), _rgb(item.color)), (x0, y0), mask)


def _picture(canvas: Image.Image, item: Picture, assets: Assets) -> None:
    w, h = round(item.w), round(item.h)
    picture = assets.logo_in(w, h) if item.kind == "logo" else assets.image(item.source)
    if picture is None:
        return
    if item.kind == "logo":
        fitted = picture
        position = (round(item.x + (w - fitted.width) / 2), round(item.y + (h - fitted.height) / 2))
        canvas.paste(fitted.convert("RGB"), position, fitted if fitted.mode == "RGBA" else None)
    else:
        canvas.paste(assets.cover(picture, w, h), (round(item.x), round(item.y)))


def _text(canvas: Image.Image, box: TextBox) -> None:
    draw = ImageDraw.Draw(canvas)
    face = fonts.truetype(box.size, bold=box.bold)
    ascent, descent = face.getmetrics()
    line_height = box.size * box.leading
    color = _rgb(box.color)
    y = box.y
    for index, lines in enumerate(box.lines):
        indent = box.indents[index] * box.size if box.indents else 0.0
        for number, line in enumerate(lines):
            baseline = y + (line_height - (ascent + descent)) / 2 + ascent
            if box.align == "right":
                x = box.x + box.w - fonts.width(line, box.size, bold=box.bold)
            elif box.align == "center":
                x = box.x + (box.w - fonts.width(line, box.size, bold=box.bold)) / 2
            else:
                x = box.x + indent
            if number == 0 and box.bullets and box.bullets[index]:
                radius = box.size * 0.14
                cx, cy = x - box.size * 0.62, baseline - box.size * 0.33
                draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius),
                             fill=_rgb(box.bullet_color or box.color))
            for text, fallback in fonts.runs(line, bold=box.bold):
                run_face = face if fallback is None else fonts.fallback_truetype(fallback, box.size)
                draw.text((x, baseline), text, font=run_face, fill=color, anchor="ls")
                x += run_face.getlength(text)
            y += line_height
        y += box.size * box.gap


def render_frame(frame: Frame, width: int, height: int, assets: Assets) -> Image.Image:
    """One page as an image."""
    canvas = Image.new("RGB", (width, height), _rgb(frame.background))
    for item in frame.items:
        if isinstance(item, Rect):
            _shape(canvas, item)
        elif isinstance(item, Picture):
            _picture(canvas, item, assets)
        else:
            _text(canvas, item)
    return canvas


def write_carousel(deck: Deck, brand: Brand, assets: Assets, folder: Path) -> list[Path]:
    """Write ``carousel/01.png``... and ``<slug>-carousel.pdf``; return their paths."""
    target = folder / "carousel"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.png"):  # an edited article may have fewer pages than before
        old.unlink()
    pages = [render_frame(frame, 1080, 1350, assets) for frame in deck.portrait]
    written = []
    for number, page in enumerate(pages, start=1):
        path = target / f"{number:02d}.png"
        page.save(path, "PNG", compress_level=1)  # flat colours compress well even at the fastest level
        written.append(path)
    pdf = folder / f"{deck.outline.slug}-carousel.pdf"
    day = datetime.fromisoformat(deck.outline.date).timetuple()  # not the time of writing: same deck, same file
    pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:], resolution=150,
                  title=deck.outline.title, author=brand.name, creationDate=day, modDate=day)
    written.append(pdf)
    return written
