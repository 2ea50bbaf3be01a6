"""Entry point of ``tomoshibi``.

Sub-commands are discovered: every module in this package that defines ``register(subparsers)`` adds
its own (``chat.py`` adds ``chat``, ``convert.py`` adds ``convert`` ...). Modules import their heavy
dependencies inside the command function, so ``tomoshibi --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from models import __version__
from models.errors import TomoshibiError

_NOT_COMMANDS = {"main", "common"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tomoshibi",
        description="Tomoshibi (灯): an offline assistant on llama.cpp. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"Tomoshibi {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details (llama.cpp too)")
    parser.add_argument("--self-test", action="store_true", help="check the installation and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import cli

    for module_info in sorted(pkgutil.iter_modules(cli.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_") or module_info.name in _NOT_COMMANDS:
            continue
        module = importlib.import_module(f"cli.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        # The common case, opening the app: skip importing every sub-command to start faster.
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        from desktop.app import run_app

        return run_app([sys.argv[0]])
    parser = build_parser()
    args = parser.parse_args(args_list)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.self_test:
            from cli.selftest import run_self_test

            return run_self_test()
        if args.command is None:
            from desktop.app import run_app

            return run_app([sys.argv[0]])
        from models.stale_files import remove_stale_temporaries

        remove_stale_temporaries()  # what a killed conversion or save left behind (issue 20)
        return int(args.func(args) or 0)
    except TomoshibiError as error:
        print(f"tomoshibi: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `tomoshibi ... | head` closed the pipe: not an error worth a traceback.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
