"""A small practice project for the posting tests: mkdocs.yml, a hero image and a teaser index.

``syndicate post`` reads only ``site/syndication/index.json`` (written by
``syndicate build``) and the ledger, so these tests write the index themselves
in exactly the shape the build step writes it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from .server import serving

SAMPLES = [
    # (slug, title, text before the link, hashtags, date)
    ("why-your-toothbrush-matters", "Why your toothbrush matters",
     "A worn toothbrush cleans less. How often to replace yours:", ["OralHealth", "DentalCare"],
     "2026-11-02T09:00:00-06:00"),
    ("fluor-for-kids", "Fluoride for kids: what parents ask",
     "Crème de la crème of questions 🦷✨ from parents, answered by Dr. Lee — café chat included:",
     ["KidsTeeth"], "2026-11-09T09:00:00-06:00"),
    ("dry-mouth", "Dry mouth and your medicines",
     "Many medicines dry the mouth. Here is what helps 💧", ["DryMouth", "Santé"],
     "2026-11-16T09:00:00-06:00"),
]


def write_image(path: Path, *, large: bool = False) -> Path:
    """A JPEG hero image; ``large`` makes one over Bluesky's 1,000,000-byte card limit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(3)
    size = (1400, 1000) if large else (1200, 630)
    image = Image.new("RGB", size, (31, 95, 91))
    if large:  # noise does not compress: well over 1 MB
        image.frombytes(rng.randbytes(size[0] * size[1] * 3))
    image.save(path, "JPEG", quality=95)
    return path


def article(site_url: str, slug: str, title: str, lead: str, tags: list[str], date: str, *,
            platforms: tuple[str, ...], image: bool = True, large_image: bool = False,
            root: Path | None = None) -> dict[str, Any]:
    """One entry of index.json, with a teaser per platform: lead, link, hashtags."""
    url = f"{site_url}blog/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug}/"
    image_path = f"content/blog/images/{slug}.jpg" if image else None
    if image and root is not None:
        write_image(root / image_path, large=large_image)  # type: ignore[operator]
    teasers = {}
    for name in platforms:
        link = f"{url}?utm_source={name}&utm_medium=social&utm_campaign=blog"
        text = f"{lead} {link} " + " ".join(f"#{t}" for t in tags)
        teasers[name] = {"text": text, "length": len(text), "limit": 300 if name == "bluesky" else 500,
                         "ok": True, "url": link, "image": f"{site_url}blog/images/{slug}.jpg" if image else None,
                         "image_alt": f"Illustration for {title}" if image else None, "fields": {}}
    return {"source": f"content/blog/posts/{slug}.md", "src_uri": f"blog/posts/{slug}.md", "slug": slug,
            "url": url, "title": title, "description": f"{title}: a short guide from our dentists.",
            "date": date, "image": f"{site_url}blog/images/{slug}.jpg" if image else None,
            "image_alt": f"Illustration for {title}" if image else None, "image_path": image_path,
            "platforms": teasers}


def make_project(root: Path, *, site_url: str, platforms: Mapping[str, Mapping[str, Any]],
                 articles: list[dict[str, Any]] | None = None, syndication: Mapping[str, Any] | None = None) -> Path:
    """Write mkdocs.yml and site/syndication/index.json; returns the mkdocs.yml path."""
    root.mkdir(parents=True, exist_ok=True)
    names = tuple(platforms)
    if articles is None:
        articles = [article(site_url, *sample, platforms=names, root=root, large_image=(i == 0))
                    for i, sample in enumerate(SAMPLES)]
    config = {
        "site_name": "Test Practice",
        "site_url": site_url,
        "docs_dir": "content",
        "extra": {
            "practice": {"name": "Test Practice", "timezone": "America/Chicago", "language": "en"},
            "syndication": {"ledger": "syndication-ledger.json", "max_posts_per_run": 10,
                            "platforms": {k: dict(v) for k, v in platforms.items()}, **(syndication or {})},
        },
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    write_index(root, site_url, articles)
    return root / "mkdocs.yml"


def write_index(root: Path, site_url: str, articles: list[dict[str, Any]]) -> None:
    """(Re)write site/syndication/index.json."""
    index = root / "site" / "syndication" / "index.json"
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text(json.dumps({"site_url": site_url, "articles": articles}, ensure_ascii=False, indent=2),
                     encoding="utf-8")


@contextmanager
def live_site(missing: tuple[str, ...] = ()) -> Iterator[str]:
    """A web server on 127.0.0.1 that answers 200 for every page except paths in ``missing``; yields site_url."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            status = 404 if any(self.path.startswith(m) for m in missing) else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler, name="live-site") as site_url:
        yield site_url
