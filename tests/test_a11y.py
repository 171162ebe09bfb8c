"""The built pages in a real browser: accessible, valid, private, fast.

axe-core (WCAG 2.2 AA), the Nu HTML Checker and Lighthouse come from npm into
``.cache/node`` (``scripts/peers``); Debian's Chromium is driven through
``tests/browser.py``. The pages are served the way a static host serves them
(gzip, a cache lifetime) from the address in their own ``site_url``, because
the theme's scripts fetch from the site's own address: served anywhere else, a
page would make requests that production never makes.
"""

from __future__ import annotations

import gzip
import http.server
import json
import mimetypes
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from browser import PHONE, chromium, chromium_or_skip, open_page
from conftest import BIN, ROOT, copy_project, run
from fakes.server import serving

from syndicate.config import load_settings
from syndicate.site import read_site

pytestmark = pytest.mark.slow

NODE_MODULES = ROOT / ".cache" / "node" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"

# The WCAG 2.2 A and AA rules, plus axe's best practices (landmarks, headings).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Errors the Nu HTML Checker finds in mkdocs-material 9.8.2's own markup, not
# ours, matched by their exact message.
THEME_HTML_ERRORS = {
    # base.html: the hidden checkboxes that open the drawer and the search carry autocomplete="off".
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
    "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
    "or “week”.",
    # partials/nav-item.html: a section label with tabindex="{{ tabindex }}" left empty.
    "Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
    # partials/toc.html: the table of contents' title is a label for a checkbox the theme hides.
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
}

# The checker's CSS parser predates container queries (CSS Containment Level 3):
# it calls valid declarations with cqw/cqh units or container-type errors, as in
# the slide decks' styles. Such a CSS message is left out only on a line that uses them.
CONTAINER_QUERY_CSS = re.compile(r"\d(?:cqw|cqh|cqi|cqb|cqmin|cqmax)\b|container-type")


def checker_css_gap(message: dict[str, Any]) -> bool:
    """A CSS "error" the Nu checker reports only because it does not know container queries."""
    if not message["message"].startswith("CSS: ") or not message.get("url"):
        return False
    lines = Path(unquote(message["url"].removeprefix("file:"))).read_text(encoding="utf-8").splitlines()
    return bool(CONTAINER_QUERY_CSS.search(lines[message["lastLine"] - 1]))


# Lighthouse's bars for an article on a phone (issue: pages patients trust).
LIGHTHOUSE_MINIMUM = {"accessibility": 1.0, "seo": 1.0, "best-practices": 1.0, "performance": 0.95}

# Text types a static host such as GitHub Pages sends compressed, for ten minutes of caching.
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}
CACHE_CONTROL = "max-age=600"


def need(path: Path, what: str) -> Path:
    """The peer at ``path``, or skip saying how to install it."""
    if not path.exists():
        pytest.skip(f"{what} is not installed ({path} is missing): run scripts/peers")
    return path


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host does: kept-alive connections, gzip for text, a cache lifetime."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSED and path.is_file()):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def host(site: Path) -> Iterator[str]:
    """Serve ``site`` (which may not exist yet) on 127.0.0.1; yield its address, ending in "/"."""
    with serving(partial(_StaticHost, directory=str(site)), name="static-host") as base_url:
        yield base_url


@dataclass(frozen=True)
class Hosted:
    """A copy of the sample practice built for, and served at, a local address."""

    base_url: str
    site: Path
    pages: dict[str, str]  # name -> path below base_url


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Iterator[Hosted]:
    """The sample practice with ``site_url`` set to the local host that serves it."""
    project = copy_project(tmp_path_factory.mktemp("hosted") / "practice")
    site = project / "site"
    with host(site) as base_url:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {base_url}", text, count=1), encoding="utf-8")
        run(BIN / "mkdocs", "build", "--strict", "--quiet", cwd=project)
        articles = sorted(read_site(load_settings(config)).values(), key=lambda page: page.url)
        if not articles:
            pytest.fail("the sample site has no article page")
        # The slide decks are built by `syndicate build`: take one from the session's built site.
        decks = sorted((built_site / "slides").glob("*/index.html")) if (built_site / "slides").is_dir() else []
        pages = {"home": "", "blog index": "blog/", "article": articles[-1].url.removeprefix(base_url)}
        if decks:
            shutil.copytree(built_site / "slides", site / "slides", dirs_exist_ok=True)  # decks share assets/
            pages["slide deck"] = f"slides/{decks[0].parent.name}/"
        yield Hosted(base_url=base_url, site=site, pages=pages)


PAGES = ["home", "blog index", "article", "slide deck"]


def page_or_skip(hosted: Hosted, name: str) -> str:
    """The address of one of the pages under test."""
    if name not in hosted.pages:
        pytest.skip(f"no {name} in the built site: `syndicate build` wrote no site/slides/<slug>/index.html")
    return hosted.base_url + hosted.pages[name]


