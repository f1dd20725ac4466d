from __future__ import annotations

import pytest

from desktop_llm.core.engine.chat_template import CHATML_TEMPLATE, TemplateRenderError, render_chat
from desktop_llm.core.engine.protocol import ChatMessage


def test_chatml_renders_with_generation_prompt() -> None:
    text = render_chat(
        CHATML_TEMPLATE,
        [ChatMessage("system", "Be brief."), ChatMessage("user", "你好")],
        bos_token="<s>",
        eos_token="</s>",
    )
    assert text == (
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n你好<|im_end|>\n"
        "<|im_start|>assistant\n"
    )


@pytest.mark.parametrize(
    "template",
    [
        # The CVE-2024-34359 shape: reach os through object internals.
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ messages.__class__.__init__.__globals__ }}",
        "{% set x = messages.append({'role': 'x'}) %}",
    ],
)
def test_templates_run_sandboxed(template: str) -> None:
    with pytest.raises(TemplateRenderError):
        render_chat(template, [ChatMessage("user", "hi")], bos_token="", eos_token="")


def test_a_template_can_refuse_in_its_own_words() -> None:
    template = "{{ raise_exception('Conversation roles must alternate') }}"
    with pytest.raises(TemplateRenderError, match="must alternate"):
        render_chat(template, [ChatMessage("user", "hi")], bos_token="", eos_token="")
