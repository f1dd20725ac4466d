"""The HTTP side of the local server: Starlette routes in OpenAI's shape over the shared
ModelHost. Each completion runs as an ApiJob on a thread of its own (it waits its turn at the
engine there); its pieces come back to the event loop and go out as server-sent events
(sse-starlette) or as one JSON answer. A client that goes away cancels its job at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable

from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from desktop_llm.core.chat.chat_settings import ChatSettings
from desktop_llm.core.engine.client import EngineError, WorkerDied
from desktop_llm.core.engine.protocol import TokenLogprob
from desktop_llm.core.errors import UserError
from desktop_llm.core.model_host import ModelHost
from desktop_llm.core.server.errors import ApiError
from desktop_llm.core.server.jobs import ApiJob, Finished, Item, Piece
from desktop_llm.core.server.requests import parse
from desktop_llm.core.server.responses import Shapes
from desktop_llm.core.server.state import ServerState

log = logging.getLogger(__name__)

# A request body past this is refused (413) before it is read whole.
MAX_BODY_BYTES = 16 << 20
OWNER = "desktop-llm"


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


class _KeyCheck:
    """401 for /v1 requests without `Authorization: Bearer <key>` when a key is set."""

    def __init__(self, app: ASGIApp, key: str | None) -> None:
        self.app = app
        self.key = key.encode("utf-8") if key else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.key is not None
            and scope["type"] == "http"
            and scope["method"] != "OPTIONS"  # a browser's preflight carries no key
            and scope["path"].startswith("/v1/")
        ):
            headers = dict(scope["headers"])
            given = headers.get(b"authorization", b"")
            scheme, _, token = given.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(token.strip(), self.key):
                error = ApiError(
                    401,
                    "Incorrect or missing API key: send it as 'Authorization: Bearer <key>'.",
                    code="invalid_api_key",
                )
                await error_response(error)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise ApiError(413, f"The request is larger than {MAX_BODY_BYTES >> 20} MB.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, f"The request is larger than {MAX_BODY_BYTES >> 20} MB.")
        chunks.append(chunk)
    return b"".join(chunks)


async def _disconnected(request: Request) -> None:
    """Returns when the client goes away (the body is read: receive() says nothing else)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


