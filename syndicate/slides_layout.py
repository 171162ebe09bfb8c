"""Where everything goes on a slide, with every text measured to fit its box.

The layout is plain data, shared by the PPTX writer (a 16:9 canvas measured in
points) and the carousel images (1080x1350 pixels), and open to tests: each
``TextBox`` carries the wrapped lines, the size and the rules used, so anyone
can measure them again with ``fonts.width`` and check they fit.

Text is first shrunk (down to a size still readable across a room or on a
phone) and, if it still does not fit, a slide's bullets are split over two
slides. Nothing is clipped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlsplit

from . import fonts
from .outline import Outline, Point, Slide

Align = Literal["left", "right", "center"]
SLACK = 0.96  # wrap a little short of the box: other renderers' kerning and hinting differ slightly


@dataclass(frozen=True, kw_only=True)
class Brand:
    """The practice's look and its name and address, as every slide shows them."""

    name: str
    web: str  # the site address as printed: "maplegrovedental.example"
    primary: str  # "#1f5f5b": backgrounds of the title and closing slides
    primary_ink: str  # the primary colour as text on white, darkened when needed for contrast
    accent: str  # for text and marks on white, darkened when needed for contrast
    ink: str = "#1b2524"
    muted: str = "#4d5b59"
    paper: str = "#ffffff"
    tint: str = "#eef3f2"  # the primary colour mixed with a lot of white
    on_primary: str = "#ffffff"  # text on the primary colour, white or ink by contrast
    on_primary_soft: str = "#d7e4e2"  # quieter text on the primary colour, still readable
    tint_on_primary: str = "#2a6b67"  # a shape a shade off the primary colour


@dataclass(frozen=True, kw_only=True)
class TextBox:
    """A box of text with its fitted size and lines; what a renderer draws and a test measures."""

    role: str  # "title", "kicker", "body", "subtitle", "byline", "footer-name", "footer-web", "page", ...
    x: float
    y: float
    w: float
    h: float
    texts: tuple[str, ...]  # one string per paragraph, as a person edits it
    lines: tuple[tuple[str, ...], ...]  # the wrapped lines of each paragraph
    size: float
    bold: bool
    color: str
    leading: float
    gap: float
    align: Align = "left"
    indents: tuple[float, ...] = ()  # per paragraph, in units of the size (room for a bullet)
    bullets: tuple[bool, ...] = ()  # per paragraph: draw a bullet mark
    urls: tuple[str, ...] = ()
    bullet_color: str = ""

    @property
    def measure_width(self) -> float:
        """The widest a line may be (before the paragraph's indent)."""
        return self.w * SLACK

    def limit(self, paragraph: int) -> float:
        """The widest a line of one paragraph may be."""
        indent = self.indents[paragraph] if self.indents else 0.0
        return self.measure_width - indent * self.size

    @property
    def height(self) -> float:
        """The height the lines take."""
        return fonts.text_height(self.lines, self.size, self.leading, self.gap)


@dataclass(frozen=True, kw_only=True)
class Rect:
    """A filled shape: a band, a rule, a decorative circle."""

    x: float
    y: float
    w: float
    h: float
    color: str
    shape: Literal["rect", "oval", "rounded"] = "rect"


@dataclass(frozen=True, kw_only=True)
class Picture:
    """An image placed in a box, cropped to fill it."""

    kind: Literal["logo", "image"]
    x: float
    y: float
    w: float
    h: float
    source: str  # "logo", or the docs-relative image path
    alt: str


Item = TextBox | Rect | Picture


@dataclass(frozen=True, kw_only=True)
class Frame:
    """One laid-out slide: its background and items, drawn in order."""

    slide: Slide
    background: str
    items: tuple[Item, ...]
    number: int = 0
    total: int = 0

    def boxes(self) -> list[TextBox]:
        """The text boxes, for writers and tests."""
        return [item for item in self.items if isinstance(item, TextBox)]


