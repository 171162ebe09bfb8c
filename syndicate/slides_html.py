"""The outline as a deck page for the site, and as Marp Markdown for people who edit decks in Marp.

Both are text made straight from the outline (no measuring): the page's
browser wraps the text itself, and nothing in it is clipped, because a slide
grows rather than hides what does not fit.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
import markupsafe

from . import fonts
from .config import Settings
from .outline import Outline
from .slides import ASSETS, Assets
from .slides_layout import Brand


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates" / "slides"),
        autoescape=True, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True,
    )


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    return _environment().get_template("deck.html")  # kept: Jinja would look at the file on every call


@functools.lru_cache(maxsize=4)
def _style(brand: Brand, logo_uri: str) -> markupsafe.Markup:
    """The deck pages' style sheet: the same for every deck of a build, so rendered once."""
    css = _environment().get_template("deck.css").render(
        brand=brand, family=fonts.FAMILY, assets=ASSETS, regular=fonts.FILES[False], bold=fonts.FILES[True],
        logo_uri=logo_uri,
    )
    return markupsafe.Markup(css.rstrip("\n"))


def _absolute(settings: Settings, docs_path: str) -> str:
    return settings.site_url + docs_path.lstrip("/") if docs_path else ""


def _logo_path(settings: Settings) -> str:
    theme = settings.raw.get("theme") or {}
    logo = theme.get("logo") if isinstance(theme, dict) else None
    return logo if isinstance(logo, str) else ""


def render_html(outline: Outline, settings: Settings, brand: Brand, assets: Assets) -> str:
    """The deck page's HTML."""
    depth = "../../"  # site/slides/<slug>/index.html back to the site's root
    return _template().render(
        outline=outline,
        slides=outline.slides,
        count=len(outline.slides),
        brand=brand,
        site_url=settings.site_url,
        style=_style(brand, assets.logo_uri),
        image_src=depth + outline.image if outline.image else "",
        og_image=_absolute(settings, outline.image) or f"{outline.deck_url}carousel/01.png",
        og_image_alt=outline.image_alt or f"The first slide: {outline.title}",
    )


def _write(path: Path, text: str) -> Path:
    """Write a new file, never into the old one: a rebuild may have put it there as a link into the build cache."""
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_html(outline: Outline, settings: Settings, brand: Brand, assets: Assets, path: Path) -> Path:
    """Write the deck page; return its path."""
    return _write(path, render_html(outline, settings, brand, assets))


# -- Marp --------------------------------------------------------------------------

# Characters Markdown (and Marp's HTML) would read as markup, each escaped with a backslash.
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def _escape(text: str) -> str:
    return text.translate(_MARKDOWN_SPECIAL)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _notes(text: str) -> list[str]:
    """Speaker notes: Marp reads an HTML comment that is not a directive as the presenter's notes."""
    if not text.strip():
        return []
    return ["", "<!--", text.replace("-->", "->").replace("<!--", "<!-"), "-->"]


def render_marp(outline: Outline, settings: Settings, brand: Brand) -> str:
    """The deck as Marp Markdown (https://marpit.marp.app/directives)."""
    style = [
        f'section {{ font-family: "{fonts.FAMILY}", system-ui, sans-serif; color: {brand.ink}; }}',
        f"h1, h2 {{ color: {brand.primary_ink}; }}",
        f"a {{ color: {brand.primary_ink}; }}",
        f"ul li::marker {{ color: {brand.accent}; }}",
        f"header, footer {{ color: {brand.muted}; }}",
        f"section.lead {{ background: {brand.primary}; color: {brand.on_primary}; }}",
        f"section.lead h1, section.lead h2, section.lead a, section.lead header, section.lead footer, "
        f"section.lead::after {{ color: {brand.on_primary}; }}",  # ::after is Marp's page number
        "section.sources { font-size: 22px; }",
    ]
    lines = [
        "---",
        "marp: true",
        "theme: default",
        "paginate: true",
        "size: 16:9",
        f"lang: {outline.language}",
        f"title: {_yaml_string(outline.title)}",
        f"description: {_yaml_string(outline.description)}",
        f"url: {outline.deck_url}",
        f"header: {_yaml_string(brand.name)}",
        f"footer: {_yaml_string(brand.web)}",
        "style: |",
        *(f"  {rule}" for rule in style),
        "---",
    ]
    logo = _absolute(settings, _logo_path(settings))
    for index, slide in enumerate(outline.slides):
        if index:
            lines += ["", "---"]
        lines.append("")
        if slide.kind == "title":
            lines += ["<!-- _class: lead -->", ""]
            if logo:
                lines += [f"![w:96]({logo})", ""]
            lines += [f"# {_escape(slide.title)}", ""]
            if slide.subtitle:
                lines += [_escape(slide.subtitle), ""]
            lines += ["  \n".join(_escape(b) for b in slide.byline)]
        elif slide.kind == "image":
            alt = _escape(slide.image_alt).replace("\n", " ")
            lines += [f"![bg left:50% {alt}]({_absolute(settings, slide.image)})", "",
                      f"## {_escape(slide.subtitle or slide.title)}"]
        else:
            if slide.kind == "closing":
                lines += ["<!-- _class: lead -->", ""]
            elif slide.kind == "sources":
                lines += ["<!-- _class: sources -->", ""]
            title = slide.title + (" (continued)" if slide.part > 1 else "")
            lines += [f"## {_escape(title)}", ""]
            for point in slide.points:
                text = _escape(point.text)
                if point.url:
                    text = f"[{text}]({point.url})"
                lines.append("  " * point.level + f"- {text}")
        lines += _notes(slide.notes)
    return "\n".join(lines) + "\n"


def write_marp(outline: Outline, settings: Settings, brand: Brand, path: Path) -> Path:
    """Write the Marp Markdown file; return its path."""
    return _write(path, render_marp(outline, settings, brand))
