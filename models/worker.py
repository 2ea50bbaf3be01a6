"""The engine process: owns llama.cpp, answers requests from the parent over a pipe.

Runs in a child process (multiprocessing "spawn") so that an abort inside llama.cpp, an out-of-memory
kill or a hang cannot take the caller down: the parent sees the pipe close and reports EngineCrashed.
Requests are tuples ``(op, *args)``; generation streams typed events from ``models.events``.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import debug, decode_loop, gguf_keys
from . import sampling_extras as extras
from .answer_stream import STREAM_INTERVAL, AnswerStream
from .backends import physical_cores, resolve_backend
from .chat_templates import ChatFormat, TemplateBudgetError, get_format, guess_format, render_chat
from .child_process import error_payload
from .errors import ChatTemplateError, ConfigError, ContextLengthError, EngineError
from .events import EngineInfo, ErrorEvent, Finished, LoadConfig, SamplingParams
from .kv_cache import ConversationCache, cache_identity
from .prompt_segments import template_segments
from .speculative import speculative_greedy
from .thread_governor import TOKENS_PER_LOOK, ThreadGovernor
from .tokenizer import LlamaCppTokenizer, SentencePieceTokenizer, Tokenizer

log = logging.getLogger(__name__)


class Runtime:
    """A loaded model plus everything needed to turn requests into events."""

    def __init__(self, config: LoadConfig) -> None:
        import llama_cpp

        self.config = config
        started = time.perf_counter()
        backend, n_gpu_layers = resolve_backend(config.backend, config.n_gpu_layers)
        n_threads = config.n_threads or max(1, physical_cores())
        kwargs: dict[str, Any] = dict(
            model_path=config.model_path,
            n_ctx=config.n_ctx,
            n_gpu_layers=n_gpu_layers,
            n_threads=n_threads,
            n_threads_batch=n_threads,
            # llama-bench's defaults: logical batch 2048, physical 512, f16 KV cache (llama.cpp's own).
            n_batch=min(2048, config.n_ctx),
            n_ubatch=min(512, config.n_ctx),
            # llama.cpp's tools turn flash attention on wherever the backend has it (CPU, Metal, CUDA all
            # do); it is the largest part of the gap to llama-bench, and it doubles an encoder's
            # embedding speed (bench/bench_documents.py). LoadConfig.extra["flash_attn"]=False turns it off.
            flash_attn=bool(config.extra.get("flash_attn", True)),
            seed=config.seed,
            embedding=config.embedding,
            verbose=log.isEnabledFor(logging.DEBUG),
        )
        if config.embedding:
            kwargs["pooling_type"] = _pooling_type(config.model_path)
            # An encoder (BERT, e5) needs each batch in one physical batch (llama.cpp aborts on
            # "encoder requires n_ubatch >= n_tokens"), and llama-cpp-python packs texts up to
            # n_batch; 512 keeps the cross-text attention that a larger batch would waste small.
            kwargs["n_batch"] = kwargs["n_ubatch"] = min(512, config.n_ctx)
        if config.lora_path:
            kwargs["lora_path"] = config.lora_path
            kwargs["lora_scale"] = config.lora_scale
        placement: tuple[tuple[str, int], ...] = ()
        if config.rpc_workers:
            from .rpc_split import apply  # layers on other computers (llama.cpp RPC)

            placement = apply(config, kwargs)
        try:
            try:
                self.llm = llama_cpp.Llama(**kwargs)
            except ValueError:
                if not kwargs["flash_attn"]:
                    raise
                log.warning("loading with flash attention failed; loading without it")
                kwargs["flash_attn"] = False
                self.llm = llama_cpp.Llama(**kwargs)
        except ValueError as error:  # llama-cpp-python reports load failures as ValueError
            raise EngineError(
                f"llama.cpp could not load {os.path.basename(config.model_path)}: {error}",
                "Check that the file is a complete GGUF model for a supported architecture "
                "(run `tomoshibi info FILE`), or download/convert it again.",
            ) from None
        self._llama_cpp = llama_cpp
        self.vocab = self.llm._model.vocab
        meta = self.llm.metadata
        self.architecture = meta.get("general.architecture", "unknown")
        self.add_bos = bool(llama_cpp.llama_vocab_get_add_bos(self.vocab))
        self.bos_id = int(self.llm.token_bos())
        self.eos_id = int(self.llm.token_eos())
        llama_tok = LlamaCppTokenizer(self.llm)
        self.bos_text = llama_tok.piece_special(self.bos_id) if self.bos_id >= 0 else ""
        self.eos_text = llama_tok.piece_special(self.eos_id) if self.eos_id >= 0 else ""
        spm = meta.get(gguf_keys.SPM_MODEL)
        self.tokenizer: Tokenizer = (
            SentencePieceTokenizer(spm, self.bos_id, {self.bos_text: self.bos_id, self.eos_text: self.eos_id})
            if spm
            else llama_tok
        )
        self.template = meta.get("tokenizer.chat_template") or None
        self.newline_marker = meta.get(gguf_keys.NEWLINE_MARKER) or None
        self.builtin: ChatFormat | None = None
        if not self.template:
            name = meta.get(gguf_keys.CHAT_FORMAT)
            self.builtin = get_format(name) if name else guess_format(self.architecture, None)
        if self.builtin and self.builtin.newline_marker:
            self.newline_marker = self.builtin.newline_marker
        self._abort_callback: Any = None
        self.warm_up()
        self.kv = ConversationCache(self.llm, self._cache_identity(kwargs), _kv_folder(config))
        # Fewer threads while other programs keep cores busy (models/thread_governor.py); a count
        # the user chose is kept.
        self.governor: ThreadGovernor | None = None
        if not config.n_threads:
            ctx = self.llm._ctx.ctx
            self.governor = ThreadGovernor(lambda n: llama_cpp.llama_set_n_threads(ctx, n, n), n_threads)
            self.governor.look()
        import psutil

        self.info = EngineInfo(
            model_path=config.model_path,
            architecture=self.architecture,
            backend=backend,
            n_gpu_layers=n_gpu_layers,
            n_ctx=self.llm.n_ctx(),
            n_threads=n_threads,
            n_vocab=self.llm.n_vocab(),
            chat_template=self.template or (self.builtin.template if self.builtin else None),
            bos_token=self.bos_text,
            eos_token=self.eos_text,
            load_seconds=time.perf_counter() - started,
            memory_bytes=psutil.Process().memory_info().rss,
            tokenizer=self.tokenizer.name,
            layer_placement=placement,
            rpc_workers=tuple(config.rpc_workers),
        )

    def warm_up(self) -> None:
        """Run the model once right after loading, as llama.cpp's own tools do: the first decode pays
        for page faults on the weights, thread start-up and graph allocation, and the user's first
        question should not. Then forget it (the KV cache is cleared)."""
        if isinstance(self.tokenizer, LlamaCppTokenizer):
            self.tokenizer.splitter()  # the control-token table, read once, before the first prompt
        if self.config.embedding or self.config.extra.get("no_warmup"):
            return
        llm = self.llm
        ids = [t for t in (self.bos_id, self.eos_id) if t >= 0] or [0]
        try:
            llm.eval(ids * 4)  # a small batch: the prompt path
            llm.eval(ids[:1])  # one token: the decode path
        except Exception:  # warm-up is an optimisation: never a reason to fail a load
            log.debug("warm-up failed", exc_info=True)
        llm.reset()
        llm._ctx.kv_cache_clear()

    def _cache_identity(self, kwargs: dict[str, Any]) -> str:
        template = self.template or (self.builtin.template if self.builtin else None)
        settings = f"fa={kwargs['flash_attn']} lora={self.config.lora_path}:{self.config.lora_scale} ngl={kwargs['n_gpu_layers']}"
        return cache_identity(self.config.model_path, self.llm.n_ctx(), template, settings)

    def speculative_fits(self, params: SamplingParams) -> bool:
        """Prompt-lookup decoding is exact for greedy requests. Off unless LoadConfig.extra["speculative"]
        is True: on the 2-core test machine it lost (0.31× on rewriting, bench/bench_speculative.py) —
        verifying ten guesses costs nearly ten decodes when the CPU, not memory, is the limit."""
        if not self.config.extra.get("speculative", False) or self.config.embedding:
            return False
        plain = not (params.presence_penalty or params.frequency_penalty or params.logit_bias)
        return (
            params.temperature <= 0
            and params.repeat_penalty == 1.0
            and plain
            and params.logprobs is None
            and not params.grammar
        )

    def install_cancel(self, flag: Any) -> None:
        """Let llama.cpp itself stop a running decode (a long prompt) when the cancel flag is raised."""
        if self.config.extra.get("abort_callback", True):  # False only to measure the difference
            self._abort_callback = flag.install_abort_callback(self._llama_cpp, self.llm._ctx.ctx)

    # ---- prompts -------------------------------------------------------------------------------
    def _render(self, messages: Sequence[dict[str, str]]) -> str:
        if self.template:
            try:
                return render_chat(
                    messages, template=self.template, bos_token=self.bos_text, eos_token=self.eos_text
                )
            except TemplateBudgetError as error:
                # A template over its time/size budget (issue 20): the family's built-in format from now
                # on, and the next answer says so once.
                log.warning("chat template over budget, using a built-in format: %s", error.problem)
                self.builtin, self.template = guess_format(self.architecture, self.template), None
                self.template_note = (
                    f"{error.problem} The built-in {self.builtin.name} chat format was used instead."
                )
        assert self.builtin is not None
        return render_chat(
            messages, template=self.builtin.template, bos_token=self.bos_text, eos_token=self.eos_text
        )

    def render(self, messages: Sequence[dict[str, str]]) -> str:
        return "".join(text for text, _ in self.render_segments(messages))

    def render_segments(self, messages: Sequence[dict[str, str]]) -> list[tuple[str, bool]]:
        """The prompt as (text, is_template) pieces: the messages' contents are never template text,
        so a user typing ``<|im_end|>`` or ``</s>`` cannot close a turn or end the answer."""
        return template_segments(self._render, messages)

    def encode_prompt(self, segments: Sequence[tuple[str, bool]]) -> list[int]:
        # A template that writes the BOS text itself must not get a second BOS from the tokenizer.
        segments = list(segments)
        if self.bos_text and segments and segments[0][1] and segments[0][0].startswith(self.bos_text):
            segments[0] = (segments[0][0][len(self.bos_text) :], True)
            return self.tokenizer.encode_segments(segments, add_bos=True)
        return self.tokenizer.encode_segments(segments, add_bos=self.add_bos)

    def fit_messages(self, messages: list[dict[str, str]], reserve: int) -> tuple[list[int], int]:
        """Prompt tokens for the newest turns that fit ``n_ctx - reserve``; the system prompt stays."""
        n_ctx = self.info.n_ctx
        dropped = 0
        kept = list(messages)
        while True:
            tokens = self.encode_prompt(self.render_segments(kept))
            if len(tokens) + reserve <= n_ctx:
                return tokens, dropped
            start = 1 if kept and kept[0].get("role") == "system" else 0
            if len(kept) - start <= 1:
                if len(tokens) < n_ctx:
                    return tokens, dropped  # the last message alone: answer with what room is left
                raise ConfigError(
                    f"The message is too long for the context window ({len(tokens)} tokens, the model "
                    f"was loaded with {n_ctx}).",
                    "Shorten the message or the system prompt, or load the model with a larger context.",
                )
            # Drop the oldest turn: a user message and the assistant reply that followed it.
            del kept[start]
            if len(kept) > start + 1 and kept[start].get("role") == "assistant":
                del kept[start]
            dropped += 1

    # ---- generation ----------------------------------------------------------------------------
    def generate(
        self,
        tokens: list[int],
        params: SamplingParams,
        send: Any,
        cancel: Any,
        abort: Any,
        stop: Sequence[str],
        dropped: int = 0,
        started: float | None = None,
    ) -> None:
        started = time.perf_counter() if started is None else started
        n_ctx = self.info.n_ctx
        if len(tokens) >= n_ctx:
            raise ConfigError(
                f"The prompt is {len(tokens)} tokens, the context window is {n_ctx}.",
                "Shorten the prompt or load the model with a larger context.",
            )
        budget = min(params.max_tokens, n_ctx - len(tokens))
        notes: list[str] = []
        if getattr(self, "template_note", None):
            notes.append(self.template_note)
            self.template_note = None
        if dropped:
            notes.append(
                f"{dropped} oldest turn(s) were left out to fit the context window of {n_ctx} tokens."
            )
        if params.seed is not None:
            # Reusing the cached prefix changes the numerics slightly; a seeded request must be
            # reproducible, so it evaluates its whole prompt afresh.
            self.llm.reset()
        seed = params.seed if params.seed is not None else random.randrange(2**31 - 1)
        self.llm.set_seed(seed)
        tokens_iter = self._decoded_tokens(tokens, params, seed)  # the grammar is checked here, first
        if self.governor is not None:
            self.governor.look()  # before the prompt: reading it is where most of the work is
        cached = extras.cached_prefix(self.llm, tokens)  # api: usage.prompt_tokens_details.cached_tokens
        interval = STREAM_INTERVAL
        if debug.enabled():  # a test hook: every token its own event (models.debug)
            interval = float(self.config.extra.get("stream_interval", STREAM_INTERVAL))  # type: ignore[arg-type]
        answer = AnswerStream(send, stop, self.newline_marker, interval)
        piece, is_eog = self.tokenizer.piece, self._llama_cpp.llama_vocab_is_eog
        vocab = self.vocab
        first_at: float | None = None
        count = 0
        reason = "length"
        while True:
            if cancel.is_set():  # also before the prompt: a request stopped at once never reads it
                reason = "cancelled"
                break
            try:
                token = next(tokens_iter)
            except StopIteration:
                break
            except RuntimeError:
                # llama_decode returns 2 when the abort callback stopped it (Stop during the prompt);
                # llama.cpp has already removed the unfinished batch from the KV cache.
                if not cancel.is_set():
                    raise
                reason = "cancelled"
                break
            if abort.is_set():
                os.abort()  # test-only: a real crash inside the engine process
            if first_at is None:
                first_at = time.perf_counter()
            if is_eog(vocab, token):
                reason = "stop"
                break
            count += 1
            if self.governor is not None and count % TOKENS_PER_LOOK == 0:
                self.governor.look()
            logprobs = None
            if params.logprobs is not None:  # api
                logprobs = extras.token_logprobs(self.llm, token, params.logprobs)
            answer.feed(token, piece(token), logprobs)
            if answer.stopped:
                reason = "stop"
                break
            if count >= budget:
                if budget < params.max_tokens:
                    notes.append(f"The context window ({n_ctx} tokens) is full.")
                break
        tokens_iter.close()
        text = answer.finish()
        ended = time.perf_counter()
        first_at = first_at or ended
        decode_seconds = ended - first_at
        send(
            Finished(
                reason=reason,
                text=text,
                prompt_tokens=len(tokens),
                completion_tokens=count,
                tokens_per_second=(count - 1) / decode_seconds if count > 1 and decode_seconds > 0 else 0.0,
                time_to_first_token=first_at - started,
                seconds=ended - started,
                dropped_turns=dropped,
                notes=tuple(notes),
                cached_tokens=cached,
            )
        )

    def _decoded_tokens(self, tokens: list[int], params: SamplingParams, seed: int) -> Any:
        """The answer's tokens, one at a time, from the fastest decoder that is exact for ``params``:
        prompt-lookup speculation (greedy, opt-in), the engine's own loop, or llama-cpp-python's
        generate for what only it does (grammars, logit_bias, logprobs)."""
        if self.speculative_fits(params):
            # Greedy: prompt-lookup guesses verified in one batch; the same tokens, fewer decodes.
            return speculative_greedy(self.llm, tokens)
        if decode_loop.fits(params) and self.config.extra.get("own_loop", True):
            # llama_decode and llama.cpp's sampler chain, nothing else per token (models/decode_loop.py).
            return decode_loop.sampled_tokens(self.llm, tokens, params, seed)
        grammar = None
        if params.grammar:
            from llama_cpp import LlamaGrammar

            extras.check_grammar(
                self.vocab, params.grammar
            )  # api: a grammar llama.cpp refuses would segfault
            try:
                grammar = LlamaGrammar.from_string(params.grammar, verbose=False)
            except Exception as error:  # the grammar parser reports problems as ValueError/RuntimeError
                raise ConfigError(
                    f"The output grammar is invalid: {error}", "Check the JSON schema or GBNF text."
                ) from None
        return self.llm.generate(
            tokens,
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=params.min_p,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
            presence_penalty=params.presence_penalty,  # api: OpenAI's penalties and logit_bias
            frequency_penalty=params.frequency_penalty,
            logits_processor=extras.logits_processors(params.logit_bias),
            grammar=grammar,
        )

    def chat(
        self,
        messages: list[dict[str, str]],
        params: SamplingParams,
        send: Any,
        cancel: Any,
        abort: Any,
        conversation: str | None = None,
    ) -> None:
        started = time.perf_counter()
        reserve = min(params.max_tokens, self.info.n_ctx // 2)
        tokens, dropped = self.fit_messages(messages, reserve)
        self.kv.prepare(conversation, tokens)
        stop = tuple(params.stop) + (self.builtin.stop if self.builtin else ())
        self.generate(tokens, params, send, cancel, abort, stop, dropped, started)

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not self.config.embedding:
            raise ConfigError("This engine was not loaded for embeddings.", "Load it with embedding=True.")
        # api: llama-cpp-python cuts an input longer than its batch silently; refuse it instead.
        limit = int(self.llm.n_batch)
        for index, text in enumerate(texts):
            count = len(self.llm.tokenize(text.encode("utf-8")))
            if count > limit:
                raise ContextLengthError(
                    f"Input {index} is {count} tokens; this embedding model takes at most {limit}.",
                    "Split the text into smaller pieces.",
                )
        if self.governor is not None:
            self.governor.look()
        # One text per decode: llama-cpp-python packs texts into one batch, where every token attends
        # over the whole batch (masked, but computed); alone, a 170-token chunk embeds ~15 % faster.
        vectors = [self.llm.embed([text], normalize=True)[0] for text in texts]
        return [list(map(float, v)) for v in vectors]


def _kv_folder(config: LoadConfig) -> Path | None:
    """Where conversation states are saved (LoadConfig.extra["kv_cache_dir"]; "" turns saving off)."""
    folder = config.extra.get("kv_cache_dir")
    if folder == "":
        return None
    if folder:
        return Path(str(folder))
    from .paths import data_dir

    return data_dir() / "cache" / "kv"


def _pooling_type(model_path: str) -> int:
    """The model's own pooling if it declares one (embedding models), else mean pooling."""
    import llama_cpp

    from .gguf_info import read_metadata_value

    architecture = read_metadata_value(model_path, "general.architecture")
    declared = read_metadata_value(model_path, f"{architecture}.pooling_type") if architecture else None
    if isinstance(declared, int) and declared > 0:
        return declared
    return int(llama_cpp.LLAMA_POOLING_TYPE_MEAN)


