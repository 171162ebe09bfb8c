"""A small Mastodon-like server on 127.0.0.1 that can misbehave on purpose.

It keeps statuses and media in memory and honours ``Idempotency-Key`` as
Mastodon's ``PostStatusService`` does: a key seen in the last hour returns the
status it made, and the key is stored only after the status exists. Faults
are queued per route and each is used once:

- ``500``: answer 500, create nothing
- ``500-after-create``: create the status, then answer 500
- ``429``: answer 429 with ``Retry-After: 1``, create nothing
- ``timeout-after-create``: create the status, then answer only after ``slow`` seconds
- ``drop-after-create``: create the status, send half a response, close the connection
- ``drop``: close the connection before reading, create nothing

It also serves the practice's pages (any other GET answers 200), so the same
address can be the site_url whose pages must be live before posting.
"""

from __future__ import annotations

import email.parser
import email.policy
import html
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "fake-mastodon-token-0123456789"


@dataclass
class State:
    """What the server holds; tests read it to check that every article exists exactly once."""

    token: str = TOKEN
    max_characters: int = 500
    statuses: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    faults: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    slow: float = 2.0  # seconds before answering, for timeout-after-create
    delay: float = 0.0  # seconds added to every API call (widens the windows a kill can hit)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def fault(self, route: str, *kinds: str) -> None:
        """Queue faults for a route such as ``POST /api/v1/statuses``."""
        self.faults[route].extend(kinds)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, *args: Any) -> None:
        pass

    @property
    def state(self) -> State:
        return self.server.state

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {self.state.token}":
            self._send(401, {"error": "The access token is invalid"})
            return False
        return True

    def _route(self) -> tuple[str, str]:
        path = urlsplit(self.path).path
        return f"{self.command} {path}", path

    def do_GET(self) -> None:  # noqa: N802
        route, path = self._route()
        if not path.startswith("/api/"):
            self._send(200, {"page": path})  # the practice's site
            return
        self._api(route, path, b"")

    def do_POST(self) -> None:  # noqa: N802
        route, path = self._route()
        fault = self._take(route)
        if fault == "drop":
            self.close_connection = True
            self.connection.close()
            return
        self._api(route, path, self._body(), fault)

    def _take(self, route: str) -> str | None:
        with self.state.lock:
            queue = self.state.faults.get(route)
            return queue.popleft() if queue else None

    def _api(self, route: str, path: str, body: bytes, fault: str | None = None) -> None:
        state = self.state
        if state.delay:
            time.sleep(state.delay)
        with state.lock:
            state.requests.append((self.command, path, dict(self.headers)))
        if route == "GET /api/v2/instance":
            self._send(200, {"domain": "127.0.0.1", "configuration": {
                "statuses": {"max_characters": state.max_characters, "characters_reserved_per_url": 23},
                "media_attachments": {"description_limit": 1500}}})
            return
        if not self._authorized():
            return
        if route == "GET /api/v1/accounts/verify_credentials":
            self._send(200, {"id": "1", "username": "practice", "acct": "practice"})
        elif route == "GET /api/v1/accounts/1/statuses":
            limit = int(parse_qs(urlsplit(self.path).query).get("limit", ["20"])[0])
            with state.lock:
                newest = list(reversed(state.statuses))[:limit]
            self._send(200, newest)
        elif route == "POST /api/v2/media":
            self._media(body)
        elif route == "POST /api/v1/statuses":
            self._status(body, fault)
        else:
            self._send(404, {"error": "Record not found"})

    def _media(self, body: bytes) -> None:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
        parts = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        if "file" not in parts:
            self._send(422, {"error": "Validation failed: File can't be blank"})
            return
        with self.state.lock:
            media_id = str(100 + len(self.state.media))
            self.state.media[media_id] = {
                "id": media_id, "size": len(parts["file"].get_payload(decode=True) or b""),
                "description": (parts["description"].get_payload(decode=True) or b"").decode()
                if "description" in parts else None, "status": None}
        self._send(200, {"id": media_id, "type": "image", "url": f"{self.state.base}media/{media_id}.jpg"})

    def _status(self, body: bytes, fault: str | None) -> None:
        state = self.state
        if fault == "500":
            self._send(500, {"error": "Internal server error"})
            return
        if fault == "429":
            self._send(429, {"error": "Too many requests"}, {"Retry-After": "1"})
            return
        if self.headers.get("Content-Type", "").startswith("application/json"):
            form = {k: v if isinstance(v, list) else [v] for k, v in json.loads(body).items()}
            form["media_ids[]"] = form.pop("media_ids", [])
        else:
            form = parse_qs(body.decode())
        text = form.get("status", [""])[0]
        if not text:
            self._send(422, {"error": "Validation failed: Text can't be blank"})
            return
        if len(text) > state.max_characters:
            self._send(422, {"error": "Validation failed: Text character limit of "
                                      f"{state.max_characters} exceeded"})
            return
        key = self.headers.get("Idempotency-Key")
        with state.lock:
            existing = state.keys.get(key) if key else None
            if existing is not None:
                status = next(s for s in state.statuses if s["id"] == existing)
            else:
                status_id = str(1000 + len(state.statuses))
                status = {"id": status_id, "url": f"{state.base}@practice/{status_id}",
                          "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                          "content": "<p>" + html.escape(text) + "</p>", "text": text,
                          "language": form.get("language", [None])[0],
                          "visibility": form.get("visibility", ["public"])[0],
                          "media_ids": form.get("media_ids[]", [])}
                for media_id in status["media_ids"]:
                    state.media[media_id]["status"] = status_id
                state.statuses.append(status)
                if key:  # stored after the status exists, as Mastodon does
                    state.keys[key] = status_id
        if fault == "500-after-create":
            self._send(500, {"error": "Internal server error"})
        elif fault == "timeout-after-create":
            time.sleep(state.slow)
            self._send(200, status)
        elif fault == "drop-after-create":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"id": "')
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
        else:
            self._send(200, status)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: State

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # dropped connections are the point here


@contextmanager
def mastodon_server() -> Iterator[State]:
    """Run the server for the duration of a test; yields its state (``state.base`` is its URL)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = State()
    server.state.base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.state
    finally:
        server.shutdown()
        server.server_close()
