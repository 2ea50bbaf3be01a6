"""Chat-template render time against the render budget (issue 20). Run by hand:

    .venv/bin/python bench/bench_templates.py [--runs 50]

Every built-in format and the bundled model's own template, rendering a short chat (4 messages) and
a long one (40 turns, ~100 KB: a documents turn); median and max of ``--runs`` renders each, after
one warm-up (which compiles). The budget is models.template_budget.DEFAULT_SECONDS.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from models.bundled import bundled_model_path
    from models.chat_templates import FORMATS, render_chat
    from models.gguf_info import read_metadata_value
    from models.template_budget import DEFAULT_SECONDS

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    short = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "こんにちは"},
        {"role": "assistant", "content": "はい、何でしょう。"},
        {"role": "user", "content": "Tell me about lamps."},
    ]
    long = short[:1] + [
        {"role": "user" if i % 2 == 0 else "assistant", "content": "資料の一節です。" * 300}
        for i in range(40)
    ]
    templates = {f"built-in {name}": f.template for name, f in FORMATS.items()}
    bundled = bundled_model_path()
    templates[f"bundled {bundled.name}"] = read_metadata_value(bundled, "tokenizer.chat_template")
    print(
        f"budget: {DEFAULT_SECONDS:g} s per render (and 8x the conversation's size, at least 4 MB, of output)"
    )
    for label, template in templates.items():
        for chat_name, chat in (("short", short), ("long", long)):
            render_chat(chat, template=template)  # compile once
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                render_chat(chat, template=template)
                times.append(time.perf_counter() - started)
            print(
                f"{label:<45} {chat_name:<5} median {statistics.median(times) * 1000:7.2f} ms, "
                f"max {max(times) * 1000:7.2f} ms ({max(times) / DEFAULT_SECONDS:.2%} of the budget)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
