"""``syndicate check``: every mistake found, located and explained, with the right exit code.

Golden cases: ``tests/golden/check/<name>.md`` holds one mistake, ``<name>.expected``
the exact lines the check prints for it, run from the project root as a practice
runs it. The summary (standard error) and exit code follow from those lines.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import copy_project
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from syndicate.cli import main

GOLDEN = Path(__file__).parent / "golden" / "check"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md"))
NOW = "2026-12-01T09:00:00+00:00"
POSTS = Path("content/blog/posts")


def _images(folder: Path) -> None:
    """The pictures the golden articles refer to, made here rather than stored."""
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 630), (31, 95, 91)).save(folder / "hero.jpg", quality=85)
    Image.new("RGB", (400, 210), (181, 71, 47)).save(folder / "small.png")
    (folder / "not-a-picture.jpg").write_text("This is a note, not a picture.\n", encoding="utf-8")
    (folder / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"/>\n',
                                        encoding="utf-8")
    gps = Image.Exif()
    gps[0x010F], gps[0x0110] = "PhoneMaker", "Phone 12"
    gps.get_ifd(0x8825).update({1: "N", 2: (42.0, 31.0, 38.0), 3: "W", 4: (92.0, 26.0, 43.0)})
    Image.new("RGB", (1200, 630), (246, 241, 231)).save(folder / "gps.jpg", exif=gps, quality=85)
    camera = Image.Exif()
    camera[0x010F], camera[0x0110] = "CameraMaker", "Model 7"
    camera.get_ifd(0x8769)[0x9003] = "2026:10:30 14:02:11"
    Image.new("RGB", (1200, 630), (120, 160, 150)).save(folder / "camera.jpg", exif=camera, quality=85)


@pytest.fixture
def practice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample practice with the golden pictures, as the working directory."""
    project = copy_project(tmp_path / "practice")
    _images(project / "content" / "blog" / "images" / "golden")
    _images(project / "photos")  # pictures outside the docs folder: the site would not have them
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return project


def _check(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "check", *args], env=env, catch_exceptions=False)


def _place(project: Path, *names: str) -> list[str]:
    """Copy golden articles into the posts folder; return their paths as a person types them."""
    paths = []
    for name in names:
        shutil.copy(GOLDEN / f"{name}.md", project / POSTS / f"{name}.md")
        paths.append((POSTS / f"{name}.md").as_posix())
    return paths


