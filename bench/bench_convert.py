"""Conversion throughput and peak memory, and quantization time through Tomoshibi vs llama.cpp alone.

Run by hand:  .venv/bin/python bench/bench_convert.py [--layers 6] [--repeat 3] [--keep DIR]

1. Generates a Llama-shaped F16 safetensors checkpoint (hidden 1024, MLP 2816, vocab 32000; 6 layers
   ≈ 285 MB) with a small SentencePiece tokenizer.
2. Converts it to F16 GGUF in a fresh child process each time: MB/s and the child's peak RSS
   (``ru_maxrss``: tracemalloc cannot see numpy memory maps), next to the RSS of a child that only
   imports the same modules.
3. Quantizes the F16 GGUF to Q4_K_M through ``converters.quantize.quantize`` (child process, file
   watching, validation of the output) and through the bare ``llama_model_quantize`` call with the same
   parameters in a fresh interpreter; medians and the ratio, all measured in this one run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# Peak RSS of this process: VmHWM (Linux; reset by exec, unlike ru_maxrss, which a child started by
# fork+exec inherits from its parent), else ru_maxrss.
CONVERT_CHILD = """
import json, resource, sys, time
from converters.convert import convert_checkpoint
def peak_kb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
if sys.argv[1] != "-":
    convert_checkpoint(sys.argv[1], sys.argv[2], out_type=sys.argv[3])
print(json.dumps({"seconds": time.perf_counter() - t, "maxrss_kb": peak_kb()}))
"""

DIRECT_QUANTIZE_CHILD = """
import ctypes, json, sys, time
import llama_cpp
llama_cpp.llama_backend_init()
params = llama_cpp.llama_model_quantize_default_params()
params.ftype = int(sys.argv[3])
params.nthread = int(sys.argv[4])
t = time.perf_counter()
rc = llama_cpp.llama_model_quantize(sys.argv[1].encode(), sys.argv[2].encode(), ctypes.byref(params))
print(json.dumps({"rc": rc, "seconds": time.perf_counter() - t}))
"""


def make_checkpoint(
    folder: Path, layers: int, hidden: int = 1024, ffn: int = 2816, vocab: int = 32000
) -> int:
    import sentencepiece as spm
    from safetensors.numpy import save_file

    from converters.imatrix import default_calibration_text

    folder.mkdir(parents=True, exist_ok=True)
    lines = [line for line in default_calibration_text().splitlines() if line.strip()] * 8
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=800,
        model_type="bpe",
        byte_fallback=True,
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    (folder / "tokenizer.model").write_bytes(model.getvalue())
    (folder / "tokenizer_config.json").write_text(
        json.dumps({"add_bos_token": True, "bos_token": "<s>", "eos_token": "</s>"})
    )
    heads = hidden // 64
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": hidden,
        "intermediate_size": ffn,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "num_key_value_heads": heads,
        "vocab_size": vocab,
        "max_position_embeddings": 4096,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "torch_dtype": "float16",
        "tie_word_embeddings": False,
    }
    (folder / "config.json").write_text(json.dumps(config))
    rng = np.random.default_rng(0)

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float16)

    shapes = {
        "model.embed_tokens.weight": (vocab, hidden),
        "lm_head.weight": (vocab, hidden),
        "model.norm.weight": (hidden,),
    }
    for i in range(layers):
        p = f"model.layers.{i}."
        shapes.update({
            p + "self_attn.q_proj.weight": (hidden, hidden), p + "self_attn.k_proj.weight": (hidden, hidden),
            p + "self_attn.v_proj.weight": (hidden, hidden), p + "self_attn.o_proj.weight": (hidden, hidden),
            p + "mlp.gate_proj.weight": (ffn, hidden), p + "mlp.up_proj.weight": (ffn, hidden),
            p + "mlp.down_proj.weight": (hidden, ffn),
            p + "input_layernorm.weight": (hidden,), p + "post_attention_layernorm.weight": (hidden,),
        })  # fmt: skip
    # Two shards, as real checkpoints come.
    names = list(shapes)
    half = len(names) // 2
    weight_map = {}
    for k, part in enumerate((names[:half], names[half:]), start=1):
        file = f"model-0000{k}-of-00002.safetensors"
        tensors = {
            n: (np.ones(shapes[n], np.float16) if len(shapes[n]) == 1 else w(*shapes[n])) for n in part
        }
        save_file(tensors, str(folder / file))
        weight_map.update(dict.fromkeys(part, file))
        del tensors
    (folder / "model.safetensors.index.json").write_text(
        json.dumps({"metadata": {}, "weight_map": weight_map})
    )
    return sum(f.stat().st_size for f in folder.glob("*.safetensors"))


def child(code: str, *args: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [PY, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", default=None, help="work folder to keep (default: a temporary one)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from converters.quantize import QUANT_TYPES, quantize

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tomoshibi-bench-"))
    src = work / "ckpt"
    t = time.perf_counter()
    size = make_checkpoint(src, args.layers)
    print(
        f"checkpoint: {size / 1e6:.0f} MB F16 safetensors (2 shards), generated in {time.perf_counter() - t:.1f} s"
    )

    base = child(CONVERT_CHILD, "-", "", "")
    f16 = work / "bench-f16.gguf"
    runs = []
    for _ in range(args.repeat):
        f16.unlink(missing_ok=True)
        runs.append(child(CONVERT_CHILD, str(src), str(f16), "f16"))
    secs = statistics.median(r["seconds"] for r in runs)
    rss = max(r["maxrss_kb"] for r in runs) / 1024
    largest = 32000 * 1024 * 4 / 2**20
    print(
        f"convert F16: median {secs:.2f} s = {size / 1e6 / secs:.0f} MB/s over {args.repeat} runs; "
        f"peak RSS {rss:.0f} MiB (imports alone {base['maxrss_kb'] / 1024:.0f} MiB; "
        f"largest tensor as float32 {largest:.0f} MiB; whole model {size / 2**20:.0f} MiB)"
    )

    ftype = QUANT_TYPES["Q4_K_M"].ftype
    ours, direct_call, direct_wall = [], [], []
    for i in range(args.repeat):
        out = work / f"ours-{i}.gguf"
        t = time.perf_counter()
        quantize(f16, out, "Q4_K_M", n_threads=args.threads)
        ours.append(time.perf_counter() - t)
        out.unlink()
        out = work / f"direct-{i}.gguf"
        t = time.perf_counter()
        r = child(DIRECT_QUANTIZE_CHILD, str(f16), str(out), str(ftype), str(args.threads))
        direct_wall.append(time.perf_counter() - t)
        direct_call.append(r["seconds"])
        assert r["rc"] == 0
        out.unlink()
    m_ours, m_call, m_wall = (statistics.median(x) for x in (ours, direct_call, direct_wall))
    print(
        f"quantize Q4_K_M ({args.threads} threads), medians of {args.repeat}: Tomoshibi {m_ours:.2f} s; "
        f"llama_model_quantize call alone {m_call:.2f} s (fresh interpreter incl. import: {m_wall:.2f} s); "
        f"ratio Tomoshibi / call {m_ours / m_call:.2f}, Tomoshibi / interpreter {m_ours / m_wall:.2f}"
    )
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
