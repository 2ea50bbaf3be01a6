"""Prompt-lookup speculative decoding: decode tokens/s with and without it, same greedy output.

    .venv/bin/python bench/bench_speculative.py [--runs 5] [--threads 2]

Two workloads with the bundled model: rewrite/extraction (the answer quotes the prompt) and free chat.
The two engines (speculation on / off) answer the same requests interleaved; medians of tokens/s over
the whole answer, and whether the answers were identical. Target: ≥ 1.5× on rewrite/extraction.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.bundled import bundled_model_path  # noqa: E402
from models.engine import Engine  # noqa: E402
from models.events import Finished, LoadConfig, SamplingParams  # noqa: E402

PARAMS = SamplingParams(temperature=0.0, max_tokens=160, repeat_penalty=1.0)
DOCUMENT = (
    "Meeting notes, 12 March. Attendees: Sato, Tanaka, Suzuki. The team agreed to move the product launch "
    "from April 3 to April 17 because the packaging supplier needs two more weeks. Tanaka will update the "
    "website and the press release by March 20. Suzuki will ask the warehouse in Osaka to hold 4,000 units. "
    "The budget stays at 12 million yen. The next meeting is on March 26 at 10:00 in room 4B."
)
CODE = (
    "def total(items):\n    result = 0\n    for item in items:\n        result += item.price * item.count\n"
    "    return result\n\n\ndef average(items):\n    if not items:\n        return 0\n"
    "    return total(items) / len(items)\n"
)
WORKLOADS = {
    "rewrite/extraction": [
        f"Rewrite these notes as a clear email to the team, keeping every date and number:\n\n{DOCUMENT}",
        f"Copy every sentence of these notes that mentions a date:\n\n{DOCUMENT}",
        f"Add a docstring to each function and return the whole code:\n\n{CODE}",
        f"Correct the spelling and repeat the text: {DOCUMENT.replace('the', 'teh')}",
    ],
    "free chat": [
        "Tell me a story about a cat who wants to become a sailor.",
        "What are three good ways to learn a new language?",
        "Describe a walk through Kyoto in autumn.",
        "Why is the sky blue? Explain to a child.",
    ],
}


def speed(engine: Engine, prompt: str) -> tuple[float, str]:
    start = time.perf_counter()
    finished = None
    for event in engine.chat([{"role": "user", "content": prompt}], PARAMS):
        if isinstance(event, Finished):
            finished = event
    assert finished is not None
    return finished.completion_tokens / (
        time.perf_counter() - start - finished.time_to_first_token
    ), finished.text


def batch_costs(threads: int | None, sizes: tuple[int, ...] = (1, 2, 4, 8, 12), rounds: int = 15) -> None:
    """What verifying guesses costs here: one decode of k tokens (logits for each) against one token.
    Even if every guess were right, k tokens per batch are at best k ÷ cost(k) times faster."""
    import llama_cpp

    from models.backends import physical_cores

    llm = llama_cpp.Llama(
        model_path=str(bundled_model_path()), n_ctx=2048, n_threads=threads or physical_cores(),
        flash_attn=True, verbose=False,
    )  # fmt: skip
    ctx = llm._ctx.ctx
    prompt = llm.tokenize(DOCUMENT.encode("utf-8"))
    ids = (llama_cpp.llama_token * len(prompt))(*prompt)
    llama_cpp.llama_decode(ctx, llama_cpp.llama_batch_get_one(ids, len(prompt)))
    n0 = len(prompt)
    batch = llama_cpp.llama_batch_init(max(sizes), 0, 1)
    memory = llama_cpp.llama_get_memory(ctx)

    def once(k: int) -> float:
        batch.n_tokens = k
        for i in range(k):
            batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = 100 + i, n0 + i, 1, 1
            batch.seq_id[i][0] = 0
        start = time.perf_counter()
        llama_cpp.llama_decode(ctx, batch)
        seconds = time.perf_counter() - start
        llama_cpp.llama_memory_seq_rm(memory, -1, n0, -1)
        return seconds

    times: dict[int, list[float]] = {k: [] for k in sizes}
    for _ in range(rounds):
        for k in sizes:
            times[k].append(once(k))
    one = statistics.median(times[1])
    print("verifying a batch of k tokens (one decode, logits for each), medians:")
    for k in sizes:
        cost = statistics.median(times[k]) / one
        print(
            f"  k={k:2}: {cost:5.2f}× one token   best case if every guess is right: {k / cost:.2f}× faster"
        )
    llama_cpp.llama_batch_free(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--prompts", type=int, default=4, help="requests per workload (a busy machine: fewer)"
    )
    parser.add_argument("--max-tokens", type=int, default=160)
    args = parser.parse_args()
    global PARAMS
    PARAMS = SamplingParams(temperature=0.0, max_tokens=args.max_tokens, repeat_penalty=1.0)
    base = dict(model_path=str(bundled_model_path()), n_ctx=2048, n_threads=args.threads)
    with (
        Engine.start(LoadConfig(**base, extra={"speculative": False})) as plain,
        Engine.start(LoadConfig(**base, extra={"speculative": True})) as fast,
    ):
        for name, prompts in WORKLOADS.items():
            ratios, on, off, same = [], [], [], True
            for _ in range(args.runs):
                # Interleaved: the same request on both engines, one after the other.
                for prompt in prompts[: args.prompts]:
                    off_tps, off_text = speed(plain, prompt)
                    on_tps, on_text = speed(fast, prompt)
                    same &= on_text == off_text
                    on.append(on_tps)
                    off.append(off_tps)
                    ratios.append(on_tps / off_tps)
            print(
                f"{name:20} tokens/s median: speculation off {statistics.median(off):7.1f}, on "
                f"{statistics.median(on):7.1f}   on ÷ off: median {statistics.median(ratios):.2f}× "
                f"(range {min(ratios):.2f}–{max(ratios):.2f})   identical answers: {same}"
            )
    batch_costs(args.threads)


if __name__ == "__main__":
    main()
