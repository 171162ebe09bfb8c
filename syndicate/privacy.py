"""Text that looks like a patient's identifiers: dates of birth, record numbers, names, contacts.

The patterns favour precision: an article that talks about birthdays, ages,
years, emergency numbers or the practice's own phone and address must pass.
What they catch is what a tired writer pastes from a chart or an email. A line
that is meant (a public helpline, a made-up name said to be made up) is marked
with ``<!-- privacy: ok -->`` (``# privacy: ok`` in front matter) at its end
or on the line before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MARKER = re.compile(r"<!--\s*privacy:\s*ok\b.*?-->|#\s*privacy:\s*ok\b", re.IGNORECASE)
HOW_TO_ALLOW = "If it is meant, add <!-- privacy: ok --> at the end of the line"
HOW_TO_ALLOW_YAML = "If it is meant, add '# privacy: ok' at the end of the line"

class _Lazy:
    """A pattern compiled when first used: most runs never meet a birth date, an SSN or an email."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:  # finditer, search, sub
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# A day and a month, with or without the year: a year alone or an age is not a date of birth.
_DATE = (rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.-]\d{{1,2}}(?:[/.-](?:\d{{4}}|\d{{2}}))?"
         rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?)")
_DOB = _Lazy(
    rf"(?i:\bD\.?O\.?B\b\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bbirthday\b|\bborn\b(?:\s+on)?)"
    rf"\s*(?:[:=–—-]|\bwas\b|\bis\b|\bon\b)?\s*(?P<value>{_DATE})")
_MRN = _Lazy(
    r"(?i:\bMRN\b|\bMR\s*#|\bmedical\s+record(?:\s+(?:number|no\b\.?))?|\bchart\s+(?:number|no\b\.?|#)"
    r"|\bpatient\s+(?:ID|number|no\b\.?|#|account(?:\s+number)?))"
    r"\s*(?:[:=]|\bis\b)?\s*#?\s*(?P<value>(?=[A-Za-z-]*\d[A-Za-z-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,})\b")
_SSN = _Lazy(
    r"(?<![\d-])(?P<value>(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4})(?![\d-])"
    r"|(?i:\bSSN\b|\bsocial\s+security(?:\s+(?:number|no\b\.?|#))?)\s*(?:[:#]|\bis\b)?\s*"
    r"(?P<labelled>\d{3}[ -]?\d{2}[ -]?\d{4})\b")
# North American numbers need an area code to be matched anywhere; international ones a '+'.
_PHONE = _Lazy(
    r"(?<![\w/.+-])(?P<value>(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
    r"|\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5})(?![\w-])")
# A local 7-digit number only right after a word that says it is one ('call 555-0142').
_LOCAL_PHONE = _Lazy(
    r"(?i:\b(?:call|phone|tel|telephone|text|cell|mobile|fax|reach\s+(?:me|her|him|them)\s+at)\b\.?:?)"
    r"\s*(?P<value>\d{3}[.-]\d{4})(?![\w-])")
_PHONE_WORDS = ("call", "phone", "tel", "text", "cell", "mobile", "fax", "reach")
_EMAIL = _Lazy(r"(?<![@\w.+-])(?P<value>[A-Za-z0-9._%+-]+@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+))")
_STREET_TYPES = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way"
                 r"|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Pike|Alley|Plaza")
_STREET_WORDS = frozenset(_STREET_TYPES.lower().split("|")) | {"box"}
_ADDRESS = re.compile(
    rf"(?<![\w.,-])(?P<value>(?P<number>\d{{1,6}})[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?"
    rf"(?P<street>(?:[A-Z][A-Za-z'-]*|\d+(?:st|nd|rd|th))(?:\s+(?:[A-Z][A-Za-z'-]*|\d+(?:st|nd|rd|th))){{0,3}})"
    rf"\s+(?:{_STREET_TYPES})\b\.?)"
    r"|(?P<pobox>\bP\.?\s?O\.?\s+Box\s+\d+)")
_NAME_PART = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
_PATIENT = re.compile(
    rf"(?i:\bpatient)\b[,:]?\s+(?:(?i:named|called)\s+)?"
    rf"(?P<value>(?:(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+)?(?P<first>{_NAME_PART})(?:\s+(?:{_NAME_PART}|[A-Z]\.))?)")
# Capitalised words that follow "patient" without being a name ("Patient Portal", "patient, We").
_NOT_NAMES = frozenset("""
    A About Access Account Accounts Act Advocacy Advocate After All Also An And Any As Assessment Assistance At
    Before Bill Billing Both But By CHIP Care Center Comfort Centered Centre Centred Chart Check Consent Coordinator
    Day Dental Do During Each Education Engagement Even Every Experience Feedback First For Forms Form From
    Guide Handbook Handout Handouts He Health Her His History How However I If In Info Information Instructions
    Intake Is It Journey Liaison Library Login Many Medicaid Medical Medicare Month Most My Navigator Newsletter
    No Not Now Of On
    One Or Our Outcome Outcomes Payment Payments Population Portal Preference Preferences Privacy Protection
    Questionnaire Record Records Registration Registry Relations Resources Review Reviews Rights Safety
    Satisfaction Self Service Services She So Some Stories Story Support Survey That The Their Then There
    These They This Those Tip Tips To Testimonial Testimonials Visit Visits We Week What When Where Which While Who Why
    With Year You Your Zero
""".split())


