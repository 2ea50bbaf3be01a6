"""Side-by-side evaluation of models and quantizations on a prompt set (no Qt).

``run_evaluation`` asks every model the same prompts (greedy, fixed seed), measures speed, memory and
optionally perplexity, and stores the run; ``report.write_report`` turns a run into one HTML file.
"""

from .checks import Check, CheckResult, run_check
from .prompts import PromptItem, PromptSet, default_prompt_set_path, load_prompt_set

__all__ = [
    "Check",
    "CheckResult",
    "PromptItem",
    "PromptSet",
    "default_prompt_set_path",
    "load_prompt_set",
    "run_check",
]
