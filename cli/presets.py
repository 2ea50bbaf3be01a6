"""``tomoshibi presets``: list, show, history, diff, export and import prompt presets."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("presets", help="prompt presets: list, show, history, diff, export, import")
    parser.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "show", "history", "diff", "export", "import", "delete"],
    )
    parser.add_argument("name", nargs="?", help="preset name (import: the TOML file)")
    parser.add_argument("extra", nargs="*", help="diff: two versions; export: destination file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models import presets
    from models.errors import ConfigError

    if args.action == "list":
        for p in presets.list_presets():
            mode = " [JSON]" if p.json_mode else ""
            print(f"{p.name:28} v{p.version:<3} {p.description}{mode}")
        return 0
    if not args.name:
        raise ConfigError(f"'presets {args.action}' needs a preset name.", "Run: tomoshibi presets list")
    if args.action == "show":
        print(presets.to_toml(presets.resolve_preset(args.name)), end="")
    elif args.action == "history":
        for p in presets.history(args.name):
            print(f"v{p.version:<3} {p.updated}")
    elif args.action == "diff":
        if len(args.extra) != 2:
            raise ConfigError("diff needs two versions.", f"Run: tomoshibi presets diff {args.name} 1 2")
        print(presets.diff(args.name, int(args.extra[0]), int(args.extra[1])), end="")
    elif args.action == "export":
        dest = args.extra[0] if args.extra else f"{args.name}.toml"
        print(presets.export_preset(args.name, dest))
    elif args.action == "import":
        p = presets.import_preset(args.name)
        print(f"{p.name} v{p.version}")
    elif args.action == "delete":
        presets.delete_preset(args.name)
    return 0
