"""Importance matrix from calibration text, computed in Python through llama.cpp's eval callback.

llama.cpp's quantizer weighs each column's rounding error by the mean squared activation that
feeds it (``llama_model_imatrix_data``). We collect those activations the way llama.cpp's
``llama-imatrix`` tool does: a ``cb_eval`` scheduler callback asks to see every ``MUL_MAT`` whose
weight is a ``blk.*`` tensor, then reads the activation operand (``src[1]``) with
``ggml_backend_tensor_get`` and accumulates the sum of squares per input column.

The ``ggml_tensor`` layout below mirrors ggml.h of the llama.cpp that llama-cpp-python 0.3.36
vendors; :func:`_check_layout` verifies it on the first callback (a weight name must be readable
and the activation's row size must equal the weight's) and disables collection if it does not match.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from importlib import resources
from typing import Any

import numpy as np

from models.errors import ConversionError

log = logging.getLogger(__name__)

GGML_MAX_DIMS = 4
GGML_MAX_SRC = 10
GGML_MAX_OP_PARAMS = 64
GGML_MAX_NAME = 64
MIN_TOKENS = 16  # like llama-imatrix: single-token evaluations are not representative


class GgmlTensor(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("buffer", ctypes.c_void_p),
        ("ne", ctypes.c_int64 * GGML_MAX_DIMS),
        ("nb", ctypes.c_size_t * GGML_MAX_DIMS),
        ("op", ctypes.c_int),
        ("op_params", ctypes.c_int32 * (GGML_MAX_OP_PARAMS // 4)),
        ("flags", ctypes.c_int32),
        ("src", ctypes.c_void_p * GGML_MAX_SRC),
        ("view_src", ctypes.c_void_p),
        ("view_offs", ctypes.c_size_t),
        ("data", ctypes.c_void_p),
        ("name", ctypes.c_char * GGML_MAX_NAME),
        ("extra", ctypes.c_void_p),
        ("padding", ctypes.c_char * 8),
    ]


def default_calibration_text() -> str:
    """Tomoshibi's own Japanese/English calibration text (package data)."""
    return resources.files("converters").joinpath("calibration_ja.txt").read_text(encoding="utf-8")


def _ggml_lib() -> ctypes.CDLL:
    from llama_cpp import _ggml

    lib = _ggml.libggml
    lib.ggml_op_name.argtypes = [ctypes.c_int]
    lib.ggml_op_name.restype = ctypes.c_char_p
    lib.ggml_nbytes.argtypes = [ctypes.c_void_p]
    lib.ggml_nbytes.restype = ctypes.c_size_t
    lib.ggml_backend_tensor_get.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_size_t,
    ]
    lib.ggml_backend_tensor_get.restype = None
    return lib


def _op_id(lib: ctypes.CDLL, wanted: str) -> int:
    # Ask ggml for the enum value instead of hard-coding it: new ops shift the numbering.
    for op in range(256):
        name = lib.ggml_op_name(op)
        if name is None:
            break
        if name.decode() == wanted:
            return op
    raise ConversionError(f"This llama.cpp build has no {wanted} operation.", "Reinstall llama-cpp-python.")


class _Collector:
    def __init__(self) -> None:
        self.lib = _ggml_lib()
        self.mul_mat = _op_id(self.lib, "MUL_MAT")
        self.sums: dict[str, np.ndarray] = {}
        self.counts: dict[str, int] = {}
        self.layout_ok: bool | None = None
        import llama_cpp

        self.callback = llama_cpp.ggml_backend_sched_eval_callback(self._on_eval)

    @staticmethod
    def _weight_name(src0: GgmlTensor) -> str:
        # Backends may decorate copies: "CUDA0#blk.0.attn_k.weight#0" → "blk.0.attn_k.weight".
        name = src0.name.decode("utf-8", errors="replace")
        parts = name.split("#")
        return parts[1] if len(parts) >= 2 else name

    def _on_eval(self, t_ptr: int, ask: bool, user_data: int) -> bool:
        try:
            return self._handle(t_ptr, ask)
        except Exception:  # an exception must never cross the C boundary
            log.exception("imatrix callback failed")
            self.layout_ok = False
            return True

    def _handle(self, t_ptr: int, ask: bool) -> bool:
        if self.layout_ok is False:
            return not ask
        t = GgmlTensor.from_address(t_ptr)
        if t.op != self.mul_mat or not t.src[0] or not t.src[1]:
            return not ask  # ask: not interested; otherwise: keep computing
        src0 = GgmlTensor.from_address(t.src[0])
        src1 = GgmlTensor.from_address(t.src[1])
        name = self._weight_name(src0)
        if ask:
            return bool(name.startswith("blk.") and src1.type == 0 and src1.ne[1] >= MIN_TOKENS)
        if self.layout_ok is None:
            self.layout_ok = src1.ne[0] == src0.ne[0] and name.endswith(".weight")
            if not self.layout_ok:
                log.warning("ggml_tensor layout mismatch; importance matrix disabled")
                return True
        nbytes = self.lib.ggml_nbytes(t.src[1])
        raw = np.empty(nbytes, dtype=np.uint8)
        self.lib.ggml_backend_tensor_get(t.src[1], raw.ctypes.data, 0, nbytes)
        ne = [int(src1.ne[i]) for i in range(4)]
        nb = [int(src1.nb[i]) for i in range(4)]
        x = np.lib.stride_tricks.as_strided(
            raw.view(np.float32) if nb[0] == 4 else raw, shape=ne[::-1], strides=nb[::-1]
        ).reshape(-1, ne[0])
        squares = np.einsum("ij,ij->j", x, x, dtype=np.float64)
        if name in self.sums:
            self.sums[name] += squares
            self.counts[name] += x.shape[0]
        else:
            self.sums[name] = squares
            self.counts[name] = x.shape[0]
        return True

    def result(self) -> dict[str, np.ndarray]:
        if not self.layout_ok:
            return {}
        return {n: (s / max(1, self.counts[n])).astype(np.float32) for n, s in self.sums.items()}


