"""Job summaries: a pull request's teasers exactly as they will be posted, and what a posting run did.

GitHub shows the Markdown a job writes to ``$GITHUB_STEP_SUMMARY`` on the run's
page, so whoever reviews an article sees every network's post, its length and
its limit before merging. Articles that are not on the built site (scheduled
for a later day, or the build failed) are shown with the address the blog
will most likely give them.

After a posting run, the summary lists each network's result and says what
to do about anything that was not posted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .article import Article, read_article
from .config import PLATFORMS, Settings
from .errors import SiteError, SyndicateError, display_path
from .links import expected_url
from .platforms.base import Teaser
from .platforms.compose import measure
from .site import read_site
from .teasers import platforms_for, spec_of

TITLE = "## Teasers of the articles in this pull request"


@dataclass(frozen=True, kw_only=True)
class _Linked:
    """An article with the URL it has (or will have) on the site."""

    article: Article
    url: str


def changed_posts(settings: Settings, paths: Iterable[Path]) -> list[Path]:
    """The blog posts among ``paths`` that still exist (deleted files have no teaser)."""
    posts = settings.posts_dir.resolve()
    chosen = []
    for path in paths:
        full = (settings.root / path).resolve()
        if full.suffix == ".md" and full.is_file() and full.is_relative_to(posts) and full not in chosen:
            chosen.append(full)
    return chosen


def pull_request_summary(settings: Settings, paths: Sequence[Path], *, now: datetime) -> str:
    """Markdown with the teasers of the posts among ``paths``, for a pull request's job summary."""
    posts = changed_posts(settings, paths)
    if not posts:
        return f"{TITLE}\n\nNo blog post was added or changed, so there is nothing new to share.\n"
    try:
        pages = {src_uri: page.url for src_uri, page in read_site(settings).items()}
        built = True
    except SiteError:
        pages, built = {}, False
    sections = [TITLE, ""]
    if not built:
        sections += ["The site did not build, so the links below are the addresses the articles will "
                     "most likely have.", ""]
    for path in posts:
        sections += _article_section(settings, path, pages, now=now)
    return "\n".join(sections).rstrip("\n") + "\n"


def _article_section(settings: Settings, path: Path, pages: dict[str, str], *, now: datetime) -> list[str]:
    shown = display_path(path, settings.root)
    article, problems = read_article(path, settings, now=now)
    if article is None:
        errors = sum(p.severity == "error" for p in problems)
        return [f"### `{shown}`", "",
                f"❌ {errors} error{'s' * (errors != 1)} in this file (marked on the changed lines and listed in "
                "the check's log). Its teasers are shown once they are fixed.", ""]
    lines = [f"### {_inline(article.title)}", ""]
    if not article.is_published(now) and article.draft:
        return lines + [f"`{shown}` is a draft (`draft: true`): it is not published and nothing is shared.", ""]
    url = pages.get(article.src_uri) or expected_url(article, settings)
    when = ""
    if not article.is_published(now):
        day = article.date.astimezone(settings.practice.timezone)
        when = (f" Scheduled for {day:%A %-d %B %Y}: it goes live and is shared on the first run from that day;"
                " the link is the address it will most likely have.")
    lines += [f"`{shown}` · <{url}>{when}", ""]
    names = platforms_for(article, settings)
    if not names:
        return lines + ["Not shared anywhere: every network is skipped (`social: skip:`) or none is set up.", ""]
    teasers = [_render(name, _Linked(article=article, url=url), settings) for name in names]
    lines += ["| Network | Length | Fits? |", "|---|---|---|"]
    for teaser in teasers:
        lines.append(f"| {spec_of(teaser.platform).title} | {_length(teaser)} | {_verdict(teaser, settings)} |")
    lines.append("")
    for teaser in teasers:
        lines += [f"**{spec_of(teaser.platform).title}**", "", *_fenced(teaser.text), ""]
    return lines


def _render(name: str, linked: _Linked, settings: Settings) -> Teaser:
    from .platforms import REGISTRY

    teaser: Teaser = REGISTRY[name].render(linked, settings)
    return teaser


def _length(teaser: Teaser) -> str:
    return f"{teaser.length} of {teaser.limit} {spec_of(teaser.platform).unit}"