# Records what the browser reports: policy violations and console errors.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@contextmanager
def watched(browser: Any, url: str) -> Iterator[tuple[Any, list[str]]]:
    """Open ``url`` with policy violations and console errors recorded from the first byte."""
    with open_page(browser, url) as visit:
        errors: list[str] = []
        visit.page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        visit.page.on("pageerror", lambda error: errors.append(str(error)))
        visit.page.add_init_script(WATCH)
        visit.page.reload(wait_until="load")
        visit.page.wait_for_load_state("networkidle")
        yield visit, errors


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    with chromium() as instance:
        yield instance


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_accessibility_problem(hosted: Hosted, browser: Any, name: str) -> None:
    """axe-core, on a phone-sized and a desktop page, reports nothing serious or critical."""
    url = page_or_skip(hosted, name)
    source = need(AXE, "npm axe-core").read_text(encoding="utf-8")
    with open_page(browser, url) as visit:
        visit.page.evaluate(source)  # evaluated, not a <script>: the page's policy stays as it is
        results = visit.page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                                      AXE_TAGS)
    bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in bad)


@pytest.mark.parametrize("name", PAGES)
def test_page_breaks_no_security_policy_and_asks_no_other_host(hosted: Hosted, browser: Any, name: str) -> None:
    """The Content-Security-Policy fits the page: nothing blocked, nothing fetched elsewhere, no errors."""
    url = page_or_skip(hosted, name)
    with watched(browser, url) as (visit, errors):
        violations = visit.page.evaluate("window.__violations")
        policies = visit.page.locator("meta[http-equiv='Content-Security-Policy']").count()
    if name != "slide deck":  # the deck is written by `syndicate build`, not by the theme's templates
        assert policies == 1
    assert violations == []
    assert errors == []
    assert visit.foreign_requests == []


def test_security_policy_stops_trackers_pasted_into_a_page(hosted: Hosted, browser: Any) -> None:
    """A tracking pixel or script from another host is blocked by the page itself, before any request."""
    with watched(browser, page_or_skip(hosted, "article")) as (visit, _errors):
        visit.page.evaluate("""() => {
            const pixel = document.createElement("img");
            pixel.src = "https://tracker.example/pixel.gif";
            document.body.append(pixel);
            const script = document.createElement("script");
            script.src = "https://tracker.example/track.js";
            document.body.append(script);
        }""")
        visit.page.wait_for_function("window.__violations.length >= 2")
        violations = visit.page.evaluate("window.__violations")
    assert sorted(violations) == ["img-src blocked https://tracker.example/pixel.gif",
                                  "script-src-elem blocked https://tracker.example/track.js"]
    assert visit.foreign_requests == []


# Every link and button a keyboard reaches in the page's header, article and footer.
FOCUSABLE = """() => [...document.querySelectorAll(
    "header a[href], main a[href], main button, footer a[href]")].filter((e) => {
  const box = e.getBoundingClientRect();
  return e.tabIndex >= 0 && !e.closest("[hidden]") && box.width > 0 && box.height > 0
    && getComputedStyle(e).visibility === "visible";
})"""


def test_theme_script_waits_for_the_reader_then_search_answers(hosted: Hosted, browser: Any) -> None:
    """A phone renders the article without the theme's script; the first tap on search starts it, and search answers."""
    with open_page(browser, page_or_skip(hosted, "article"), PHONE) as visit:
        page = visit.page
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.component$") == "undefined"  # the theme's script has not run
        page.tap("label.md-header__button[for='__search']")
        page.get_by_text("Type to start searching").wait_for()  # the script has started search
        page.keyboard.type("mouthguard")
        page.locator(".md-search-result__item").first.wait_for()
        assert "mouthguard" in page.locator(".md-search-result").inner_text().lower()


def test_keyboard_focus_is_always_visible_and_starts_with_a_skip_link(hosted: Hosted, browser: Any) -> None:
    """The first Tab stop skips to the article, and every link and button shows when it has focus."""
    with open_page(browser, page_or_skip(hosted, "article")) as visit:
        page = visit.page
        page.keyboard.press("Tab")  # also makes the browser show focus as for keyboard users
        skip = page.evaluate_handle("document.activeElement").as_element()
        assert skip is not None and skip.text_content().strip() == "Skip to content"
        assert skip.is_visible()
        # That key press also starts the theme's script (it waits for the reader's first key, touch or
        # scroll); let it settle, or it may redraw the header between the two screenshots below.
        page.wait_for_function("typeof window.component$ !== 'undefined'")
        page.wait_for_load_state("networkidle")
        elements = page.evaluate_handle(FOCUSABLE)
        count = page.evaluate("(list) => list.length", elements)
        assert count > 10
        unseen = []
        for index in range(count):
            element = page.evaluate_handle("([list, i]) => list[i]", [elements, index]).as_element()
            assert element is not None
            element.scroll_into_view_if_needed()
            box = element.bounding_box()
            assert box is not None
            margin = 6  # focus rings are drawn around the element, not inside it
            clip = {"x": max(box["x"] - margin, 0), "y": max(box["y"] - margin, 0),
                    "width": box["width"] + 2 * margin, "height": box["height"] + 2 * margin}
            element.focus()
            focused = page.screenshot(clip=clip, animations="disabled")
            element.evaluate("(e) => e.blur()")
            unfocused = page.screenshot(clip=clip, animations="disabled")
            if focused == unfocused:
                unseen.append(element.evaluate("(e) => e.outerHTML.slice(0, 120)"))
    assert not unseen, "no visible focus on:\n" + "\n".join(unseen)


