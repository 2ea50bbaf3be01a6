"""Chat prompts: the sandboxed Jinja template and the built-in formats."""

import pytest

from models.chat_templates import FORMATS, get_format, render_chat
from models.errors import ChatTemplateError, ConfigError

CONVERSATION = [
    {"role": "system", "content": "丁寧に答えてください。"},
    {"role": "user", "content": "日本の首都は？\n一言で。"},
    {"role": "assistant", "content": "東京です。"},
    {"role": "user", "content": "人口は？"},
]


def test_chatml() -> None:
    prompt = render_chat(CONVERSATION[:2], format_name="chatml")
    assert prompt == (
        "<|im_start|>system\n丁寧に答えてください。<|im_end|>\n"
        "<|im_start|>user\n日本の首都は？\n一言で。<|im_end|>\n<|im_start|>assistant\n"
    )


def test_rinna_uses_nl_marker_and_its_roles() -> None:
    prompt = render_chat(CONVERSATION, format_name="rinna")
    assert prompt == (
        "ユーザー: 丁寧に答えてください。<NL>日本の首都は？<NL>一言で。<NL>システム: 東京です。"
        "<NL>ユーザー: 人口は？<NL>システム: "
    )
    assert "\n" not in prompt


def test_llama2_system_block_and_turns() -> None:
    prompt = render_chat(CONVERSATION, format_name="llama2", bos_token="<s>", eos_token="</s>")
    assert prompt == (
        "<s>[INST] <<SYS>>\n丁寧に答えてください。\n<</SYS>>\n\n日本の首都は？\n一言で。 [/INST]"
        " 東京です。 </s><s>[INST] 人口は？ [/INST]"
    )


def test_unknown_format_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as info:
        get_format("alpaca")
    for name in FORMATS:
        assert name in str(info.value)


@pytest.mark.parametrize(
    "template",
    [
        # CVE-2024-34359: reaching Python internals through attribute chains.
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ cycler.__init__.__globals__.os.popen('touch /tmp/tomoshibi-pwned').read() }}",
        "{{ messages.append({'role': 'user', 'content': 'x'}) }}",
    ],
)
def test_malicious_template_fails_safely(template: str, tmp_path) -> None:
    with pytest.raises(ChatTemplateError):
        render_chat(CONVERSATION, template=template)
    import os

    assert not os.path.exists("/tmp/tomoshibi-pwned")


def test_broken_template_and_raise_exception() -> None:
    with pytest.raises(ChatTemplateError, match="could not be rendered|failed"):
        render_chat(CONVERSATION, template="{% for m in messages %}")
    with pytest.raises(ChatTemplateError, match="refused"):
        render_chat(CONVERSATION, template="{{ raise_exception('no system role') }}")


def test_unknown_role_is_refused() -> None:
    with pytest.raises(ChatTemplateError, match="role"):
        render_chat([{"role": "wizard", "content": "hi"}])
