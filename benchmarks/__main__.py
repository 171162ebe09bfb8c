"""Benchmark every stage of the pipeline against a reference run beside it.

    scripts/bench [--size 1000] [--repeat 3] [--rounds 2] [--work /tmp/practice-bench]

Each stage runs as its own process (start-up included, as a user runs it),
alternating with its reference so that a busy neighbour slows both alike.
For every stage the table gives the median wall time, the median CPU time
(user + system, worker processes included), the peak memory (the largest
resident set of any one process) and, for ``syndicate build`` steps, the
step's own time inside the process (``syndicate build --timings``).
Syndication stages run cold: the build cache is emptied before each run,
except in the rebuild rows, which measure it.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .generate import generate

BIN = Path(sys.executable).parent
FLOOR = (
    "import glob, frontmatter\n"
    "for path in sorted(glob.glob('content/blog/posts/*.md')):\n"
    "    frontmatter.load(path)\n"
)
# mkdocs-rss-plugin as Material for MkDocs' blog set-up page recommends it (match_path,
# categories), with the creation date read where the blog plugin keeps it: with the
# page's own "date" the plugin asks git for every post (docs/setup/setting-up-a-blog.md
# in squidfunk/mkdocs-material; mkdocs_rss_plugin/util.py get_file_dates).
RSS_PLUGIN = """
  - rss:
      match_path: blog/posts/.*
      date_from_meta:
        as_creation: date.created
      categories:
        - categories
        - tags
"""
FAST_SLIDES = ("html", "marp")  # the formats every full build here writes; PPTX and carousel: a sample
DRAWN_SLIDES = ("pptx", "carousel")


@dataclass
class Run:
    """One run of a command: wall and CPU seconds, peak memory, and its own report of its steps."""

    wall: float
    cpu: float
    peak_mib: float
    steps: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class Stage:
    """Repeated runs of one command."""

    name: str
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    def median(self, what: Callable[[Run], float]) -> float:
        """The median of one measure over the runs."""
        return statistics.median(what(run) for run in self.runs)

    @property
    def wall(self) -> float:
        """Median wall seconds."""
        return self.median(lambda r: r.wall)

    @property
    def cpu(self) -> float:
        """Median CPU seconds."""
        return self.median(lambda r: r.cpu)

    @property
    def peak(self) -> float:
        """The largest peak memory of any run, MiB."""
        return max(r.peak_mib for r in self.runs)

    def own(self, step: str, measure: str = "cpu") -> float | None:
        """Median of a step's own seconds inside the process (None when the runs did not report it)."""
        found = [r.steps[step][measure] for r in self.runs if step in r.steps]
        return statistics.median(found) if found else None


