"""Tokenizers in the GGUF: the embedded SentencePiece model is exact; llama.cpp's own is measured."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from converters.convert import convert_checkpoint
from models import gguf_keys

# Mixed Japanese/English text the tokenizers never saw in training.
CORPUS = [
    "こんにちは、世界！Hello, world!",
    "一行目\n二行目\n\n三行目の終わり。",
    "絵文字も使えます😀👍🏽👨‍👩‍👧‍👦🇯🇵 and emoji in English too 🎉",
    "難読漢字：躑躅、薔薇、魑魅魍魎、鬱、龘、𠮷野家、葛󠄀城市",
    "長いカタカナ：エンターテインメントプロフェッショナルコンサルティングサービスマネージャー",
    "半角ｶﾀｶﾅとＡＢＣ全角英数１２３、半角記号｢ｶｷﾞｶｯｺ｣､｡ ﾊﾟﾋﾟﾌﾟ",
    "  leading spaces and  double  spaces\tand a tab",
    "Mixed 日本語 and English with numbers 3.14159 and a URL https://example.com/path?q=1&r=2",
    "ユーザー: 富士山の高さは？<NL>システム: 3776メートルです。",
    "吾輩は猫である。名前はまだ無い。",
    "The quick brown fox jumps over the lazy dog.",
    "改行だけ\n",
    "\n先頭の改行",
    "ｱｲｳｴｵ ＡＢＣ ① ㈱ ㍻ ﾟ ゛",
    "コードの例: def f(x): return x ** 2  # 二乗",
    "数式 ∑_{i=1}^{n} i = n(n+1)/2、温度は−5℃、価格は¥1,000。",
    "Ünïcödé àccents, ß, Ω, Д, 한국어, 中文简体, العربية",
    "ーーー長音ーーー、ゝゞヽヾ、〆、々",
]


def _fields(path: Path) -> dict[str, Any]:
    import gguf

    reader = gguf.GGUFReader(path)
    return {name: field.contents() for name, field in reader.fields.items()}


@pytest.mark.parametrize(("arch", "tokenizer"), [("gpt_neox", "spm-unigram"), ("llama", "spm-bpe")])
def test_sentencepiece_model_is_embedded_exactly_and_tokenizes_identically(
    tiny_checkpoint, tmp_path: Path, arch: str, tokenizer: str
) -> None:
    import llama_cpp
    import sentencepiece

    folder = tiny_checkpoint(arch, tokenizer, "safetensors")
    spm_file = folder / ("spiece.model" if arch == "gpt_neox" else "tokenizer.model")
    result = convert_checkpoint(folder, tmp_path / "m.gguf", out_type="f16")
    fields = _fields(result.path)

    embedded = base64.b64decode(fields[gguf_keys.SPM_MODEL])
    assert embedded == spm_file.read_bytes()
    original = sentencepiece.SentencePieceProcessor(model_file=str(spm_file))
    engine = sentencepiece.SentencePieceProcessor(model_proto=embedded)  # what the engine does
    same = sum(engine.encode(line) == original.encode(line) for line in CORPUS)
    assert same == len(CORPUS)
    # And through the engine's tokenizer class, built from the GGUF key as the engine builds it.
    from models.tokenizer import SentencePieceTokenizer

    engine_tokenizer = SentencePieceTokenizer(fields[gguf_keys.SPM_MODEL], original.bos_id(), {})
    assert [engine_tokenizer.encode(line, add_bos=False) for line in CORPUS] == [
        original.encode(x) for x in CORPUS
    ]
    assert all(
        engine.decode(engine.encode(line)) == original.decode(original.encode(line)) for line in CORPUS
    )

    llm = llama_cpp.Llama(str(result.path), vocab_only=True, verbose=False)
    try:
        agree = [
            llm.tokenize(line.encode(), add_bos=False, special=False) == original.encode(line)
            for line in CORPUS
        ]
    finally:
        llm.close()
    print(
        f"\n{tokenizer}: sentencepiece via the GGUF {same}/{len(CORPUS)} identical; "
        f"llama.cpp's own tokenizer {sum(agree)}/{len(CORPUS)} ({100 * sum(agree) / len(CORPUS):.0f}%)"
    )
    for line, ok in zip(CORPUS, agree, strict=True):
        if not ok:
            print(f"  llama.cpp differs on: {line!r}")

    # Vocabulary keys llama.cpp reads.
    assert fields["tokenizer.ggml.model"] == "llama"
    tokens = fields["tokenizer.ggml.tokens"]
    assert len(tokens) == len(fields["tokenizer.ggml.token_type"]) == len(fields["tokenizer.ggml.scores"])
    assert tokens[: original.get_piece_size()] == [
        original.id_to_piece(i) for i in range(original.get_piece_size())
    ]
    assert fields["tokenizer.ggml.bos_token_id"] == original.bos_id()
    assert fields["tokenizer.ggml.eos_token_id"] == original.eos_id()
    assert fields["tokenizer.ggml.unknown_token_id"] == original.unk_id()
    types = fields["tokenizer.ggml.token_type"]
    assert all(types[i] == 6 for i in range(original.get_piece_size()) if original.is_byte(i))
    assert types[original.unk_id()] == 2 and types[original.bos_id()] == 3
    assert fields["tokenizer.ggml.add_space_prefix"] is True
    if arch == "gpt_neox":  # rinna: no BOS, <NL> for newlines, rinna chat format
        assert fields["tokenizer.ggml.padding_token_id"] == 0
        assert fields["tokenizer.ggml.add_bos_token"] is False
        assert types[tokens.index("<NL>")] == 4  # USER_DEFINED
        assert fields[gguf_keys.NEWLINE_MARKER] == "<NL>"
        assert fields[gguf_keys.CHAT_FORMAT] == "rinna"
    else:  # Llama 2 / ELYZA
        assert fields["tokenizer.ggml.add_bos_token"] is True
        assert gguf_keys.NEWLINE_MARKER not in fields
        assert fields[gguf_keys.CHAT_FORMAT] == "llama2"
    provenance = json.loads(fields[gguf_keys.CONVERSION])
    assert provenance["out_type"] == "f16" and provenance["source_architecture"].endswith("ForCausalLM")


def test_bpe_tokenizer_json_agrees_with_llama_cpp(tiny_checkpoint, tmp_path: Path) -> None:
    import llama_cpp
    from tokenizers import Tokenizer

    folder = tiny_checkpoint("gpt_neox", "bpe-json", "safetensors")
    result = convert_checkpoint(folder, tmp_path / "m.gguf", out_type="f16")
    fields = _fields(result.path)
    assert fields["tokenizer.ggml.model"] == "gpt2"
    assert fields["tokenizer.ggml.pre"] == "gpt-2"
    assert gguf_keys.SPM_MODEL not in fields and gguf_keys.CHAT_FORMAT not in fields
    hf = Tokenizer.from_file(str(folder / "tokenizer.json"))
    assert fields["tokenizer.ggml.eos_token_id"] == hf.token_to_id("<|endoftext|>")
    assert fields["tokenizer.ggml.token_type"][hf.token_to_id("<|endoftext|>")] == 3
    llm = llama_cpp.Llama(str(result.path), vocab_only=True, verbose=False)
    try:
        agree = [
            llm.tokenize(line.encode(), add_bos=False, special=False) == hf.encode(line).ids
            for line in CORPUS
        ]
    finally:
        llm.close()
    print(f"\nbpe-json: llama.cpp agrees with tokenizers on {sum(agree)}/{len(CORPUS)}")
    assert sum(agree) == len(CORPUS)


def test_a_checkpoint_chat_template_is_kept(tiny_checkpoint, tmp_path: Path) -> None:
    src = tiny_checkpoint("llama", "spm-bpe", "safetensors")
    folder = tmp_path / "with-template"
    shutil.copytree(src, folder)
    config_path = folder / "tokenizer_config.json"
    template = "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{% endfor %}"
    config_path.write_text(json.dumps({**json.loads(config_path.read_text()), "chat_template": template}))
    result = convert_checkpoint(folder, tmp_path / "m.gguf", out_type="f16")
    fields = _fields(result.path)
    assert fields["tokenizer.chat_template"] == template
    assert gguf_keys.CHAT_FORMAT not in fields  # the checkpoint's own template wins


def test_built_in_chat_formats_written_by_the_converter_exist_in_the_engine() -> None:
    from converters.vocab import _DEFAULT_CHAT_FORMATS
    from models.chat_templates import FORMATS

    assert set(_DEFAULT_CHAT_FORMATS.values()) <= set(FORMATS)


@pytest.mark.parametrize(("normalization", "marker"), [("nmt_nfkc", "<NL>"), ("identity", None)])
def test_newline_marker_only_when_the_tokenizer_drops_newlines(
    tmp_path: Path, normalization: str, marker: str | None
) -> None:
    """rinna japanese-gpt-neox normalizes "\\n" away and writes <NL>; a model that keeps newlines
    (identity normalization, like rinna bilingual) must not get a marker even if it has the piece."""
    import io

    import sentencepiece

    from converters.vocab.sentencepiece_vocab import load_sentencepiece_vocab
    from tests.converters.tiny import TRAINING_TEXT

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAINING_TEXT.splitlines()), model_writer=model, vocab_size=600,
        model_type="unigram", byte_fallback=True, character_coverage=1.0, hard_vocab_limit=False,
        user_defined_symbols=["<NL>"], normalization_rule_name=normalization, minloglevel=2,
    )  # fmt: skip
    path = tmp_path / "spiece.model"
    path.write_bytes(model.getvalue())
    vocab = load_sentencepiece_vocab(path, n_vocab=1024, default_add_bos=False)
    assert vocab.newline_marker == marker

    # The chat format follows: rinna's <NL> format, or the same turns with real newlines (bilingual).
    from converters.vocab import RINNA_NEWLINE_TEMPLATE, load_vocab
    from models.chat_templates import render_chat

    vocab = load_vocab(tmp_path, {}, 1024, "gptneox")
    if marker:
        assert (vocab.chat_format, vocab.chat_template) == ("rinna", None)
    else:
        assert (vocab.chat_format, vocab.chat_template) == (None, RINNA_NEWLINE_TEMPLATE)
        messages = [
            {"role": "user", "content": "日本の首都は？"},
            {"role": "assistant", "content": "東京です。"},
            {"role": "user", "content": "人口は？"},
        ]
        # rinna bilingual-gpt-neox-4b-instruction-sft's documented prompt.
        expected = "ユーザー: 日本の首都は？\nシステム: 東京です。\nユーザー: 人口は？\nシステム: "
        assert render_chat(messages, template=vocab.chat_template) == expected
