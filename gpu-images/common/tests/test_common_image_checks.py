"""The packaging checks the image tests rely on can fail."""
from bascule_testkit.image_checks import spec_problems, unpinned_lines


def test_only_exact_pins_pass():
    text = "# comment\nfastapi==0.115.5\ntorch>=2\nnumpy\ncoqui-tts[codec]==0.24.2  # extras are fine\nuvicorn~=0.32\n"
    assert unpinned_lines(text) == ["torch>=2", "numpy", "uvicorn~=0.32"]


def test_image_spec_needs_name_port_vram_and_health_path():
    good = {"name": "tts", "port": 8002, "vramMb": 1000, "healthPath": "/health"}
    assert spec_problems(good, "tts") == []
    bad = {"name": "other", "port": "8002", "vramMb": 0}
    assert [p.split(":")[0] for p in spec_problems(bad, "tts")] == ["name", "port", "vramMb", "healthPath"]