class Bench:
    """Runs commands, keeps their figures, and notes the machine's load as it goes."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        self.loads: list[float] = []
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        """Progress on standard error, with the elapsed time and the load average."""
        load = os.getloadavg()[0]
        self.loads.append(load)
        print(f"[{time.perf_counter() - self.started:6.0f} s, load {load:.1f}] {text}", file=sys.stderr)  # noqa: T201

    def run(self, cmd: Sequence[str | Path], cwd: Path, *, timings: bool = False) -> Run:
        """Run a command to completion; its wall time, CPU time (children included) and peak memory."""
        words = [str(c) for c in cmd]
        report = self.work / "timings.json"
        if timings:
            report.unlink(missing_ok=True)
            words += ["--timings", str(report)]
        start = time.perf_counter()
        proc = subprocess.Popen(words, cwd=cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert proc.stderr is not None  # noqa: S101 - set by Popen above
        err = proc.stderr.read()
        # wait4 reports the process and every child it waited for (the build's worker processes).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(words)} failed ({proc.returncode}):\n{err.decode(errors='replace')[-3000:]}")
        steps = json.loads(report.read_text(encoding="utf-8")) if timings else {}
        return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_mib=usage.ru_maxrss / 1024, steps=steps)


def syndicate(*words: str) -> list[str]:
    """A syndicate command (quiet)."""
    return [str(BIN / "syndicate"), "-q", *words]


def mkdocs(config: str = "mkdocs.yml") -> list[str]:
    """A quiet mkdocs build of one configuration."""
    return [str(BIN / "mkdocs"), "build", "-q", "-f", config]


def slide_formats(formats: Sequence[str]) -> list[str]:
    """The --slide-format options for some formats."""
    return [word for name in formats for word in ("--slide-format", name)]


def forget_cache(project: Path) -> None:
    """Empty the build caches, so the next build starts from nothing."""
    shutil.rmtree(project / ".cache", ignore_errors=True)


def prepare(project: Path, bench: Bench) -> None:
    """The generated project made ready to measure: posting not capped, a second config with the RSS plugin, git."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # A dry run of every article, not the three a run posts by default.
    text = text.replace("max_posts_per_run: 3", "max_posts_per_run: 1000000")
    config.write_text(text, encoding="utf-8")
    if "\nplugins:\n" not in text:
        raise SystemExit("mkdocs.yml has no 'plugins:' list to add mkdocs-rss-plugin to")
    (project / "mkdocs-rss.yml").write_text(text.replace("\nplugins:\n", "\nplugins:" + RSS_PLUGIN, 1),
                                            encoding="utf-8")
    # The plugin's scope: one feed of the whole site, no category or platform feeds.
    site_feed = text.replace("      categories: true", "      categories: false", 1)
    site_feed = site_feed.replace("      platforms: true", "      platforms: false", 1)
    if site_feed.count(": false") - text.count(": false") != 2:
        raise SystemExit("mkdocs.yml has no 'categories: true' and 'platforms: true' under extra.syndication.feeds")
    (project / "mkdocs-site-feed.yml").write_text(site_feed, encoding="utf-8")
    (project / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
    for words in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "Articles"]):  # the plugin reads git log
        subprocess.run([*git, *words], cwd=project, check=True, env=bench.env, stdout=subprocess.DEVNULL)


def fresh_site(project: Path, pristine: Path) -> None:
    """Put back the site as mkdocs build left it (linked, not copied: the build only adds files here)."""
    shutil.rmtree(project / "site")
    shutil.copytree(pristine, project / "site", copy_function=os.link)


def newest_post(project: Path) -> Path:
    """The post with the latest file name (the generator dates them in order)."""
    return sorted((project / "content" / "blog" / "posts").glob("*.md"))[-1]


