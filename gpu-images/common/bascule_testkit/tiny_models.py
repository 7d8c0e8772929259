"""Tiny random models of the production architectures, built at test time (no download, no hub).

Each is the same architecture as the image's real model (Whisper large-v3's 128 mel bins and multilingual
vocabulary, TrOCR's ViT encoder + TrOCR decoder, Coqui's VITS), with a few thousand random weights: the
real libraries load and run them through every code path the service uses; only the answers are gibberish.
Built once per test session (they take seconds) into a pytest tmp folder.
"""
from __future__ import annotations

import json
import pathlib
from typing import Dict

from bascule_common.weights import write_manifest

# Whisper large-v3's special tokens, in vocabulary order after the 50 257 text tokens (faster-whisper looks
# them up by name in tokenizer.json; CTranslate2 checks the vocabulary size to decide "multilingual").
WHISPER_TEXT_TOKENS = 50_257
WHISPER_TIMESTAMPS = 1_501


def whisper_vocabulary() -> Dict[str, int]:
    from faster_whisper.tokenizer import _LANGUAGE_CODES  # the 100 languages of large-v3, in token order

    vocab: Dict[str, int] = {}
    # Byte-level tokens first (so any text encodes), then fillers up to the text vocabulary's size.
    from tokenizers.pre_tokenizers import ByteLevel

    for char in sorted(ByteLevel.alphabet()):
        vocab[char] = len(vocab)
    while len(vocab) < WHISPER_TEXT_TOKENS - 1:
        vocab[f"w{len(vocab)}"] = len(vocab)
    specials = ["<|endoftext|>", "<|startoftranscript|>"] + [f"<|{code}|>" for code in _LANGUAGE_CODES] + [
        "<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>", "<|notimestamps|>",
    ] + [f"<|{i * 0.02:.2f}|>" for i in range(WHISPER_TIMESTAMPS)]
    for token in specials:
        vocab[token] = len(vocab)
    return vocab


# The shapes of the production Whispers (Hugging Face's openai/whisper-large-v3 and -large-v3-turbo configs): a
# random model of these costs the GPU what the real one costs for the same number of tokens (scripts/gpu-bench.py).
WHISPER_ARCHITECTURES: Dict[str, Dict[str, int]] = {
    "tiny": dict(d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
                 encoder_ffn_dim=64, decoder_ffn_dim=64),
    "large-v3": dict(d_model=1280, encoder_layers=32, decoder_layers=32, encoder_attention_heads=20,
                     decoder_attention_heads=20, encoder_ffn_dim=5120, decoder_ffn_dim=5120),
    "large-v3-turbo": dict(d_model=1280, encoder_layers=32, decoder_layers=4, encoder_attention_heads=20,
                           decoder_attention_heads=20, encoder_ffn_dim=5120, decoder_ffn_dim=5120),
}


def build_tiny_whisper(folder: pathlib.Path) -> pathlib.Path:
    """A CTranslate2 Whisper model folder (model.bin, config.json, tokenizer.json, preprocessor_config.json)
    that faster_whisper.WhisperModel(folder, device="cpu", compute_type="float32") loads."""
    return build_random_whisper(folder, "tiny")


