"""``syndicate post``: choose what to post, post it, record it; and what the ledger says.

Reads the teasers ``syndicate build`` wrote (``site/syndication/index.json``) and
the ledger. For each platform, an article is posted when it is published, its
page is live, and the ledger has no post of it there. The ledger gets the
intent before each call and the outcome after. An attempt whose outcome is
unknown is settled with the platform first (the post found, or provably
absent, or safe to resend) and otherwise held for a person; it is never simply
sent again.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl

import httpx

from .config import Settings
from .errors import AccessError, ConfigError, OutcomeUnknown, PlatformError, RateLimited, SiteError, Unresolvable
from .http import Sender, new_client, redact, redact_json
from .ledger import Entry, Ledger, ledger_path, now_iso, open_ledger
from .platforms.clients import Client, Post, Setup, dry_run_response, make_client

DEFAULT_MAX_POSTS_PER_RUN = 3

Result = Literal["posted", "found", "failed", "unknown", "held", "waiting", "skipped", "would post"]
FAILED: frozenset[str] = frozenset({"failed", "unknown", "held", "waiting"})


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What happened to one article on one platform in this run."""

    platform: str
    source: str
    title: str
    result: Result
    url: str | None = None
    message: str = ""


@dataclass(kw_only=True)
class Report:
    """Everything a run did, for the summary table and the exit code."""

    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)  # dry run only

    @property
    def failed(self) -> bool:
        """Whether anything needs another run or a person."""
        return any(o.result in FAILED for o in self.outcomes)


@dataclass(frozen=True, kw_only=True)
class Teasers:
    """One article from ``index.json`` with its teasers."""

    source: str
    src_uri: str
    slug: str
    url: str
    title: str
    description: str
    date: datetime
    language: str
    image: str | None
    image_alt: str | None
    image_path: str | None
    platforms: Mapping[str, Mapping[str, Any]]


# -- reading the teasers ----------------------------------------------------------------


def index_path(settings: Settings) -> Path:
    """Where ``syndicate build`` writes the teasers."""
    return settings.site_dir / "syndication" / "index.json"


def load_index(settings: Settings) -> list[Teasers]:
    """The articles and teasers of the last build."""
    path = index_path(settings)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteError(f"{path} is missing. Run scripts/build (or 'syndicate build' after mkdocs build) "
                        "first") from None
    except json.JSONDecodeError as exc:
        raise SiteError(f"{path} is not valid JSON ({exc.msg}, line {exc.lineno}). Build again") from None
    articles = []
    for raw in data.get("articles", []):
        try:
            date = datetime.fromisoformat(raw["date"])
            articles.append(Teasers(
                source=raw["source"], src_uri=raw["src_uri"], slug=raw["slug"], url=raw["url"],
                title=raw["title"], description=raw.get("description") or "",
                date=date if date.tzinfo else date.replace(tzinfo=settings.practice.timezone),
                language=raw.get("language") or settings.practice.language,
                image=raw.get("image"), image_alt=raw.get("image_alt"), image_path=raw.get("image_path"),
                platforms=raw.get("platforms") or {}))
        except (KeyError, TypeError, ValueError) as exc:
            raise SiteError(f"{path}: an article entry is incomplete ({exc!r}). Build again") from None
    return articles


def select_articles(articles: list[Teasers], settings: Settings, only: Sequence[Path]) -> list[Teasers]:
    """The articles named by ``--only`` (all when none is named); an unknown path is an error."""
    if not only:
        return articles
    wanted = {p.resolve() for p in only}
    chosen = [a for a in articles if (settings.root / a.source).resolve() in wanted]
    known = {(settings.root / a.source).resolve() for a in articles}
    missing = [p for p in only if p.resolve() not in known]
    if missing:
        raise ConfigError(f"{missing[0]} is not a published article of the last build",
                          hint="Give the path of a post under content/blog/posts/, and build first")
    return chosen


def chosen_platforms(settings: Settings, wanted: Sequence[str]) -> list[str]:
    """The enabled platforms, or those of ``--platform`` (each must be enabled)."""
    enabled = list(settings.enabled_platforms)
    for name in wanted:
        if name not in enabled:
            raise ConfigError(f"'{name}' is not an enabled platform", path=settings.config_path,
                              hint="Enabled under extra.syndication.platforms: " + ", ".join(enabled))
    return [p for p in enabled if not wanted or p in wanted]