class Edit:
    """Appends a sentence to one post for a rebuild, and puts the post back afterwards."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        extra = f"\nA sentence added by edit {self.count}, as a writer fixing a detail would.\n"
        self.path.write_bytes(self.original + extra.encode())

    def undo(self) -> None:
        """The post as it was."""
        self.path.write_bytes(self.original)


def measure_site(args: argparse.Namespace, bench: Bench, project: Path) -> dict[str, Stage]:
    """Every stage on the full generated site, references alternating with stages."""
    stages: dict[str, Stage] = {}

    def stage(name: str, note: str = "") -> Stage:
        return stages.setdefault(name, Stage(name, note=note))

    fast_build = syndicate("build", *slide_formats(FAST_SLIDES))
    bench.say("floor and check, alternating...")
    for _ in range(args.repeat):
        stage("floor").runs.append(bench.run([BIN / "python", "-c", FLOOR], project))
        stage("check").runs.append(bench.run(syndicate("check"), project))

    pristine = args.work / "pristine-site"
    newest, older = Edit(newest_post(project)), Edit(sorted(project.glob("content/blog/posts/*.md"))[0])
    for round_number in range(1, args.rounds + 1):
        bench.say(f"round {round_number}/{args.rounds}: mkdocs build...")
        stage("mkdocs").runs.append(bench.run(mkdocs(), project))
        shutil.rmtree(pristine, ignore_errors=True)
        shutil.copytree(project / "site", pristine)  # what mkdocs build leaves, for the rebuilds below
        bench.say("syndication steps, each in its own process, cold...")
        for name, words in (("teasers", ["--only", "teasers"]), ("feeds", ["--only", "feeds"]),
                            ("slides", ["--only", "slides", *slide_formats(FAST_SLIDES)])):
            forget_cache(project)
            stage(f"step:{name}").runs.append(bench.run(syndicate("build", *words), project, timings=True))
        forget_cache(project)
        stage("step:site-feed").runs.append(
            bench.run(syndicate("-f", "mkdocs-site-feed.yml", "build", "--only", "feeds"), project, timings=True))
        bench.say("the whole syndication build, cold...")
        forget_cache(project)
        stage("build").runs.append(bench.run(fast_build, project, timings=True))
        bench.say("syndicate post --dry-run...")
        stage("post").runs.append(bench.run(syndicate("post", "--dry-run", "--json"), project))
        bench.say("rebuilds after mkdocs build: nothing changed, the newest post edited, an old post edited...")
        runs = len(range(round_number - 1, args.repeat, args.rounds))  # --repeat runs in all, over the rounds
        # Each edit changes its post again, so each run rebuilds one post (the other post's last edit
        # is in the cache by then). The three kinds take turns: each put-back site churns the disk.
        for _ in range(runs):
            for name, edit in (("rebuild:none", None), ("rebuild:newest", newest), ("rebuild:older", older)):
                fresh_site(project, pristine)
                if edit is not None:
                    edit()
                stage(name).runs.append(bench.run(fast_build, project, timings=True))
        newest.undo()
        older.undo()
        if not args.skip_rss:
            bench.say("mkdocs build with mkdocs-rss-plugin...")
            stage("mkdocs+rss").runs.append(bench.run(mkdocs("mkdocs-rss.yml"), project))
    shutil.rmtree(pristine, ignore_errors=True)
    return stages


def measure_drawn(args: argparse.Namespace, bench: Bench) -> dict[str, Stage]:
    """PPTX and carousel images, drawn on a sample of the articles (a second each: all of them would take hours)."""
    sample = generate(args.slides_sample, args.work / f"sample-{args.slides_sample}")
    bench.say(f"drawn slides on {args.slides_sample} articles: mkdocs build...")
    bench.run(mkdocs(), sample)
    stages = {name: Stage(f"slides:{name}") for name in DRAWN_SLIDES}
    for _ in range(args.rounds):
        for name in DRAWN_SLIDES:
            bench.say(f"slides {name} on {args.slides_sample} articles, cold...")
            forget_cache(sample)
            words = syndicate("build", "--only", "slides", *slide_formats([name]))
            stages[name].runs.append(bench.run(words, sample, timings=True))
    return stages


# -- the table ---------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return ""
    if value <= 0:
        return "0 (under the clock's resolution)"
    return f"{value / reference:.2f}x" if value >= reference / 10 else f"1/{reference / value:.0f}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(args: argparse.Namespace, bench: Bench, stages: dict[str, Stage], drawn: dict[str, Stage],
           generated: float) -> str:
    """The Markdown table of every stage, and each target with its figure."""
    floor, check, site = stages["floor"], stages["check"], stages["mkdocs"]
    build = stages["build"]
    rows: list[tuple[str, Stage | None, str, str, str, float | None, str]] = []

    def row(label: str, stage: Stage | None, reference: Stage | None, ref_name: str,
            own: float | None = None, note: str = "") -> None:
        cpu = stage.cpu if stage else None
        compared = cpu if cpu is not None else own  # the whole process; the step alone when run inside another
        rows.append((label, stage, _seconds(stage.wall if stage else None), _seconds(cpu),
                     f"{_ratio(compared, reference.cpu)} {ref_name}" if reference else "", own, note))

    row("floor: python-frontmatter reads every post (process start included)", floor, None, "")
    row("`syndicate check`", check, floor, "floor")
    row("`mkdocs build`", site, None, "")
    for name, label in (("teasers", "teasers"), ("feeds", "feeds"),
                        ("slides", "slides: HTML deck + Marp")):
        stage = stages[f"step:{name}"]
        row(f"`syndicate build --only {name}`: {label}", stage, site, "mkdocs build", stage.own(name))
    stage = stages["step:site-feed"]
    row("`syndicate build --only feeds`, the site feed alone (no category or platform feeds)", stage, site,
        "mkdocs build", stage.own("feeds"), "the plugin's scope")
    for name in ("share-images", "syndication-links"):
        row(f"{name} (step inside the whole build)", None, site, "mkdocs build", build.own(name))
    row("`syndicate build`, every step, slides HTML + Marp, cold", build, site, "mkdocs build")
    for name, stage in drawn.items():
        own = stage.own("slides")
        per = own / args.slides_sample if own is not None else None
        rows.append((f"slides: {name} only, {args.slides_sample}-article sample", stage, _seconds(stage.wall),
                     _seconds(stage.cpu), "", own, f"{per:.2f} s CPU per article" if per else ""))
    rows.append(("`syndicate post --dry-run` of every article on every platform", stages["post"],
                 _seconds(stages["post"].wall), _seconds(stages["post"].cpu), "", None, ""))
    for name, label in (("rebuild:none", "rebuild after `mkdocs build`, nothing changed"),
                        ("rebuild:newest", "rebuild after `mkdocs build`, newest post edited"),
                        ("rebuild:older", "rebuild after `mkdocs build`, an old post edited")):
        row(f"`syndicate build`: {label}", stages[name], build, "cold build")
    if "mkdocs+rss" in stages:
        row("`mkdocs build` with mkdocs-rss-plugin", stages["mkdocs+rss"], site, "mkdocs build")

    load = f"{min(bench.loads):.1f} to {max(bench.loads):.1f}" if bench.loads else "unknown"
    lines = [
        f"{args.size:,} generated articles, {datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work (load average {load} during the run), "
        f"Python {platform.python_version()}, {args.repeat} runs of fast stages, {args.rounds} rounds of "
        f"mkdocs-sized ones (medians; the site generated in {generated:.0f} s; whole run "
        f"{(time.perf_counter() - bench.started) / 60:.1f} min).",
        "",
        "| stage | wall s | CPU s | step's own CPU s | ratio (CPU) | peak MiB | note |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for label, measured, wall, cpu, ratio, own, note in rows:
        peak = f"{measured.peak:.0f}" if measured else ""
        lines.append(f"| {label} | {wall} | {cpu} | {_seconds(own)} | {ratio} | {peak} | {note} |")
    lines += ["", *targets(args, stages, drawn)]
    return "\n".join(lines)


def targets(args: argparse.Namespace, stages: dict[str, Stage], drawn: dict[str, Stage]) -> list[str]:
    """Each of the issue's targets: the figure it is judged on, and whether it holds."""
    site, build = stages["mkdocs"].cpu, stages["build"]
    check = stages["check"].cpu / stages["floor"].cpu
    teasers = stages["step:teasers"]
    slides = stages["step:slides"]
    lines = ["Targets (CPU time: on a shared machine it is steadier than the clock; worker processes count):", ""]
    lines.append(f"- check at most 2x the floor: {check:.2f}x, whole processes. {_verdict(check <= 2)}")
    # The build steps are judged on their own CPU (worker processes included), as the feeds are: start-up
    # and reading the articles happen once per `syndicate build`, whatever steps it runs (the whole build's
    # row counts them), just as mkdocs-rss-plugin's overhead leaves out what mkdocs does anyway.
    own = teasers.own("teasers") or 0.0
    lines.append(f"- teasers at most 5% of `mkdocs build`: the step itself {own / site:.1%}; the whole `--only "
                 f"teasers` process {teasers.cpu / site:.1%}. {_verdict(0 < own <= 0.05 * site)}")
    own = slides.own("slides") or 0.0
    lines.append(f"- HTML decks + Marp within 10% of `mkdocs build`: the step itself {own / site:.1%}; the whole "
                 f"`--only slides` process {slides.cpu / site:.1%}; {slides.wall / stages['mkdocs'].wall:.1%} on "
                 f"the clock (worker processes). {_verdict(0 < own <= 0.10 * site)}")
    if "mkdocs+rss" in stages:
        overhead = stages["mkdocs+rss"].cpu - site
        feeds = stages["step:feeds"]
        own = feeds.own("feeds") or 0.0
        lines.append(
            f"- feeds at least 10x faster than mkdocs-rss-plugin's overhead ({overhead:.2f} s CPU: with minus "
            f"without, same site, in a git repository): the feeds step itself {own:.2f} s, "
            f"{overhead / own if own else float('inf'):.1f}x; the whole `--only feeds` process {feeds.cpu:.2f} s, "
            f"{overhead / feeds.cpu:.1f}x. {_verdict(own > 0 and overhead / own >= 10)} (judged on the step "
            "itself: the plugin's overhead has no process start and reads no article, mkdocs did that already)")
        alone = stages["step:site-feed"].own("feeds") or 0.0
        lines.append(f"  - in the plugin's scope (the site's feed alone, in RSS, Atom and JSON; the plugin writes "
                     f"RSS and JSON): the step {alone:.2f} s, {overhead / alone if alone else float('inf'):.1f}x. "
                     f"{_verdict(alone > 0 and overhead / alone >= 10)}")
    rebuild = max(stages["rebuild:newest"].cpu, stages["rebuild:older"].cpu)
    lines.append(f"- a rebuild after editing one article at most 10% of a full syndication build: "
                 f"{rebuild / build.cpu:.1%} (the slower of the two edits, {rebuild:.2f} s against {build.cpu:.2f} s, "
                 f"slides HTML + Marp in both; with PPTX and carousel images the full build grows by about "
                 f"{_drawn_per_article(args, drawn):.1f} s per article and the rebuild by that once). "
                 f"{_verdict(rebuild / build.cpu <= 0.10)}")
    return lines


