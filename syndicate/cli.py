"""The ``syndicate`` command: parse options, call one function, print, set the exit code.

This is the one place that turns errors into messages and exit codes.
Products go to standard output, diagnostics to standard error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import PLATFORMS, Settings, load_settings
from .errors import ContentError, Problem, SyndicateError, display_path

F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(func: F) -> F:
    """Show our own errors as one clear message and exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ContentError as exc:
            for problem in exc.problems:
                click.echo(problem.format(), err=True)
            click.echo("Run 'syndicate check' for the full report.", err=True)
            sys.exit(exc.exit_code)
        except SyndicateError as exc:
            click.echo(f"syndicate: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(timezone.utc)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use an ISO date and time, e.g. 2026-12-01T09:00:00+00:00") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class Context:
    """Options shared by every command."""

    def __init__(self, config: str, verbose: int, now: str | None) -> None:
        self.config_path = config
        self.verbose = verbose
        self.now = _parse_now(now or os.environ.get("SYNDICATE_NOW"))
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """The practice's settings, read once."""
        if self._settings is None:
            self._settings = load_settings(self.config_path)
        return self._settings


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-f", "--config", "config", default="mkdocs.yml", show_default=True,
              help="The site's mkdocs.yml.")
@click.option("-v", "--verbose", count=True, help="Say more.")
@click.option("-q", "--quiet", is_flag=True, help="Say only what went wrong.")
@click.option("--now", "now", default=None, metavar="ISO-TIME",
              help="Pretend it is this time (for scheduling tests). Also SYNDICATE_NOW.")
@click.version_option(package_name="practice-syndicate")
@click.pass_context
def main(ctx: click.Context, config: str, verbose: int, quiet: bool, now: str | None) -> None:
    """Publish a practice's articles as a blog, social teasers, slides and feeds."""
    ctx.obj = Context(config, -1 if quiet else verbose, now)


def _format_github(problem: Problem) -> str:
    """A workflow command GitHub shows on the pull request's changed lines."""
    # Escaping per GitHub's toolkit (actions/toolkit: packages/core/src/command.ts).
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    kind = "error" if problem.severity == "error" else "warning"
    return (f"::{kind} file={prop(display_path(problem.path))},line={problem.line},col={problem.col},"
            f"title={prop('syndicate check')}::{data(problem.text)}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too; privacy findings become errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default=None,
              help="Output format (default: text, or github under GitHub Actions).")
@click.option("--fix-images", is_flag=True,
              help="Remove location and camera data from the images the articles use, then check.")
