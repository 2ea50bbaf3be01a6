"""llama.cpp's RPC backend, reached through ggml's own C API in the llama.cpp build llama_cpp ships.

One model can be split across computers: each runs ``tomoshibi rpc-worker`` (``serve``: ggml's RPC
server over this machine's CPU or GPU) and the engine registers the workers as ggml devices
(``register_workers``) before llama.cpp loads the model, which then places layers on them. Nothing of
ours is on the wire: it is llama.cpp's protocol, with no authentication and no encryption.

Every RPC call in ggml aborts the process when a worker does not answer, so the parent never calls
one: it only opens plain TCP connections (``reachable``) and asks a short-lived child process for the
workers' memory (``query_workers``). The engine process, which may die, is the one that talks RPC.
"""

from __future__ import annotations

import ctypes
import ipaddress
import logging
import multiprocessing
import socket
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, EngineError

log = logging.getLogger(__name__)

DEFAULT_PORT = 50052
QUERY_TIMEOUT = 20.0  # a worker busy with another computer never answers: give up after this
_DEV_CPU, _DEV_GPU, _DEV_ACCEL = 0, 1, 2  # ggml's enum ggml_backend_dev_type
_IFACE_GET_MEMORY = 2  # index of get_memory in ggml's struct ggml_backend_device_i (see _cap_memory)


@dataclass(frozen=True)
class WorkerDevice:
    """One device a worker serves, as the engine's llama.cpp sees it."""

    endpoint: str  # "host:port"
    name: str  # ggml's device name, e.g. "RPC0"
    free: int  # bytes
    total: int


