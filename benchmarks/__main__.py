"""Benchmark every stage of the pipeline against a reference run in the same session.

    python -m benchmarks --size 1000 [--repeat 3] [--work /tmp/bench]

Each stage runs as its own process (start-up included, as a user runs it),
alternating with its reference so that a noisy neighbour slows both alike.
The table reports medians, ratios and each stage's peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .generate import generate

BIN = Path(sys.executable).parent
FLOOR = (
    "import glob, frontmatter\n"
    "for path in sorted(glob.glob('content/blog/posts/*.md')):\n"
    "    frontmatter.load(path)\n"
)
RSS_PLUGIN = """
  - rss:
      match_path: "blog/posts/.*"
      date_from_meta:
        as_creation: date.created
      categories:
        - categories
        - tags
"""


@dataclass
class Timing:
    """Wall times (seconds) and peak memory (MiB) of repeated runs of one command."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak_mib: float = 0.0

    @property
    def median(self) -> float:
        """The median wall time."""
        return statistics.median(self.seconds)


def run_once(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return its wall time and its peak resident memory in MiB."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None  # noqa: S101 - set by Popen above
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(pairs: Sequence[tuple[Timing, Callable[[], tuple[float, float]]]], repeat: int) -> None:
    """Run each (timing, action) in turn, ``repeat`` rounds, so references alternate with stages."""
    for _ in range(repeat):
        for timing, action in pairs:
            seconds, peak = action()
            timing.seconds.append(seconds)
            timing.peak_mib = max(timing.peak_mib, peak)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the site, measure every stage, print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/practice-bench"))
    parser.add_argument("--skip-rss", action="store_true", help="skip the mkdocs-rss-plugin comparison")
    args = parser.parse_args(argv)

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    project = generate(args.size, args.work / f"site-{args.size}")
    rss_project = args.work / f"rss-{args.size}"
    print(f"Generated {args.size} articles in {project}", file=sys.stderr)  # noqa: T201

    def cmd(*words: str, cwd: Path = project) -> Callable[[], tuple[float, float]]:
        return lambda: run_once(words, cwd, env)

    python = str(BIN / "python")
    floor, check = Timing("floor: read + parse front matter"), Timing("syndicate check")
    mkdocs = Timing("mkdocs build")
    print("Measuring check against the floor...", file=sys.stderr)  # noqa: T201
    measure([(floor, cmd(python, "-c", FLOOR)), (check, cmd(str(BIN / "syndicate"), "-q", "check"))],
            args.repeat)

    steps = _build_steps()
    timings = {name: Timing(f"syndicate build: {name}") for name in steps}
    print("Measuring the build steps against mkdocs build...", file=sys.stderr)  # noqa: T201
    pairs = [(mkdocs, cmd(str(BIN / "mkdocs"), "build", "-q"))]
    pairs += [(timings[name], cmd(str(BIN / "syndicate"), "-q", "build", *args_)) for name, args_ in steps.items()]
    measure(pairs, args.repeat)

    rows = [(floor, None), (check, floor), (mkdocs, None)]
    rows += [(t, mkdocs) for t in timings.values()]

    rss_overhead = None
    if not args.skip_rss:
        print("Measuring mkdocs-rss-plugin (with and without, in a git repository)...", file=sys.stderr)  # noqa: T201
        _rss_project(project, rss_project, env)
        plain, with_rss = Timing("mkdocs build (rss project, plugin off)"), Timing("mkdocs build + rss plugin")
        measure([(plain, cmd(str(BIN / "mkdocs"), "build", "-q", "-f", "mkdocs-plain.yml", cwd=rss_project)),
                 (with_rss, cmd(str(BIN / "mkdocs"), "build", "-q", "-f", "mkdocs.yml", cwd=rss_project))],
                args.repeat)
        rss_overhead = max(with_rss.median - plain.median, 1e-9)
        rows += [(plain, None), (with_rss, plain)]

    if shutil.which("syndicate", path=env["PATH"]) and _has_command("post"):
        dry = Timing("syndicate post --dry-run")
        measure([(dry, cmd(str(BIN / "syndicate"), "-q", "post", "--dry-run", "--json"))], args.repeat)
        rows.append((dry, mkdocs))

    print(_table(rows, args, rss_overhead, timings.get("feeds")))  # noqa: T201
    return 0


def _build_steps() -> dict[str, list[str]]:
    from syndicate.build import steps

    return {name: ["--only", name] for name in steps()}


def _has_command(name: str) -> bool:
    from syndicate.cli import main

    return name in main.commands


def _rss_project(project: Path, dest: Path, env: dict[str, str]) -> None:
    """The same site with mkdocs-rss-plugin's recommended settings, in a git repository as its users run it."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(project, dest, ignore=shutil.ignore_patterns("site"))
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs-plain.yml").write_text(config, encoding="utf-8")
    (dest / "mkdocs.yml").write_text(config.replace("\nplugins:\n", "\nplugins:" + RSS_PLUGIN, 1), encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=dest, check=True, env=env)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "articles"], cwd=dest, check=True, env=env)


def _table(rows: list[tuple[Timing, Timing | None]], args: argparse.Namespace, rss_overhead: float | None,
           feeds: Timing | None) -> str:
    lines = [
        f"Benchmark, {args.size} articles, {args.repeat} runs each, medians "
        f"({datetime.now(timezone.utc):%Y-%m-%d}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()})",
        "",
        "| stage | median s | vs reference | peak MiB |",
        "|---|---:|---|---:|",
    ]
    for timing, reference in rows:
        ratio = f"{timing.median / reference.median:.2f}x {reference.name}" if reference else ""
        lines.append(f"| {timing.name} | {timing.median:.2f} | {ratio} | {timing.peak_mib:.0f} |")
    if rss_overhead is not None and feeds is not None:
        lines += ["", f"mkdocs-rss-plugin overhead: {rss_overhead:.2f} s; our feeds: {feeds.median:.2f} s "
                  f"({rss_overhead / feeds.median:.1f}x faster)."]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