@pass_context
@_handle_errors
def check(ctx: Context, paths: tuple[Path, ...], strict: bool, output_format: str | None,
          fix_images: bool) -> None:
    """Check articles (all posts, or the files and folders given) for mistakes before anything is published."""
    from .check import check_paths

    report = check_paths(ctx.settings, list(paths) if paths else None, strict=strict, fix_images=fix_images,
                         now=ctx.now)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    failed = report.errors > 0 or (strict and report.warnings > 0)
    for fixed in report.fixed:
        click.echo(f"{display_path(fixed.path)}: removed {', '.join(fixed.removed)}.", err=True)
    if output_format == "json":
        click.echo(json.dumps({
            "files": report.files, "errors": report.errors, "warnings": report.warnings, "failed": failed,
            "problems": [{"path": display_path(p.path), "line": p.line, "column": p.col, "severity": p.severity,
                          "message": p.message, "hint": p.hint, "code": p.code} for p in report.problems],
            "fixed": [{"path": display_path(f.path), "removed": list(f.removed)} for f in report.fixed],
        }, indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            click.echo(_format_github(problem) if output_format == "github" else problem.format())
    if not report.files and not report.problems:
        click.echo(f"No articles in {display_path(ctx.settings.posts_dir)} yet.", err=True)
    elif ctx.verbose >= 0 or failed:
        click.echo(_summary(report.errors, report.warnings, report.files_with_problems, report.files), err=True)
    sys.exit(1 if failed else 0)


def _summary(errors: int, warnings: int, bad_files: int, files: int) -> str:
    if not errors and not warnings:
        return f"No problems in {files} article{'s' * (files != 1)}."
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"{', '.join(parts)} in {bad_files} of {files} article{'s' * (files != 1)}."


@main.command()
@click.option("--only", multiple=True, help="Run only this step (repeatable).")
# The choices are syndicate.slides.FORMATS, written out so that the CLI starts without Pillow.
@click.option("--slide-format", "slide_formats", multiple=True,
              type=click.Choice(["html", "marp", "pptx", "carousel"]),
              help="Write only this slide format (repeatable; default: extra.syndication.slides.formats).")
@click.option("--timings", type=click.File("w", encoding="utf-8"), default=None, metavar="FILE",
              help="Write how long reading and each step took (seconds, as JSON) to FILE ('-': standard output).")
@pass_context
@_handle_errors
def build(ctx: Context, only: tuple[str, ...], slide_formats: tuple[str, ...], timings: Any) -> None:
    """Write feeds, teasers and slides into the built site (run after mkdocs build)."""
    from .build import build as run_build
    from .build import with_slide_formats

    settings = with_slide_formats(ctx.settings, slide_formats) if slide_formats else ctx.settings
    result = run_build(settings, now=ctx.now, only=only)
    if ctx.verbose >= 0:
        for name, files in result.written.items():
            click.echo(f"{name}: {len(files)} file{'s' * (len(files) != 1)}", err=True)
    if timings is not None:
        click.echo(json.dumps({name: {"wall": round(t.wall, 4), "cpu": round(t.cpu, 4)}
                               for name, t in result.timings.items()}), file=timings)


@main.command()
@click.argument("title")
@pass_context
@_handle_errors
def new(ctx: Context, title: str) -> None:
    """Start a new post with today's date and every setting explained."""
    from .scaffold import new_post

    settings = ctx.settings
    path = new_post(settings, title, today=ctx.now.astimezone(settings.practice.timezone).date())
    click.echo(display_path(path))
    if ctx.verbose >= 0:
        click.echo("Fill in the description and the TODOs, then run 'syndicate check'.", err=True)


def _teaser_lines(name: str, value: dict[str, Any]) -> list[str]:
    from .teasers import spec_of

    spec = spec_of(name)
    verdict = "ok" if value["ok"] else "OVER" if value["length"] > value["limit"] else "REFUSED"
    lines = [f"  {spec.title}: {value['length']}/{value['limit']} {spec.unit}  {verdict}"]
    lines += [f"    | {line}" if line else "    |" for line in value["text"].split("\n")]
    return lines


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--platform", type=click.Choice(PLATFORMS), default=None, help="Show only this platform.")
@click.option("--json", "json_", is_flag=True, help="Print JSON instead of text.")
@pass_context
@_handle_errors
def preview(ctx: Context, paths: tuple[Path, ...], platform: str | None, json_: bool) -> None:
    """Show each article's teaser for each platform, with its length and limit.

    Reads the articles and the built site (run scripts/build first). Exits
    with 1 when a teaser would be refused.
    """
    from .teasers import preview as make_preview
    from .teasers import preview_summary

    entries = make_preview(ctx.settings, list(paths) or None, platform)
    refused = sum(not p["ok"] for e in entries for p in e["platforms"].values())
    if json_:
        click.echo(json.dumps([preview_summary(e) for e in entries], indent=2, ensure_ascii=False))
    else:
        for entry in entries:
            click.echo(f"{entry['title']}\n{entry['url']}")
            for name, value in entry["platforms"].items():
                click.echo("\n".join(_teaser_lines(name, value)))
            click.echo()
    if refused:
        click.echo(f"{refused} teaser{'s' * (refused != 1)} would be refused: shorten the social: texts "
                   "marked OVER, or run 'syndicate check' for where.", err=True)
    sys.exit(1 if refused else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--posted", type=click.File("r", encoding="utf-8"), default=None, metavar="FILE",
              help="Instead: what a 'syndicate post --json' run wrote to FILE ('-' reads standard input).")
@pass_context
@_handle_errors
def summary(ctx: Context, paths: tuple[Path, ...], posted: Any) -> None:
    """Markdown for a GitHub job summary: the teasers of the posts among PATHS (a pull request's changed files).

    With --posted, what a posting run did instead, and what to do about anything not posted.
    """
    from .summary import pull_request_summary, run_summary

    if posted is None:
        click.echo(pull_request_summary(ctx.settings, list(paths), now=ctx.now), nl=False)
        return
    text = posted.read()
    try:
        data = json.loads(text) if text.strip() else None
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not the JSON 'syndicate post --json' prints ({exc.msg})",
                                 param_hint="--posted") from None
    click.echo(run_summary(data), nl=False)


@main.command()
@click.argument("text")
@click.option("--platform", type=click.Choice(PLATFORMS), default=None, help="Count for this platform only.")
@click.option("--json", "json_", is_flag=True, help="Print JSON instead of text.")
@pass_context
@_handle_errors
def count(ctx: Context, text: str, platform: str | None, json_: bool) -> None:
    """Count TEXT the way each platform counts it ('-' reads standard input).

    Exits with 1 when the text does not fit a platform shown.
    """
    from .teasers import count_everywhere, spec_of

    if text == "-":
        text = sys.stdin.read().rstrip("\r\n")
    # Counting needs no site: without a mkdocs.yml, the platforms' own limits apply.
    settings = ctx.settings if Path(ctx.config_path).exists() else None
    result = count_everywhere(text, settings, platform)
    if json_:
        click.echo(json.dumps(result, indent=2))
    else:
        width = max(len(spec_of(name).title) for name in result)
        for name, value in result.items():
            spec = spec_of(name)
            verdict = "ok" if value["ok"] else "too long" if value["length"] > value["limit"] else "refused"
            click.echo(f"{spec.title:<{width}}  {value['length']:>5} / {value['limit']:<5} {spec.unit}  {verdict}")
    sys.exit(0 if all(value["ok"] for value in result.values()) else 1)


def _posting_table(outcomes: list[Any]) -> list[str]:
    rows = [(o.platform, o.title, o.result, o.url or o.message) for o in outcomes]
    if not rows:
        return ["Nothing to post."]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    widths = [max(widths[0], 8), min(max(widths[1], 7), 40)]
    lines = [f"{'platform':<{widths[0]}}  {'article':<{widths[1]}}  {'result':<10}  link or reason"]
    for platform, title, result, detail in rows:
        title = title if len(title) <= widths[1] else title[: widths[1] - 1] + "…"
        lines.append(f"{platform:<{widths[0]}}  {title:<{widths[1]}}  {result:<10}  {detail}")
    return lines


@main.command()
@click.option("--dry-run", is_flag=True, help="Print every request it would send; send and write nothing.")
@click.option("--json", "json_", is_flag=True, help="Print JSON instead of a table.")
@click.option("--platform", "platforms", multiple=True, metavar="NAME", help="Only this platform (repeatable).")
@click.option("--only", multiple=True, type=click.Path(path_type=Path), help="Only this post (repeatable).")
@click.option("--wait-live", "wait_live", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
              help="First wait up to SECONDS for the new articles' pages to answer on the live site.")
@pass_context
@_handle_errors
def post(ctx: Context, dry_run: bool, json_: bool, platforms: tuple[str, ...], only: tuple[Path, ...],
         wait_live: float) -> None:
    """Share new articles on each enabled platform, once, and record it in the ledger."""
    from .publish import post as run_post

    if wait_live and not dry_run:
        _wait_live(ctx, wait_live, platforms)
    report = run_post(ctx.settings, now=ctx.now, platforms=platforms, only=only, dry_run=dry_run)
    if dry_run and json_:
        click.echo(json.dumps(report.requests, indent=2, ensure_ascii=False))
    elif dry_run:
        for request in report.requests:
            click.echo(f"[{request['platform']}] {request['method']} {request['url']}")
            if request["body"] is not None:
                body = request["body"]
                text = body if isinstance(body, str) else json.dumps(body, indent=2, ensure_ascii=False)
                click.echo("  " + text.replace("\n", "\n  "))
    elif json_:
        click.echo(json.dumps([vars(o) for o in report.outcomes], indent=2, ensure_ascii=False))
    if dry_run and ctx.verbose >= 0:  # what would be posted, and what could not be (e.g. a missing setting)
        for line in _posting_table(report.outcomes):
            click.echo(line, err=True)
    elif not json_ and not dry_run:
        for line in _posting_table(report.outcomes):
            click.echo(line)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    sys.exit(1 if report.failed else 0)


def _wait_live(ctx: Context, seconds: float, platforms: tuple[str, ...]) -> None:
    from .live import due_urls, wait_until_live

    urls = due_urls(ctx.settings, now=ctx.now, platforms=platforms)
    if not urls:
        return
    say = (lambda text: click.echo(text, err=True)) if ctx.verbose >= 0 else (lambda _: None)
    say(f"Waiting up to {seconds:g} s for {len(urls)} new page{'s' * (len(urls) != 1)} to answer on the live site...")
    waited = wait_until_live(urls, timeout=seconds, say=say)
    if waited.missing:
        click.echo(f"warning: not live after {waited.seconds:.0f} s: {', '.join(waited.missing)}; "
                   "these articles are shared on a later run", err=True)
    else:
        say(f"Live after {waited.seconds:.0f} s.")


@main.command()
@click.option("--json", "json_", is_flag=True, help="Print JSON instead of a list.")
@pass_context
@_handle_errors
def status(ctx: Context, json_: bool) -> None:
    """Show, per article, where it was shared, with the links."""
    from .records import status as read_status

    rows = read_status(ctx.settings)
    if json_:
        click.echo(json.dumps([{"article": r.key, "title": r.title, "url": r.url, "sources": list(r.sources),
                                "platforms": {n: {"status": e.status, "url": e.remote_url, "error": e.error}
                                              for n, e in r.platforms.items()}} for r in rows],
                              indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("Nothing has been shared yet.")
    for row in rows:
        click.echo(f"{row.title}  ({row.url})")
        for name, entry in sorted(row.platforms.items()):
            detail = entry.remote_url or ("marked by hand" if entry.marked_by_person else entry.error or "")
            click.echo(f"  {name:<16} {entry.status:<8} {detail}")


@main.command("mark-posted")
@click.option("--platform", "platforms", multiple=True, metavar="NAME", help="Only this platform (repeatable).")
@click.option("--only", multiple=True, type=click.Path(path_type=Path), help="Only this post (repeatable).")
@click.option("--url", default=None, help="The address of the post (one platform, one article).")
@pass_context
@_handle_errors
def mark_posted(ctx: Context, platforms: tuple[str, ...], only: tuple[Path, ...], url: str | None) -> None:
    """Record articles as already shared (e.g. the existing archive) so 'post' never shares them."""
    from .records import mark

    changed = mark(ctx.settings, now=ctx.now, posted=True, platforms=platforms, only=only, url=url)
    for line in _posting_table(changed) if changed else ["Everything chosen was already recorded."]:
        click.echo(line)


@main.command("mark-not-posted")
@click.option("--platform", "platforms", multiple=True, metavar="NAME", help="Only this platform (repeatable).")
@click.option("--only", multiple=True, type=click.Path(path_type=Path), help="Only this post (repeatable).")
@pass_context
@_handle_errors
def mark_not_posted(ctx: Context, platforms: tuple[str, ...], only: tuple[Path, ...]) -> None:
    """After checking the profile: an attempt held as uncertain did not post, so post it on the next run."""
    from .records import mark

    changed = mark(ctx.settings, now=ctx.now, posted=False, platforms=platforms, only=only)
    for line in _posting_table(changed) if changed else ["No held or uncertain attempt was chosen."]:
        click.echo(line)