def attempt_key(article: str, platform: str, generation: int) -> str:
    """The idempotency key of an attempt: stable across runs, new after mark-not-posted."""
    return hashlib.sha256(f"{article}\n{platform}\n{generation}".encode()).hexdigest()[:32]


def _post_for(settings: Settings, article: Teasers, key: str, platform: str, entry: Entry | None) -> Post:
    teaser = article.platforms[platform]
    image_path = settings.root / article.image_path if article.image_path else None
    return Post(
        platform=platform, article=key,
        key=entry.key if entry and entry.key else attempt_key(key, platform, entry.generation if entry else 0),
        source=article.source, title=article.title, description=article.description, date=article.date,
        canonical_url=article.url, link=str(teaser.get("url") or article.url), text=str(teaser.get("text") or ""),
        language=article.language, image_url=teaser.get("image") or article.image,
        image_alt=teaser.get("image_alt") or article.image_alt,
        image_path=image_path if image_path and image_path.exists() else None,
        fields=teaser.get("fields") or {}, progress=(entry.progress if entry else None) or {})


# -- choosing ----------------------------------------------------------------------------


def _limit(settings: Settings, platform: str, key: str) -> int | None:
    value = settings.platform_settings(platform).get(key, settings.syndication.get(key))
    if value is None:
        return DEFAULT_MAX_POSTS_PER_RUN if key == "max_posts_per_run" else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"extra.syndication.{key} must be a whole number, not {value!r}",
                          path=settings.config_path)
    return value


def _posted_today(ledger: Ledger, platform: str, now: datetime, settings: Settings) -> int:
    today = now.astimezone(settings.practice.timezone).date()
    count = 0
    for key in ledger.articles:
        entry = ledger.entry(key, platform)
        if entry and entry.intent_at and entry.status in ("posted", "pending", "unknown") \
                and not entry.marked_by_person \
                and datetime.fromisoformat(entry.intent_at).astimezone(settings.practice.timezone).date() == today:
            count += 1
    return count


def _timeout(settings: Settings) -> float | None:
    value = settings.syndication.get("timeout")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"extra.syndication.timeout must be a number of seconds, not {value!r}",
                          path=settings.config_path)
    return float(value)


def _is_live(client: httpx.Client, url: str) -> bool:
    try:
        response = client.get(url, follow_redirects=True)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


# -- dry run -----------------------------------------------------------------------------


def _shown_body(request: httpx.Request) -> Any:
    content_type = request.headers.get("content-type", "")
    body = request.content
    if not body:
        return None
    if "json" in content_type:
        return redact_json(json.loads(body))
    if "x-www-form-urlencoded" in content_type:
        return redact_json(dict(parse_qsl(body.decode())))
    if "multipart" in content_type:
        return _multipart_fields(content_type, body)
    return f"<{len(body)} bytes of {content_type or 'data'}>"


def _multipart_fields(content_type: str, body: bytes) -> dict[str, str]:
    # The text fields as sent (e.g. an image's alt text), each file as its type and size.
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        fields[name] = (f"<{part.get_content_type()}, {len(payload)} bytes>" if part.get_filename()
                        else redact(payload.decode("utf-8", "replace")))
    return fields