class Api:
    def __init__(self, host: ModelHost, queue_limit: int, state: ServerState) -> None:
        self.host = host
        self.queue_limit = queue_limit
        self.state = state

    def _model_ids(self) -> list[str]:
        """Every model by the name `models list` gives it: local files, then each remote
        engine's models (an engine that does not answer is left out, not an error)."""
        host = self.host
        names = [m.name for m in host.registry.list() if not m.broken]
        for config in host.remote_engines.all():
            try:
                # A listing waits no longer than the connect timeout for the answer either.
                engine = host.remote_engines.connect(config, silence_s=config.connect_timeout_s)
            except UserError:  # its key is not where the user keeps it
                continue
            try:
                names += [f"{config.name}/{m['id']}" for m in engine.models()]
            except (EngineError, WorkerDied):
                log.info("remote engine %s did not list its models", config.name)
            finally:
                engine.close()
        return names

    async def models(self, request: Request) -> Response:
        ids = await asyncio.to_thread(self._model_ids)
        return JSONResponse(
            {
                "object": "list",
                "data": [
                    {"id": name, "object": "model", "created": 0, "owned_by": OWNER} for name in ids
                ],
            }
        )

    async def model(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in await asyncio.to_thread(self._model_ids):
            raise ApiError(404, f"The model '{name}' does not exist.", code="model_not_found")
        return JSONResponse({"id": name, "object": "model", "created": 0, "owned_by": OWNER})

    async def chat(self, request: Request) -> Response:
        return await self._complete(request, "chat")

    async def completions(self, request: Request) -> Response:
        return await self._complete(request, "completions")

    async def _complete(self, request: Request, endpoint: str) -> Response:
        defaults = ChatSettings.defaults(self.host.settings).sampling()
        api_request = parse(endpoint, await _body(request), defaults)
        loop = asyncio.get_running_loop()
        items: asyncio.Queue[Item] = asyncio.Queue()

        def emit(item: Item) -> None:  # on the job's thread
            # The server stopped (its loop closed) while the job ended: nobody listens.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(items.put_nowait, item)

        job = ApiJob(
            self.host,
            api_request,
            emit,
            user_agent=request.headers.get("user-agent", ""),
            queue_limit=self.queue_limit,
        )
        done = False

        def ended() -> None:
            nonlocal done
            if not done:
                done = True
                watcher.cancel()
                self.state.running -= 1
                self.state.served += 1
                self.state.changed()

        def went_away(task: asyncio.Task[None]) -> None:
            if not task.cancelled():
                job.cancel()
                ended()  # a stream that never began has no `finally` of its own to say so

        watcher = asyncio.create_task(_disconnected(request))
        watcher.add_done_callback(went_away)
        self.state.running += 1
        self.state.changed()
        job.start()

        try:
            first = await items.get()
            if isinstance(first, ApiError):
                ended()
                return error_response(first)
            prefix = "chatcmpl" if endpoint == "chat" else "cmpl"
            shapes = Shapes(f"{prefix}-{uuid.uuid4().hex}", api_request.model, endpoint)
            if api_request.stream:
                return EventSourceResponse(
                    self._events(first, items, shapes, api_request.include_usage, ended, job),
                    ping=15,
                    # Some proxies buffer a stream unless told not to.
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
                )
            return await self._whole(first, items, shapes, ended)
        except BaseException:
            job.cancel()
            ended()
            raise

    async def _whole(
        self, item: Item, items: asyncio.Queue[Item], shapes: Shapes, ended: Callable[[], None]
    ) -> Response:
        logprobs: list[TokenLogprob] = []
        wants = None
        try:
            while not isinstance(item, Finished):
                if isinstance(item, ApiError):
                    return error_response(item)
                if item.logprobs is not None:
                    wants = True
                    logprobs.extend(item.logprobs)
                item = await items.get()
        finally:
            ended()
        reply = item.reply
        if reply.status in ("interrupted", "error"):
            return error_response(ApiError(500, reply.error or "The reply broke off."))
        body = shapes.whole(reply, tuple(logprobs) if wants else None)
        headers = {}
        if reply.energy is not None and reply.energy.joules_attributed is not None:
            headers["X-Energy-Joules"] = f"{reply.energy.joules_attributed:.6g}"
        return JSONResponse(body, headers=headers)

    async def _events(
        self,
        item: Item,
        items: asyncio.Queue[Item],
        shapes: Shapes,
        include_usage: bool,
        ended: Callable[[], None],
        job: ApiJob,
    ) -> AsyncIterator[dict[str, str]]:
        offset = 0
        try:
            first = shapes.first_chunk()
            if first is not None:
                yield {"data": json.dumps(first)}
            while True:
                if isinstance(item, ApiError):
                    yield {"data": json.dumps(item.body())}
                    return
                if isinstance(item, Finished):
                    break
                assert isinstance(item, Piece)
                yield {"data": json.dumps(shapes.piece(item.text, item.logprobs, offset))}
                offset += len(item.text)
                item = await items.get()
            reply = item.reply
            if reply.status in ("interrupted", "error"):
                error = ApiError(500, reply.error or "The reply broke off.")
                yield {"data": json.dumps(error.body())}
                return
            yield {"data": json.dumps(shapes.last_chunk(reply))}
            if include_usage:
                yield {"data": json.dumps(shapes.usage_chunk(reply))}
            yield {"data": "[DONE]"}
        finally:
            job.cancel()  # the stream was cut (client gone, server stopping): stop the reply
            ended()


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    words = {404: "No such endpoint.", 405: "This endpoint does not take that method."}
    error = ApiError(exc.status_code, words.get(exc.status_code, str(exc.detail)))
    return error_response(error)


async def _health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def make_app(
    host: ModelHost,
    *,
    api_key: str | None,
    cors_origins: tuple[str, ...] = (),
    queue_limit: int = 8,
    state: ServerState | None = None,
) -> Starlette:
    api = Api(host, queue_limit, state or ServerState())
    middleware = [Middleware(_KeyCheck, key=api_key)]
    if cors_origins:  # off unless the user lists origins
        middleware.insert(
            0,
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
            ),
        )
    return Starlette(
        routes=[
            Route("/health", _health),
            Route("/v1/models", api.models),
            Route("/v1/models/{name:path}", api.model),
            Route("/v1/chat/completions", api.chat, methods=["POST"]),
            Route("/v1/completions", api.completions, methods=["POST"]),
        ],
        middleware=middleware,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
