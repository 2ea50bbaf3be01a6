"""Hugging Face checkpoints → GGUF → quantized GGUF. No Qt below this package."""