# ---- addresses ------------------------------------------------------------------------------
def parse_endpoint(text: str) -> str:
    """``host[:port]`` → ``host:port`` (port 50052 when left out); a bad address is a ConfigError."""
    raw = text.strip()
    host, sep, port_text = raw.rpartition(":")
    if not sep or "]" in port_text:  # no port given (an IPv6 address in brackets keeps its colons)
        host, port_text = raw, str(DEFAULT_PORT)
    host = host.strip("[]")
    try:
        port = int(port_text)
    except ValueError:
        port = -1
    if not host or not 0 < port < 65536 or any(c.isspace() or c in "/,@" for c in host):
        raise ConfigError(
            f"'{text}' is not the address of a computer running tomoshibi rpc-worker.",
            "Write it as host:port, for example 192.168.1.20:50052.",
        )
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def parse_endpoints(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """A comma-separated list (or a list) of workers, normalized and without duplicates."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        if item.strip():
            endpoint = parse_endpoint(item)
            if endpoint not in out:
                out.append(endpoint)
    return tuple(out)


def split_endpoint(endpoint: str) -> tuple[str, int]:
    host, _, port = endpoint.rpartition(":")
    return host.strip("[]"), int(port)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reachable(endpoint: str, timeout: float = 2.0) -> bool:
    """Whether something accepts TCP connections at ``endpoint`` (a plain connect: no RPC is spoken)."""
    host, port = split_endpoint(endpoint)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


# ---- ggml through ctypes --------------------------------------------------------------------
def _lib_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        raise EngineError(
            "llama-cpp-python is not installed.", "Run scripts/tomoshibi.sh to set up Tomoshibi."
        )
    return Path(spec.origin).parent / "lib"


def rpc_library_path() -> Path | None:
    """The RPC backend library of the installed llama.cpp build, None when it was built without it."""
    lib_dir = _lib_dir()
    for pattern in ("libggml-rpc.*", "ggml-rpc.dll"):
        for path in sorted(lib_dir.glob(pattern)):
            return path
    return None


def _ggml() -> Any:
    """libggml with the registry and device functions typed: the very copy libllama uses.

    A wheel cannot hold symbolic links, so ``libggml.so`` and ``libggml.so.0`` are two files, and
    loading the wrong one gives a second ggml with its own device registry, unseen by llama.cpp.
    libllama asks for the soname (``libggml.so.0``, ``libggml.0.dylib``), so that is the one to load.
    """
    lib_dir = _lib_dir()
    candidates = sorted(lib_dir.glob("libggml.so.*"), key=lambda p: len(p.name))[:1]
    candidates += sorted(lib_dir.glob("libggml.*.dylib"), key=lambda p: len(p.name))[:1]
    candidates += [lib_dir / n for n in ("libggml.so", "libggml.dylib", "ggml.dll", "libggml.dll")]
    for path in candidates:
        if path.exists():
            lib = ctypes.CDLL(str(path), mode=getattr(ctypes, "RTLD_GLOBAL", 0))
            break
    else:
        raise EngineError(
            f"ggml's library is missing from {lib_dir}.", "Reinstall Tomoshibi (scripts/tomoshibi.sh)."
        )
    vp, cp, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    for fn, args, res in (
        ("ggml_backend_reg_by_name", [cp], vp),
        ("ggml_backend_reg_get_proc_address", [vp, cp], vp),
        ("ggml_backend_register", [vp], None),
        ("ggml_backend_reg_dev_count", [vp], sz),
        ("ggml_backend_reg_dev_get", [vp, sz], vp),
        ("ggml_backend_dev_count", [], sz),
        ("ggml_backend_dev_get", [sz], vp),
        ("ggml_backend_dev_type", [vp], ctypes.c_int),
        ("ggml_backend_dev_name", [vp], cp),
        ("ggml_backend_dev_description", [vp], cp),
        ("ggml_backend_dev_memory", [vp, ctypes.POINTER(sz), ctypes.POINTER(sz)], None),
    ):
        getattr(lib, fn).argtypes, getattr(lib, fn).restype = args, res
    return lib


def _rpc_function(ggml: Any, name: str, prototype: Any) -> Any:
    reg = ggml.ggml_backend_reg_by_name(b"RPC")
    address = ggml.ggml_backend_reg_get_proc_address(reg, name.encode()) if reg else None
    if not address:
        raise EngineError(
            "This llama.cpp build has no RPC backend, so it cannot use other computers.",
            'Reinstall with scripts/tomoshibi.sh (it builds llama.cpp with CMAKE_ARGS="-DGGML_RPC=on").',
        )
    return prototype(address)


def _memory(ggml: Any, dev: int) -> tuple[int, int]:
    free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
    ggml.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
    return int(free.value), int(total.value)


def register_workers(endpoints: Sequence[str]) -> list[WorkerDevice]:
    """Add the workers' devices to ggml's registry, so the next model load can place layers on them.

    Only in a process that may die: ggml aborts when a worker does not answer.
    """
    ggml = _ggml()
    add_server = _rpc_function(
        ggml, "ggml_backend_rpc_add_server", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_char_p)
    )
    devices: list[WorkerDevice] = []
    for endpoint in endpoints:
        reg = add_server(endpoint.encode())
        if not reg:
            raise EngineError(
                f"The worker at {endpoint} serves no device.", "Restart tomoshibi rpc-worker there."
            )
        ggml.ggml_backend_register(reg)
        for i in range(int(ggml.ggml_backend_reg_dev_count(reg))):
            dev = ggml.ggml_backend_reg_dev_get(reg, i)
            free, total = _memory(ggml, dev)
            name = (ggml.ggml_backend_dev_name(dev) or b"RPC").decode("utf-8", "replace")
            devices.append(WorkerDevice(endpoint, name, free, total))
    return devices


def _query_child(conn: Any, endpoints: list[str]) -> None:
    try:
        conn.send(("ok", register_workers(endpoints)))
    except Exception as error:  # reported to the parent, which words it
        conn.send(("error", str(error)))
    conn.close()


def query_workers(endpoints: Sequence[str], timeout: float = QUERY_TIMEOUT) -> list[WorkerDevice]:
    """The workers' devices and free memory, asked from a child process (ggml aborts on a lost worker)."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_query_child, args=(child, list(endpoints)), name="tomoshibi-rpc-query", daemon=True
    )
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise EngineError(
                f"The worker(s) {', '.join(endpoints)} did not answer within {timeout:.0f} s.",
                "A worker serves one computer at a time: close the other app or engine using it, or restart "
                "tomoshibi rpc-worker there.",
            )
        try:
            status, payload = parent.recv()
        except (EOFError, OSError):
            raise EngineError(
                f"The worker(s) {', '.join(endpoints)} accepted the connection but did not speak llama.cpp RPC.",
                "Check that each address runs tomoshibi rpc-worker of the same Tomoshibi version.",
            ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(2)
        parent.close()
    if status != "ok":
        raise EngineError(
            f"Asking the workers for their memory failed: {payload}", "Restart tomoshibi rpc-worker."
        )
    return list(payload)


def lost_workers(endpoints: Sequence[str]) -> list[str]:
    """The workers that no longer accept connections (for naming them after a crash)."""
    return [e for e in endpoints if not reachable(e, timeout=1.0)]


# ---- the server -----------------------------------------------------------------------------
def _serving_devices(ggml: Any) -> list[int]:
    """Like llama.cpp's rpc-server: every GPU/accelerator, else the CPU."""
    devices = [ggml.ggml_backend_dev_get(i) for i in range(int(ggml.ggml_backend_dev_count()))]
    gpus = [d for d in devices if ggml.ggml_backend_dev_type(d) not in (_DEV_CPU, _DEV_ACCEL)]
    gpus = [d for d in gpus if not (ggml.ggml_backend_dev_name(d) or b"").startswith(b"RPC")]
    return gpus or [d for d in devices if ggml.ggml_backend_dev_type(d) == _DEV_CPU][:1]


_MEMORY_FN = ctypes.CFUNCTYPE(
    None, ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_size_t)
)
_NAME_FN = ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.c_void_p)
_keep_alive: list[Any] = []