def build_random_whisper(folder: pathlib.Path, architecture: str, quantization: str = "float32") -> pathlib.Path:
    """A random Whisper of one of WHISPER_ARCHITECTURES, converted to CTranslate2 (stored in `quantization`;
    the service's compute_type converts it again at load, as it does the real weights)."""
    import ctranslate2
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import WhisperConfig, WhisperForConditionalGeneration

    vocab = whisper_vocabulary()
    special_ids = {t: i for t, i in vocab.items() if t.startswith("<|")}
    hf = folder / "hf"
    hf.mkdir(parents=True, exist_ok=True)
    tokenizer = Tokenizer(models.WordLevel(vocab={t: i for t, i in vocab.items() if not t.startswith("<|")}, unk_token="w256"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens(list(special_ids))
    tokenizer.save(str(hf / "tokenizer.json"))
    (hf / "preprocessor_config.json").write_text(json.dumps({
        "feature_extractor_type": "WhisperFeatureExtractor", "feature_size": 128, "sampling_rate": 16000,
        "hop_length": 160, "chunk_length": 30, "n_fft": 400, "n_samples": 480000, "nb_max_frames": 3000,
        "padding_side": "right", "padding_value": 0.0, "return_attention_mask": False,
    }))
    config = WhisperConfig(
        vocab_size=len(vocab), num_mel_bins=128, **WHISPER_ARCHITECTURES[architecture],
        max_source_positions=1500, max_target_positions=448,
        pad_token_id=special_ids["<|endoftext|>"], bos_token_id=special_ids["<|endoftext|>"],
        eos_token_id=special_ids["<|endoftext|>"], decoder_start_token_id=special_ids["<|startoftranscript|>"],
    )
    torch.manual_seed(0)
    model = WhisperForConditionalGeneration(config)
    model.generation_config.suppress_tokens = []
    model.generation_config.begin_suppress_tokens = [special_ids["<|endoftext|>"]]
    model.generation_config.lang_to_id = {t: i for t, i in special_ids.items() if t[2:-2].isalpha() and len(t) <= 8
                                          and t not in ("<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|nospeech|>")}
    model.generation_config.alignment_heads = [[0, 0]]
    model.generation_config.is_multilingual = True
    model.save_pretrained(hf)
    out = folder / "ct2"
    converter = ctranslate2.converters.TransformersConverter(
        str(hf), copy_files=["tokenizer.json", "preprocessor_config.json"], load_as_float16=False
    )
    converter.convert(str(out), quantization=quantization, force=True)
    write_manifest(out, {"repo": f"random-whisper-{architecture}", "revision": "test"})  # as fill_models does
    return out


# microsoft/trocr-base-handwritten's shapes: a ViT-base encoder on 384 px images, a 12-layer 1024-wide decoder
# over RoBERTa's 50 265 tokens.
TROCR_ARCHITECTURES: Dict[str, Dict[str, Dict[str, int]]] = {
    "tiny": {"encoder": dict(image_size=32, patch_size=16, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                             intermediate_size=64),
             "decoder": dict(d_model=32, decoder_layers=1, decoder_attention_heads=2, decoder_ffn_dim=64,
                             max_position_embeddings=64),
             "vocab": {"size": 0}},
    "base": {"encoder": dict(image_size=384, patch_size=16, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                             intermediate_size=3072),
             "decoder": dict(d_model=1024, decoder_layers=12, decoder_attention_heads=16, decoder_ffn_dim=4096,
                             max_position_embeddings=512),
             "vocab": {"size": 50_265}},
}


def build_tiny_trocr(folder: pathlib.Path) -> pathlib.Path:
    """A TrOCR folder (ViT encoder + TrOCR decoder, processor with a ViT image processor and a RoBERTa BPE
    tokenizer made here) that TrOCRProcessor / VisionEncoderDecoderModel.from_pretrained(local_files_only=True)
    load like microsoft/trocr-base-handwritten."""
    return build_random_trocr(folder, "tiny")


def build_random_trocr(folder: pathlib.Path, architecture: str, min_new_tokens: int = 0) -> pathlib.Path:
    """A random TrOCR of one of TROCR_ARCHITECTURES; min_new_tokens > 0 keeps it from ending early (a random
    decoder may write its end token at once), so that it decodes as many tokens as a real reading of a letter."""
    shapes = TROCR_ARCHITECTURES[architecture]
    import torch
    from transformers import (RobertaTokenizer, TrOCRConfig, TrOCRProcessor, ViTConfig, ViTImageProcessor,
                              VisionEncoderDecoderConfig, VisionEncoderDecoderModel)

    folder.mkdir(parents=True, exist_ok=True)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàâçéèêëîïôùûü"
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    from tokenizers.pre_tokenizers import ByteLevel

    for char in sorted(ByteLevel.alphabet()):
        vocab.setdefault(char, len(vocab))
    while len(vocab) < shapes["vocab"]["size"] - 1:  # fillers up to the real vocabulary's size
        vocab[f"t{len(vocab)}"] = len(vocab)
    vocab["<mask>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = RobertaTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"))
    assert all(tokenizer.convert_tokens_to_ids(c) != tokenizer.unk_token_id for c in letters[:52])
    side = shapes["encoder"]["image_size"]
    image_processor = ViTImageProcessor(size={"height": side, "width": side}, do_resize=True, do_normalize=True,
                                        image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5])
    processor = TrOCRProcessor(image_processor=image_processor, tokenizer=tokenizer)
    encoder = ViTConfig(**shapes["encoder"])
    decoder = TrOCRConfig(vocab_size=len(vocab), **shapes["decoder"], pad_token_id=1, bos_token_id=0,
                          eos_token_id=2, decoder_start_token_id=2)
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    config.decoder_start_token_id, config.pad_token_id, config.eos_token_id = 2, 1, 2
    torch.manual_seed(0)
    model = VisionEncoderDecoderModel(config=config)
    model.generation_config.decoder_start_token_id = 2
    model.generation_config.pad_token_id = 1
    model.generation_config.eos_token_id = 2
    if min_new_tokens:
        model.generation_config.min_new_tokens = min_new_tokens
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    write_manifest(folder, {"repo": f"random-trocr-{architecture}", "revision": "test"})  # as fill_models does
    return folder