class _DryRun:
    """A transport that records each request and answers as the platform plausibly would."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.platform = ""
        self.source = ""

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            self.report.requests.append({"platform": self.platform, "source": self.source,
                                         "method": request.method, "url": redact(str(request.url)),
                                         "body": _shown_body(request)})
            return dry_run_response(self.platform, request)
        return httpx.MockTransport(handle)


# -- posting -----------------------------------------------------------------------------


@contextmanager
def _ledger_for(path: Path, dry_run: bool) -> Iterator[Ledger]:
    if dry_run:
        with nullcontext(Ledger.read(path)) as ledger:
            yield ledger
    else:
        with open_ledger(path) as ledger:
            yield ledger


def post(settings: Settings, *, now: datetime, platforms: Sequence[str] = (), only: Sequence[Path] = (),
         dry_run: bool = False, env: Mapping[str, str] | None = None,
         transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep) -> Report:
    """Post every chosen teaser to every chosen platform and record it; a dry run sends and writes nothing."""
    env = os.environ if env is None else env
    names = chosen_platforms(settings, platforms)
    articles = [a for a in select_articles(load_index(settings), settings, only) if a.date <= now]
    articles.sort(key=lambda a: a.date, reverse=True)  # the newest first when a cap holds some back
    report = Report()
    recorder = _DryRun(report) if dry_run else None
    with _ledger_for(ledger_path(settings), dry_run) as ledger, \
            new_client(recorder.transport() if recorder else transport, timeout=_timeout(settings)) as client:
        keys: dict[str, str] = {}
        aliases_changed = False
        for a in articles:
            known = ledger.identify(src_uri=a.src_uri, url=a.url)
            keys[a.source] = known or ledger.new_key(date=a.date.isoformat(), slug=a.slug)
            if known and not dry_run:  # a renamed file or a new URL: remember it before anything else
                aliases_changed |= ledger.remember(known, src_uri=a.src_uri, url=a.url, title=a.title)
        if aliases_changed:
            ledger.save()
        live: dict[str, bool] = {}
        for name in names:
            _post_platform(settings, name, articles, keys, ledger, client, live, report, now=now, env=env,
                           recorder=recorder, sleep=sleep)
    return report


def _post_platform(settings: Settings, name: str, articles: list[Teasers], keys: Mapping[str, str],
                   ledger: Ledger, client: httpx.Client, live: dict[str, bool], report: Report, *,
                   now: datetime, env: Mapping[str, str], recorder: _DryRun | None,
                   sleep: Callable[[float], None]) -> None:
    dry_run = recorder is not None
    chosen: list[tuple[Teasers, Entry | None]] = []
    for article in articles:
        if name not in article.platforms:
            continue  # skipped in the front matter, or no teaser for it
        entry = ledger.entry(keys[article.source], name)
        if entry is None or entry.status in ("failed", "pending", "unknown"):
            chosen.append((article, entry))
        elif entry.status == "held":
            report.outcomes.append(Outcome(platform=name, source=article.source, title=article.title,
                                           result="held", message=entry.error or "held for a person"))
    per_run = _limit(settings, name, "max_posts_per_run")
    per_day = _limit(settings, name, "max_posts_per_day")
    room = per_run if per_run is not None else len(chosen)
    if per_day is not None:
        room = min(room, max(0, per_day - _posted_today(ledger, name, now, settings)))
    for article, _ in chosen[room:]:
        report.outcomes.append(Outcome(platform=name, source=article.source, title=article.title, result="skipped",
                                       message="over this run's or today's limit; posted on a later run"))
    chosen = chosen[:room]
    if not chosen:
        return
    sender = Sender(name, client, sleep=sleep)
    setup = Setup(name=name, settings=settings.platform_settings(name), env=env, sender=sender, now=now,
                  dry_run=dry_run, practice_handles=settings.practice.handles)
    if recorder:
        recorder.platform, recorder.source = name, chosen[0][0].source
    try:
        api = make_client(setup)
    except PlatformError as exc:
        for article, _ in chosen:
            report.outcomes.append(Outcome(platform=name, source=article.source, title=article.title,
                                           result="failed", message=redact(str(exc))))
        return
    check_live = settings.syndication.get("check_live", True) is not False
    for article, entry in chosen:
        if recorder:
            recorder.source = article.source
        teaser = article.platforms[name]
        if teaser.get("ok") is False:
            report.outcomes.append(Outcome(
                platform=name, source=article.source, title=article.title, result="failed",
                message=f"the teaser is {teaser.get('length')} long, over the limit of {teaser.get('limit')}; "
                f"shorten 'social: {name}:' in {article.source}"))
            continue
        if check_live and not dry_run:
            if article.url not in live:
                live[article.url] = _is_live(client, article.url)
            if not live[article.url]:
                report.outcomes.append(Outcome(
                    platform=name, source=article.source, title=article.title, result="waiting",
                    message=f"{article.url} does not answer 200 yet (is the site deployed?); posted on a later run"))
                continue
        outcome, stop = _post_one(settings, api, name, article, keys[article.source], entry, ledger, now=now,
                                  dry_run=dry_run)
        report.outcomes.append(outcome)
        if stop:  # wrong credentials or a long rate limit: the other articles wait for the next run
            for rest, _ in chosen[chosen.index((article, entry)) + 1:]:
                report.outcomes.append(Outcome(platform=name, source=rest.source, title=rest.title,
                                               result="failed", message="not tried after the error above"))
            break
    try:
        report.warnings.extend(f"{name}: {w}" for w in api.warnings())
    except (PlatformError, *_SURPRISES):
        pass  # a warning that cannot be had must not fail a run that posted


# An answer without the fields the documentation promises (a changed API, a proxy's error page).
_SURPRISES = (KeyError, IndexError, TypeError, ValueError)


def _surprise(name: str, exc: Exception) -> str:
    return f"{name}: the answer was not what its API documents ({type(exc).__name__}: {redact(str(exc))[:200]})"


def _post_one(settings: Settings, api: Client, name: str, article: Teasers, key: str, entry: Entry | None,
              ledger: Ledger, *, now: datetime, dry_run: bool) -> tuple[Outcome, bool]:
    """Settle an earlier attempt if one is open, then post; the flag says to stop this platform's run."""
    post = _post_for(settings, article, key, name, entry)

    def done(result: Result, url: str | None = None, message: str = "") -> Outcome:
        return Outcome(platform=name, source=article.source, title=article.title, result=result, url=url,
                       message=redact(message))

    def record(**changes: Any) -> None:
        if not dry_run:
            current = ledger.entry(key, name) or Entry(status="pending")
            ledger.set(key, name, replace(current, updated_at=now_iso(now), **changes))

    if not dry_run:
        ledger.remember(key, src_uri=article.src_uri, url=article.url, title=article.title)
    if entry is not None and entry.status in ("pending", "unknown") and dry_run:
        return done("would post", message="after checking whether an earlier attempt posted it"), False
    if entry is not None and entry.status in ("pending", "unknown"):
        since = datetime.fromisoformat(entry.intent_at) if entry.intent_at else now
        try:
            remote = api.find(post, since)
        except Unresolvable as exc:
            if not api.replay_safe(since, now):
                message = (f"an earlier attempt ({entry.intent_at}) may have posted this and {name} cannot tell. "
                           f"Look at the profile, then run 'syndicate mark-posted --platform {name} --only "
                           f"{article.source} [--url URL]' if it is there, or 'syndicate mark-not-posted "
                           f"--platform {name} --only {article.source}' if not ({exc})")
                record(status="held", error=message)
                return done("held", message=message), False
            remote = None
        except PlatformError as exc:
            return done("unknown", message=f"could not check an earlier attempt: {exc}"), False
        except _SURPRISES as exc:
            return done("unknown", message=f"could not check an earlier attempt: {_surprise(name, exc)}"), False
        if remote is not None:
            record(status="posted", remote_id=remote.id, remote_url=remote.url, error=None, progress=None)
            return done("found", remote.url, "an earlier attempt had posted it"), False
    record(status="pending", key=post.key, attempts=(entry.attempts if entry else 0) + 1,
           intent_at=now_iso(now), generation=entry.generation if entry else 0, error=None)
    try:
        remote = api.post(post, lambda progress: record(progress=dict(progress)))
    except OutcomeUnknown as exc:
        record(status="unknown", error=redact(str(exc)))
        return done("unknown", message=f"{exc}; checked again on the next run"), False
    except (AccessError, RateLimited) as exc:
        record(status="failed", error=redact(str(exc)))
        return done("failed", message=str(exc)), True
    except PlatformError as exc:
        record(status="failed", error=redact(str(exc)))
        return done("failed", message=str(exc)), False
    except _SURPRISES as exc:  # the platform answered in a shape we do not know: maybe it posted
        message = _surprise(name, exc)
        record(status="unknown", error=message)
        return done("unknown", message=f"{message}; checked again on the next run"), False
    record(status="posted", remote_id=remote.id, remote_url=remote.url, error=None, progress=None)
    return done("would post" if dry_run else "posted", None if dry_run else remote.url), False
