"""Chat templates with CPU and memory bombs end in TemplateBudgetError within the budget, in bounded
memory; every built-in format renders well within it; the engine falls back to the built-in format
for the family and says so once (issue 20)."""

from __future__ import annotations

import random
import time
import tracemalloc
from collections import Counter

import pytest

from models.chat_templates import FORMATS, RenderBudget, TemplateBudgetError, render_chat
from models.errors import ChatTemplateError

MESSAGES = [
    {"role": "system", "content": "You are helpful."},
    {"role": "user", "content": "こんにちは"},
    {"role": "assistant", "content": "はい、何でしょう。"},
    {"role": "user", "content": "Tell me about lamps."},
]
FAST = RenderBudget(seconds=0.5)

CPU_BOMBS = {
    "nested ranges": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested ranges with output": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "loop.cycle": "{% for i in range(100000) %}{% for j in range(100000) %}{{ loop.cycle('a') }}{% endfor %}{% endfor %}",
    "wordwrap": "{{ ('a ' * 99999)|wordwrap(1) }}",
    "recursive macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
}
MEMORY_BOMBS = {
    "lipsum": "{{ lipsum(10**7) }}",
    "x * 10**9": "{{ 'x' * 10**9 }}",
    "via variable": "{% set n = 10**9 %}{{ 'x' * n }}",
    "power": "{{ 2 ** 1000000000 }}",
    "doubling ~": "{% set ns = namespace(s='xx') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "doubling +": "{% set ns = namespace(s='xx') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "str.center": "{{ 'x'.center(10**9) }}",
    "center filter": "{{ 'x'|center(10**9) }}",
    "str.format width": "{{ '{:>999999999}'.format(1) }}",
    "% width": "{{ '%999999999d' % 1 }}",
    "% star width": "{{ '%*d' % (999999999, 1) }}",
    "format filter": "{{ '%999999999d'|format(1) }}",
    "indent": "{{ ('a\n' * 99999)|indent(99999) }}",
    "replace filter": "{{ ('a' * 99999)|replace('a', 'b' * 99999) }}",
    "str.replace empty": "{{ ('a' * 99999).replace('', 'b' * 99999) }}",
    "list * n": "{{ ([1] * 99999) * 99999 }}",
    "nested list join": "{% set l = [[1] * 99999] * 99999 %}{{ l|join(',') }}",
    "nested list print": "{% set l = [[1] * 99999] %}{{ [l, l, l, l, l, l, l, l, l, l] * 9 }}",
    "tojson indent": "{{ messages|tojson(indent=99999) }}",
    "expandtabs": "{{ ('\t' * 99999).expandtabs(99999) }}",
}


@pytest.mark.parametrize("name", list(CPU_BOMBS))
def test_cpu_bombs_stop_at_the_deadline(name: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TemplateBudgetError) as caught:
        render_chat(MESSAGES, template=CPU_BOMBS[name], budget=FAST)
    assert time.perf_counter() - started < 5  # 0.5 s budget; generous for a loaded CI machine
    assert "built-in chat format" in caught.value.fix


@pytest.mark.parametrize("name", list(MEMORY_BOMBS))
def test_memory_bombs_are_refused_before_allocating(name: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(TemplateBudgetError):
            render_chat(MESSAGES, template=MEMORY_BOMBS[name], budget=FAST)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20, f"{name}: peak {peak:,} bytes"


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_builtin_format_renders_within_the_default_budget(name: str) -> None:
    long_chat = MESSAGES + [{"role": "user", "content": "長い文章。" * 2000}] * 20
    assert render_chat(long_chat, template=FORMATS[name].template)


def test_bundled_template_renders_within_the_default_budget(bundled_model) -> None:
    from models.gguf_info import read_metadata_value

    template = read_metadata_value(bundled_model, "tokenizer.chat_template")
    assert template and render_chat(MESSAGES, template=template).count("Tell me about lamps") == 1


def test_a_long_conversation_is_not_mistaken_for_a_bomb() -> None:
    # Documents turns carry long passages: the size budget grows with the conversation.
    big = [{"role": "user", "content": "資料の一節。" * 1_000_000}]
    out = render_chat(big, template=FORMATS["chatml"].template)
    assert len(out) > 6_000_000


FRAGMENTS = [
    "{{ 'ab' * N }}", "{{ lipsum(N) }}", "{% for i in range(N) %}{{ i }}{% endfor %}",
    "{% for i in range(N) %}{% for j in range(N) %}{% endfor %}{% endfor %}", "{{ 'x'|center(N) }}",
    "{{ messages|tojson }}", "{{ ('a' * N)|replace('a', 'bb') }}", "{{ [1, 2] * N }}", "{{ N ** 7 }}",
    "{{ ('a' ~ 'b') * N }}", "{{ '%Nd' % 1 }}", "{{ messages[0]['content'] * N }}", "{{ (N ~ '')|indent(N) }}",
]  # fmt: skip


@pytest.mark.timeout(300)
def test_random_templates_end_in_bounded_time() -> None:
    rng = random.Random(20)
    outcomes: Counter[str] = Counter()
    for case in range(80):
        parts = rng.sample(FRAGMENTS, rng.randint(1, 3))
        template = "".join(
            p.replace("N", str(rng.choice((3, 100, 9999, 99999, 10**6, 10**9)))) for p in parts
        )
        started = time.perf_counter()
        try:
            render_chat(MESSAGES, template=template, budget=RenderBudget(seconds=0.3))
            outcomes["accepted"] += 1
        except TemplateBudgetError:
            outcomes["over budget"] += 1
        except ChatTemplateError:
            outcomes["clear error"] += 1
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"case {case} ({template}) raised {type(error).__name__}: {error}")
        assert time.perf_counter() - started < 5, f"case {case} ({template}) took too long"
    print(dict(outcomes))
    assert outcomes["accepted"] and outcomes["over budget"]


class _FakeRuntime:
    """Just the attributes Runtime.render and the notes path read."""

    architecture = "llama"
    bos_text = "<s>"
    eos_text = "</s>"
    builtin = None
    template = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def test_engine_falls_back_to_the_builtin_format_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from models.worker import Runtime

    monkeypatch.setattr(RenderBudget, "for_messages", classmethod(lambda cls, messages: cls(seconds=0.3)))
    runtime = _FakeRuntime()
    prompt = Runtime._render(runtime, MESSAGES)  # type: ignore[arg-type]
    assert "[INST]" in prompt and runtime.template is None and runtime.builtin is FORMATS["llama2"]
    assert "did not finish" in runtime.template_note and "llama2" in runtime.template_note  # type: ignore[attr-defined]
    assert Runtime._render(runtime, MESSAGES) == prompt  # type: ignore[arg-type]
