"""Device profiles: recommendations checked against real model shapes (rinna 3.6B, Llama 2 7B/13B)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converters.profiles import GB, PROFILES, get_profile, model_shape, recommend
from models.errors import ConfigError

# Shapes from the models' own config.json files.
RINNA_36B = {
    "architectures": ["GPTNeoXForCausalLM"],
    "hidden_size": 2816,
    "num_hidden_layers": 36,
    "num_attention_heads": 22,
    "intermediate_size": 11264,
    "vocab_size": 32000,
    "tie_word_embeddings": False,
}
LLAMA2_7B = {
    "architectures": ["LlamaForCausalLM"],
    "hidden_size": 4096,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 32,
    "intermediate_size": 11008,
    "vocab_size": 32000,
}
LLAMA2_13B = {
    "architectures": ["LlamaForCausalLM"],
    "hidden_size": 5120,
    "num_hidden_layers": 40,
    "num_attention_heads": 40,
    "num_key_value_heads": 40,
    "intermediate_size": 13824,
    "vocab_size": 32000,
}


def test_profiles_are_data_with_the_required_devices() -> None:
    assert {"desktop-24gb", "laptop-16gb", "mac-8gb", "phone-4gb"} <= set(PROFILES)
    phone = PROFILES["phone-4gb"]
    assert 2.0 * GB <= phone.usable_bytes <= 2.5 * GB  # ≈ 2–2.5 GiB for one app
    for profile in PROFILES.values():
        assert profile.quants and profile.default_ctx >= profile.min_ctx
    with pytest.raises(ConfigError, match="phone-4gb"):
        get_profile("phone-2gb")


def test_parameter_counts_match_the_published_sizes() -> None:
    assert model_shape(RINNA_36B).n_params == pytest.approx(3.6e9, rel=0.05)
    assert model_shape(LLAMA2_7B).n_params == pytest.approx(6.74e9, rel=0.01)
    assert model_shape(LLAMA2_13B).n_params == pytest.approx(13.0e9, rel=0.01)


def test_rinna_at_4_bits_fits_a_phone() -> None:
    rec = recommend(RINNA_36B, "phone-4gb")
    assert rec.fits and rec.quant in ("Q4_K_M", "Q4_K_S", "Q4_0")
    assert 1.8 * GB <= rec.estimate_bytes <= rec.budget_bytes
    assert "recommended" in rec.text()


def test_llama2_13b_q4_k_m_fits_a_laptop_but_not_an_8gb_mac() -> None:
    laptop = recommend(LLAMA2_13B, "laptop-16gb")
    assert laptop.fits
    mac = recommend(LLAMA2_13B, "mac-8gb")
    assert not mac.fits
    assert mac.warning and "nothing fits" in mac.warning
    q4km = [o for o in mac.options if o.quant == "Q4_K_M"]
    assert q4km and 7 * GB <= q4km[0].bytes <= 9 * GB and not q4km[0].fits


def test_llama2_7b_f16_does_not_fit_a_laptop() -> None:
    desktop = recommend(LLAMA2_7B, "desktop-24gb")
    assert desktop.quant == "F16"  # 13.5 GB of weights fit in 20 GB
    laptop = recommend(LLAMA2_7B, "laptop-16gb")
    assert laptop.fits and laptop.quant != "F16"
    from models.memory import estimate_params

    shape = model_shape(LLAMA2_7B)
    f16 = estimate_params(
        shape.n_params, "F16", n_ctx=1024, n_layer=32, n_embd=4096, n_head=32, n_head_kv=32, vocab_size=32000
    )
    assert f16.total_bytes > PROFILES["laptop-16gb"].usable_bytes


def test_recommendation_from_a_checkpoint_folder_and_a_bare_count(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps(RINNA_36B))
    from_folder = recommend(tmp_path, "mac-8gb")
    assert from_folder.fits and from_folder.shape.n_params == model_shape(RINNA_36B).n_params
    bare = recommend(7_000_000_000, "phone-4gb")
    assert not bare.fits and bare.warning
