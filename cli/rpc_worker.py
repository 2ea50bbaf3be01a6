"""``tomoshibi rpc-worker``: lend this computer's CPU or GPU to a Tomoshibi on another computer.

It is llama.cpp's own RPC server (ggml_backend_rpc_start_server from the same llama.cpp build the app
uses); the other computer lists this one under Settings › Other computers, or ``--rpc host:port``.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

NO_AUTH_FLAG = "--i-understand-no-auth"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "rpc-worker",
        help="lend this computer's CPU/GPU to Tomoshibi on another computer (llama.cpp RPC)",
        description="Serve this computer's CPU or GPU through llama.cpp's RPC backend, so that another "
        "computer can place part of a model here (--rpc host:port there). llama.cpp's RPC has no "
        "authentication and no encryption: it listens on 127.0.0.1 unless told otherwise.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=50052, help="port (default 50052)")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: physical cores)")
    parser.add_argument("--mem", type=float, default=None, metavar="GB",
                        help="offer at most this much memory (GB); default: what is free")  # fmt: skip
    parser.add_argument(NO_AUTH_FLAG, dest="no_auth_ok", action="store_true",
                        help="listen on a non-loopback address although anyone who can reach it can use it")  # fmt: skip
    parser.set_defaults(func=run)


def tunnel_advice(port: int) -> str:
    return (
        "llama.cpp's RPC has no authentication and no encryption: anyone who can reach this port can use "
        "this computer's CPU/GPU and read or change what it computes.\n"
        "Safer: keep the worker on 127.0.0.1 and tunnel over SSH. On the computer running the app:\n"
        f"    ssh -N -L {port}:127.0.0.1:{port} USER@THIS-COMPUTER\n"
        f"then use --rpc 127.0.0.1:{port} there (or add 127.0.0.1:{port} under Settings › Other computers)."
    )


def check_bind(host: str, port: int, no_auth_ok: bool) -> None:
    """Refuse a non-loopback address unless the user said they understand (ConfigError)."""
    from models.errors import ConfigError
    from models.rpc import is_loopback

    if is_loopback(host):
        return
    if not no_auth_ok:
        raise ConfigError(
            f"Refusing to listen on {host}: {tunnel_advice(port)}",
            f"Use the SSH tunnel above, or add {NO_AUTH_FLAG} on a network you trust completely.",
        )
    print(
        f"WARNING: listening on {host}:{port} with no authentication.\n{tunnel_advice(port)}\n",
        file=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    from models.errors import ConfigError
    from models.rpc import describe_devices, rpc_library_path, serve
    from models.units import format_bytes

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port} is not a port.", "Use a number from 1 to 65535, e.g. 50052.")
    if args.threads is not None and args.threads < 1:
        raise ConfigError("--threads must be at least 1.", "Leave it out to use every physical core.")
    if args.mem is not None and args.mem <= 0:
        raise ConfigError("--mem must be a positive number of GB.", "Leave it out to offer what is free.")
    check_bind(args.host, args.port, args.no_auth_ok)
    if rpc_library_path() is None:
        raise ConfigError(
            "This llama.cpp build has no RPC backend.",
            'Reinstall with scripts/tomoshibi.sh (it builds llama.cpp with CMAKE_ARGS="-DGGML_RPC=on").',
        )
    from models.backends import physical_cores

    threads = args.threads or max(1, physical_cores())
    mem = int(args.mem * 1e9) if args.mem is not None else None
    for name, description, free, total in describe_devices():
        offered = min(free, mem) if mem else free
        print(
            f"Offering {name} ({description}): {format_bytes(offered)} of {format_bytes(total)}",
            file=sys.stderr,
        )
    print(
        f"Tomoshibi rpc-worker on {args.host}:{args.port} ({threads} threads). Ctrl-C stops it.",
        file=sys.stderr,
    )
    failure: list[BaseException] = []

    def target() -> None:
        try:
            serve(args.host, args.port, threads, mem)
        except BaseException as error:  # reported by the main thread
            failure.append(error)

    # The server blocks inside C forever; a thread keeps Ctrl-C working in the main thread.
    thread = threading.Thread(target=target, name="rpc-server", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        sys.stderr.flush()
        os._exit(0)  # the C server thread cannot be joined
    if failure:
        raise failure[0]
    return 1
