"""A scriptable fake of a platform's HTTP API for ``httpx.MockTransport``: routes, answers, and a record."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeAPI:
    """Answers requests by (method, URL regex); pages of ``site`` answer 200; anything else is a 404 to notice."""

    site: str = "https://practice.example/"
    routes: list[tuple[str, re.Pattern[str], list[Answer]]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, pattern: str, *answers: Answer) -> FakeAPI:
        """Answer matching requests with ``answers`` in turn (the last one repeats)."""
        self.routes.append((method, re.compile(pattern), list(answers)))
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if request.method == "GET" and url.startswith(self.site):
            return httpx.Response(200, text="<html></html>")
        self.requests.append(request)
        for method, pattern, answers in self.routes:
            if method == request.method and pattern.search(url):
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                return answer(request) if callable(answer) else answer
        return httpx.Response(404, json={"error": f"no fake route for {request.method} {url}"})

    def sent(self, method: str, pattern: str) -> list[httpx.Request]:
        """The requests that matched."""
        return [r for r in self.requests if r.method == method and re.search(pattern, str(r.url))]

    def transport(self) -> httpx.MockTransport:
        """The transport to hand to ``publish.post``."""
        return httpx.MockTransport(self)


def body(request: httpx.Request) -> Any:
    """A request's JSON or form body as Python values."""
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        return json.loads(request.content)
    if "x-www-form-urlencoded" in content_type:
        return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(request.content.decode()).items()}
    return request.content
