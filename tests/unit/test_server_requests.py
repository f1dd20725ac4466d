"""What the local server makes of a client's request body (core/server/requests.py) and of
its own options (core/server/runner.py), before any model is involved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_llm.core.config import Settings
from desktop_llm.core.engine.protocol import SamplingParams
from desktop_llm.core.errors import UserError
from desktop_llm.core.server.errors import ApiError
from desktop_llm.core.server.requests import parse
from desktop_llm.core.server.runner import ServerOptions, is_loopback

DEFAULTS = SamplingParams(temperature=0.3, top_p=0.9, max_tokens=99)


def chat(**body: object) -> bytes:
    return json.dumps(
        {"model": "m", "messages": [{"role": "user", "content": "你好"}], **body}
    ).encode()


def test_what_the_client_leaves_out_comes_from_the_users_defaults() -> None:
    request = parse("chat", chat(), DEFAULTS)
    assert request.params.temperature == 0.3 and request.params.max_tokens == 99
    assert request.params.stop == () and request.params.logprobs is None
    assert request.messages[0].content == "你好" and not request.stream


def test_the_clients_values_are_taken() -> None:
    request = parse(
        "chat",
        chat(
            temperature=0,
            top_p=0.5,
            max_completion_tokens=7,
            stop="END",
            seed=-1,
            logprobs=True,
            top_logprobs=3,
            stream=True,
            stream_options={"include_usage": True},
            response_format={"type": "json_schema", "json_schema": {"schema": {"type": "object"}}},
        ),
        DEFAULTS,
    )
    p = request.params
    assert (p.temperature, p.top_p, p.max_tokens, p.stop) == (0.0, 0.5, 7, ("END",))
    assert p.seed == 2**32 - 1  # llama.cpp's seed is unsigned
    assert p.logprobs == 3 and json.loads(p.json_schema or "") == {"type": "object"}
    assert request.stream and request.include_usage


def test_parts_and_roles_of_messages() -> None:
    body = {
        "model": "m",
        "messages": [
            {"role": "developer", "content": "Be brief."},
            {
                "role": "user",
                "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
            },
        ],
    }
    request = parse("chat", json.dumps(body).encode(), DEFAULTS)
    assert [(m.role, m.content) for m in request.messages] == [
        ("system", "Be brief."),
        ("user", "ab"),
    ]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (b"[1, 2]", None),
        (b"\xff\xfe", None),
        (json.dumps({"messages": [{"role": "user", "content": "x"}]}).encode(), "model"),
        (chat(temperature="hot"), "temperature"),
        (chat(temperature=float("inf")), "temperature"),
        (chat(top_p=2), "top_p"),
        (chat(max_tokens=0), "max_tokens"),
        (chat(max_tokens=True), "max_tokens"),
        (chat(n=2), "n"),
        (chat(stop=["a", "b", "c", "d", "e"]), "stop"),
        (chat(stop=[""]), "stop"),
        (chat(top_logprobs=2), "top_logprobs"),
        (chat(logprobs=True, top_logprobs=21), "top_logprobs"),
        (chat(response_format={"type": "yaml"}), "response_format"),
        (chat(response_format={"type": "json_schema"}), "response_format"),
        (chat(stream="yes"), "stream"),
        (
            json.dumps(
                {"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}
            ).encode(),
            "messages[0].content",
        ),
        (
            json.dumps(
                {"model": "m", "messages": [{"role": "assistant", "content": "x"}]}
            ).encode(),
            "messages",
        ),
    ],
)
def test_bad_fields_are_400_naming_the_field(body: bytes, param: str | None) -> None:
    with pytest.raises(ApiError) as info:
        parse("chat", body, DEFAULTS)
    assert info.value.status == 400 and info.value.param == param
    assert info.value.body()["error"]["type"] == "invalid_request_error"


def test_completions_take_one_prompt() -> None:
    request = parse(
        "completions", json.dumps({"model": "m", "prompt": ["Once"]}).encode(), DEFAULTS
    )
    assert request.prompt == "Once" and request.params.json_schema is None
    with pytest.raises(ApiError, match="one prompt"):
        parse("completions", json.dumps({"model": "m", "prompt": ["a", "b"]}).encode(), DEFAULTS)
    assert (
        parse(
            "completions",
            json.dumps({"model": "m", "prompt": "x", "logprobs": 2}).encode(),
            DEFAULTS,
        ).params.logprobs
        == 2
    )


def test_options_come_from_the_settings_and_the_key_from_the_environment(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.update({"server.port": 9000, "server.api_key_env": "MY_KEY",
                     "server.cors_origins": "http://a.test http://b.test"})  # fmt: skip
    options = ServerOptions.from_settings(settings, {"MY_KEY": "sk-1"})
    assert (options.host, options.port, options.api_key) == ("127.0.0.1", 9000, "sk-1")
    assert options.cors_origins == ("http://a.test", "http://b.test")
    assert options.url == "http://127.0.0.1:9000/v1"
    with pytest.raises(UserError, match="MY_KEY"):
        ServerOptions.from_settings(settings, {})
    flags = ServerOptions.from_settings(settings, {"K": "x"}, host="::1", port=1, api_key_env="K")
    assert flags.url == "http://[::1]:1/v1" and flags.api_key == "x"


def test_only_loopback_goes_without_a_key() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")
    ServerOptions(host="127.0.0.1").check()
    ServerOptions(host="0.0.0.0", api_key="k").check()
    with pytest.raises(UserError, match=r"0\.0\.0\.0"):
        ServerOptions(host="0.0.0.0").check()


@pytest.mark.parametrize(
    ("name", "value", "refused"),
    [
        ("server.host", "0.0.0.0", False),
        ("server.host", "::1", False),
        ("server.host", "http://localhost", True),
        ("server.host", "", True),
        ("server.cors_origins", "http://localhost:3000 *", False),
        ("server.cors_origins", "localhost:3000", True),
        ("server.port", 0, True),
        ("server.queue_limit", 0, True),
    ],
)
def test_server_settings_are_checked(
    tmp_path: Path, name: str, value: object, refused: bool
) -> None:
    settings = Settings(tmp_path / "settings.json")
    if refused:
        with pytest.raises(ValueError):
            settings.update({name: value})
    else:
        settings.update({name: value})
        assert settings[name] == value
