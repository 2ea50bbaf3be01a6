"""Messages → prompt text.

A GGUF's own Jinja chat template is rendered in Jinja's immutable sandbox, so a template that reaches
for Python internals (the CVE-2024-34359 pattern) fails with a ChatTemplateError instead of running
code. Models without a template use a built-in format, registered by name as data.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .errors import ChatTemplateError, ConfigError
from .template_budget import RenderBudget, TemplateBudgetError, render_within

__all__ = [
    "FORMATS",
    "ChatFormat",
    "RenderBudget",
    "TemplateBudgetError",
    "get_format",
    "guess_format",
    "render_chat",
]

Message = Mapping[str, str]


@dataclass(frozen=True)
class ChatFormat:
    """A built-in prompt format: a Jinja template plus what the runtime must know about it."""

    name: str
    description: str
    template: str
    stop: tuple[str, ...] = ()
    # Models like rinna's write "<NL>" where a newline belongs; the engine maps it back in the output.
    newline_marker: str | None = None


_CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

# Llama 2 chat / ELYZA: the system prompt sits inside the first [INST] block.
_LLAMA2 = (
    "{% if messages and messages[0]['role'] == 'system' %}"
    "{% set system = messages[0]['content'] %}{% set turns = messages[1:] %}"
    "{% else %}{% set system = '' %}{% set turns = messages %}{% endif %}"
    "{% for m in turns %}"
    "{% if m['role'] == 'user' %}"
    "{{ bos_token }}[INST] "
    "{% if loop.first and system %}<<SYS>>\n{{ system }}\n<</SYS>>\n\n{% endif %}"
    "{{ m['content'] | trim }} [/INST]"
    "{% elif m['role'] == 'assistant' %} {{ m['content'] | trim }} {{ eos_token }}{% endif %}"
    "{% endfor %}"
)

# rinna japanese-gpt-neox instruction models: "ユーザー: …<NL>システム: …", newlines written as <NL>.
# rinna has no system role; a system prompt is put in front of the first user turn.
_RINNA = (
    "{% if messages and messages[0]['role'] == 'system' %}"
    "{% set system = messages[0]['content'] %}{% set turns = messages[1:] %}"
    "{% else %}{% set system = '' %}{% set turns = messages %}{% endif %}"
    "{% for m in turns %}"
    "{% if not loop.first %}<NL>{% endif %}"
    "{% if m['role'] == 'user' %}ユーザー: "
    "{% if loop.first and system %}{{ system | replace('\n', '<NL>') }}<NL>{% endif %}"
    "{% else %}システム: {% endif %}"
    "{{ m['content'] | replace('\n', '<NL>') }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}<NL>システム: {% endif %}"
)

# Data: every built-in format, by name.
FORMATS: dict[str, ChatFormat] = {
    f.name: f
    for f in (
        ChatFormat(
            "chatml", "ChatML (<|im_start|>role …<|im_end|>): SmolLM2, Qwen", _CHATML, ("<|im_end|>",)
        ),
        ChatFormat("llama2", "Llama 2 chat / ELYZA ([INST] <<SYS>> … [/INST])", _LLAMA2, ("[INST]",)),
        ChatFormat(
            "rinna",
            "rinna japanese-gpt-neox instruction (ユーザー: …<NL>システム: …)",
            _RINNA,
            ("<NL>ユーザー:", "ユーザー:"),
            newline_marker="<NL>",
        ),
    )
}


def get_format(name: str) -> ChatFormat:
    """The built-in format called ``name``; an unknown name lists the valid ones."""
    try:
        return FORMATS[name]
    except KeyError:
        valid = ", ".join(sorted(FORMATS))
        raise ConfigError(f"Unknown chat format '{name}'.", f"Use one of: {valid}.") from None


def guess_format(architecture: str | None, template: str | None) -> ChatFormat:
    """The built-in format for a model that has no usable template of its own."""
    if template and "<|im_start|>" in template:
        return FORMATS["chatml"]
    if architecture == "gptneox":
        return FORMATS["rinna"]
    if architecture == "llama":
        return FORMATS["llama2"]
    return FORMATS["chatml"]


def _raise_exception(message: str) -> None:
    raise ChatTemplateError(f"The chat template refused the conversation: {message}", "")


def _strftime_now(fmt: str) -> str:
    return datetime.datetime.now().strftime(fmt)


@functools.lru_cache(maxsize=16)
def _compile(template: str):  # type: ignore[no-untyped-def]
    from .template_budget import BudgetedEnvironment

    # The immutable sandbox, with size checks on operators, calls and filters (template_budget).
    env = BudgetedEnvironment(trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = _strftime_now
    return env.from_string(template)


def render_chat(
    messages: Sequence[Message],
    template: str | None = None,
    format_name: str | None = None,
    bos_token: str = "",
    eos_token: str = "",
    add_generation_prompt: bool = True,
    budget: RenderBudget | None = None,
) -> str:
    """Render ``messages`` with ``template`` (Jinja) or the built-in ``format_name`` (default chatml).

    Rendering runs under ``budget`` (by default 2 s and 8 × the conversation's size, at least 4 MB);
    a template over it raises TemplateBudgetError, a ChatTemplateError the caller can fall back from.
    """
    if template is None:
        template = get_format(format_name or "chatml").template
    for index, message in enumerate(messages):
        if message.get("role") not in ("system", "user", "assistant", "tool"):
            raise ChatTemplateError(
                f"Message {index} has the unknown role {message.get('role')!r}.",
                "Use system, user, assistant or tool.",
            )
    from jinja2.exceptions import SecurityError, TemplateError

    try:
        compiled = _compile(template)
        return render_within(
            compiled,
            budget or RenderBudget.for_messages(messages),
            messages=[dict(m) for m in messages],
            bos_token=bos_token,
            eos_token=eos_token,
            add_generation_prompt=add_generation_prompt,
        )
    except ChatTemplateError:
        raise
    except SecurityError as error:
        raise ChatTemplateError(
            f"The model's chat template tried to do something unsafe and was stopped ({error}).",
            "Do not use this model file; choose a built-in chat format in the model settings instead.",
        ) from None
    except (RecursionError, MemoryError) as error:  # macros calling themselves, or a bomb we missed
        raise TemplateBudgetError(
            f"The model's chat template ran out of {'depth' if isinstance(error, RecursionError) else 'memory'}.",
            "Tomoshibi used the built-in chat format instead; choose one in the model settings to keep it.",
        ) from None
    except TemplateError as error:
        raise ChatTemplateError(
            f"The model's chat template could not be rendered: {error}.",
            "Choose a built-in chat format (chatml, llama2, rinna) in the model settings.",
        ) from None
    except Exception as error:  # a broken template can raise anything while rendering
        raise ChatTemplateError(
            f"The model's chat template failed: {type(error).__name__}: {error}.",
            "Choose a built-in chat format (chatml, llama2, rinna) in the model settings.",
        ) from None