def _summary(lines: list[str]) -> str:
    errors = sum(": error: " in line for line in lines)
    warnings = sum(": warning: " in line for line in lines)
    if not lines:
        return "No problems in 1 article."
    parts = [f"{n} {word}{'s' * (n != 1)}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return f"{', '.join(parts)} in 1 of 1 article."


def test_every_golden_article_has_its_expected_output() -> None:
    assert CASES, "no golden cases found"
    missing = [name for name in CASES if not (GOLDEN / f"{name}.expected").exists()]
    assert not missing, f"golden articles without a .expected file: {missing}"


@pytest.mark.parametrize("name", CASES, ids=CASES)
def test_golden(practice: Path, name: str) -> None:
    """Each broken article prints exactly its expected lines; errors exit 1, warnings alone exit 0."""
    expected = (GOLDEN / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    (path,) = _place(practice, name)
    result = _check(path)
    assert result.stdout.splitlines() == expected
    assert result.stderr.splitlines() == [_summary(expected)]
    assert result.exit_code == (1 if any(": error: " in line for line in expected) else 0)


def test_python_tags_are_refused_and_never_run(practice: Path) -> None:
    """'!!python/object/apply:os.system' would run a command if the YAML were loaded unsafely."""
    (path,) = _place(practice, "python-tag")
    result = _check(path)
    assert result.exit_code == 1
    assert "'!!python/object/apply:os.system' is not allowed" in result.stdout
    assert not (practice / "pwned").exists()


def test_every_problem_of_every_file_in_one_run(practice: Path) -> None:
    names = ["yaml-syntax", "not-utf8", "unknown-key", "image-missing", "privacy-phone", "trap-no"]
    _place(practice, *names)
    result = _check()
    assert result.exit_code == 1
    for name in names:
        expected = (GOLDEN / f"{name}.expected").read_text(encoding="utf-8").splitlines()
        assert expected and all(line in result.stdout.splitlines() for line in expected), name
    articles = len(list((practice / POSTS).glob("*.md")))
    assert result.stderr.splitlines() == [f"5 errors, 1 warning in 6 of {articles} articles."]


def test_the_sample_practice_passes_strict(practice: Path) -> None:
    result = _check("--strict")
    assert result.stdout == ""
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("No problems in ")


def test_strict_turns_privacy_warnings_into_errors(practice: Path) -> None:
    (path,) = _place(practice, "privacy-phone")
    relaxed = _check(path)
    assert relaxed.exit_code == 0
    assert ": warning: a phone number that is not the practice's" in relaxed.stdout
    strict = _check("--strict", path)
    assert strict.exit_code == 1
    assert ": error: a phone number that is not the practice's" in strict.stdout
    assert strict.stderr == "1 error in 1 of 1 article.\n"


def test_strict_fails_on_other_warnings(practice: Path) -> None:
    (path,) = _place(practice, "image-too-small")
    assert _check(path).exit_code == 0
    strict = _check("--strict", path)
    assert strict.exit_code == 1
    assert ": warning: the image is 400x210 pixels" in strict.stdout
    assert strict.stderr == "1 warning in 1 of 1 article.\n"


def test_quiet_prints_the_summary_only_on_failure(practice: Path) -> None:
    ok = CliRunner().invoke(main, ["--quiet", "check"], catch_exceptions=False)
    assert (ok.exit_code, ok.stdout, ok.stderr) == (0, "", "")
    (path,) = _place(practice, "title-missing")
    bad = CliRunner().invoke(main, ["--quiet", "check", path], catch_exceptions=False)
    assert bad.exit_code == 1
    assert bad.stderr == "1 error in 1 of 1 article.\n"


def test_json_format(practice: Path) -> None:
    (path,) = _place(practice, "unknown-key")
    result = _check("--format", "json", path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1 and report["warnings"] == 0 and report["failed"] is True
    assert report["problems"] == [{
        "path": path, "line": 7, "column": 1, "severity": "error",
        "message": "unknown front matter key 'descripton'", "hint": "Did you mean 'description'?",
        "code": "unknown-key",
    }]
    assert result.stderr == "1 error in 1 of 1 article.\n"


def test_github_format_annotates_the_line(practice: Path) -> None:
    (path,) = _place(practice, "unknown-key")
    result = _check("--format", "github", path)
    assert result.stdout.splitlines() == [
        f"::error file={path},line=7,col=1,title=syndicate check::unknown front matter key 'descripton'. "
        "Did you mean 'description'?"
    ]
    assert result.exit_code == 1


def test_github_format_is_automatic_under_github_actions(practice: Path) -> None:
    (path,) = _place(practice, "privacy-phone")
    result = _check(path, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith(f"::warning file={path},line=13,col=29,title=syndicate check::a phone number")
    assert result.exit_code == 0


def test_github_format_escapes_what_would_break_the_command(practice: Path) -> None:
    odd = practice / POSTS / "a,b:c.md"
    shutil.copy(GOLDEN / "title-missing.md", odd)
    result = _check("--format", "github", str(odd.relative_to(practice)))
    assert result.stdout.startswith("::error file=content/blog/posts/a%2Cb%3Ac.md,line=1,col=1,")


def test_paths_outside_the_posts_folder_and_folders(practice: Path) -> None:
    elsewhere = practice / "drafts"
    elsewhere.mkdir()
    shutil.copy(GOLDEN / "unknown-key.md", elsewhere / "one.md")
    shutil.copy(GOLDEN / "title-missing.md", elsewhere / "two.md")
    single = _check("drafts/one.md")
    assert single.stdout.startswith("drafts/one.md:7:1: error: unknown front matter key 'descripton'.")
    folder = _check("drafts")
    assert [line.split(":")[0] for line in folder.stdout.splitlines()] == ["drafts/one.md", "drafts/two.md"]
    assert folder.stderr == "2 errors in 2 of 2 articles.\n"


@pytest.mark.parametrize(("args", "message"), [
    (["check", "content/blog/posts/nowhere.md"], "syndicate: content/blog/posts/nowhere.md: no such file."),
    (["check", "content/assets"], "syndicate: content/assets: no Markdown (.md) files in this folder"),
    (["-f", "nowhere.yml", "check"], "syndicate: nowhere.yml:1: error: nowhere.yml not found."),
    (["-f", "content", "check"], "syndicate: content:1: error: cannot read content (Is a directory)."),
], ids=["missing-file", "folder-without-posts", "missing-config", "config-is-a-folder"])
def test_user_mistakes_on_the_command_line_are_messages(practice: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr


def test_broken_config_is_a_message(practice: Path) -> None:
    (practice / "mkdocs.yml").write_bytes(b"site_name: Maple\x07Grove\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert result.stderr.startswith("syndicate: mkdocs.yml:1: error: the file contains a character YAML does not allow")


def test_fix_images_strips_metadata_and_says_what_it_removed(practice: Path) -> None:
    gps = practice / "content/blog/images/golden/gps.jpg"
    before = gps.read_bytes()
    (path,) = _place(practice, "exif-gps")
    result = _check("--fix-images", path)
    assert result.stdout == ""
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "content/blog/images/golden/gps.jpg: removed GPS position, camera make, camera model.",
        "No problems in 1 article.",
    ]
    with Image.open(gps) as image:
        assert image.size == (1200, 630)
        assert not image.getexif()
    assert gps.read_bytes() != before
    again = _check(path)
    assert (again.exit_code, again.stdout) == (0, "")


def test_fix_images_applies_the_orientation_it_removes(practice: Path) -> None:
    """A phone photo stored sideways with 'rotate 90' in its EXIF must stay upright once the EXIF is gone."""
    exif = Image.Exif()
    exif[0x0110], exif[0x0112] = "Phone 12", 6  # Orientation 6: rotate 90 degrees clockwise to view
    picture = Image.new("RGB", (630, 1200), (31, 95, 91))
    picture.paste((255, 255, 255), (0, 0, 630, 100))  # a white band on the stored image's top edge
    target = practice / "content/blog/images/golden/sideways.jpg"
    picture.save(target, exif=exif, quality=90)
    post = practice / POSTS / "sideways.md"
    text = (GOLDEN / "exif-gps.md").read_text(encoding="utf-8").replace("gps.jpg", "sideways.jpg")
    post.write_text(text, encoding="utf-8")
    result = _check("--fix-images", "content/blog/posts/sideways.md")
    assert result.exit_code == 0, result.stdout
    with Image.open(target) as image:
        assert image.size == (1200, 630)  # turned upright
        assert not image.getexif()
        assert image.getpixel((1150, 315))[0] > 200  # the band is now on the right edge
        assert image.getpixel((50, 315))[0] < 100


def test_fix_images_leaves_pictures_outside_the_site_alone(practice: Path) -> None:
    """Only pictures under the docs folder are rewritten; a path outside is reported, its file untouched."""
    text = (GOLDEN / "exif-camera-body-image.md").read_text(encoding="utf-8")
    post = practice / POSTS / "outside.md"
    post.write_text(text.replace("../images/golden/camera.jpg", "../../../photos/camera.jpg"), encoding="utf-8")
    camera = practice / "photos" / "camera.jpg"
    before = camera.read_bytes()
    result = _check("--fix-images", "content/blog/posts/outside.md")
    assert result.stdout.splitlines() == [
        "content/blog/posts/outside.md:13:1: error: the image '../../../photos/camera.jpg' is outside content/, "
        "so the site does not have it. Move the picture under content/."]
    assert "removed" not in result.stderr
    assert camera.read_bytes() == before


# Whole identifiers, the words and digits they are made of, and what sits near them in an article.
_PRIVACY_PIECES = ["born 5 May", "Born on 3/4", "d.o.b 12/01/1990", "birthday: June 3rd", "MRN: A1234",
                   "chart # 88-21", "record 12-34", "patient no. 4471", "12 Elm St", "45 N. Oak Avenue", "P.O. Box 9",
                   "call 555-0142", "(555) 201-8890", "+44 20 7946 0958", "123-45-6789", "SSN 123 45 6789",
                   "jo@mail.example", "our patient Ann", "Patient John Smith", "PATIENT Jo Lee", "patients",
                   "a", "B", " ", "1", "@", "é", "\u0130", "Dr. ", "way", ",St.", "2016", "## Step 2", "\n",
                   "https://x.example/555-201-8890", "<!-- privacy: ok -->", "# privacy: ok", "date: 2016-01-07"]


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(st.lists(st.sampled_from(_PRIVACY_PIECES), max_size=4).map(" ".join), min_size=1, max_size=8),
       front_matter_end=st.integers(0, 3))
def test_privacy_finds_on_the_lines_it_picks_what_it_finds_on_every_line(lines: list[str], front_matter_end: int
                                                                          ) -> None:
    """The quick passes that pick lines to look at miss no line where a pattern finds something."""
    from syndicate import privacy

    text = "\n".join(lines)
    allowed = privacy.Allowed.build(phones=["(555) 201-8890"], streets=["12 Elm St"], names=["Ann Lee"])
    every_line = range(1, text.count("\n") + 2)
    assert privacy.scan(text, allowed, front_matter_end=front_matter_end) == \
        privacy._scan_lines(text, allowed, front_matter_end, every_line)