@dataclass(frozen=True, kw_only=True)
class Canvas:
    """The size of a slide and the type scale used on it (units: points or pixels)."""

    name: str
    width: float
    height: float
    margin: float
    top: float
    footer: float  # height of the footer strip
    footer_size: float
    logo: float  # the footer logo's side
    kicker: tuple[float, float]  # (largest, smallest) size
    title: tuple[float, float]
    cover_title: tuple[float, float]
    body: tuple[float, float]
    sources: tuple[float, float]
    subtitle: tuple[float, float]
    byline: float
    cover_logo: float
    image_share: float  # the picture's share of the slide on the image slide
    portrait: bool = False


# 13.333 x 7.5 inches, PowerPoint's 16:9, in points.
WIDE = Canvas(name="wide", width=960, height=540, margin=56, top=40, footer=44, footer_size=12, logo=20,
              kicker=(14, 10), title=(36, 22), cover_title=(46, 26), body=(28, 16), sources=(20, 11),
              subtitle=(22, 14), byline=14, cover_logo=52, image_share=0.5)
# Instagram's and LinkedIn's best portrait size, in pixels.
PORTRAIT = Canvas(name="portrait", width=1080, height=1350, margin=88, top=96, footer=112, footer_size=28,
                  logo=44, kicker=(30, 22), title=(68, 44), cover_title=(88, 52), body=(52, 30),
                  sources=(36, 22), subtitle=(40, 28), byline=30, cover_logo=120, image_share=0.5,
                  portrait=True)


def _box(role: str, texts: tuple[str, ...], *, x: float, y: float, w: float, h: float,
         sizes: tuple[float, float], bold: bool = False, color: str, leading: float = 1.2, gap: float = 0.0,
         align: Align = "left", max_lines: int | None = None, floor: float | None = None,
         indents: tuple[float, ...] = (), bullets: tuple[bool, ...] = (), urls: tuple[str, ...] = (),
         bullet_color: str = "", shrink_box: bool = True) -> TextBox | None:
    """Fit the paragraphs into the box; the box's height shrinks to the text unless told not to."""
    limit = w * SLACK
    fitted = fonts.fit(texts, width=limit, height=h, max_size=sizes[0], min_size=sizes[1], bold=bold,
                       leading=leading, gap=gap, max_lines=max_lines, floor=floor,
                       indents=indents or None)
    if fitted is None:
        return None
    return TextBox(role=role, x=x, y=y, w=w, h=fitted.height if shrink_box else h, texts=texts,
                   lines=fitted.paragraphs, size=fitted.size, bold=bold, color=color, leading=leading,
                   gap=gap, align=align, indents=indents, bullets=bullets, urls=urls, bullet_color=bullet_color)


def _must(box: TextBox | None, role: str) -> TextBox:
    if box is None:  # pragma: no cover - a floor of a few points always fits a line's worth
        raise ValueError(f"the {role} does not fit even at the smallest size")
    return box


def _footer(canvas: Canvas, brand: Brand, *, on_color: bool, logo: bool = True) -> list[Item]:
    """The practice's name and web address at the foot of every slide."""
    c = canvas
    color = brand.on_primary if on_color else brand.muted
    y = c.height - c.footer
    items: list[Item] = []
    if not on_color:
        items.append(Rect(x=c.margin, y=y, w=c.width - 2 * c.margin, h=max(c.footer / 40, 1), color=brand.tint))
    name_x = c.margin
    if logo:
        items.append(Picture(kind="logo", x=c.margin, y=y + (c.footer - c.logo) / 2, w=c.logo, h=c.logo,
                             source="logo", alt=f"{brand.name} logo"))
        name_x += c.logo + c.logo * 0.45
    half = (c.width - 2 * c.margin) / 2
    line = c.footer_size * 1.25
    text_y = y + (c.footer - line) / 2
    items.append(_must(_box("footer-name", (brand.name,), x=name_x, y=text_y, w=c.margin + half - name_x,
                            h=line, sizes=(c.footer_size, c.footer_size * 0.7), bold=True, color=color,
                            leading=1.25, max_lines=1, floor=c.footer_size * 0.5), "practice name"))
    items.append(_must(_box("footer-web", (brand.web,), x=c.margin + half, y=text_y, w=half - c.footer_size * 3,
                            h=line, sizes=(c.footer_size, c.footer_size * 0.7), color=color, leading=1.25,
                            align="right", max_lines=1, floor=c.footer_size * 0.5), "web address"))
    return items


