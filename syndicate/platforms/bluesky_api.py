"""Bluesky's API (AT Protocol XRPC on the account's PDS or the entryway).

A post is an ``app.bsky.feed.post`` record. The server finds neither links
nor hashtags in the text, so we send facets, indexed in UTF-8 bytes. The link
card is an ``app.bsky.embed.external`` whose thumbnail is an uploaded blob.
The record key is chosen by us, derived from the article, the platform and
the attempt, so a create sent twice collides instead of posting twice, and an
unknown outcome is settled by reading that one record.

Lexicons: ``bluesky-social/atproto`` ``lexicons/app/bsky/feed/post.json``,
``lexicons/app/bsky/richtext/facet.json``, ``lexicons/app/bsky/embed/external.json``.
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import regex
from PIL import Image

from ..errors import AccessError, OutcomeUnknown, PlatformError
from ..http import error_text
from .clients import Post, Progress, Remote, Setup

DEFAULT_API = "https://bsky.social"  # the entryway; a self-hosted PDS URL works too
WEB = "https://bsky.app"
COLLECTION = "app.bsky.feed.post"
# https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/external.json ("maxSize": 1000000)
THUMB_MAX_BYTES = 1_000_000
_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, https://atproto.com/specs/tid

# Links: http(s) URLs, trailing sentence punctuation left out.
_URL = regex.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]}'’”]")
# Hashtags as the Bluesky app detects them: '#' after the start or a space, not only digits,
# trailing punctuation left out (packages/api/src/rich-text/util.ts in bluesky-social/atproto).
_TAG = regex.compile(r"(?:^|(?<=\s))[#＃](?P<tag>(?!\d+\b)[^\s\p{P}\p{S}][^\s]*?)(?=\p{P}*(?:\s|$))")


def tid(micros: int, clock: int) -> str:
    """A TID (13 base32-sortable characters: 53 bits of microseconds, 10 bits of clock id)."""
    value = (micros << 10) | (clock & 0x3FF)
    return "".join(_TID_CHARS[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def record_key(post: Post) -> str:
    """The record key for this attempt: the same article, platform and attempt always give the same key."""
    digest = int.from_bytes(hashlib.sha256(post.key.encode()).digest()[:8], "big")
    micros = int(post.date.timestamp() * 1_000_000) + (digest >> 20) % 1_000_000
    return tid(micros, digest)


def facets(text: str) -> list[dict[str, Any]]:
    """Link and hashtag facets with UTF-8 byte offsets (start inclusive, end exclusive)."""
    found: list[dict[str, Any]] = []

    def span(start: int, end: int) -> dict[str, int]:
        return {"byteStart": len(text[:start].encode()), "byteEnd": len(text[:end].encode())}

    for match in _URL.finditer(text):
        found.append({"index": span(*match.span()),
                      "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group()}]})
    for match in _TAG.finditer(text):
        tag = match.group("tag")
        if len(tag) > 64:
            continue
        found.append({"index": span(match.start(), match.end("tag")),
                      "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}]})
    return sorted(found, key=lambda f: f["index"]["byteStart"])


def thumbnail(data: bytes) -> tuple[bytes, str]:
    """The image as it may be uploaded for a card: at most 1,000,000 bytes, re-encoded only if needed."""
    with Image.open(io.BytesIO(data)) as image:
        mime = Image.MIME.get(image.format or "", "image/jpeg")
        if len(data) <= THUMB_MAX_BYTES and mime in ("image/jpeg", "image/png", "image/webp"):
            return data, mime
        rgb = image.convert("RGB")
    size = max(rgb.size)
    for longest in (2000, 1600, 1200, 1000, 800, 600):
        if longest < size or longest == 2000:
            scaled = rgb.copy()
            scaled.thumbnail((longest, longest))
            for quality in (85, 75, 65):
                out = io.BytesIO()
                scaled.save(out, "JPEG", quality=quality, optimize=True)
                if out.tell() <= THUMB_MAX_BYTES:
                    return out.getvalue(), "image/jpeg"
    raise ValueError("the image cannot be made small enough for a Bluesky card")


class Bluesky:
    """Posts to one Bluesky account through its PDS, with one session per run."""

    name = "bluesky"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        self.base = setup.api_base(DEFAULT_API)
        self.web = str(setup.settings.get("web_base") or WEB).rstrip("/")
        self.handle, self.password = setup.credentials("BLUESKY_HANDLE", "BLUESKY_APP_PASSWORD",
                                                       public=("BLUESKY_HANDLE",))
        self._session: dict[str, str] | None = None

    # -- session ---------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        if self._session is None:
            # Sessions are rate limited (about 30 per 5 minutes, 300 a day): one per run.
            response = self.sender.request(
                "POST", f"{self.base}/xrpc/com.atproto.server.createSession", idempotent=True,
                json={"identifier": self.handle.lstrip("@"), "password": self.password})
            if response.status_code in (400, 401):
                raise AccessError(self.name, f"BLUESKY_HANDLE / BLUESKY_APP_PASSWORD were refused "
                                  f"({error_text(response)}). Make an app password in Bluesky's Settings, "
                                  "Privacy and security, App passwords")
            self._check(response, "signing in")
            body = response.json()
            self._session = {"did": body["did"], "jwt": body["accessJwt"]}
        return self._session

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._auth()['jwt']}"}

    def _check(self, response: httpx.Response, doing: str) -> None:
        if response.status_code == 401:
            raise AccessError(self.name, f"the session was refused while {doing} ({error_text(response)})")
        if response.status_code >= 400:
            raise PlatformError(self.name, f"{doing} failed: HTTP {response.status_code}: {error_text(response)}")

    # -- reading ---------------------------------------------------------------------

    def get_record(self, rkey: str) -> dict[str, Any] | None:
        """The post record with this key in our repository, or None."""
        did = self._auth()["did"]
        response = self.sender.request(
            "GET", f"{self.base}/xrpc/com.atproto.repo.getRecord", idempotent=True, headers=self._headers(),
            params={"repo": did, "collection": COLLECTION, "rkey": rkey})
        if response.status_code == 400 and "RecordNotFound" in response.text:
            return None
        if response.status_code == 404:
            return None
        self._check(response, "reading the post back")
        record: dict[str, Any] = response.json()
        return record

    def _remote(self, rkey: str, uri: str) -> Remote:
        did = self._auth()["did"]
        return Remote(id=uri, url=f"{self.web}/profile/{did}/post/{rkey}")

    def find(self, post: Post, since: datetime) -> Remote | None:
        """Read the one record an earlier attempt would have made."""
        rkey = record_key(post)
        found = self.get_record(rkey)
        return self._remote(rkey, found["uri"]) if found else None

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Always: a second create with the same record key is refused."""
        return True

    def warnings(self) -> list[str]:
        """App passwords do not expire."""
        return []

    # -- posting ---------------------------------------------------------------------

    def _upload(self, post: Post) -> dict[str, Any] | None:
        if post.image_path is None:
            return None
        try:
            data, mime = thumbnail(post.image_path.read_bytes())
        except (OSError, ValueError) as exc:
            raise PlatformError(self.name, f"the image {post.image_path.name} cannot be used: {exc}") from None
        # An unused blob is deleted by the PDS after a while: uploading twice is harmless, and
        # a lost answer here leaves no post behind.
        try:
            response = self.sender.request(
                "POST", f"{self.base}/xrpc/com.atproto.repo.uploadBlob", idempotent=True,
                headers={**self._headers(), "Content-Type": mime}, content=data)
        except OutcomeUnknown as exc:
            raise PlatformError(self.name, f"uploading the image failed, nothing was posted ({exc})") from None
        self._check(response, "uploading the image")
        blob: dict[str, Any] = response.json()["blob"]
        return blob

    def record(self, post: Post, thumb: dict[str, Any] | None) -> dict[str, Any]:
        """The ``app.bsky.feed.post`` record for ``post``."""
        card = post.fields.get("card") or {}
        external: dict[str, Any] = {"uri": str(card.get("uri") or post.link),
                                    "title": str(card.get("title") or post.title),
                                    "description": str(card.get("description") or post.description)}
        if thumb is not None:
            external["thumb"] = thumb
        record: dict[str, Any] = {
            "$type": COLLECTION,
            "text": post.text,
            "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "langs": list(post.fields.get("langs") or [post.language]),
            "embed": {"$type": "app.bsky.embed.external", "external": external},
        }
        found = facets(post.text)
        if found:
            record["facets"] = found
        return record

    def post(self, post: Post, progress: Progress) -> Remote:
        """Upload the card image, create the record under our own key, and read it back."""
        did = self._auth()["did"]
        rkey = record_key(post)
        record = self.record(post, self._upload(post))
        try:
            response = self.sender.request(
                "POST", f"{self.base}/xrpc/com.atproto.repo.createRecord", idempotent=True,
                headers=self._headers(),
                json={"repo": did, "collection": COLLECTION, "rkey": rkey, "validate": True, "record": record})
        except OutcomeUnknown:
            response = None
        if response is not None and response.status_code < 400:
            uri = response.json()["uri"]
        else:
            # A retry after a lost answer collides with the record the first try made: read it.
            existing = self.get_record(rkey)
            if existing is not None:
                return self._remote(rkey, existing["uri"])
            if response is None:
                raise OutcomeUnknown(self.name, "creating the post got no answer, and the post cannot be read")
            self._check(response, "creating the post")
            raise AssertionError("unreachable")
        if self.get_record(rkey) is None:
            raise OutcomeUnknown(self.name, f"the PDS accepted the post ({uri}) but it cannot be read back")
        return self._remote(rkey, uri)


def create(setup: Setup) -> Bluesky:
    """The Bluesky client for one run."""
    return Bluesky(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    path = request.url.path
    if path.endswith("createSession"):
        return httpx.Response(200, json={"did": "did:plc:dry-run", "accessJwt": "dry-run", "handle": "dry.run"})
    if path.endswith("uploadBlob"):
        return httpx.Response(200, json={"blob": {"$type": "blob", "ref": {"$link": "bafkdryrun"},
                                                  "mimeType": request.headers.get("content-type", "image/jpeg"),
                                                  "size": len(request.content)}})
    if path.endswith("createRecord"):
        body = json.loads(request.content)
        return httpx.Response(200, json={"uri": f"at://{body['repo']}/{COLLECTION}/{body['rkey']}", "cid": "dry"})
    if path.endswith("getRecord"):
        rkey = request.url.params.get("rkey")
        return httpx.Response(200, json={"uri": f"at://did:plc:dry-run/{COLLECTION}/{rkey}", "value": {}})
    return httpx.Response(200, json={})