@dataclass(frozen=True, kw_only=True)
class Allowed:
    """What belongs to the practice and so is not a patient's: its numbers, domains, address, people."""

    phones: frozenset[str] = frozenset()  # digits only, as written in mkdocs.yml
    email_domains: frozenset[str] = frozenset()  # lower case
    emails: frozenset[str] = frozenset()  # lower case
    addresses: frozenset[tuple[str, str]] = frozenset()  # (house number, first street word lower case)
    names: frozenset[str] = frozenset()  # first and last names of the practice's authors

    @classmethod
    def build(cls, *, phones: Iterable[str] = (), emails: Iterable[str] = (), domains: Iterable[str] = (),
              streets: Iterable[str] = (), names: Iterable[str] = ()) -> Allowed:
        """Normalise what the practice wrote in its settings."""
        digits = {re.sub(r"\D", "", p) for p in phones}
        emails = {e.strip().lower() for e in emails if "@" in e}
        domains = {d.strip().lower().removeprefix("www.") for d in domains if d.strip()}
        domains |= {e.rpartition("@")[2] for e in emails}
        addresses = set()
        for street in streets:
            match = _ADDRESS.search(street)
            if match and match.group("number"):
                addresses.add((match.group("number"), match.group("street").split()[0].lower()))
        words = {w for n in names for w in re.findall(r"[A-Z][a-z]+", n)}
        return cls(phones=frozenset(d for d in digits if len(d) >= 7), email_domains=frozenset(domains),
                   emails=frozenset(emails), addresses=frozenset(addresses), names=frozenset(words))


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One thing in the text that looks like a patient identifier."""

    line: int  # 1-based line of the text
    col: int  # 1-based column
    kind: str  # "dob", "mrn", "ssn", "phone", "email", "patient-name", "address"
    message: str
    hint: str


_URL = _Lazy(r"\b(?:https?|ftp)://[^\s<>\"'\])]+|\bwww\.[^\s<>\"'\])]+|\]\([^)\s]*"
             r"|\b(?:href|src)\s*=\s*(?:\"[^\"]*\"|'[^']*')", re.IGNORECASE)


# Every pattern needs a digit, an '@' or the word "patient": most lines have none. Finding the lines
# that do is done on bytes, where marking digits is one C call (a regex is 30 times slower here).
# Front matter keys whose values are dates, switches, file paths or keys of the settings, never prose.
_NOT_TEXT_KEYS = ("date:", "last_reviewed:", "draft:", "pin:", "readtime:", "slides:", "  created:", "  updated:",
                  "image:", "authors:", "reviewed_by:", "categories:", "language:", "template:", "icon:")
_MARK_TRIGGERS = bytes.maketrans(b"0123456789@", b"\0" * 11)


def scan(text: str, allowed: Allowed, *, front_matter_end: int = 0) -> list[Finding]:
    """Every likely patient identifier in ``text`` (a whole file), except on allowed lines.

    ``front_matter_end`` is the last line of the front matter, so hints say how to
    mark a line there (a YAML comment) or in the body (an HTML comment).
    """
    picked = _triggered_lines(text)
    return _scan_lines(text, allowed, front_matter_end, sorted(picked), picked)


def _scan_lines(text: str, allowed: Allowed, front_matter_end: int, numbers: Iterable[int],
                picked: Mapping[int, str] | None = None) -> list[Finding]:
    """``scan``, looking only at the lines ``numbers`` (1-based, in order).

    ``picked`` holds the text of those lines, when the caller has it: the file is then
    not split into lines (unless a line says 'privacy: ok', which needs its neighbours).
    """
    whole = picked is None or "privacy" in text
    lines = text.split("\n") if whole else []
    marked = {n for n, line in enumerate(lines, start=1) if MARKER.search(line)} if "privacy" in text else set()
    findings = []
    for number in numbers:
        if number in marked or number - 1 in marked:
            continue
        line = lines[number - 1] if whole else picked[number]  # type: ignore[index]
        if number <= front_matter_end and line.startswith(_NOT_TEXT_KEYS):
            continue  # dates and switches: a date there is the article's, not a birthday
        # Numbers and addresses inside links are not written to the reader: blank them, keeping columns.
        masked = _URL.sub(_blank, line) if ("://" in line or "](" in line or "www." in line
                                            or "=" in line) else line
        how = HOW_TO_ALLOW_YAML if number <= front_matter_end else HOW_TO_ALLOW
        findings += [Finding(line=number, col=start + 1, kind=kind, message=message, hint=f"{hint}. {how}")
                     for start, kind, message, hint in _candidates(masked, allowed, line)]
    return sorted(findings, key=lambda f: (f.line, f.col))


def _triggered_lines(text: str) -> dict[int, str]:
    """The lines (by number) with a digit, an '@', or 'patient' in any case (not 'patients'), and their text."""
    data = text.encode("utf-8", "surrogatepass")
    marked = data.translate(_MARK_TRIGGERS)
    found: dict[int, str] = {}

    def line_at(position: int) -> tuple[int, str]:
        """The end of the line holding ``position`` in ``data``, and the line's text (cut from the bytes)."""
        end = data.find(b"\n", position)
        end = len(data) if end == -1 else end
        return end, data[data.rfind(b"\n", 0, position) + 1:end].decode("utf-8", "surrogatepass")

    line, counted = 1, 0
    position = marked.find(b"\0")
    while position != -1:  # once per line that has a digit: jump to the next line after each
        line += marked.count(b"\n", counted, position)
        counted, found[line] = line_at(position)
        position = marked.find(b"\0", counted)
    # Plural "patients" names nobody: look closer only when a singular "patient" is there.
    low = data.lower()  # "PATIENT Jo Lee" names someone too
    position = low.find(b"atient") if low.count(b"atient") > low.count(b"atients") else -1
    while position != -1:
        if low[position + 6:position + 7] != b"s":
            number = low.count(b"\n", 0, position) + 1
            if number not in found:
                found[number] = line_at(position)[1]
        position = low.find(b"atient", position + 6)
    return found


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _candidates(text: str, allowed: Allowed, line: str) -> Iterator[tuple[int, str, str, str]]:
    # Each pattern runs only when the digits or words it needs are on the line: on most lines, none runs.
    low = text.lower()
    ascii_text = text.encode("ascii", "ignore")
    digits = len(ascii_text) - len(ascii_text.translate(None, b"0123456789"))
    remove = "Remove it: patient details never belong in a public article"
    if digits and ("born" in low or "birth" in low or "d.o.b" in low or "dob" in low):
        for match in _DOB.finditer(text):
            yield match.start("value"), "dob", "this looks like a date of birth", remove
    if digits >= 2 and ("mr" in low or "record" in low or "chart" in low or "patient" in low):
        for match in _MRN.finditer(text):
            yield match.start("value"), "mrn", "this looks like a medical record number", remove
    if digits >= 9 and ("-" in text or "ssn" in low or "social" in low):
        for match in _SSN.finditer(text):
            group = "value" if match.group("value") else "labelled"
            yield match.start(group), "ssn", "this looks like a social security number", remove
    if digits >= 7:
        local = _LOCAL_PHONE.finditer(text) if any(word in low for word in _PHONE_WORDS) else ()
        for match in (*_PHONE.finditer(text), *local):
            if _is_patient_phone(match.group("value"), allowed):
                yield (match.start("value"), "phone", "a phone number that is not the practice's",
                       "Remove it, or give the practice's number from mkdocs.yml (extra.practice.phone)")
    if digits and not _STREET_WORDS.isdisjoint(low.replace(".", " ").replace(",", " ").split()):
        for match in _ADDRESS.finditer(text):
            if match.group("pobox"):
                yield match.start("pobox"), "address", "a postal address that is not the practice's", remove
                continue
            key = (match.group("number"), match.group("street").split()[0].lower())
            if key not in allowed.addresses:
                yield (match.start("value"), "address", "a street address that is not the practice's",
                       "Remove it, or give only the town")
    if "@" in text:
        for match in _EMAIL.finditer(text):
            value, domain = match.group("value").lower(), match.group("domain").lower()
            if value in allowed.emails or any(domain == d or domain.endswith("." + d) for d in allowed.email_domains):
                continue
            yield (match.start("value"), "email", "an email address that is not the practice's",
                   "Remove it, or give the practice's address from mkdocs.yml (extra.practice.email)")
    if "patient" in low:
        for match in _PATIENT.finditer(text):
            first = match.group("first")
            if first in _NOT_NAMES or first in allowed.names or _is_title_case_heading(line):
                continue  # "## Patient Comfort Tips" names nobody
            yield (match.start("value"), "patient-name", "a patient is named here",
                   "Leave the name out, or say the story is made up")


def _is_patient_phone(value: str, allowed: Allowed) -> bool:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7 or len(digits) > 15:
        return False
    national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    # Toll-free numbers (800, 888, ...) belong to organisations such as poison control, never to a patient
    # (https://www.fcc.gov/consumers/guides/what-toll-free-number-and-how-does-it-work).
    if len(national) == 10 and national[:3] in ("800", "833", "844", "855", "866", "877", "888"):
        return False
    return not any(p.endswith(digits[-min(len(p), len(digits), 10):]) for p in allowed.phones)


def _is_title_case_heading(line: str) -> bool:
    heading = re.match(r"\s{0,3}#{1,6}\s+(.*)|\s*(?:title|subtitle):\s*(.*)", line)
    if not heading:
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", heading.group(1) or heading.group(2) or "") if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)