def _cap_memory(ggml: Any, dev: int, cap: int) -> bool:
    """Make the device report at most ``cap`` bytes, so clients put no more than that here.

    ggml's RPC server answers memory questions with the device's own ``get_memory``, and its C API has
    no cap (the rpc-server tool's ``--mem`` was removed upstream). The device is a struct whose first
    member is its table of functions; the table's layout is checked by calling its first two entries
    (name, description) before the third (get_memory) is replaced. False when the check fails.
    """
    table = ctypes.cast(dev, ctypes.POINTER(ctypes.c_void_p))
    try:
        if _NAME_FN(table[0])(dev) != ggml.ggml_backend_dev_name(dev):
            return False
        if _NAME_FN(table[1])(dev) != ggml.ggml_backend_dev_description(dev):
            return False
    except Exception:
        return False
    original = _MEMORY_FN(table[_IFACE_GET_MEMORY])

    def capped(device: int, free: Any, total: Any) -> None:
        original(device, free, total)
        total[0] = min(int(total[0]), cap)
        free[0] = min(int(free[0]), cap)

    callback = _MEMORY_FN(capped)
    _keep_alive.extend([original, callback])
    table[_IFACE_GET_MEMORY] = ctypes.cast(callback, ctypes.c_void_p).value
    return True


def serve(host: str, port: int, threads: int, mem_bytes: int | None = None) -> None:
    """Run ggml's RPC server on this machine's device until the process ends (blocks in C)."""
    ggml = _ggml()
    start = _rpc_function(
        ggml,
        "ggml_backend_rpc_start_server",
        ctypes.CFUNCTYPE(
            None,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_void_p),
        ),  # fmt: skip
    )
    devices = _serving_devices(ggml)
    if not devices:
        raise EngineError(
            "llama.cpp found no device to serve.", "Reinstall Tomoshibi (scripts/tomoshibi.sh)."
        )
    if mem_bytes is not None:
        for dev in devices:
            if not _cap_memory(ggml, dev, mem_bytes):
                raise EngineError(
                    "--mem is not supported with this llama.cpp build.",
                    "Leave --mem out: all free memory is offered.",
                )
    array = (ctypes.c_void_p * len(devices))(*devices)
    endpoint = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    sys.stdout.flush()
    start(endpoint.encode(), None, threads, len(devices), array)  # returns only when it cannot listen
    raise EngineError(
        f"The RPC server could not listen on {endpoint}.", "Is the port in use? Try another --port."
    )


def describe_devices(ggml: Any | None = None) -> list[tuple[str, str, int, int]]:
    """(name, description, free, total) of the devices ``serve`` would offer."""
    ggml = ggml or _ggml()
    return [
        (
            (ggml.ggml_backend_dev_name(d) or b"").decode("utf-8", "replace"),
            (ggml.ggml_backend_dev_description(d) or b"").decode("utf-8", "replace"),
            *_memory(ggml, d),
        )
        for d in _serving_devices(ggml)
    ]
