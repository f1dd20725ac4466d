"""What several command groups need of the remote engines (core/remote_engines.py): whether a
--model name is a remote engine's model, the refusal of the commands that need a file on this
computer, and a client for listing a server's models that never hangs on a silent server."""

from __future__ import annotations

from desktop_llm.core.engine.remote import RemoteEngine
from desktop_llm.core.errors import UserError
from desktop_llm.core.remote_engines import RemoteEngineConfig, RemoteEngines, RemoteModel
from desktop_llm.core.services import Services


def engines_of(services: Services) -> RemoteEngines:
    return services.host.remote_engines


def remote_model(services: Services, name: str | None) -> RemoteModel | None:
    """What a --model name means when it is a remote engine's model (ENGINE/MODEL_ID)."""
    return engines_of(services).model_named(name) if name else None


def refuse_remote(services: Services, name: str | None, words: str) -> None:
    """A UserError with `words` when `name` is a remote engine's model (for the commands that
    need a model file on this computer)."""
    model = remote_model(services, name)
    if model is not None:
        raise UserError(f"{model.name} runs on the remote engine {model.engine}: {words}")


def listing_client(services: Services, config: RemoteEngineConfig) -> RemoteEngine:
    """A client for listing a server's models: it waits no longer than the connect timeout
    for the answer either, so a listing never hangs on a server that does not answer. Closed
    by the caller."""
    return engines_of(services).connect(config, silence_s=config.connect_timeout_s)