def build_tiny_vits(tts_home: pathlib.Path, model_id: str = "tts_models/fr/css10/vits") -> pathlib.Path:
    return build_random_vits(tts_home, "tiny", model_id)


def build_random_vits(tts_home: pathlib.Path, architecture: str, model_id: str = "tts_models/fr/css10/vits") -> pathlib.Path:
    """A random VITS checkpoint (French, phonemes from espeak-ng) written where Coqui's model manager looks for
    `model_id` ($TTS_HOME/tts/tts_models--fr--css10--vits/), so TTS(model_name=model_id) loads it without a
    download, exactly as it loads the real voice from the filled volume."""
    import torch
    from TTS.tts.configs.vits_config import VitsConfig
    from TTS.tts.models.vits import Vits, VitsArgs

    folder = tts_home / "tts" / model_id.replace("/", "--")
    folder.mkdir(parents=True, exist_ok=True)
    # "full": Coqui's VitsArgs defaults, the shape of its VITS recipes (css10 among them); "tiny": a few thousand weights.
    args = VitsArgs() if architecture == "full" else VitsArgs(
        hidden_channels=16, hidden_channels_ffn_text_encoder=32, num_heads_text_encoder=2, num_layers_text_encoder=1,
        num_layers_flow=1, num_layers_posterior_encoder=1, dropout_p_duration_predictor=0.1,
        upsample_rates_decoder=[8, 8, 4], upsample_initial_channel_decoder=32,
        upsample_kernel_sizes_decoder=[16, 16, 8], resblock_kernel_sizes_decoder=[3], resblock_dilation_sizes_decoder=[[1, 3, 5]],
        spec_segment_size=8,
    )
    config = VitsConfig(
        model_args=args, use_phonemes=True, phonemizer="espeak", phoneme_language="fr-fr",
        text_cleaner="multilingual_cleaners", compute_input_seq_cache=False,
    )
    config.audio.sample_rate = 22050
    torch.manual_seed(0)
    model = Vits.init_from_config(config)
    torch.save({"model": model.state_dict()}, folder / "model_file.pth")
    config.save_json(str(folder / "config.json"))
    write_manifest(folder.parent, {"models": [model_id]})  # as fill_models does, over $TTS_HOME/tts
    return folder
