"""The fakes of faster_whisper, TTS and transformers take exactly the real libraries' arguments (no **kwargs):
each fake signature is compared with the installed library's, so a fake cannot accept an argument the real
call would refuse (vad_params=, logprob_threshold=, TTS(device=), generate(max_new_token=) ...)."""
import importlib
import inspect

import pytest

from bascule_testkit.third_party import FAKED_SIGNATURES, fake_modules

FAKES = fake_modules()
VARIADIC = (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)


def keyword_names_accepted_through_kwargs(module: str, cls: str, method: str):
    """What a real method that ends in **kwargs documents accepting there."""
    if (cls, method) == ("VisionEncoderDecoderModel", "generate"):
        from transformers import GenerationConfig

        config = GenerationConfig()
        return lambda name: hasattr(config, name)
    if (cls, method) == ("VisionEncoderDecoderModel", "from_pretrained"):
        from transformers import PreTrainedModel

        explicit = set(inspect.signature(PreTrainedModel.from_pretrained).parameters)
        return lambda name: name in explicit or name == "torch_dtype"  # torch_dtype: documented model kwarg
    return lambda name: False


def signature(module_name: str, cls: str, method: str, modules) -> inspect.Signature:
    module = modules[module_name] if isinstance(modules, dict) else importlib.import_module(module_name)
    return inspect.signature(getattr(getattr(module, cls), method))


@pytest.mark.parametrize("module,cls,method", FAKED_SIGNATURES, ids=lambda x: str(x))
def test_each_fake_takes_the_real_arguments_with_the_real_defaults(module, cls, method):
    fake = signature(module, cls, method, FAKES).parameters
    real = signature(module, cls, method, None).parameters
    assert not [p for p in fake.values() if p.kind in VARIADIC], f"the fake {cls}.{method} must not take *args/**kwargs"
    through_kwargs = keyword_names_accepted_through_kwargs(module, cls, method)
    for name, param in fake.items():
        if name in real:
            if param.default is not inspect.Parameter.empty and real[name].default is not inspect.Parameter.empty:
                assert param.default == real[name].default, f"{cls}.{method}({name}=): fake default {param.default!r}, real {real[name].default!r}"
        else:
            assert any(p.kind == inspect.Parameter.VAR_KEYWORD for p in real.values()) and through_kwargs(name), (
                f"{cls}.{method}: the fake takes {name}=, which the real library does not")
    required = [n for n, p in real.items() if p.default is inspect.Parameter.empty and p.kind not in VARIADIC and n not in ("self", "cls")]
    assert [n for n in required if n not in fake] == [], f"{cls}.{method}: the fake lacks required arguments"


def test_a_fake_refuses_a_misspelt_argument_like_the_real_call():
    whisper = FAKES["faster_whisper"].WhisperModel("tiny")
    with pytest.raises(TypeError):
        whisper.transcribe(None, vad_params={})
    with pytest.raises(TypeError):
        FAKES["TTS.api"].TTS(model_name="tts_models/fr/css10/vits", device="cuda")
