"""Ask every model the same prompts, one model at a time, and measure what a user would notice.

Greedy decoding with a fixed seed by default, so that two runs on the same file give the same answers
and a difference between two files is the files' doing. Each model runs in its own engine process:
its peak memory (VmHWM) is that process's alone. A model that fails to load is recorded with the
reason and the run goes on with the next one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path

from ..errors import Cancelled, ConfigError, ModelFileError, TomoshibiError
from ..events import EngineCrashed, ErrorEvent, Finished, LoadConfig, SamplingParams
from ..presets import Preset
from .checks import run_check
from .prompts import PromptSet
from .results import EvalRun, ModelResult, TurnResult
from .store import EvalStore

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]  # (what is happening, fraction done 0..1)


def eval_params(preset: Preset | None, *, max_tokens: int, seed: int, greedy: bool = True) -> SamplingParams:
    """The preset's sampling (or the defaults) made reproducible: fixed seed, greedy unless told."""
    base = preset.sampling() if preset is not None else SamplingParams()
    params = replace(base, seed=seed, max_tokens=max_tokens)
    return replace(params, temperature=0.0) if greedy else params


def run_evaluation(
    models: Sequence[str | Path],
    prompt_set: PromptSet,
    *,
    preset: Preset | None = None,
    variables: dict[str, str] | None = None,
    perplexity_text: str | None = None,
    perplexity_file: str | None = None,
    max_tokens: int = 256,
    n_ctx: int = 2048,
    seed: int = 0,
    greedy: bool = True,
    threads: int | None = None,
    store: EvalStore | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> EvalRun:
    """Run ``prompt_set`` on each model and store the run (in ``store``, default the user's)."""
    from .. import __version__

    paths = [Path(m) for m in models]
    if not paths:
        raise ConfigError(
            "No models to evaluate.", "Give one or more GGUF files: tomoshibi eval --models A.gguf B.gguf"
        )
    for path in paths:
        if not path.is_file():
            raise ModelFileError(f"The model file {path} does not exist.", "Check the path.")
    params = eval_params(preset, max_tokens=max_tokens, seed=seed, greedy=greedy)
    own_store = store is None
    db = store or EvalStore()
    try:
        run = EvalRun(
            created=time.time(),
            tomoshibi_version=__version__,
            prompt_set=prompt_set.name,
            prompt_set_sha256=prompt_set.sha256,
            prompts=[{"id": p.id, "turns": list(p.turns), "lang": p.lang} for p in prompt_set.items],
            preset_name=preset.name if preset else None,
            preset_version=preset.version if preset else None,
            params={
                **{k: v for k, v in asdict(params).items() if k != "grammar"},
                "json_mode": bool(params.grammar),
                "n_ctx": n_ctx,
            },
            perplexity_file=perplexity_file,
        )
        steps = len(paths) * (sum(len(p.turns) for p in prompt_set.items) + (1 if perplexity_text else 0) + 1)
        done = 0

        def step(what: str) -> None:
            nonlocal done
            if cancel is not None and cancel.is_set():
                raise Cancelled("The evaluation")
            if progress is not None:
                progress(what, done / steps)
            done += 1

        for path in paths:
            step(f"{path.name}: hashing and loading")
            model = _model_result(db, path)
            run.models.append(model)
            if model.error:  # not a loadable GGUF: recorded with the reason, the run goes on
                continue
            try:
                _ask_all(model, path, prompt_set, preset, variables, params, n_ctx, threads, step)
            except Cancelled:
                raise
            except TomoshibiError as error:
                model.error = str(error)
                log.warning("evaluation of %s failed: %s", path, error)
                if not model.turns:
                    continue  # it never loaded: perplexity would fail the same way
            if perplexity_text:
                step(f"{path.name}: perplexity")
                _perplexity(model, path, perplexity_text, min(n_ctx, 512))
        if progress is not None:
            progress("done", 1.0)
        db.save_run(run)
        return run
    finally:
        if own_store:
            db.close()


def _model_result(db: EvalStore, path: Path) -> ModelResult:
    from ..gguf_info import inspect_gguf

    result = ModelResult(path=str(path.resolve()), sha256=db.sha256(path), size_bytes=path.stat().st_size)
    try:
        info = inspect_gguf(path)
    except TomoshibiError as error:
        result.error = str(error)
        return result
    quant = str(getattr(info, "file_type", "") or "")
    return replace(
        result,
        label=f"{path.name}" + (f" ({quant})" if quant and quant not in path.name else ""),
        quant=quant,
        architecture=str(getattr(info, "architecture", "") or ""),
    )


def _ask_all(
    model: ModelResult,
    path: Path,
    prompt_set: PromptSet,
    preset: Preset | None,
    variables: dict[str, str] | None,
    params: SamplingParams,
    n_ctx: int,
    threads: int | None,
    step: Callable[[str], None],
) -> None:
    from ..benchmark import peak_rss
    from ..engine import Engine

    engine = Engine.start(
        LoadConfig(model_path=str(path), n_ctx=n_ctx, n_threads=threads, seed=params.seed or 0)
    )
    try:
        model.load_seconds = engine.info.load_seconds
        for item in prompt_set.items:
            history: list[dict[str, str]] = []
            for number, question in enumerate(item.turns, 1):
                step(f"{path.name}: {item.id} turn {number}")
                if preset is not None:
                    messages = preset.messages(question, variables, history)
                else:
                    messages = [*history, {"role": "user", "content": question}]
                result = _ask(engine, messages, params, item.id, number, question)
                checks = tuple(run_check(c, result.answer) for c in item.checks if c.turn == number)
                model.turns.append(replace(result, checks=checks))
                history += [
                    {"role": "user", "content": question},
                    {"role": "assistant", "content": result.answer},
                ]
                if not engine.alive:
                    raise TomoshibiError(
                        f"The engine stopped during {item.id}.", "See the answers recorded so far."
                    )
        model.peak_rss = peak_rss(engine.pid)
    finally:
        engine.close()


def _ask(
    engine: object,
    messages: list[dict[str, str]],
    params: SamplingParams,
    prompt_id: str,
    turn: int,
    question: str,
) -> TurnResult:
    for event in engine.chat(messages, params):  # type: ignore[attr-defined]
        if isinstance(event, Finished):
            return TurnResult(
                prompt_id,
                turn,
                question,
                event.text.strip(),
                event.reason,
                event.prompt_tokens,
                event.completion_tokens,
                event.tokens_per_second,
                event.time_to_first_token,
                event.seconds,
            )
        if isinstance(event, ErrorEvent):
            return TurnResult(prompt_id, turn, question, "", "error", error=event.message)
        if isinstance(event, EngineCrashed):
            return TurnResult(prompt_id, turn, question, event.partial_text, "crashed", error=event.message)
    return TurnResult(prompt_id, turn, question, "", "error", error="the engine ended without an answer")


def _perplexity(model: ModelResult, path: Path, text: str, n_ctx: int) -> None:
    # models.perplexity: the same computation the converters' validation reports, in a child process.
    from ..perplexity import file_perplexity

    try:
        model.perplexity, model.perplexity_tokens, _ = file_perplexity(path, text, n_ctx)
    except Cancelled:
        raise
    except TomoshibiError as error:
        model.error = model.error or str(error)
