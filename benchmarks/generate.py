"""Generate a practice blog of N realistic articles for benchmarking.

The site is the sample practice (``mkdocs.yml``, pages, ``overrides/``) with
its posts replaced by generated ones: front matter like the sample's, 5-10
sections with lists, a hero image of its own each, varied tags and categories, and some
emoji and non-English text. The same seed always gives the same articles.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent

CATEGORIES = ["Preventive care", "Children's dental health", "Treatments", "Oral health and overall health"]
TAGS = ["oral health", "brushing", "flossing", "fluoride", "cavities", "gum disease", "sealants",
        "children", "root canal", "dental anxiety", "dry mouth", "sensitivity", "mouthguards",
        "nutrition", "pregnancy", "seniors", "diabetes", "smoking", "whitening", "braces"]
TOPICS = ["toothbrush", "floss", "fluoride varnish", "sealant", "crown", "filling", "mouthguard",
          "water flosser", "night guard", "dental X-ray", "cleaning", "implant", "bridge", "retainer"]
WORDS = ("patients often ask how the {t} fits into a healthy routine at home and what the dentist "
         "looks for at each visit while keeping teeth and gums comfortable over many years of care "
         "including gentle habits simple tools regular checkups and clear advice for every family").split()
EXTRAS = ["Sonrisa sana, familia feliz. 😁", "Gesunde Zähne ein Leben lang.", "健康的牙齿 🦷",
          "Café, thé et dents ☕", "Brush twice a day ✨", "Uśmiech to zdrowie!"]
SOURCES = [
    ("Oral health tips, CDC", "https://www.cdc.gov/oral-health/prevention/index.html"),
    ("Tooth decay, NIDCR", "https://www.nidcr.nih.gov/health-info/tooth-decay"),
    ("Brushing your teeth, ADA MouthHealthy", "https://www.mouthhealthy.org/all-topics-a-z/brushing-your-teeth"),
    ("Gum disease, NIDCR", "https://www.nidcr.nih.gov/health-info/gum-disease"),
]
PALETTE = [(31, 95, 91), (181, 71, 47), (246, 241, 231), (120, 160, 150), (224, 190, 150)]


SPANISH = [
    ("Cómo cuidar su {t} en casa", "Consejos sencillos para cuidar su {t} y mantener la boca sana a cualquier edad."),
    ("Preguntas frecuentes sobre el {t}", "Lo que nuestros pacientes preguntan sobre el {t}, con respuestas claras."),
]
SPANISH_WORDS = ("los pacientes preguntan cómo el cepillado diario y las visitas al dentista ayudan a "
                 "mantener dientes y encías sanos durante toda la vida con hábitos sencillos").split()


def _front_matter(rng: random.Random, index: int, day: date, image: str, topic: str, title: str,
                  description: str) -> list[str]:
    """Front matter like the sample posts': every key they use, in the shapes they use."""
    tags = rng.sample(TAGS, rng.randint(2, 4))
    category = rng.choice(CATEGORIES)
    author, reviewer = rng.choice([("drlee", "drpatel"), ("jrivera", "drpatel"), ("drpatel", "drlee")])
    lines = ["---", f'title: "{title}"', f'description: "{description}"']
    if index % 10 == 3:  # the blog plugin's two-date form
        lines += ["date:", f"  created: {day.isoformat()}", f"  updated: {(day + timedelta(days=40)).isoformat()}"]
    else:
        lines.append(f"date: {day.isoformat()}")
    lines += [
        f"authors: [{author}]",
        f'categories: ["{category}"]',
        f"tags: [{', '.join(tags)}]",
        f"image: blog/images/{image}",
        f"image_alt: An illustration of a {topic} on a soft background",
        f"reviewed_by: {reviewer}",
        f"last_reviewed: {(day + timedelta(days=3)).isoformat()}",
    ]
    if index % 15 == 5:
        lines.append("language: es")
    if index % 4 == 1:
        lines.append("social:")
        if index % 8 == 1:
            lines.append(f"  x: Questions about the {topic}? Here is what our team tells patients, step by step.")
        lines.append(f"  hashtags: [DentalHealth, {rng.choice(['Smile', 'KidsTeeth', 'OralHealth'])}]")
        if index % 12 == 1:
            lines.append("  skip: [pinterest]")
    return [*lines, "---", ""]


def _article(rng: random.Random, index: int, day: date, image: str) -> str:
    topic = rng.choice(TOPICS)
    extra = EXTRAS[index // 7 % len(EXTRAS)] if index % 7 == 0 else ""  # each in turn: some with emoji
    spanish = index % 15 == 5
    if spanish:
        title, description = (part.format(t=topic) for part in rng.choice(SPANISH))
        title += f" ({index + 1})"
        words = SPANISH_WORDS
    else:
        title = f"Your {topic}, explained: part {index + 1}" + (f" {extra}" if index % 14 == 0 else "")
        description = f"What to know about the {topic} and how it keeps your mouth healthy at every age."
        words = WORDS

    def sentence(count: int) -> str:
        return " ".join(rng.choice(words).format(t=topic) for _ in range(count)).capitalize() + "."

    lines = _front_matter(rng, index, day, image, topic, title, description)
    lines += [f"# {title}", "", sentence(24) + (f" {extra}" if extra else ""), "", "<!-- more -->", ""]
    for section in range(rng.randint(5, 10)):
        lines += [f"## {sentence(4)[:-1]} {section + 1}", ""]
        lines += [sentence(rng.randint(14, 30)) for _ in range(rng.randint(1, 3))]
        lines.append("")
        if section % 2 == 0:
            if section % 4 == 0:
                lines += [f"{sentence(6)[:-1]}:", ""]  # a lead-in sentence, as the sample posts write them
            lines += [f"- {sentence(rng.randint(4, 9))}" for _ in range(rng.randint(3, 6))]
            lines.append("")
        if section == 1 and index % 5 == 2:
            lines += ["!!! tip \"Good to know\"", "", f"    {sentence(12)}", ""]
    lines += ["## Sources", ""]
    lines += [f"- [{name}]({url})" for name, url in rng.sample(SOURCES, 2)]
    lines.append("")
    return "\n".join(lines)


def _image(path: Path, rng: random.Random) -> None:
    image = Image.new("RGB", (1200, 630), PALETTE[2])
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 630), rng.randint(60, 220)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(PALETTE))
    image.save(path, "JPEG", quality=70, optimize=True)


def generate(size: int, dest: Path, *, seed: int = 2026) -> Path:
    """Write a practice project with ``size`` generated posts, each with its own picture, into ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(ROOT / "content", dest / "content", ignore=shutil.ignore_patterns("posts", "images"))
    posts = dest / "content" / "blog" / "posts"
    pictures = dest / "content" / "blog" / "images"
    posts.mkdir(parents=True)
    pictures.mkdir(parents=True)
    rng = random.Random(seed)
    start = date(2016, 1, 4)
    for index in range(size):
        day = start + timedelta(days=(index * 3650) // max(size, 1))
        name = f"post-{index:05d}.jpg"
        _image(pictures / name, rng)
        (posts / f"post-{index:05d}.md").write_text(_article(rng, index, day, name), encoding="utf-8")
    return dest


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(generate(int(sys.argv[1]), Path(sys.argv[2])))  # noqa: T201