def compute_imatrix_in_process(
    model_path: str,
    text: str,
    *,
    n_ctx: int = 512,
    n_threads: int = 2,
    max_chunks: int = 64,
    report: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Evaluate ``text`` in chunks of ``n_ctx`` tokens and return name → mean squared activation.

    Runs llama.cpp in THIS process: call it from a child (``converters.quantize`` does).
    """
    import llama_cpp

    collector = _Collector()
    llama_cpp.llama_backend_init()
    mparams = llama_cpp.llama_model_default_params()
    mparams.n_gpu_layers = 0
    model = llama_cpp.llama_model_load_from_file(model_path.encode(), mparams)
    if not model:
        raise ConversionError(f"llama.cpp could not load {model_path} to compute the importance matrix.")
    try:
        vocab = llama_cpp.llama_model_get_vocab(model)
        data = text.encode("utf-8")
        cap = len(data) + 16
        ids = (llama_cpp.llama_token * cap)()
        n = llama_cpp.llama_tokenize(vocab, data, len(data), ids, cap, False, False)
        tokens = list(ids[: max(0, n)])
        bos = llama_cpp.llama_vocab_bos(vocab)
        add_bos = bool(llama_cpp.llama_vocab_get_add_bos(vocab)) and bos >= 0
        body = n_ctx - (1 if add_bos else 0)
        chunks = [tokens[i : i + body] for i in range(0, len(tokens), body)]
        chunks = [c for c in chunks if len(c) >= MIN_TOKENS][:max_chunks]
        if not chunks:
            raise ConversionError(
                f"The calibration text is too short ({len(tokens)} tokens).",
                f"Give at least {MIN_TOKENS} tokens of text (a few sentences; a few pages is better).",
            )
        cparams = llama_cpp.llama_context_default_params()
        cparams.n_ctx = n_ctx
        cparams.n_batch = n_ctx
        cparams.n_ubatch = n_ctx
        cparams.n_threads = n_threads
        cparams.n_threads_batch = n_threads
        cparams.cb_eval = collector.callback
        cparams.cb_eval_user_data = None
        ctx = llama_cpp.llama_init_from_model(model, cparams)
        if not ctx:
            raise ConversionError("llama.cpp could not create a context for the importance matrix.")
        # Ask for the logits of EVERY position: otherwise llama.cpp drops all rows but the last before
        # the final block's MLP, and those weights would see a single token (llama-imatrix does the same).
        batch = llama_cpp.llama_batch_init(n_ctx, 0, 1)
        try:
            for i, chunk in enumerate(chunks):
                seq = ([bos] if add_bos else []) + chunk
                llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(ctx), True)
                for j, token in enumerate(seq):
                    batch.token[j] = token
                    batch.pos[j] = j
                    batch.n_seq_id[j] = 1
                    batch.seq_id[j][0] = 0
                    batch.logits[j] = True
                batch.n_tokens = len(seq)
                if llama_cpp.llama_decode(ctx, batch) != 0:
                    raise ConversionError("llama.cpp failed while evaluating the calibration text.")
                if report is not None:
                    report(i + 1, len(chunks))
        finally:
            llama_cpp.llama_batch_free(batch)
            llama_cpp.llama_free(ctx)
    finally:
        llama_cpp.llama_model_free(model)
    result = collector.result()
    if not result:
        log.warning("no activations collected; quantizing without an importance matrix")
    return result


def _imatrix_child(report: Callable[[Any], None], path: str, text: str, n_ctx: int) -> dict[str, np.ndarray]:
    from models.child_process import capture_llama_log

    capture_llama_log()
    return compute_imatrix_in_process(path, text, n_ctx=n_ctx, report=lambda d, t: report((d, t)))


def compute_imatrix(path: str, text: str, *, n_ctx: int = 512, cancel: Any = None) -> dict[str, np.ndarray]:
    """The importance matrix of the GGUF at ``path`` on ``text``, computed in a child process."""
    from models.child_process import run_in_child

    return dict(run_in_child(_imatrix_child, (path, text, n_ctx), what="Importance matrix", cancel=cancel))
