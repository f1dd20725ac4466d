"""A chat turn from start to stored reply: the one path both the window and the CLI use.

ChatService ties the conversations in the store to the model host (the loaded model and the
inference process, shared with the tasks). Its methods that stream are blocking generators:
the CLI iterates them on its main thread, the window on its engine thread. cancel() may be
called from any thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterator, Sequence

from desktop_llm.core.chat.attachments import (
    AttachedFile,
    as_row,
    count_files,
    from_row,
    prompt_message,
)
from desktop_llm.core.chat.chat_settings import ChatSettings, save_chat_settings
from desktop_llm.core.chat.events import ChatEvent, ReplyEnded, ReplyStarted, ReplyText
from desktop_llm.core.config import Settings
from desktop_llm.core.engine.interface import Engine
from desktop_llm.core.engine.protocol import ChatMessage, SamplingParams
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.model_host import ModelHost, Reply, holds_engine
from desktop_llm.core.models.registry import InstalledModel
from desktop_llm.core.store import Store, title_from, write_failure


class MessageNotSaved(UserError):
    """The user's message could not be stored (a full disk...): nothing was sent, and a
    conversation made for it is gone again. `text` is the message, for the front end to
    give back (the composer, the CLI's stderr)."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(
            arg(
                translate("Chat", "Your message could not be saved (%1), so it was not sent."),
                reason,
            )
        )
        self.text = text


