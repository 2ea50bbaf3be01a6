"""Checkpoint readers: config.json, memory-mapped safetensors, torch .bin without torch or pickle code."""

from .base import TensorRef
from .checkpoint import Checkpoint, open_checkpoint, read_config, resolve_source
from .safetensors_file import read_safetensors
from .torch_bin import read_torch_bin

__all__ = [
    "Checkpoint",
    "TensorRef",
    "open_checkpoint",
    "read_config",
    "read_safetensors",
    "read_torch_bin",
    "resolve_source",
]
