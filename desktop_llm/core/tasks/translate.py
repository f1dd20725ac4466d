"""Translation prompts, and the clean-up that leaves only the translation.

Small models like to chat ("Here is the translation: ..."), add notes, or quote. A one-shot
example in the target language shows the expected shape; the clean-up removes what slips
through anyway.
"""

from __future__ import annotations

import re

from desktop_llm.core.engine.protocol import ChatMessage
from desktop_llm.core.tasks.languages import LANGUAGES, Language

EXAMPLE_SOURCE = "Thank you very much for your help."
# The one-shot example's answer, per target language code.
EXAMPLE_TRANSLATIONS = {
    "en": "Thank you very much for your help.",
    "zh-Hans": "非常感谢你的帮助。",
    "zh-Hant": "非常感謝你的幫助。",
    "ja": "ご協力ありがとうございました。",
    "ko": "도와주셔서 정말 감사합니다.",
    "fr": "Merci beaucoup pour votre aide.",
    "de": "Vielen Dank für Ihre Hilfe.",
    "es": "Muchas gracias por tu ayuda.",
    "ru": "Большое спасибо за вашу помощь.",
    "pt": "Muito obrigado pela sua ajuda.",
    "ar": "شكرا جزيلا على مساعدتك.",
}

_PREAMBLE = re.compile(
    r"^\s*(?:(?:here(?: is|'s) )?(?:the |your |a )?(?:translation|translated text)"
    r"(?: (?:in|into|to) [\w\s()\u3000-\u9fff]+?)?\s*[:：]"
    r"|译文[:：]|翻译[:：]|翻譯[:：]|訳[:：])\s*",
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"\n\s*(?:\(?note|\(?notes|translation note|this translation|in this translation|"
    r"注[:：]|注意[:：]|備考[:：])",
    re.IGNORECASE,
)
# "(simplified Chinese)", "(in French)" after the translation: the model naming its work.
_LANGUAGE_REMARK = re.compile(
    r"\s*[(（](?:in |en |auf )?(?:{})[)）]\s*$".format(
        "|".join(
            re.escape(n)
            for lang in LANGUAGES
            for n in (lang.english_name, lang.native_name, lang.prompt_name)
        )
    ),
    re.IGNORECASE,
)
_QUOTES = {'"': '"', "“": "”", "'": "'", "「": "」", "«": "»", "„": "“"}


def translation_messages(
    system_prompt: str, text: str, target: Language, source: Language | None
) -> list[ChatMessage]:
    direction = (
        f"from {source.prompt_name} to {target.prompt_name}"
        if source
        else f"to {target.prompt_name}"
    )
    example_source = "English" if source is None or source.code != "en" else source.prompt_name
    example_direction = f"from {example_source} to {target.prompt_name}"
    instruction = "Translate the text {direction}. Reply with the translation only.\n\n{text}"
    messages = [ChatMessage("system", system_prompt)] if system_prompt else []
    example = EXAMPLE_TRANSLATIONS.get(target.code)
    if example and (source is None or source.code == "en"):
        messages += [
            ChatMessage(
                "user", instruction.format(direction=example_direction, text=EXAMPLE_SOURCE)
            ),
            ChatMessage("assistant", example),
        ]
    messages.append(ChatMessage("user", instruction.format(direction=direction, text=text)))
    return messages


def clean_translation(output: str, source_text: str) -> str:
    """The translation alone: no preamble, no notes, no quotes the source did not have."""
    text = _PREAMBLE.sub("", output.strip(), count=1)
    note = _NOTE.search(text)
    if note:
        text = text[: note.start()]
    if "\n\n" not in source_text.strip() and "\n\n" in text.strip():
        # The piece was one paragraph: a second one is the model talking about its work.
        text = text.strip().split("\n\n", 1)[0]
    text = _LANGUAGE_REMARK.sub("", text.strip())
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        stripped_source = source_text.strip()
        if not (
            stripped_source[:1] in _QUOTES and _QUOTES[stripped_source[0]] == stripped_source[-1:]
        ):
            text = text[1:-1].strip()
    return text


def piece_joiner(target: Language) -> str:
    """What goes between the translations of consecutive sentence groups of one paragraph."""
    return "" if target.code in ("zh-Hans", "zh-Hant", "ja") else " "
