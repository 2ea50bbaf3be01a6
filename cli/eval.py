"""``tomoshibi eval``: run a prompt set on several models and write a side-by-side HTML report."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("eval", help="compare models or quantizations on a prompt set (HTML report)")
    parser.add_argument("--models", nargs="+", metavar="GGUF", help="model files to compare")
    parser.add_argument(
        "--prompts", help="prompt set, JSON Lines (default: the built-in Japanese + English set)"
    )
    parser.add_argument("--preset", help="prompt preset to use by name (system prompt, variables, JSON mode)")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="preset variable")
    parser.add_argument("--perplexity", metavar="FILE.txt", help="also measure perplexity on this text file")
    parser.add_argument("--out", metavar="DIR", help="folder (or .html file) for the report")
    parser.add_argument("--max-tokens", type=int, default=256, help="per answer (default 256)")
    parser.add_argument("--ctx", type=int, default=2048, help="context size (default 2048)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--sample", action="store_true", help="use the preset's temperature instead of greedy"
    )
    parser.add_argument(
        "--history", action="store_true", help="list stored runs; flags models whose file changed"
    )
    parser.add_argument(
        "--compare", nargs=2, type=int, metavar=("RUN1", "RUN2"), help="compare two stored runs"
    )
    parser.add_argument(
        "--report", type=int, metavar="RUN", help="write the HTML report of a stored run again"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from models.errors import ConfigError
    from models.evaluation.compare import compare_text, history_text
    from models.evaluation.report import write_report
    from models.evaluation.store import EvalStore

    with EvalStore() as store:
        if args.history:
            print(history_text(store))
            return 0
        if args.compare:
            print(compare_text(store.load_run(args.compare[0]), store.load_run(args.compare[1])))
            return 0
        if args.report is not None:
            stored = store.load_run(args.report)
            path = write_report(stored, args.out, store.model_changes(args.report))
            store.set_report_path(args.report, path)
            print(path)
            return 0
        if not args.models:
            raise ConfigError(
                "Nothing to evaluate.", "Give model files: tomoshibi eval --models A.gguf B.gguf"
            )

        from models.evaluation import load_prompt_set
        from models.evaluation.runner import run_evaluation
        from models.presets import resolve_preset

        variables = {}
        for item in args.var:
            name, sep, value = item.partition("=")
            if not sep:
                raise ConfigError(f"'{item}' is not NAME=VALUE.", "Write variables as --var recipient=田中様")
            variables[name.strip()] = value
        preset = resolve_preset(args.preset) if args.preset else None
        text = None
        if args.perplexity:
            try:
                text = Path(args.perplexity).read_text(encoding="utf-8")
            except OSError as error:
                raise ConfigError(
                    f"Cannot read {args.perplexity}: {error.strerror}.", "Check the path."
                ) from None

        def progress(what: str, fraction: float) -> None:
            print(f"\r[{fraction:4.0%}] {what[:70]:70}", end="", file=sys.stderr, flush=True)

        result = run_evaluation(
            args.models,
            load_prompt_set(args.prompts),
            preset=preset,
            variables=variables,
            perplexity_text=text,
            perplexity_file=args.perplexity,
            max_tokens=args.max_tokens,
            n_ctx=args.ctx,
            seed=args.seed,
            greedy=not args.sample,
            threads=args.threads,
            store=store,
            progress=progress,
        )
        print(file=sys.stderr)
        assert result.id is not None
        changes = store.model_changes(result.id)
        path = write_report(result, args.out, changes)
        store.set_report_path(result.id, path)
        for m in result.models:
            passed, total = m.checks_passed
            status = f"  ERROR: {m.error.splitlines()[0]}" if m.error else ""
            ppl = f", perplexity {m.perplexity:.2f}" if m.perplexity is not None else ""
            print(
                f"{m.name}: {m.tokens_per_second:.1f} tok/s, first token {m.time_to_first_token * 1000:.0f} ms, "
                f"checks {passed}/{total}{ppl}{status}"
            )
        for change in changes:
            print(
                f"! {change.path} changed since run {change.old_run} (sha256 {change.old_sha256[:12]} → "
                f"{change.new_sha256[:12]})"
            )
        print(f"run {result.id}; report: {path}")
    return 0
