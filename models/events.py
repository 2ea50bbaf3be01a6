"""Typed events the engine yields while generating. Small frozen dataclasses any front end can consume."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Token:
    """A piece of generated text, always made of complete UTF-8 characters."""

    text: str
    token_ids: tuple[int, ...] = ()
    # With SamplingParams.logprobs: one (text, logprob, ((alt_text, alt_logprob), ...)) per generated token.
    logprobs: tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...] = ()


@dataclass(frozen=True)
class Finished:
    """Generation ended.

    ``reason`` is one of ``stop`` (end-of-turn token or stop string), ``length`` (max tokens or context
    full), ``cancelled``. ``dropped_turns`` counts old turns removed to fit the context window.
    """

    reason: str
    text: str
    prompt_tokens: int
    completion_tokens: int
    tokens_per_second: float
    time_to_first_token: float
    seconds: float
    dropped_turns: int = 0
    notes: tuple[str, ...] = ()
    cached_tokens: int = 0  # prompt tokens reused from the previous request's KV cache


@dataclass(frozen=True)
class ErrorEvent:
    """The request failed but the engine is still alive (bad grammar, template error, ...)."""

    message: str
    kind: str = "EngineError"


@dataclass(frozen=True)
class EngineCrashed:
    """The engine process died. ``partial_text`` is what had been generated before the crash."""

    message: str
    exit_code: int | None = None
    partial_text: str = ""


Event = Token | Finished | ErrorEvent | EngineCrashed


@dataclass(frozen=True)
class SamplingParams:
    """How to sample. ``seed`` None means random; ``temperature`` 0 means greedy."""

    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 512
    seed: int | None = None
    stop: tuple[str, ...] = ()
    grammar: str | None = None  # GBNF text; constrains output (JSON mode, tools)
    # OpenAI's sampling extras (see models/sampling_extras.py): penalties in [-2, 2], a bias in
    # [-100, 100] per token id, and ``logprobs`` = how many alternatives to report per token (None: off).
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    logit_bias: tuple[tuple[int, float], ...] = ()
    logprobs: int | None = None


@dataclass(frozen=True)
class LoadConfig:
    """How to load a model.

    ``backend``: ``auto``, ``cpu``, ``metal`` or ``cuda``. ``n_gpu_layers`` -1 means all that fit.
    ``n_threads`` None means the number of physical cores.
    """

    model_path: str
    n_ctx: int = 4096
    backend: str = "auto"
    n_gpu_layers: int = -1
    n_threads: int | None = None
    embedding: bool = False
    lora_path: str | None = None
    lora_scale: float = 1.0
    seed: int = 0
    extra: dict[str, object] = field(default_factory=dict)
    # Other computers running `tomoshibi rpc-worker` ("host:port"): llama.cpp splits the layers
    # across them by their free memory (models/rpc_split.py).
    rpc_workers: tuple[str, ...] = ()


@dataclass(frozen=True)
class EngineInfo:
    """What the engine actually loaded, reported back by the engine process."""

    model_path: str
    architecture: str
    backend: str  # the backend actually used: "cpu", "metal" or "cuda"
    n_gpu_layers: int
    n_ctx: int
    n_threads: int
    n_vocab: int
    chat_template: str | None
    bos_token: str
    eos_token: str
    load_seconds: float
    memory_bytes: int
    tokenizer: str  # "llama.cpp" or "sentencepiece"
    # Where the layers are, e.g. (("this computer", 1), ("192.168.1.20:50052", 30)); empty when all
    # are on this computer. ``rpc_workers``: the workers this engine uses.
    layer_placement: tuple[tuple[str, int], ...] = ()
    rpc_workers: tuple[str, ...] = ()