class ChatService:
    def __init__(self, settings: Settings, store: Store, host: ModelHost) -> None:
        self.settings = settings
        self.store = store
        self.host = host
        self._stop = threading.Event()

    # --- models (shared with the other tasks through the host) ----------------------------

    def resolve_model(self, name: str | None) -> InstalledModel:
        return self.host.resolve(name)

    @holds_engine
    def prepare(self, name: str | None) -> Iterator[ChatEvent]:
        """Make sure the model is loaded, reporting ModelLoading/ModelReady when it loads."""
        yield from self.host.prepare(name)

    @property
    def current_model(self) -> InstalledModel | None:
        return self.host.current

    # --- turns ------------------------------------------------------------------------------

    def new_conversation(self, system_prompt: str | None = None, model: str | None = None) -> int:
        # The default system prompt is copied in; sampling is not: a new chat follows the
        # default sampling until it sets its own (core/chat/chat_settings.py says why).
        system = self.settings["chat.system_prompt"] if system_prompt is None else system_prompt
        return self.store.create_conversation(system_prompt=system or None, model=model).id

    @holds_engine
    def send(
        self,
        conversation_id: int | None,
        text: str,
        *,
        model: str | None = None,
        system_prompt: str | None = None,
        params: SamplingParams | None = None,
        attachments: Sequence[AttachedFile] = (),
    ) -> Iterator[ChatEvent]:
        """Add the user's message and stream the reply. conversation_id None starts one.

        With attachments, the model is loaded and the files counted first: when they do not
        fit, AttachmentsTooLong is raised before anything is stored (the front end keeps the
        message and the files where the user left them)."""
        self._stop.clear()
        files = list(attachments)
        if not text.strip() and not files:
            raise UserError(translate("Chat", "The message is empty."))
        conversation = (
            self.store.get_conversation(conversation_id) if conversation_id is not None else None
        )
        name = model or (conversation.model if conversation is not None else None)
        if files:
            yield from self.prepare(name)
            if conversation is not None:
                system = conversation.system_prompt
            else:
                system = (
                    self.settings["chat.system_prompt"] if system_prompt is None else system_prompt
                )
            files = self._fit_files(files, text, system, params)
        created = conversation_id is None
        try:
            if conversation_id is None:
                conversation_id = self.new_conversation(system_prompt, model)
                conversation = self.store.get_conversation(conversation_id)
            assert conversation is not None
            # The message is stored before anything can fail, so what the user typed is kept.
            user = self.store.add_message(conversation_id, "user", text)
        except Exception as exc:
            reason = write_failure(exc)
            if reason is None:
                raise
            if created and conversation_id is not None:
                self.forget_empty(conversation_id)
            raise MessageNotSaved(text, reason) from exc
        if files:
            self.store.add_attachments(user.id, [as_row(f) for f in files])
        if conversation.title in ("", "New chat"):
            self.store.rename_conversation(conversation_id, title_from(text or files[0].name))
        yield from self._reply(conversation_id, user.id, name, params, files_counted=True)

    def forget_empty(self, conversation_id: int) -> None:
        """Delete a conversation made for a message that could not be stored, if it is
        still empty; on a disk too full for that as well, it stays (an empty chat)."""
        with contextlib.suppress(Exception):
            if not self.store.messages(conversation_id):
                self.store.delete_conversation(conversation_id)

    def regenerate(
        self,
        conversation_id: int,
        message_id: int | None = None,
        *,
        model: str | None = None,
        params: SamplingParams | None = None,
    ) -> Iterator[ChatEvent]:
        """Answer a user message again (by default the last one on screen). The earlier
        replies stay as versions of the answer; the new one is shown."""
        self._stop.clear()
        thread = self.store.messages(conversation_id, include_parts=False)
        if message_id is not None:
            target = next((m for m in thread if m.id == message_id), None)
            if target is not None and target.role == "assistant":
                # Regenerating a reply answers the message it replied to.
                target = next((m for m in thread if m.id == target.parent_id), None)
        else:
            target = next((m for m in reversed(thread) if m.role == "user"), None)
        if target is None or target.role != "user":
            raise UserError(translate("Chat", "There is no message to answer again."))
        conversation = self.store.get_conversation(conversation_id)
        yield from self._reply(conversation_id, target.id, model or conversation.model, params)

    def edit(
        self,
        conversation_id: int,
        message_id: int,
        text: str,
        *,
        model: str | None = None,
        params: SamplingParams | None = None,
    ) -> Iterator[ChatEvent]:
        """Send text in place of an earlier user message: a new branch starts there, and the
        earlier one stays reachable as the other version of that message."""
        self._stop.clear()
        if not text.strip():
            raise UserError(translate("Chat", "The message is empty."))
        original = self.store.get_message(message_id)
        if original.conversation_id != conversation_id or original.role != "user":
            raise UserError(translate("Chat", "There is no message to edit."))
        user = self.store.add_message(conversation_id, "user", text, parent_id=original.parent_id)
        # The files of the message go with its new version.
        files = self.store.attachments(conversation_id).get(original.id, [])
        if files:
            self.store.add_attachments(user.id, [as_row(from_row(f)) for f in files])
        conversation = self.store.get_conversation(conversation_id)
        yield from self._reply(conversation_id, user.id, model or conversation.model, params)

    def edit_last(
        self,
        conversation_id: int,
        text: str,
        *,
        model: str | None = None,
        params: SamplingParams | None = None,
    ) -> Iterator[ChatEvent]:
        """Edit the last user message on screen (the CLI's and the Up key's edit)."""
        thread = self.store.messages(conversation_id, include_parts=False)
        last_user = next((m for m in reversed(thread) if m.role == "user"), None)
        if last_user is None:
            raise UserError(translate("Chat", "There is no message to edit."))
        yield from self.edit(conversation_id, last_user.id, text, model=model, params=params)

    @property
    def engine(self) -> Engine:
        """The engine of the model in use: the local process or a remote server."""
        return self.host.engine

    def cancel(self) -> None:
        self._stop.set()
        self.engine.cancel()

    def sampling(self, conversation_id: int | None = None) -> SamplingParams:
        """A conversation's sampling (its own values, the defaults for the rest); the
        defaults alone without one."""
        if conversation_id is None:
            return ChatSettings.defaults(self.settings).sampling()
        return self.chat_settings(conversation_id).sampling()

    # --- per-chat settings ------------------------------------------------------------------

    def chat_settings(self, conversation_id: int) -> ChatSettings:
        """The values the conversation's next turn uses."""
        conversation = self.store.get_conversation(conversation_id)
        return ChatSettings.from_conversation(conversation, self.settings)

    def save_chat_settings(self, conversation_id: int, chat: ChatSettings) -> None:
        """Store a conversation's settings; its next turn uses them."""
        save_chat_settings(self.store, self.settings, conversation_id, chat)

    def reset_chat_settings(self, conversation_id: int) -> ChatSettings:
        """Give the conversation the defaults again: the default system prompt and model,
        and no sampling of its own. Returns what it now uses."""
        defaults = ChatSettings.defaults(self.settings)
        # With no model installed the chat keeps the name it has.
        with contextlib.suppress(UserError):
            defaults = dataclasses.replace(defaults, model=self.resolve_model(None).name)
        self.save_chat_settings(conversation_id, defaults)
        return self.chat_settings(conversation_id)

    def history(self, conversation_id: int, up_to: int) -> list[ChatMessage]:
        """What the model is given: the system prompt and the branch on screen up to and
        including message up_to."""
        conversation = self.store.get_conversation(conversation_id)
        history: list[ChatMessage] = []
        if conversation.system_prompt:
            history.append(ChatMessage("system", conversation.system_prompt))
        thread = self.store.messages(conversation_id, include_parts=False)
        ids = [m.id for m in thread]
        if up_to in ids:
            thread = thread[: ids.index(up_to) + 1]
        files = self.store.attachments(conversation_id)
        for m in thread:
            content = m.content
            if m.role == "user" and m.id in files:
                content = prompt_message(content, [from_row(f) for f in files[m.id]])
            # Partial replies the user saw stay in the history; failed empty ones do not.
            if m.role in ("user", "assistant") and content and m.status != "error":
                history.append(ChatMessage(m.role, content))
        return history

    def _fit_files(
        self,
        files: list[AttachedFile],
        text: str,
        system: str | None,
        params: SamplingParams | None,
    ) -> list[AttachedFile]:
        """The files with their token counts, or AttachmentsTooLong (the model is loaded)."""
        return count_files(
            files,
            text,
            system,
            context=self.host.n_ctx,
            max_tokens=(params or self.sampling()).max_tokens,
            count_tokens=self.engine.count_tokens,
        )

    @holds_engine
    def _reply(
        self,
        conversation_id: int,
        user_message_id: int,
        model_name: str | None,
        params: SamplingParams | None,
        *,
        files_counted: bool = False,
    ) -> Iterator[ChatEvent]:
        yield from self.prepare(model_name)
        model = self.current_model
        assert model is not None and self.engine.loaded is not None
        stored = self.store.attachments(conversation_id).get(user_message_id)
        if stored and not files_counted:
            # A message stored while the engine was busy, or answered again with another
            # model or context: its files may not fit (then it stays, unanswered).
            message = self.store.get_message(user_message_id)
            system = self.store.get_conversation(conversation_id).system_prompt
            self._fit_files([from_row(a) for a in stored], message.content, system, params)
        self.store.set_conversation_model(conversation_id, model.name)
        params = params or self.sampling(conversation_id)
        device = self.host.device
        engine, engine_host = self.host.engine_of(model)
        messages = self.history(conversation_id, user_message_id)
        reply = self.store.start_reply(conversation_id, parent_id=user_message_id)
        yield ReplyStarted(conversation_id, user_message_id, reply.id)

        result: Reply = yield from self.host.stream_reply(
            reply.id,
            messages,
            params,
            self._stop,
            wrap=lambda token: ReplyText(reply.id, token.text),
        )
        yield ReplyEnded(
            message_id=reply.id,
            status=result.status,
            content=result.text,
            model_name=model.name,
            device=device,
            stats=result.done.stats if result.done is not None else None,
            error=result.error,
            energy=result.energy,
            engine=engine,
            engine_host=engine_host,
        )