def _verdict(teaser: Teaser, settings: Settings) -> str:
    checked = measure(spec_of(teaser.platform), teaser.text, settings)
    if checked.ok:
        return "✅ yes"
    return "❌ no: " + _inline("; ".join(checked.problems))


def _network(name: str) -> str:
    return spec_of(name).title if name in PLATFORMS else name


def _inline(text: str) -> str:
    """Text safe inside a Markdown table cell or heading."""
    return text.replace("|", "\\|").replace("\n", " ")


def _fenced(text: str) -> list[str]:
    """The teaser as a code block, so hashtags, line breaks and links show exactly as posted."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text, fence]


# -- what a posting run did ----------------------------------------------------------

RESULT_WORDS = {
    "posted": "✅ posted", "found": "✅ posted (found from an earlier try)", "would post": "would post",
    "skipped": "⏭️ later", "waiting": "⏳ page not live yet", "failed": "❌ failed",
    "unknown": "❓ not sure yet", "held": "✋ needs you",
}

ADVICE = {
    "failed": "**Failed** means nothing was posted there. The next run (daily, or *Run workflow*) tries again. "
              "If the reason names a secret or says access was refused, renew that network's token and update "
              "the repository secret (README: *Publishing with GitHub Actions*).",
    "waiting": "**Page not live yet**: the network would have fetched a missing page, so the article is shared on "
               "the next run. If this repeats, check that `site_url` in `mkdocs.yml` is the site's real address.",
    "unknown": "**Not sure yet**: the network did not answer clearly whether it took the post. The next run asks "
               "the network before trying again, so the article is never posted twice.",
    "held": "**Needs you**: the network cannot tell whether an earlier try was posted. Look at the profile, then "
            "run the command given in the reason: `syndicate mark-posted …` if the post is there, "
            "`syndicate mark-not-posted …` if it is not. Commit the ledger; the next run does the rest.",
    "skipped": "**Later**: over the number of posts allowed per run or per day (`max_posts_per_run`, "
               "`max_posts_per_day`); shared on the next runs.",
}


def posting_summary(outcomes: Sequence[Mapping[str, Any]]) -> str:
    """Markdown of what ``syndicate post --json`` did, with what to do about anything not posted."""
    lines = ["## Sharing", ""]
    if not outcomes:
        return "\n".join(lines + ["Nothing new to share: every published article is already recorded as shared.", ""])
    lines += ["| Network | Article | Result | Link or reason |", "|---|---|---|---|"]
    for o in outcomes:
        detail = f"<{o['url']}>" if o.get("url") else _inline(str(o.get("message") or ""))
        result = str(o["result"])
        lines.append(f"| {_network(str(o['platform']))} | {_inline(str(o['title']))} "
                     f"| {RESULT_WORDS.get(result, result)} | {detail} |")
    lines.append("")
    for result, advice in ADVICE.items():
        if any(o["result"] == result for o in outcomes):
            lines += [f"- {advice}"]
    return "\n".join(lines).rstrip("\n") + "\n"


def dry_run_summary(requests: Sequence[Mapping[str, Any]]) -> str:
    """Markdown of what ``syndicate post --dry-run --json`` would send (secrets already taken out)."""
    lines = ["## Dry run: nothing was posted", ""]
    if not requests:
        return "\n".join(lines + ["Nothing would be posted: every published article is already recorded as shared.",
                                  ""])
    lines += ["These are the requests a real run would send now, secrets removed.", ""]
    for request in requests:
        where = f"`{request['source']}` · {request['method']} {request['url']}"
        lines += [f"**{_network(str(request['platform']))}** · {where}", ""]
        body = request.get("body")
        if body is not None:
            text = body if isinstance(body, str) else json.dumps(body, indent=2, ensure_ascii=False)
            lines += [*_fenced(text), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def run_summary(data: Any) -> str:
    """The Markdown for one ``syndicate post --json`` output: outcomes, or a dry run's requests (None: no output)."""
    if data is None:
        return ("## Sharing\n\n❌ The sharing step stopped before it could report. Its log (open the step "
                "*Share the new articles*) says what went wrong; nothing is lost, the next run tries again.\n")
    if not isinstance(data, list) or not all(isinstance(item, Mapping) for item in data):
        raise SyndicateError("the posting report is not the list 'syndicate post --json' prints")
    if data and "method" in data[0]:
        return dry_run_summary(data)
    return posting_summary(data)