def _drawn_per_article(args: argparse.Namespace, drawn: dict[str, Stage]) -> float:
    total = 0.0
    for stage in drawn.values():
        own = stage.own("slides")
        total += (own if own is not None else stage.cpu) / args.slides_sample
    return total


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the site, measure every stage, print the table (and keep every run's figures as JSON)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="articles to generate (100, 1000, 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fast stage")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the mkdocs-sized stages")
    parser.add_argument("--slides-sample", type=int, default=10, help="articles to draw PPTX and carousels for")
    parser.add_argument("--work", type=Path, default=Path("/tmp/practice-bench"))
    parser.add_argument("--skip-rss", action="store_true", help="skip the mkdocs-rss-plugin comparison")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args.work)
    # An installed package carries its compiled bytecode (the floor's libraries do); an editable
    # install run with PYTHONDONTWRITEBYTECODE would compile the project's modules on every run.
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "syndicate", quiet=1)
    bench.say(f"generating {args.size} articles...")
    start = time.perf_counter()
    project = generate(args.size, args.work / f"site-{args.size}")
    prepare(project, bench)
    generated = time.perf_counter() - start
    stages = measure_site(args, bench, project)
    drawn = measure_drawn(args, bench)
    table = report(args, bench, stages, drawn, generated)
    raw: dict[str, Any] = {name: [vars(run) for run in stage.runs] for name, stage in {**stages, **drawn}.items()}
    (args.work / f"results-{args.size}.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    (args.work / f"results-{args.size}.md").write_text(table + "\n", encoding="utf-8")
    print(table)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