def _error_payload(error: BaseException) -> tuple[str, str, str]:
    return error_payload(error, "EngineError", "This is a bug in Tomoshibi or llama.cpp; please report it.")


def worker_main(
    conn: Any, cancel: Any, abort: Any, config: LoadConfig, log_level: int = logging.WARNING
) -> None:
    """Entry point of the engine process."""
    # Ctrl-C in a terminal reaches the whole process group: the parent decides what it means
    # (stop the answer), so the engine must not die of it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .lifeline import die_with_parent

    die_with_parent()  # never outlive the app or `serve`, whatever signal ends them (issue 20)
    if not debug.enabled():
        # When llama.cpp aborts on a damaged file, ggml attaches gdb and prints its backtrace into the
        # user's terminal; the user gets our EngineCrashed message instead (developers: TOMOSHIBI_DEBUG=1).
        os.environ.setdefault("GGML_NO_BACKTRACE", "1")
    logging.basicConfig(
        level=log_level, stream=sys.stderr, format="engine %(levelname)s %(name)s: %(message)s"
    )
    # How llama.cpp's threads wait for each other (OpenMP builds): read when llama.cpp loads, below.
    wait = config.extra.get("thread_wait")
    if wait in ("active", "passive"):
        os.environ["OMP_WAIT_POLICY"] = str(wait).upper()
    elif wait == "short":  # spin briefly (~10 µs), then sleep: libgomp's default spins ~100× longer
        os.environ["GOMP_SPINCOUNT"] = "10000"
    from .child_process import capture_llama_log

    capture_llama_log()  # llama.cpp's warnings go to the debug log, not the user's terminal
    try:
        from .engine import preflight_in_engine  # the GPU memory check, here where llama.cpp may load

        runtime = Runtime(preflight_in_engine(config))
    except BaseException as error:  # report every load failure, then exit quietly
        conn.send(("load_error", *_error_payload(error)))
        conn.close()
        return
    runtime.install_cancel(cancel)
    conn.send(("ready", runtime.info))
    send = conn.send
    while True:
        # Idle time (no request waiting) is when conversation states are copied and written to disk.
        if runtime.kv.idle_work and not conn.poll(0.05):
            runtime.kv.idle()
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            break
        op, args = request[0], request[1:]
        try:
            if op == "close":
                runtime.kv.save_current()
                break
            if op == "abort":
                if debug.enabled():  # a test hook, behind the one debug switch
                    os.abort()
            elif op == "chat":
                runtime.chat(args[0], args[1], send, cancel, abort, args[2] if len(args) > 2 else None)
            elif op == "generate":
                prompt, params = args
                tokens = (
                    list(prompt)
                    if isinstance(prompt, list)
                    else runtime.tokenizer.encode(prompt, add_bos=runtime.add_bos)
                )
                extras.check_token_ids(tokens, runtime.info.n_vocab)  # api: a bad id aborts llama_decode
                runtime.kv.prepare(None, tokens)
                runtime.generate(tokens, params, send, cancel, abort, tuple(params.stop))
            elif op == "tokenize":
                send(("ok", runtime.tokenizer.encode(args[0], add_bos=args[1] and runtime.add_bos)))
            elif op == "detokenize":
                send(("ok", runtime.tokenizer.decode(list(args[0]))))
            elif op == "count":
                send(("ok", len(runtime.encode_prompt(runtime.render_segments(args[0])))))
            elif op == "prompt":
                send(("ok", runtime.encode_prompt(runtime.render_segments(args[0]))))
            elif op == "render":
                send(("ok", runtime.render(args[0])))
            elif op == "embed":
                send(("ok", runtime.embed(args[0])))
            else:
                send(("error", "EngineError", f"Unknown engine request '{op}'.", ""))
        except (ChatTemplateError, ConfigError, EngineError) as error:
            kind, problem, fix = _error_payload(error)
            message = problem if not fix else f"{problem}\n→ {fix}"
            send(ErrorEvent(message, kind) if op in ("chat", "generate") else ("error", kind, problem, fix))
        except Exception as error:
            kind, problem, fix = _error_payload(error)
            log.exception("engine request %s failed", op)
            send(
                ErrorEvent(f"{problem}\n→ {fix}", kind)
                if op in ("chat", "generate")
                else ("error", kind, problem, fix)
            )
    conn.close()