def _page(canvas: Canvas, brand: Brand, number: int, total: int, *, on_color: bool) -> TextBox:
    c = canvas
    line = c.footer_size * 1.25
    return _must(_box("page", (f"{number}/{total}",), x=c.width - c.margin - c.footer_size * 2.6,
                      y=c.height - c.footer + (c.footer - line) / 2, w=c.footer_size * 2.6, h=line,
                      sizes=(c.footer_size, c.footer_size * 0.6), color=brand.on_primary if on_color else brand.accent,
                      bold=True, leading=1.25, align="right", max_lines=1, floor=c.footer_size * 0.4), "page")


def _point_boxes(points: tuple[Point, ...], *, canvas: Canvas, brand: Brand, x: float, y: float, w: float,
                 h: float, sizes: tuple[float, float], color: str, leading: float = 1.25,
                 gap: float = 0.55) -> TextBox | None:
    """Bullets, with a hanging indent for the mark and more for items under an intro line."""
    texts = tuple(p.text for p in points)
    indents = tuple(1.0 + 1.3 * p.level for p in points)
    return _box("body", texts, x=x, y=y, w=w, h=h, sizes=sizes, color=color, leading=leading, gap=gap,
                indents=indents, bullets=tuple(True for _ in points), urls=tuple(p.url for p in points),
                bullet_color=brand.accent)


def _cover(slide: Slide, outline: Outline, canvas: Canvas, brand: Brand) -> list[Item]:
    c = canvas
    items: list[Item] = []
    # A soft circle bleeding off the corner: colour without competing with the words.
    d = c.height * (1.1 if not c.portrait else 0.75)
    items.append(Rect(x=c.width - d * 0.55, y=-d * 0.35, w=d, h=d, color=brand.tint_on_primary, shape="oval"))
    logo_box = c.cover_logo
    items.append(Rect(x=c.margin, y=c.top, w=logo_box, h=logo_box, color=brand.paper, shape="rounded"))
    pad = logo_box * 0.16
    items.append(Picture(kind="logo", x=c.margin + pad, y=c.top + pad, w=logo_box - 2 * pad, h=logo_box - 2 * pad,
                         source="logo", alt=f"{brand.name} logo"))
    text_w = c.width - 2 * c.margin if c.portrait else c.width * 0.7 - c.margin
    y = c.top + logo_box + (c.height * 0.08 if c.portrait else 36)
    bottom = c.height - c.footer - (c.byline * 1.3 * len(slide.byline)) - c.byline * 1.5
    kicker = _kicker((outline.category.upper(),), c, brand.on_primary_soft, x=c.margin, y=y, w=text_w)
    if kicker is not None:
        items.append(kicker)
        y += kicker.h + c.kicker[0] * 0.6
    room = bottom - y
    title = _must(_box("title", (slide.title,), x=c.margin, y=y, w=text_w, h=room * 0.62, sizes=c.cover_title,
                       bold=True, color=brand.on_primary, leading=1.1, max_lines=4, floor=12), "title")
    items.append(title)
    y += title.h + c.cover_title[1] * 0.6
    if slide.subtitle:
        subtitle = _box("subtitle", (slide.subtitle,), x=c.margin, y=y, w=text_w, h=bottom - y,
                        sizes=c.subtitle, color=brand.on_primary_soft, leading=1.3, floor=8)
        if subtitle is not None:
            items.append(subtitle)
    if slide.byline:
        line = c.byline * 1.3
        items.append(_must(_box("byline", slide.byline, x=c.margin, y=bottom + c.byline * 0.5, w=text_w,
                                h=line * len(slide.byline) + 1, sizes=(c.byline, c.byline * 0.6),
                                color=brand.on_primary, leading=1.3, floor=6,
                                max_lines=len(slide.byline)), "byline"))
    return items


