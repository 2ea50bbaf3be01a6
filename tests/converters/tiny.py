"""Tiny generated Hugging Face checkpoints, built once per test session.

Tests use the ``tiny_checkpoint`` fixture (conftest.py): ``tiny_checkpoint(arch, tokenizer, weights) -> Path`` where

- ``arch``: ``"gpt_neox"`` (rinna-like: spiece.model, sequential residual, rotary_pct 0.5),
  ``"llama"`` (grouped-query attention: 4 heads, 2 KV heads) or ``"llama3"`` (the same with Llama 3.x
  RoPE scaling);
- ``tokenizer``: ``"spm-unigram"`` (unigram + byte fallback + a ``<NL>`` symbol, like rinna),
  ``"spm-bpe"`` (SentencePiece BPE + byte fallback, like Llama 2) or ``"bpe-json"`` (byte-level
  BPE ``tokenizer.json``, like OpenCALM);
- ``weights``: ``"safetensors"``, ``"bin"`` (torch zip pickle), ``"sharded"`` (several safetensors
  + index, stored in bfloat16) or ``"sharded-bin"``.

Dimensions are multiples of 256 (hidden 256, MLP 512) so K-quants apply. Q/K projections are scaled
up and biases/norms randomized so a wrong permutation or QKV order changes the logits a lot.
``reference_logits(folder, ids)`` gives transformers' float32 logits for comparison.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

HIDDEN, LAYERS, HEADS, KV_HEADS, FFN = 256, 2, 4, 2, 512

# Training text for the tokenizers: mixed Japanese / English, as rinna's and ELYZA's data are.
TRAINING_TEXT = """\
吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。
何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。
The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.
東京都渋谷区の天気は晴れ、最高気温は二十五度の予報です。明日は雨が降るかもしれません。
Large language models run offline on a laptop with llama.cpp and a quantized GGUF file.
日本語と英語が混ざった文章を正しくトークン化できるか確かめます。Tokenization matters.
ユーザー: 日本のおすすめの観光地を教えてください。システム: 京都の清水寺や金閣寺がおすすめです。
コンピュータ、ソフトウェア、インターネット、データベース、アルゴリズム、プログラミング。
I think, therefore I am. 我思う、ゆえに我あり。To be or not to be, that is the question.
春はあけぼの。やうやう白くなりゆく山ぎは、少しあかりて、紫だちたる雲のほそくたなびきたる。
The weather in Osaka is cloudy today; tomorrow it will be sunny with a high of 28 degrees.
数字の1234567890と、記号の「」『』（）【】・…を含む文も学習します。
Machine learning, deep learning, and natural language processing are related fields.
富士山は日本で一番高い山で、標高は三七七六メートルです。多くの登山者が訪れます。
ありがとうございます。どういたしまして。おはようございます。こんにちは。こんばんは。
Please summarize the following article in three sentences, using simple English words.
カタカナ語のアプリケーション、インターフェース、コミュニケーション、マネージメント。
猫と犬、鳥と魚、花と木、山と川、空と海、朝と夜、春と夏、秋と冬、東と西、南と北。
The cat sat on the mat. The dog barked at the mailman. Birds sing in the morning.
人工知能の研究は急速に進歩しており、私たちの生活を大きく変えつつあります。
"""

# Llama 3.x RoPE scaling, with a short "original" context so the tiny test sequence feels it.
_LLAMA3_ROPE = {
    "rope_type": "llama3",
    "rope_theta": 10000.0,
    "factor": 8.0,
    "low_freq_factor": 1.0,
    "high_freq_factor": 4.0,
    "original_max_position_embeddings": 16,
}

VOCAB_SIZES = {"spm-unigram": 1000, "spm-bpe": 900, "bpe-json": 700}


def _train_sentencepiece(kind: str) -> bytes:
    import sentencepiece as spm

    lines = [line for line in TRAINING_TEXT.splitlines() if line] * 4
    model = io.BytesIO()
    common = dict(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=VOCAB_SIZES[kind],
        character_coverage=1.0,
        byte_fallback=True,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    if kind == "spm-unigram":
        # rinna's layout: [PAD]=0, <unk>=1, <s>=2, </s>=3, and "<NL>" for newlines.
        spm.SentencePieceTrainer.train(
            model_type="unigram",
            pad_id=0,
            unk_id=1,
            bos_id=2,
            eos_id=3,
            pad_piece="[PAD]",
            user_defined_symbols=["<NL>"],
            **common,
        )
    else:
        # Llama 2's layout: <unk>=0, <s>=1, </s>=2, no normalization.
        spm.SentencePieceTrainer.train(model_type="bpe", normalization_rule_name="identity", **common)
    return model.getvalue()


def _train_bpe_json(folder: Path) -> int:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZES["bpe-json"],
        special_tokens=["<|endoftext|>", "<|padding|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(TRAINING_TEXT.splitlines() * 4, trainer)
    tok.save(str(folder / "tokenizer.json"))
    (folder / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "bos_token": "<|endoftext|>",
                "eos_token": "<|endoftext|>",
                "pad_token": "<|padding|>",
                "tokenizer_class": "GPTNeoXTokenizer",
            }
        ),
        encoding="utf-8",
    )
    return tok.get_vocab_size()


def _write_tokenizer(folder: Path, arch: str, kind: str) -> int:
    if kind == "bpe-json":
        return _train_bpe_json(folder)
    import sentencepiece as spm

    data = _train_sentencepiece(kind)
    name = "spiece.model" if arch == "gpt_neox" else "tokenizer.model"
    (folder / name).write_bytes(data)
    processor = spm.SentencePieceProcessor(model_proto=data)
    specials = {
        "unk_token": processor.id_to_piece(processor.unk_id()),
        "bos_token": processor.id_to_piece(processor.bos_id()),
        "eos_token": processor.id_to_piece(processor.eos_id()),
    }
    if processor.pad_id() >= 0:
        specials["pad_token"] = processor.id_to_piece(processor.pad_id())
    config = {
        **specials,
        "add_bos_token": arch == "llama",
        "add_eos_token": False,
        "tokenizer_class": "T5Tokenizer" if arch == "gpt_neox" else "LlamaTokenizer",
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "special_tokens_map.json").write_text(json.dumps(specials), encoding="utf-8")
    return processor.get_piece_size()


def _build_model(arch: str, vocab_size: int, kind: str):  # type: ignore[no-untyped-def]
    import torch
    import transformers

    torch.manual_seed(1234)
    # The embedding is a little larger than the tokenizer (as in real checkpoints): padding rows.
    n_vocab = (vocab_size + 63) // 64 * 64
    if arch == "gpt_neox":
        config = transformers.GPTNeoXConfig(
            vocab_size=n_vocab,
            hidden_size=HIDDEN,
            num_hidden_layers=LAYERS,
            num_attention_heads=HEADS,
            intermediate_size=FFN,
            max_position_embeddings=256,
            rotary_pct=0.5,
            rotary_emb_base=10000,
            use_parallel_residual=kind == "bpe-json",
            layer_norm_eps=1e-5,
            hidden_act="gelu",
            bos_token_id=2,
            eos_token_id=3,
            tie_word_embeddings=False,
        )
        model = transformers.GPTNeoXForCausalLM(config)
        sharpen = ("attention.query_key_value.weight",)
    else:
        config = transformers.LlamaConfig(
            vocab_size=n_vocab,
            hidden_size=HIDDEN,
            num_hidden_layers=LAYERS,
            num_attention_heads=HEADS,
            num_key_value_heads=KV_HEADS,
            intermediate_size=FFN,
            max_position_embeddings=256,
            rms_norm_eps=1e-6,
            rope_parameters=_LLAMA3_ROPE
            if arch == "llama3"
            else {"rope_type": "default", "rope_theta": 10000.0},
            bos_token_id=1,
            eos_token_id=2,
            tie_word_embeddings=False,
        )
        model = transformers.LlamaForCausalLM(config)
        sharpen = ("q_proj.weight", "k_proj.weight")
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.normal_(0.0, 0.1)
            elif "norm" in name or "layernorm" in name:
                p.normal_(1.0, 0.1)
            elif name.endswith(sharpen):
                p.mul_(6.0)
    return model.eval()


def make_checkpoint(root: Path, arch: str, tokenizer: str, weights: str) -> Path:
    """Build one tiny checkpoint folder (see the module docstring for the arguments)."""
    import torch

    folder = root / f"{arch}-{tokenizer}-{weights}"
    folder.mkdir(parents=True)
    vocab_size = _write_tokenizer(folder, arch, tokenizer)
    model = _build_model(arch, vocab_size, tokenizer)
    if weights.startswith("sharded"):
        model = model.to(torch.bfloat16)
    if weights in ("safetensors", "sharded"):
        model.save_pretrained(folder, max_shard_size="300KB" if weights == "sharded" else "2GB")
    else:
        # transformers 5 only writes safetensors; rinna-style .bin files come from torch.save.
        model.config.architectures = [type(model).__name__]
        model.config.save_pretrained(folder)
        _save_torch_bin(folder, model, arch, sharded=weights == "sharded-bin")
    return folder


def _save_torch_bin(folder: Path, model, arch: str, sharded: bool) -> None:  # type: ignore[no-untyped-def]
    import torch

    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    if arch == "gpt_neox":
        # Real GPT-NeoX checkpoints (rinna) name the head embed_out; transformers 5 says lm_head in memory.
        state["embed_out.weight"] = state.pop("lm_head.weight")
        # Buffers that older transformers saved with rinna's weights; the converter must skip them.
        for i in range(LAYERS):
            state[f"gpt_neox.layers.{i}.attention.bias"] = torch.tril(
                torch.ones(1, 1, 8, 8, dtype=torch.bool)
            )
            state[f"gpt_neox.layers.{i}.attention.masked_bias"] = torch.tensor(-1e9)
            state[f"gpt_neox.layers.{i}.attention.rotary_emb.inv_freq"] = torch.ones(16)
    if not sharded:
        torch.save(state, folder / "pytorch_model.bin")
        return
    names = list(state)
    parts = [names[: len(names) // 2], names[len(names) // 2 :]]
    weight_map = {}
    for i, part in enumerate(parts, 1):
        file = f"pytorch_model-{i:05d}-of-{len(parts):05d}.bin"
        torch.save({n: state[n] for n in part}, folder / file)
        weight_map.update(dict.fromkeys(part, file))
    index = {"metadata": {}, "weight_map": weight_map}
    (folder / "pytorch_model.bin.index.json").write_text(json.dumps(index), encoding="utf-8")


def reference_logits(folder: Path, ids: list[int]) -> np.ndarray:
    """transformers' float32 logits for ``ids`` (shape [len(ids), n_vocab])."""
    import torch
    import transformers

    model = transformers.AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32)
    with torch.no_grad():
        out = model(torch.tensor([ids])).logits[0]
    return out.float().numpy()


def llama_cpp_logits(gguf_path: Path, ids: list[int]) -> np.ndarray:
    """llama.cpp's logits for ``ids`` from a GGUF file (CPU, all positions)."""
    import llama_cpp

    llm = llama_cpp.Llama(str(gguf_path), n_ctx=64, n_batch=64, logits_all=True, verbose=False, n_threads=2)
    try:
        llm.eval(ids)
        return np.array(llm.scores[: len(ids)], dtype=np.float32)
    finally:
        llm.close()


def nmse(actual: np.ndarray, expected: np.ndarray) -> float:
    """Squared error relative to the variance of the expected logits (a constant offset counts)."""
    centered = expected - expected.mean(axis=-1, keepdims=True)
    return float(np.sum((actual - expected) ** 2) / np.sum(centered**2))
