"""The engine's own token loop gives llama-cpp-python's tokens: greedy, seeded sampling with penalties,
and after a prefix that the KV cache already holds."""

from __future__ import annotations

import itertools

import pytest

from models.decode_loop import fits, sampled_tokens
from models.events import SamplingParams

N = 24


@pytest.fixture(scope="module")
def llm(bundled_model):
    import llama_cpp

    return llama_cpp.Llama(
        model_path=str(bundled_model), n_ctx=512, n_threads=2, flash_attn=True, seed=1, verbose=False
    )


def theirs(llm, prompt, params, seed):
    llm.set_seed(seed)
    it = llm.generate(
        prompt,
        top_k=params.top_k,
        top_p=params.top_p,
        min_p=params.min_p,
        temp=params.temperature,
        repeat_penalty=params.repeat_penalty,
        presence_penalty=params.presence_penalty,
        frequency_penalty=params.frequency_penalty,
    )
    out = list(itertools.islice(it, N))
    it.close()
    return out


def ours(llm, prompt, params, seed):
    it = sampled_tokens(llm, prompt, params, seed)
    out = list(itertools.islice(it, N))
    it.close()
    return out


@pytest.mark.parametrize(
    "params",
    [
        SamplingParams(temperature=0.0, repeat_penalty=1.0),
        SamplingParams(temperature=0.0, repeat_penalty=1.3),
        SamplingParams(temperature=0.9, repeat_penalty=1.1, presence_penalty=0.5, frequency_penalty=0.3),
    ],
    ids=["greedy", "greedy-penalty", "sampled"],
)
def test_the_same_tokens_as_llama_cpp_python(llm, params):
    prompt = llm.tokenize(
        b"<|im_start|>user\nName three rivers in Europe.<|im_end|>\n<|im_start|>assistant\n", special=True
    )
    llm.reset()
    expected = theirs(llm, prompt, params, 7)
    llm.reset()
    assert ours(llm, prompt, params, 7) == expected
    # A follow-up that shares the prompt: the cached prefix is reused and the tokens stay the same.
    follow = prompt + expected[:5]
    llm.reset()
    expected_follow = theirs(llm, follow, params, 3)
    ours(llm, prompt, params, 7)  # the KV cache now holds the prompt and the answer
    assert llm.n_tokens > len(prompt)
    assert ours(llm, follow, params, 3) == expected_follow
    # llama-cpp-python's own loop carries on from what this one left in the cache.
    assert theirs(llm, follow, params, 3) == expected_follow


def test_python_hooks_keep_llama_cpp_python():
    assert fits(SamplingParams())
    assert not fits(SamplingParams(grammar='root ::= "a"'))
    assert not fits(SamplingParams(logit_bias=((1, 5.0),)))
    assert not fits(SamplingParams(logprobs=2))
