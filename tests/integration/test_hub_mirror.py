"""hub.endpoint: a Hub mirror for search, file lists and downloads, in the CLI and the
window's services; HF_ENDPOINT still wins; the user's token goes to a mirror only when they
say so. Against a real HTTP server on 127.0.0.1 (tests/helpers/hub_server.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_llm.cli import main
from desktop_llm.core.models.hub import HubOffline
from desktop_llm.core.services import open_services
from tests.helpers.gguf_factory import tiny_metadata, write_gguf
from tests.helpers.hub_server import FakeHub, closed_port

SECRET = "hf_desktopllmtesttoken"


@pytest.fixture
def mirror(hub: FakeHub, home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeHub:
    """The fake Hub as a mirror named in the settings (not in HF_ENDPOINT), and a token
    the user has (HF_TOKEN) that huggingface_hub would send by default."""
    monkeypatch.delenv("HF_ENDPOINT")
    monkeypatch.setenv("HF_TOKEN", SECRET)
    _set(home, {"hub.endpoint": hub.url})
    write_gguf(
        tmp_path / "tiny-Q4_K_M.gguf",
        tiny_metadata(name="tiny"),
        [("token_embd.weight", "F32", (64, 16))],
    )
    hub.add_file("someone/tiny-GGUF", tmp_path / "tiny-Q4_K_M.gguf")
    return hub


def _set(home: Path, values: dict[str, object]) -> None:
    path = home / "config" / "settings.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(values)
    path.write_text(json.dumps(data), encoding="utf-8")


def _auth_headers(hub: FakeHub) -> set[str | None]:
    with hub.lock:
        return {r.authorization for r in hub.requests if r.path.startswith("/api/models")}


def test_search_and_files_go_to_the_mirror_without_the_token(mirror: FakeHub) -> None:
    services = open_services()
    try:
        client = services.hub()
        assert client.endpoint == mirror.url.rstrip("/")
        assert [r.id for r in client.search("tiny")] == ["someone/tiny-GGUF"]
        assert [f.filename for f in client.files("someone/tiny-GGUF")] == ["tiny-Q4_K_M.gguf"]
    finally:
        services.close()
    assert _auth_headers(mirror) == {None}


def test_the_token_goes_to_the_mirror_when_the_user_says_so(mirror: FakeHub, home: Path) -> None:
    _set(home, {"hub.send_token_to_mirror": True})
    services = open_services()
    try:
        services.hub().search("tiny")
    finally:
        services.close()
    assert _auth_headers(mirror) == {f"Bearer {SECRET}"}


def test_the_cli_downloads_from_the_mirror(
    mirror: FakeHub, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["models", "download", "someone/tiny-GGUF", "tiny-Q4_K_M.gguf"])
    assert code == 0, capsys.readouterr().err
    assert [p.name for p in home.rglob("*.gguf")] == ["tiny-Q4_K_M.gguf"]
    with mirror.lock:
        downloads = [r for r in mirror.requests if "resolve" in r.path]
    assert downloads and all(r.authorization is None for r in downloads)


def test_hf_endpoint_overrides_the_setting(
    hub: FakeHub, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set(home, {"hub.endpoint": f"http://127.0.0.1:{closed_port()}"})  # HF_ENDPOINT: the hub
    services = open_services()
    try:
        assert services.hub_endpoint() == hub.url.rstrip("/")
        services.hub().search("anything")
    finally:
        services.close()


def test_a_mirror_that_is_down_gets_the_hubs_plain_message(home: Path, monkeypatch) -> None:
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    down = f"http://127.0.0.1:{closed_port()}"
    _set(home, {"hub.endpoint": down})
    services = open_services()
    try:
        with pytest.raises(HubOffline) as caught:
            services.hub().search("tiny")
    finally:
        services.close()
    assert str(caught.value).startswith(f"Cannot reach the Hugging Face Hub at {down}.")


def test_the_official_hub_keeps_the_users_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_llm.core.models.hub import DEFAULT_ENDPOINT, HubClient

    monkeypatch.setenv("HF_TOKEN", SECRET)
    assert HubClient(DEFAULT_ENDPOINT).headers().get("authorization") == f"Bearer {SECRET}"
    assert "authorization" not in HubClient("https://hf-mirror.com").headers()
