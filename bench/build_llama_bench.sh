#!/usr/bin/env bash
# Build llama.cpp's own `llama-bench` from exactly the llama.cpp that llama-cpp-python vendors, so
# bench/bench_engine.py and `tomoshibi bench --llama-bench PATH` compare against the same code.
#
#     bench/build_llama_bench.sh            # → bench/.llama-bench/bin/llama-bench (git ignores it)
#
# Only the llama-bench target is built (-j2: the machine is shared). Same default CMake options as
# llama-cpp-python's own build (GGML_NATIVE, OpenMP), so the two differ only above llama.cpp.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/.llama-bench"
version=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' "$root/pyproject.toml")
py="${PYTHON:-$root/.venv/bin/python}"
mkdir -p "$out/src"
if ! ls "$out"/src/llama_cpp_python-"$version"/vendor/llama.cpp/CMakeLists.txt >/dev/null 2>&1; then
  "$py" -m pip download -q --no-deps --no-binary :all: -d "$out/src" "llama-cpp-python==$version"
  tar -xzf "$out"/src/llama_cpp_python-"$version".tar.gz -C "$out/src"
fi
src="$out/src/llama_cpp_python-$version/vendor/llama.cpp"
cmake -S "$src" -B "$out/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF ${CMAKE_ARGS:-} >/dev/null
cmake --build "$out/build" --target llama-bench -j 2
mkdir -p "$out/bin"
ln -sf "$out/build/bin/llama-bench" "$out/bin/llama-bench"
echo "$out/bin/llama-bench"