def test_pages_are_valid_html(built_site: Path) -> None:
    """The Nu HTML Checker finds no error in our markup (the theme's known ones are listed above)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed: the Nu HTML Checker needs it (apt-get install default-jre-headless)")
    settings = load_settings(built_site.parent / "mkdocs.yml")
    articles = sorted(read_site(settings).values(), key=lambda page: page.url)
    files = [built_site / "index.html", built_site / "blog" / "index.html", articles[-1].path]
    files += sorted(built_site.glob("slides/*/index.html"))[:1]
    result = subprocess.run([java, "-jar", str(need(VNU, "npm vnu-jar")), "--format", "json", "--exit-zero-always",
                             *map(str, files)], capture_output=True, text=True, timeout=300, check=True)
    messages = json.loads(result.stderr)["messages"]
    errors = [m for m in messages if m["type"] == "error" and m["message"] not in THEME_HTML_ERRORS
              and not checker_css_gap(m)]
    assert errors == [], "\n".join(
        f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']} "
        f"[{m.get('extract', '').strip()[:100]}]" for m in errors)


def calibrated_slowdown(benchmark_index: float) -> float:
    """The CPU slowdown that makes this machine a mid-tier phone, as Lighthouse's calculator says.

    https://github.com/GoogleChrome/lighthouse/blob/main/docs/throttling.md#calibrating-the-cpu-slowdown
    and its calculator, https://github.com/patrickhulce/lighthouse-cpu-throttling-calculator
    """
    if benchmark_index >= 1300:
        return 3 + (benchmark_index - 1300) / 233
    if benchmark_index >= 800:
        return 2 + (benchmark_index - 800) / 500
    return max(1.0, 1 + (benchmark_index - 150) / 650)


def lighthouse(url: str, report: Path, slowdown: float | None = None) -> dict[str, Any]:
    """Run Lighthouse on ``url`` as a phone (its default) and return its report."""
    chromium_path = chromium_or_skip()
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: Lighthouse needs it (apt-get install nodejs)")
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking " \
            "--disable-component-update --disable-sync --no-first-run"
    command = [node, str(need(LIGHTHOUSE, "npm lighthouse")), url, "--output=json", f"--output-path={report}",
               f"--chrome-flags={flags}", "--quiet", "--only-categories=performance,accessibility,best-practices,seo"]
    if slowdown is not None:
        command.append(f"--throttling.cpuSlowdownMultiplier={slowdown:.2f}")
    subprocess.run(command, env={**os.environ, "CHROME_PATH": str(chromium_path)}, check=True, timeout=300,
                   capture_output=True)
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def summary(result: dict[str, Any]) -> str:
    """Scores, the machine's benchmark index and every audit below full marks, for a failure message."""
    scores = {name: category["score"] for name, category in result["categories"].items()}
    failing = [f"  {key}: {audit['title']} ({audit.get('displayValue', '')})"
               for key, audit in result["audits"].items()
               if audit.get("score") is not None and audit["score"] < 1
               and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")]
    slowdown = result["configSettings"]["throttling"]["cpuSlowdownMultiplier"]
    return "\n".join([f"scores {scores}, benchmark index {result['environment']['benchmarkIndex']}, "
                      f"CPU slowdown {slowdown}", *failing])


def test_lighthouse_scores_an_article_on_a_phone(hosted: Hosted, tmp_path: Path) -> None:
    """Lighthouse 12.2.3, mobile: accessibility, SEO and best practices 100, performance at least 95.

    Performance is timed on this machine, so it is judged as Lighthouse's own
    documentation advises for variable hosts: the median of three runs (two
    passing runs settle it early). The first run uses Lighthouse's default CPU
    slowdown (4x, which its documentation says assumes a fast desktop, benchmark
    index about 1500); each later run uses the slowdown its documentation's
    calculator gives for the benchmark index the run before measured, in either
    direction: a busy or slow host is throttled less, a fast one more, so the
    page is judged on a mid-tier phone either way.
    """
    url = page_or_skip(hosted, "article")
    minimum = LIGHTHOUSE_MINIMUM["performance"]
    runs: list[dict[str, Any]] = []
    passed = 0
    while len(runs) < 3 and passed < 2 and len(runs) - passed < 2:
        index = runs[-1]["environment"]["benchmarkIndex"] if runs else None
        slowdown = calibrated_slowdown(index) if index is not None else None
        result = lighthouse(url, tmp_path / f"lighthouse-{len(runs)}.json", slowdown)
        scores = {name: category["score"] for name, category in result["categories"].items()}
        for name in ("accessibility", "seo", "best-practices"):
            assert scores[name] == 1, summary(result)
        runs.append(result)
        passed += scores["performance"] >= minimum
    assert passed >= 2, "performance under 95 in the median of three runs:\n" + "\n\n".join(map(summary, runs))