def _kicker(choices: tuple[str, ...], canvas: Canvas, color: str, *, x: float, y: float, w: float) -> TextBox | None:
    """The small line above a title: the first of the choices that fits on one line at a readable size."""
    for text in filter(None, choices):
        box = _box("kicker", (text,), x=x, y=y, w=w, h=canvas.kicker[0] * 1.3, sizes=canvas.kicker, bold=True,
                   color=color, max_lines=1)
        if box is not None:
            return box
    return None


def _heading(slide: Slide, outline: Outline, canvas: Canvas, brand: Brand, *, x: float, w: float,
             kickers: tuple[str, ...]) -> tuple[list[Item], float]:
    """Kicker, title and accent rule; returns them and where the body starts."""
    c = canvas
    items: list[Item] = []
    y = c.top
    box = _kicker(kickers, c, brand.accent, x=x, y=y, w=w)
    if box is not None:
        items.append(box)
        y += box.h + c.kicker[0] * 0.5
    title_text = slide.title + (" (continued)" if slide.part > 1 else "")
    title = _must(_box("title", (title_text,), x=x, y=y, w=w, h=c.title[0] * 1.15 * 2, sizes=c.title,
                       bold=True, color=brand.primary_ink, leading=1.15, max_lines=2, floor=c.title[1] * 0.6)
                  or _box("title", (title_text,), x=x, y=y, w=w, h=c.title[0] * 1.15 * 4, sizes=c.title,
                          bold=True, color=brand.primary_ink, leading=1.15, floor=6), "title")
    items.append(title)
    y += title.h + c.title[1] * 0.45
    rule_h = max(c.height / 135, 3)
    items.append(Rect(x=x, y=y, w=c.title[0] * 1.6, h=rule_h, color=brand.accent))
    return items, y + rule_h + c.body[0] * 0.9


def _with_host(point: Point) -> Point:
    host = urlsplit(point.url).netloc.removeprefix("www.") if point.url.startswith("http") else ""
    if not host or host in point.text:
        return point
    return replace(point, text=f"{point.text} ({host})")


def _section(slide: Slide, outline: Outline, canvas: Canvas, brand: Brand) -> list[list[Item]]:
    """A section slide; two or more when its bullets do not fit one even at the smallest size."""
    c = canvas
    w = c.width - 2 * c.margin
    sizes = c.sources if slide.kind == "sources" else c.body
    if slide.kind == "sources":  # a printed or projected slide cannot be clicked: show where each source lives
        slide = replace(slide, points=tuple(_with_host(p) for p in slide.points))
    head, y = _heading(slide, outline, canvas, brand, x=c.margin, w=w,
                       kickers=(outline.title, outline.category, brand.name))
    bottom = c.height - c.footer - c.body[1]
    body = _point_boxes(slide.points, canvas=c, brand=brand, x=c.margin, y=y, w=w, h=bottom - y, sizes=sizes,
                        color=brand.ink)
    if body is not None:
        return [head + [body]]
    if len(slide.points) == 1:  # one long sentence: smaller still rather than cut
        body = _must(_point_boxes(slide.points, canvas=c, brand=brand, x=c.margin, y=y, w=w, h=bottom - y,
                                  sizes=(sizes[1], 6), color=brand.ink), "bullet")
        return [head + [body]]
    half = (len(slide.points) + 1) // 2
    first = replace(slide, points=slide.points[:half], part=slide.part or 1)
    second = replace(slide, points=slide.points[half:], part=(slide.part or 1) + 1)
    return _section(first, outline, canvas, brand) + _section(second, outline, canvas, brand)


