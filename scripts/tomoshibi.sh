#!/usr/bin/env bash
# Sets Tomoshibi up on a fresh machine, then runs it.
#   bash scripts/tomoshibi.sh app    — install everything, open the app with the bundled model
#   bash scripts/tomoshibi.sh test   — install everything (plus test tools), run the whole test suite
# Idempotent: a second run only checks what is there. Set PYTHON to choose the interpreter (3.11+).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"; shift || true
PYTHON="${PYTHON:-python3}"
VENV="${TOMOSHIBI_VENV:-.venv}"

say() { printf '\033[1m[tomoshibi]\033[0m %s\n' "$*" >&2; }

# --- System libraries (Debian/Ubuntu). macOS and Windows have what Qt and PortAudio need. ----------
debian_packages=(
  libportaudio2                       # sounddevice (voice input)
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3   # Qt
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0
  libxcb-xinerama0 libxcb-image0 libxcb-xfixes0 libxcb-xkb1 libxrender1 libxi6
  fonts-noto-cjk                      # Japanese in the UI
)
if [ "$mode" = test ]; then
  debian_packages+=(
    xvfb xauth                         # screenshots of the real window
    espeak-ng sox                      # synthesized English speech for voice tests
    open-jtalk-mecab-naist-jdic        # dictionary for pyopenjtalk (Japanese test speech)
    binutils                           # readelf/strip: build.spec trims the packaged app (test_packaging)
  )
fi
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${debian_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing system packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- Python environment ---------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with $($PYTHON --version)"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip wheel
fi
PY="$VENV/bin/python"
# Apple Silicon gets Metal by default from llama-cpp-python's build; for CUDA export
# CMAKE_ARGS="-DGGML_CUDA=on" before running this script (see README). llama.cpp's RPC backend is
# always on: it lets one model be split across computers (tomoshibi rpc-worker).
export CMAKE_ARGS="${CMAKE_ARGS:-} -DGGML_RPC=on"
llama_version=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' pyproject.toml)
stamp="$VENV/.tomoshibi-$mode-$( (cat pyproject.toml; echo "$CMAKE_ARGS") | cksum | cut -d' ' -f1)"
if [ ! -f "$stamp" ]; then
  # pip's own wheel cache does not key on CMAKE_ARGS, so a CUDA or Metal build could be reused for a
  # CPU one (or the reverse). Build llama-cpp-python once per set of flags into a folder named by them.
  flags_key=$(echo "$llama_version $CMAKE_ARGS $(uname -sm)" | cksum | cut -d' ' -f1)
  wheels="${XDG_CACHE_HOME:-$HOME/.cache}/tomoshibi/llama-wheels/$flags_key"
  if ! ls "$wheels"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    say "building llama.cpp ($CMAKE_ARGS) — the first time takes ~10 min"
    "$PY" -m pip wheel -q --no-deps --no-cache-dir -w "$wheels" "llama-cpp-python==$llama_version"
  fi
  "$PY" -m pip install -q --no-deps "$wheels"/llama_cpp_python-*.whl
  if [ "$mode" = test ]; then
    # CPU torch for the converter tests (tiny checkpoints); pinned so no multi-GB CUDA build is pulled.
    "$PY" -m pip install -q "torch==2.13.0"
    say "installing Tomoshibi and its test tools (llama-cpp-python compiles the first time: ~10 min)"
    "$PY" -m pip install -q -e ".[dev]"
  else
    say "installing Tomoshibi (llama-cpp-python compiles the first time: ~10 min)"
    "$PY" -m pip install -q -e .
  fi
  touch "$stamp"
fi

case "$mode" in
  app)
    exec "$VENV/bin/tomoshibi" "$@"
    ;;
  test)
    export OPEN_JTALK_DICT_DIR="${OPEN_JTALK_DICT_DIR:-/var/lib/mecab/dic/open-jtalk/naist-jdic}"
    export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
    runner=("$PY" -m pytest)
    if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
      # A virtual screen for the screenshot tests; everything else runs offscreen.
      runner=(xvfb-run -a -s "-screen 0 1600x1000x24" "$PY" -m pytest)
    fi
    only_options=1
    for arg in "$@"; do case "$arg" in -*) ;; *) only_options=0 ;; esac; done
    if [ "$only_options" = 1 ]; then
      # The theme tests switch the whole application's style sheet, which re-polishes every widget the
      # process holds; after a few hundred windows from earlier tests that crashed inside Qt (never in
      # the app, which holds one window). They run in a fresh process of their own.
      status=0
      "${runner[@]}" "$@" --ignore=tests/desktop/test_look.py || status=$?
      "${runner[@]}" "$@" tests/desktop/test_look.py || status=$?
      exit "$status"
    fi
    exec "${runner[@]}" "$@"
    ;;
  *)
    echo "usage: bash scripts/tomoshibi.sh app|test [args...]" >&2; exit 64 ;;
esac
