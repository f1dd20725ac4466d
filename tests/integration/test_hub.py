"""HubClient against a real HTTP server on loopback speaking the Hub protocol."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop_llm.core.errors import UserError
from desktop_llm.core.models.hub import HubClient, HubError, HubNotFound, HubOffline
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.hub_server import FakeHub, closed_port


def test_search_returns_gguf_repos_by_downloads(hub: FakeHub, tmp_path: Path):
    tiny = write_tiny_gguf(tmp_path / "tiny.gguf")
    hub.add_repo("bartowski/Llama-3.2-1B-Instruct-GGUF", downloads=500)
    hub.add_repo("Qwen/Qwen2.5-1.5B-Instruct-GGUF", downloads=9000)
    hub.add_repo("Qwen/Qwen2.5-0.5B-Instruct-GGUF", downloads=7000)
    hub.add_repo("Qwen/Qwen2.5-1.5B-Instruct", downloads=99999, tags=["safetensors"])
    hub.add_file("Qwen/Qwen2.5-1.5B-Instruct-GGUF", tiny)
    client = HubClient()
    assert client.endpoint == hub.url
    found = client.search("qwen")
    assert [r.id for r in found] == [
        "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
        "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
    ]
    assert found[0].downloads == 9000 and found[0].author == "Qwen"
    assert [r.id for r in client.search("", limit=2)] == [
        "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
        "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
    ]
    assert client.search("no-such-thing") == []
    searches = [r for r in hub.requests if r.path == "/api/models"]
    assert searches[0].query["filter"] == ["gguf"]
    assert searches[0].query["sort"] == ["downloads"]
    assert hub.unknown == []


def test_files_lists_gguf_with_sizes_and_hashes(hub: FakeHub, tmp_path: Path):
    a = write_tiny_gguf(tmp_path / "model-Q4_K_M.gguf")
    b = write_tiny_gguf(tmp_path / "model-Q8_0.gguf", {"general.name": "bigger" * 50})
    readme = tmp_path / "README.md"
    readme.write_text("hello", encoding="utf-8")
    for p in (a, b, readme):
        hub.add_file("me/model-GGUF", p)
    files = HubClient().files("me/model-GGUF")
    assert [f.filename for f in files] == ["model-Q4_K_M.gguf", "model-Q8_0.gguf"]
    served = hub.repos["me/model-GGUF"].files
    for f in files:
        assert f.size == served[f.filename].size
        assert f.sha256 == served[f.filename].sha256
        assert f.repo == "me/model-GGUF" and f.revision == "main"
        assert f.commit == hub.repos["me/model-GGUF"].commit
    assert [f.quantization for f in files] == ["Q4_K_M", "Q8_0"]
    info = [r for r in hub.requests if r.path.startswith("/api/models/")]
    assert info and info[0].query.get("blobs") == ["true"]
    assert HubClient().file("me/model-GGUF", "model-Q8_0.gguf").size == files[1].size
    assert hub.unknown == []


def test_missing_repo_revision_or_file_is_not_found(hub: FakeHub, tmp_path: Path):
    hub.add_file("me/model-GGUF", write_tiny_gguf(tmp_path / "m.gguf"))
    client = HubClient()
    with pytest.raises(HubNotFound, match="No such repository or file") as e:
        client.files("me/nothing-here")
    assert "me/nothing-here" in str(e.value)
    assert isinstance(e.value, UserError)
    with pytest.raises(HubNotFound, match="No such repository or file"):
        client.files("me/model-GGUF", revision="v9")
    with pytest.raises(HubNotFound, match=r"no file named other\.gguf"):
        client.file("me/model-GGUF", "other.gguf")


def test_no_server_is_offline_in_plain_words(monkeypatch: pytest.MonkeyPatch):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    client = HubClient(endpoint=endpoint)
    start = time.monotonic()
    with pytest.raises(HubOffline) as e:
        client.search("qwen")
    assert str(e.value) == (
        f"Cannot reach the Hugging Face Hub at {endpoint}. You can still use the models you have."
    )
    # The two parts, for a front end that words the advice itself (the Discover tab).
    assert e.value.reason == f"Cannot reach the Hugging Face Hub at {endpoint}."
    assert e.value.advice == "You can still use the models you have."
    with pytest.raises(HubOffline, match="Cannot reach"):
        client.files("Qwen/Qwen2.5-0.5B-Instruct-GGUF")
    assert time.monotonic() - start < 10


def test_offline_mode_makes_no_request(hub: FakeHub, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    client = HubClient()
    with pytest.raises(HubOffline, match=r"Offline mode is on \(HF_HUB_OFFLINE\)"):
        client.search("qwen")
    with pytest.raises(HubOffline, match="Offline mode is on"):
        client.files("a/b")
    assert hub.requests == []


@pytest.mark.parametrize("kind", ["endless", "gzip_bomb", "not_json"])
def test_a_hostile_server_is_cut_off_in_words(hub: FakeHub, kind: str) -> None:
    """Before the bounded reader an endless /api/models body grew the process to 8.5 GB in
    30 s and a 1 MB gzip bomb to 2.18 GB."""
    import resource

    hub.add_repo("me/x-GGUF")
    hub.hostile = kind
    client = HubClient(hub.url)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for call in (lambda: client.search("x"), lambda: client.files("me/x-GGUF")):
        with pytest.raises(HubError) as caught:
            call()
        message = str(caught.value)
        assert hub.url in message and "Traceback" not in message
        if kind == "not_json":
            assert "did not answer like the Hugging Face Hub" in message
        else:
            assert "far larger or slower than the Hub's" in message
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200  # the bound is 16 MiB of body (and its copies)