def _image(slide: Slide, outline: Outline, canvas: Canvas, brand: Brand) -> list[Item]:
    c = canvas
    items: list[Item] = []
    bottom = c.height - c.footer
    if c.portrait:
        pic_h = c.height * c.image_share
        items.append(Picture(kind="image", x=0, y=0, w=c.width, h=pic_h, source=slide.image, alt=slide.image_alt))
        x, y, w = c.margin, pic_h + c.margin * 0.6, c.width - 2 * c.margin
    else:
        pic_w = c.width * c.image_share
        items.append(Picture(kind="image", x=0, y=0, w=pic_w, h=bottom - c.footer * 0.35, source=slide.image,
                             alt=slide.image_alt))
        x, y, w = pic_w + c.margin * 0.8, c.top + c.height * 0.12, c.width - pic_w - c.margin * 1.8
    kicker = _kicker((outline.category.upper(), brand.name.upper()), c, brand.accent, x=x, y=y, w=w)
    if kicker is not None:
        items.append(kicker)
        y += kicker.h + c.kicker[0] * 0.6
    items.append(_must(_box("subtitle", (slide.subtitle or slide.title,), x=x, y=y, w=w,
                            h=bottom - y - c.footer * 0.6, sizes=(c.title[0] * 0.85, c.body[1]), bold=True,
                            color=brand.primary_ink, leading=1.2, floor=6), "description"))
    return items


def _closing(slide: Slide, outline: Outline, canvas: Canvas, brand: Brand) -> list[Item]:
    c = canvas
    d = c.height * (1.1 if not c.portrait else 0.75)
    items: list[Item] = [Rect(x=-d * 0.45, y=c.height - d * 0.55, w=d, h=d, color=brand.tint_on_primary,
                              shape="oval")]
    w = c.width - 2 * c.margin
    y = c.top + c.height * (0.06 if not c.portrait else 0.12)
    title = _must(_box("title", (slide.title,), x=c.margin, y=y, w=w, h=c.cover_title[0] * 1.1 * 3,
                       sizes=c.cover_title, bold=True, color=brand.on_primary, leading=1.1, max_lines=3, floor=10),
                  "title")
    items.append(title)
    y += title.h + c.cover_title[1] * 0.5
    rule_h = max(c.height / 135, 3)
    items.append(Rect(x=c.margin, y=y, w=c.title[0] * 1.6, h=rule_h, color=brand.on_primary_soft))
    y += rule_h + c.body[0] * 1.2
    bottom = c.height - c.footer - c.body[1]
    items.append(_must(_box("body", tuple(p.text for p in slide.points), x=c.margin, y=y, w=w, h=bottom - y,
                            sizes=(c.body[0] * 1.1, c.body[1] * 0.8), color=brand.on_primary, leading=1.25,
                            gap=0.8, urls=tuple(p.url for p in slide.points), floor=6), "call to action"))
    return items


def _deck_body_size(outline: Outline, slides: tuple[Slide, ...], canvas: Canvas, brand: Brand) -> float:
    """One bullet size for the whole deck, as a designer would set it: the size the fullest slide needs
    (but a slide that needs much smaller text does not shrink all the others)."""
    sizes = [item.size for slide in slides if slide.kind == "section"
             for items in _section(slide, outline, canvas, brand)
             for item in items if isinstance(item, TextBox) and item.role == "body"]
    if not sizes:
        return canvas.body[0]
    return max(min(sizes), canvas.body[0] * 0.8, canvas.body[1])


def layout(outline: Outline, slides: tuple[Slide, ...], canvas: Canvas, brand: Brand) -> list[Frame]:
    """Lay out the slides on the canvas: every text fitted, the name and address on each."""
    canvas = replace(canvas, body=(_deck_body_size(outline, slides, canvas, brand), canvas.body[1]))
    pages: list[tuple[Slide, str, list[Item], bool]] = []
    for slide in slides:
        colored = slide.kind in ("title", "closing")
        background = brand.primary if colored else brand.paper
        if slide.kind == "title":
            pages.append((slide, background, _cover(slide, outline, canvas, brand), True))
        elif slide.kind == "closing":
            pages.append((slide, background, _closing(slide, outline, canvas, brand), True))
        elif slide.kind == "image":
            pages.append((slide, background, _image(slide, outline, canvas, brand), False))
        else:
            for items in _section(slide, outline, canvas, brand):
                pages.append((slide, background, items, False))
    total = len(pages)
    frames = []
    for number, (slide, background, items, colored) in enumerate(pages, start=1):
        footer = _footer(canvas, brand, on_color=colored, logo=not colored)
        page = _page(canvas, brand, number, total, on_color=colored)
        frames.append(Frame(slide=slide, background=background, items=tuple(items + footer + [page]),
                            number=number, total=total))
    return frames
