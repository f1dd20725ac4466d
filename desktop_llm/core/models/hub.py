"""The Hugging Face Hub, for the model manager: search GGUF repos, list their files.

The Hub's own requests (those of huggingface_hub.HfApi), parsed by huggingface_hub's own
classes, but read through one bounded reader (_get_json), and their failures turned into
UserErrors in plain words (HubOffline, HubNotFound, HubError). Every call does network
I/O: never call it on the GUI thread. Calls are time-bounded (CONNECT_TIMEOUT to connect,
READ_TIMEOUT between bytes), so a worker thread running them always comes back.

The endpoint is HF_ENDPOINT when set (huggingface_hub reads it only once, at import; we
read it when a HubClient is made, so tests can point it at a loopback server), else the
`hub.endpoint` setting (a mirror: Services.hub() makes the client), and
HF_HUB_OFFLINE=1 is honoured before any connection is attempted.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_llm.core.errors import UserError
from desktop_llm.core.http import httpx
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.quantization import quantization_from_filename

DEFAULT_ENDPOINT = "https://huggingface.co"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
LIBRARY_NAME = "desktop-llm"
# Every Hub answer is read through _get_json with these bounds: a listing of a large repo is
# a few hundred KB, so a body past MAX_JSON_BYTES (after decompression: a gzip bomb counts at
# its real size) or still coming after MAX_JSON_SECONDS is a broken or hostile server.
MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_JSON_SECONDS = 60.0

_TRUE = {"1", "ON", "YES", "TRUE"}


class HubOffline(UserError):
    """The Hub cannot be reached (offline mode, no network, server down).

    str() is the whole message; `reason` (why the Hub is not reached) and `advice` (what
    still works, what to do) are its two parts, for a front end that says the rest itself.
    """

    def __init__(self, reason: str, advice: str = "") -> None:
        super().__init__(f"{reason} {advice}".strip())
        self.reason = reason
        self.advice = advice


class HubNotFound(UserError):
    """No such repository, revision or file on the Hub (HTTP 404)."""


class HubError(UserError):
    """Any other failure the Hub reported (gated repo, server error...)."""


class _TooLarge(Exception):
    """The answer broke MAX_JSON_BYTES or MAX_JSON_SECONDS."""


@dataclass(frozen=True)
class HubRepo:
    id: str  # 'owner/name'
    downloads: int  # last 30 days
    likes: int
    last_modified: datetime | None
    gated: bool
    tags: tuple[str, ...]

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0]


@dataclass(frozen=True)
class HubFile:
    repo: str
    filename: str  # path inside the repo, e.g. 'qwen2.5-1.5b-instruct-q4_k_m.gguf'
    size: int | None  # bytes, exact
    sha256: str | None  # the LFS object's sha256 (None for a file not stored in LFS)
    quantization: str | None  # parsed from the file name ('Q4_K_M')
    revision: str  # the revision asked for
    commit: str | None  # the commit the listing came from


def offline_mode() -> bool:
    """HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) set to a true value, read now."""
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return value.strip().upper() in _TRUE


def offline_error() -> HubOffline:
    return HubOffline(
        translate(
            "Hub", "Offline mode is on (HF_HUB_OFFLINE), so the Hugging Face Hub is not contacted."
        ),
        translate(
            "Hub",
            "Unset HF_HUB_OFFLINE to search and download; you can still use the models you have.",
        ),
    )


def unreachable_error(endpoint: str) -> HubOffline:
    return HubOffline(
        arg(translate("Hub", "Cannot reach the Hugging Face Hub at %1."), endpoint),
        translate("Hub", "You can still use the models you have."),
    )


def not_found_error(what: str) -> HubNotFound:
    """HubNotFound for a repository or file ('owner/name', 'owner/name/file.gguf')."""
    return HubNotFound(arg(translate("Hub", "No such repository or file on the Hub: %1."), what))


def default_endpoint(setting: str = "") -> str:
    """HF_ENDPOINT when set, else the `hub.endpoint` setting (a mirror), else the Hub."""
    return (os.environ.get("HF_ENDPOINT") or setting.strip() or DEFAULT_ENDPOINT).rstrip("/")


def is_official(endpoint: str) -> bool:
    return endpoint.rstrip("/") == DEFAULT_ENDPOINT


def is_connection_error(e: BaseException) -> bool:
    return isinstance(e, httpx.TransportError | ConnectionError | TimeoutError)


class HubClient:
    """Search and list GGUF models on the Hub. Thread-safe: it keeps no mutable state."""

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | None = None,
        *,
        token_to_mirror: bool = False,
    ) -> None:
        """token None: the one huggingface_hub finds (HF_TOKEN, `hf auth login`). To any
        endpoint but the official Hub, no token is sent unless token_to_mirror: a mirror
        is a third party, and the user's token opens their gated and private repos."""
        self.endpoint = (endpoint or default_endpoint()).rstrip("/")
        self.token: str | bool | None = token
        if not is_official(self.endpoint) and not token_to_mirror:
            self.token = False  # huggingface_hub's "send none", not "find one"

    # -- public ---------------------------------------------------------------------

    def search(self, query: str, limit: int = 30) -> list[HubRepo]:
        """GGUF repos matching query, most downloaded first (at most limit)."""
        self._check_online()
        # Not HfApi.list_models(): it retries a refused connection five times with
        # backoff (about 23 s) before failing, far too long for a search box. This is the
        # same request (GET /api/models?search=&filter=gguf&sort=downloads&limit=), sent
        # once with our timeouts, parsed by huggingface_hub's own ModelInfo.
        from huggingface_hub.hf_api import ModelInfo

        params: dict[str, Any] = {"filter": "gguf", "sort": "downloads", "limit": limit}
        if query.strip():
            params["search"] = query.strip()
        try:
            found = [ModelInfo(**item) for item in self._get_json("/api/models", params)]
        except Exception as e:
            raise self._translate(e, arg(translate("Hub", "searching for '%1'"), query)) from None
        repos = [
            HubRepo(
                id=m.id,
                downloads=int(m.downloads or 0),
                likes=int(m.likes or 0),
                last_modified=m.last_modified,
                gated=bool(m.gated),
                tags=tuple(m.tags or ()),
            )
            for m in found
        ]
        # The Hub sorts already; sorting again keeps the promise whatever a mirror does.
        repos.sort(key=lambda r: r.downloads, reverse=True)
        return repos[:limit]

    def files(self, repo: str, revision: str = "main") -> list[HubFile]:
        """The .gguf files of a repo at revision, with exact sizes and LFS sha256."""
        self._check_online()
        from urllib.parse import quote

        from huggingface_hub.hf_api import ModelInfo

        # HfApi.model_info's request (files_metadata=True), read through the bounded reader.
        path = f"/api/models/{repo}/revision/{quote(revision, safe='')}"
        try:
            info = ModelInfo(**self._get_json(path, {"blobs": True}))
        except Exception as e:
            doing = arg(translate("Hub", "listing the files of %1"), repo)
            raise self._translate(e, doing, repo=repo) from None
        out = []
        for s in info.siblings or ():
            if not s.rfilename.lower().endswith(".gguf"):
                continue
            lfs = s.lfs
            out.append(
                HubFile(
                    repo=repo,
                    filename=s.rfilename,
                    size=(lfs.size if lfs is not None else s.size),
                    sha256=(lfs.sha256.lower() if lfs is not None else None),
                    quantization=quantization_from_filename(s.rfilename),
                    revision=revision,
                    commit=info.sha,
                )
            )
        out.sort(key=lambda f: (f.size or 0, f.filename))
        return out

    def file(self, repo: str, filename: str, revision: str = "main") -> HubFile:
        """One file's listing entry; HubNotFound when the repo has no such file."""
        for f in self.files(repo, revision):
            if f.filename == filename:
                return f
        raise HubNotFound(
            arg(
                translate("Hub", "No such file: %1 has no file named %2 (%3)."),
                repo,
                filename,
                revision,
            )
        )

    def file_url(self, repo: str, filename: str, revision: str = "main") -> str:
        from huggingface_hub import hf_hub_url

        return hf_hub_url(repo, filename, revision=revision, endpoint=self.endpoint)

    def headers(self) -> dict[str, str]:
        """HTTP headers huggingface_hub would send (user agent, token when there is one)."""
        from huggingface_hub.utils import build_hf_headers

        return build_hf_headers(token=self.token, library_name=LIBRARY_NAME)

    def _get_json(self, path: str, params: dict[str, Any]) -> Any:
        """GET endpoint+path as JSON, sent once with our timeouts, its body bounded."""
        from huggingface_hub.utils import get_session, hf_raise_for_status

        deadline = time.monotonic() + MAX_JSON_SECONDS
        with get_session().stream(
            "GET",
            f"{self.endpoint}{path}",
            params=params,
            headers=self.headers(),
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        ) as r:
            if r.is_error:
                r.read()  # hf_raise_for_status reads the error's JSON; errors are small
                hf_raise_for_status(r)
            length = r.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_JSON_BYTES:
                raise _TooLarge()
            body = bytearray()
            for block in r.iter_bytes():  # decoded: a compressed body counts at full size
                body += block
                if len(body) > MAX_JSON_BYTES or time.monotonic() > deadline:
                    raise _TooLarge()
        return json.loads(bytes(body))

    # -- errors ---------------------------------------------------------------------

    def _check_online(self) -> None:
        if offline_mode():
            raise offline_error()

    def _translate(self, e: Exception, doing: str, repo: str | None = None) -> UserError:
        from huggingface_hub.errors import (
            GatedRepoError,
            HfHubHTTPError,
            OfflineModeIsEnabled,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )

        if isinstance(e, OfflineModeIsEnabled):
            return offline_error()
        if isinstance(e, GatedRepoError):
            return HubError(
                arg(
                    translate(
                        "Hub",
                        "%1 is gated: accept its licence on the Hub and sign in with a token "
                        "to download it.",
                    ),
                    repo,
                )
            )
        if isinstance(e, RepositoryNotFoundError | RevisionNotFoundError):
            return not_found_error(repo or doing)
        if isinstance(e, HfHubHTTPError):
            status = e.response.status_code if e.response is not None else None
            if status == 404:
                return not_found_error(repo or doing)
            return HubError(
                arg(
                    translate("Hub", "The Hugging Face Hub failed while %1 (HTTP %2)."),
                    doing,
                    status,
                )
            )
        if is_connection_error(e):
            return unreachable_error(self.endpoint)
        if isinstance(e, _TooLarge):
            return HubError(
                arg(
                    translate(
                        "Hub",
                        "The server at %1 sent an answer far larger or slower than the Hub's "
                        "while %2, so it was cut off. Check the Hub address in Settings.",
                    ),
                    self.endpoint,
                    doing,
                )
            )
        if isinstance(e, ValueError | TypeError):  # not JSON, or not the Hub's JSON
            return HubError(
                arg(
                    translate(
                        "Hub",
                        "The server at %1 did not answer like the Hugging Face Hub while %2.",
                    ),
                    self.endpoint,
                    doing,
                )
            )
        return HubError(
            arg(
                translate("Hub", "The Hugging Face Hub gave an unexpected answer while %1: %2"),
                doing,
                e,
            )
        )
