"""What an evaluation run produced: per turn, per model, per run. Plain dataclasses (stored by store.py)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import CheckResult


@dataclass(frozen=True)
class TurnResult:
    prompt_id: str
    turn: int  # 1-based
    question: str
    answer: str
    finish_reason: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_per_second: float = 0.0
    time_to_first_token: float = 0.0
    seconds: float = 0.0
    checks: tuple[CheckResult, ...] = ()
    error: str = ""


@dataclass
class ModelResult:
    path: str
    sha256: str
    size_bytes: int
    label: str = ""  # what the report calls it: file name, with the quantization
    quant: str = ""  # file type from the GGUF header (F16, Q8_0, Q4_K_M ...)
    architecture: str = ""
    load_seconds: float = 0.0
    peak_rss: int = 0  # bytes, the engine process's VmHWM
    perplexity: float | None = None
    perplexity_tokens: int = 0
    error: str = ""
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.path).name

    def _answered(self) -> list[TurnResult]:
        return [t for t in self.turns if not t.error]

    @property
    def tokens_per_second(self) -> float:
        """Median decode speed over the answers (0 when nothing was generated)."""
        speeds = [t.tokens_per_second for t in self._answered() if t.completion_tokens > 1]
        return statistics.median(speeds) if speeds else 0.0

    @property
    def time_to_first_token(self) -> float:
        times = [t.time_to_first_token for t in self._answered() if t.completion_tokens > 0]
        return statistics.median(times) if times else 0.0

    @property
    def mean_answer_chars(self) -> float:
        answers = self._answered()
        return statistics.fmean(len(t.answer) for t in answers) if answers else 0.0

    @property
    def mean_answer_tokens(self) -> float:
        answers = self._answered()
        return statistics.fmean(t.completion_tokens for t in answers) if answers else 0.0

    @property
    def checks_passed(self) -> tuple[int, int]:
        results = [c for t in self.turns for c in t.checks]
        return sum(c.passed for c in results), len(results)

    def turn(self, prompt_id: str, turn: int) -> TurnResult | None:
        for t in self.turns:
            if t.prompt_id == prompt_id and t.turn == turn:
                return t
        return None


@dataclass
class EvalRun:
    created: float
    tomoshibi_version: str
    prompt_set: str
    prompt_set_sha256: str
    prompts: list[dict[str, Any]]  # id, turns, lang: enough to lay out the report without the file
    preset_name: str | None = None
    preset_version: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    perplexity_file: str | None = None
    models: list[ModelResult] = field(default_factory=list)
    id: int | None = None
    report_path: str | None = None
