"""Instant return to a long conversation: each conversation's KV cache, kept when another is answered.

llama.cpp keeps one KV cache per context, and Tomoshibi reuses its longest common prefix with the next
prompt — which makes every follow-up in the *same* conversation fast, and going back to an earlier,
long conversation as slow as reading all of it again. This keeps the KV state of the conversations
answered recently (``llama_state_seq_get_data``) in memory and writes the last few to disk
(``llama_state_seq_save_file``), so switching back restores the state and only the new turn is read.

A saved state is only valid for the same model file, context size, template and attention settings:
all of them are part of the identity hashed into the file name, so a change simply misses.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KEEP_IN_MEMORY = 3  # conversations whose state stays in memory (SmolLM2: ~23 kB per token)
KEEP_ON_DISK = 4  # conversations whose state is saved to disk, newest first
MIN_TOKENS = 64  # shorter histories are re-read faster than a state is restored


@dataclass
class Snapshot:
    tokens: list[int]
    data: Any  # ctypes byte array from llama_state_seq_get_data


def cache_identity(model_path: str, n_ctx: int, template: str | None, extra: str = "") -> str:
    """What a saved state depends on: the model file (path, size, mtime), context, template, settings."""
    try:
        stat = os.stat(model_path)
        stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        stamp = "?"
    text = "\n".join([os.path.abspath(model_path), stamp, str(n_ctx), template or "", extra])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def common_prefix(a: Any, b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class ConversationCache:
    """Tracks which conversation the live KV cache belongs to; saves and restores the others."""

    def __init__(self, llm: Any, identity: str, folder: Path | None) -> None:
        import llama_cpp

        self._lib = llama_cpp
        self._llm = llm
        self._identity = identity
        self._folder = folder
        self._memory: OrderedDict[str, Snapshot] = OrderedDict()
        self._to_disk: list[str] = []  # conversations whose in-memory state is not on disk yet
        self.current: str | None = None  # the conversation the live KV cache holds
        self.restored = 0  # states restored (memory or disk): for tests and benches

    # ---- the hook the engine calls before every chat ---------------------------------------------
    def prepare(self, key: str | None, tokens: list[int]) -> None:
        """Before answering ``tokens`` for conversation ``key``: keep the outgoing conversation's
        state, and bring back ``key``'s if it shares more of the prompt than the live cache does."""
        llm = self._llm
        live = common_prefix(llm.input_ids[: llm.n_tokens], tokens)
        if key == self.current:
            return
        if self.current is not None and llm.n_tokens >= MIN_TOKENS and live < llm.n_tokens:
            self._keep(self.current)  # the live cache is about to be overwritten
        self.current = key
        if key is None:
            return
        snapshot = self._memory.get(key) or self._load(key)
        if snapshot is None:
            return
        shared = common_prefix(snapshot.tokens, tokens)
        if shared <= live or shared < MIN_TOKENS:
            return
        self._restore(snapshot)
        self._memory[key] = snapshot
        self._memory.move_to_end(key)
        self.restored += 1

    def forget(self) -> None:
        """The live cache no longer belongs to any conversation (e.g. an unkeyed request ran)."""
        self.current = None

    # ---- memory ---------------------------------------------------------------------------------
    def _live_tokens(self) -> list[int]:
        return [int(t) for t in self._llm.input_ids[: self._llm.n_tokens]]

    @property
    def idle_work(self) -> bool:
        """Something to do while no request waits: states to write, or the live one to copy."""
        if self.pending:
            return True
        if self.current is None or self._llm.n_tokens < MIN_TOKENS:
            return False
        kept = self._memory.get(self.current)
        return kept is None or kept.tokens != self._live_tokens()

    def idle(self) -> None:
        """Between requests: copy the live conversation's state now, so that switching to another
        conversation later does not pay for the copy before its first token (bench/bench_switch.py),
        then write what waits for the disk. The copy stays in memory only until the user switches."""
        if self.current is not None and self._llm.n_tokens >= MIN_TOKENS:
            self._keep(self.current, to_disk=False)
        self.flush()

    def _keep(self, key: str, to_disk: bool = True) -> None:
        lib, llm = self._lib, self._llm
        live = self._live_tokens()
        kept = self._memory.get(key)
        if kept is not None and kept.tokens == live:
            self._memory.move_to_end(key)
            if to_disk and self._folder is not None and key not in self._to_disk:
                self._to_disk.append(key)
            return  # unchanged since it was restored or copied while idle: the kept copy is exact
        ctx = llm._ctx.ctx
        size = lib.llama_state_seq_get_size(ctx, 0)
        data = (ctypes.c_uint8 * size)()
        written = lib.llama_state_seq_get_data(ctx, data, size, 0)
        if written != size:
            log.debug("state of %s not kept: %d of %d bytes", key, written, size)
            return
        self._memory[key] = Snapshot(live, data)
        self._memory.move_to_end(key)
        if to_disk and self._folder is not None and key not in self._to_disk:
            self._to_disk.append(key)
        while len(self._memory) > KEEP_IN_MEMORY:
            old, evicted = self._memory.popitem(last=False)
            if old in self._to_disk:  # about to be forgotten: write it now rather than lose it
                self._save(old, evicted)
                self._to_disk.remove(old)

    def _restore(self, snapshot: Snapshot) -> None:
        lib, llm = self._lib, self._llm
        ctx = llm._ctx.ctx
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        read = lib.llama_state_seq_set_data(ctx, snapshot.data, len(snapshot.data), 0)
        if read == 0:
            log.debug("restoring a conversation state failed; it is read again instead")
            llm.reset()
            return
        n = len(snapshot.tokens)
        llm.input_ids[:n] = snapshot.tokens
        llm.n_tokens = n
        llm._requires_eval = True  # the logits are not restored: the last token is decoded again

    # ---- disk -----------------------------------------------------------------------------------
    def _path(self, key: str) -> Path | None:
        if self._folder is None:
            return None
        name = hashlib.sha256(f"{self._identity}\n{key}".encode()).hexdigest()[:32]
        return self._folder / f"{name}.kvstate"

    @property
    def pending(self) -> bool:
        return bool(self._to_disk) and self._folder is not None

    def flush(self) -> None:
        """Write the kept states that are not on disk yet (called when the engine is idle, and at close)."""
        while self._to_disk:
            key = self._to_disk.pop(0)
            snapshot = self._memory.get(key)
            if snapshot is not None:
                self._save(key, snapshot)

    def save_current(self) -> None:
        """At close: keep the live conversation too, so it is restored after the next start."""
        llm = self._llm
        if self.current is not None and llm.n_tokens >= MIN_TOKENS:
            self._keep(self.current)
        self.flush()

    def _save(self, key: str, snapshot: Snapshot) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # The sequence state exactly as llama_state_seq_get_data gave it, after its tokens.
            tmp = path.with_suffix(".tmp")
            tokens = (self._lib.llama_token * len(snapshot.tokens))(*snapshot.tokens)
            with open(tmp, "wb") as out:
                out.write(len(snapshot.tokens).to_bytes(4, "little"))
                out.write(bytes(tokens))
                out.write(bytes(snapshot.data))
            os.replace(tmp, path)
            self._prune()
        except OSError:
            log.debug("could not save a conversation state", exc_info=True)

    def _load(self, key: str) -> Snapshot | None:
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            raw = path.read_bytes()
            n = int.from_bytes(raw[:4], "little")
            width = ctypes.sizeof(self._lib.llama_token)
            tokens = list((self._lib.llama_token * n).from_buffer_copy(raw, 4))
            body = raw[4 + n * width :]
            data = (ctypes.c_uint8 * len(body)).from_buffer_copy(body)
            os.utime(path)  # recently used: pruned last
            return Snapshot(tokens, data)
        except (OSError, ValueError):
            log.debug("could not read a conversation state", exc_info=True)
            return None

    def _prune(self) -> None:
        assert self._folder is not None
        files = sorted(self._folder.glob("*.kvstate"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_ON_DISK:]:
            old.unlink(missing_ok=True)
