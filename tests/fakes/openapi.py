"""Checking httpx requests against the platforms' published OpenAPI descriptions (openapi-core, in-process)."""

from __future__ import annotations

import functools
import json
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

CONTRACTS = Path(__file__).resolve().parents[3] / "shared" / "contracts" / "openapi"


class HttpxOpenAPIRequest:
    """An httpx request as openapi-core reads requests (``openapi_core.protocols.Request``)."""

    def __init__(self, request: httpx.Request, host_url: str | None = None) -> None:
        request.read()  # multipart bodies are streams until read
        self.request = request
        parts = urlsplit(str(request.url))
        self.host_url = host_url or f"{parts.scheme}://{parts.netloc}"
        self.path = parts.path
        self.parameters = RequestParameters(query=ImmutableMultiDict(parse_qs(parts.query)),
                                            header=Headers(dict(request.headers)), cookie=ImmutableMultiDict())

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.request.content or None

    @property
    def content_type(self) -> str:
        return self.request.headers.get("content-type", "")


@functools.cache
def spec(name: str) -> OpenAPI:
    """The OpenAPI description ``contracts/openapi/<name>.json``; the test is skipped, naming it, if absent."""
    path = CONTRACTS / f"{name}.json"
    if not path.exists():
        pytest.skip(f"{path} is missing (the shared contracts folder beside the project)")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if name == "mastodon":
        create = data["paths"]["/api/v1/statuses"]["post"]
        # The description types this header as an object; Mastodon takes any string.
        for parameter in create.get("parameters", []):
            if parameter.get("name") == "Idempotency-Key":
                parameter["schema"] = {"type": "string"}
        # A status with text and media is both a TextStatus and a MediaStatus, which "oneOf" forbids;
        # Mastodon accepts it, so the alternatives are read as "anyOf".
        body = create["requestBody"]["content"]["application/json"]["schema"]
        body["anyOf"] = body.pop("oneOf")
        # openapi-core's OpenAPI 3.1 validator does not take bytes as a "binary" string: accept any file.
        media = data["paths"]["/api/v2/media"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
        media["properties"]["file"] = {}
    # The generated descriptions do not all pass strict validation of the document itself.
    return OpenAPI.from_dict(data, config=Config(spec_validator_cls=None))


def validate(name: str, request: httpx.Request, host_url: str | None = None) -> None:
    """Raise if ``request`` breaks the platform's OpenAPI description."""
    with warnings.catch_warnings():
        # openapi-core warns that it cannot check OAuth 1.0a ("http" scheme "OAuth") itself.
        warnings.filterwarnings("ignore", "Unsupported scheme type", UserWarning)
        spec(name).validate_request(HttpxOpenAPIRequest(request, host_url))
