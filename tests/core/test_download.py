"""aligner_core.align.download: plan with sizes, resumable download, cancel, no network."""

from __future__ import annotations

import pytest

from aligner_core.align.download import HubUnreachable, download, plan_download
from aligner_core.align.models import is_model_available
from aligner_core.align.types import ModelUnavailable
from aligner_core.progress import Cancelled, CancelToken

from .fake_hub import SHA, FakeHub, closed_port_url, fake_model_folder

pytest.importorskip("huggingface_hub")
REPO = "org/tiny-ctc"


@pytest.fixture
def hub(tmp_path):
    with FakeHub({REPO: fake_model_folder(tmp_path / "remote")}) as server:
        yield server


def test_plan_lists_only_safe_files_with_sizes(hub):
    plan = plan_download(REPO, endpoint=hub.url)
    names = sorted(f.name for f in plan.files)
    assert names == ["config.json", "model.safetensors", "vocab.json"]  # no .bin pickle, no README
    assert plan.revision == SHA
    assert plan.total_bytes == sum(f.size for f in plan.files) > 3_000_000


def test_download_makes_a_loadable_folder(hub, tmp_path):
    plan = plan_download(REPO, endpoint=hub.url)
    seen = []
    folder = download(plan, tmp_path / "local", progress=lambda f, s: seen.append(f))
    assert (folder / "model.safetensors").read_bytes() == (tmp_path / "remote" / "model.safetensors").read_bytes()
    assert not list(folder.glob("*.part"))
    assert is_model_available(str(folder))
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert plan.missing_bytes(folder) == 0


def _cancel_after_a_megabyte(plan, local) -> None:
    """Download ``plan`` into ``local`` and cancel it once a megabyte has come."""
    token = CancelToken()

    def progress(fraction, stage):
        if fraction * plan.total_bytes > 1_000_000:
            token.cancel()

    with pytest.raises(Cancelled):
        download(plan, local, progress=progress, cancel=token)


def test_cancel_keeps_the_part_and_the_next_download_resumes_it(hub, tmp_path):
    plan = plan_download(REPO, endpoint=hub.url)
    local = tmp_path / "local"
    _cancel_after_a_megabyte(plan, local)
    part = local / "model.safetensors.part"
    kept = part.stat().st_size
    assert 0 < kept < 3_000_000
    assert not is_model_available(str(local))
    assert plan.missing_bytes(local) == plan.total_bytes - kept - sum(
        (local / f.name).stat().st_size for f in plan.files if (local / f.name).is_file()
    )

    hub.ranges.clear()
    fractions = []
    download(plan, local, progress=lambda f, s: fractions.append(f))
    assert f"bytes={kept}-" in hub.ranges  # asked only for the rest
    assert fractions[0] >= kept / plan.total_bytes  # progress starts where it stopped
    assert (local / "model.safetensors").read_bytes() == (tmp_path / "remote" / "model.safetensors").read_bytes()


def test_offline_mode_never_asks_the_hub(hub, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(HubUnreachable, match="network is turned off"):
        plan_download(REPO, endpoint=hub.url)


def test_no_network_is_told_apart_from_a_missing_repository(hub):
    with pytest.raises(HubUnreachable, match="cannot be reached"):
        plan_download(REPO, endpoint=closed_port_url(), timeout=5)
    with pytest.raises(ModelUnavailable) as missing:
        plan_download("org/nothing-here", endpoint=hub.url)
    assert not isinstance(missing.value, HubUnreachable)


# -- a sherpa-onnx SenseVoice export: its own allow-list and check ------------------------------
SV_REPO = "csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17"


def _sensevoice_repo(folder):
    """The shape of the real repository: the int8 export and tokens.txt, beside a big float
    export, test recordings and a README that a download must leave alone."""
    pytest.importorskip("onnx")
    from .tiny_sensevoice import build_tiny_sensevoice

    build_tiny_sensevoice(folder, weights="model.int8.onnx", pad_bytes=2_500_000)
    (folder / "model.onnx").write_bytes(bytes(i % 241 for i in range(6_000_000)))  # the decoy
    (folder / "test_wavs").mkdir()
    (folder / "test_wavs" / "en.wav").write_bytes(b"RIFF" + bytes(1000))
    (folder / "test_wavs" / "tokens.txt").write_text("decoy 0\n")
    (folder / "README.md").write_text("# SenseVoice")
    return folder


@pytest.fixture
def sv_hub(tmp_path):
    with FakeHub({SV_REPO: _sensevoice_repo(tmp_path / "remote-sv"), REPO: fake_model_folder(tmp_path / "remote")}) as server:
        yield server


def test_sensevoice_plan_takes_only_the_int8_export_and_its_tokens(sv_hub):
    plan = plan_download(SV_REPO, endpoint=sv_hub.url)
    assert plan.kind == "sensevoice"
    assert sorted(f.name for f in plan.files) == ["model.int8.onnx", "tokens.txt"]  # no 6 MB decoy, no test files
    assert plan.total_bytes < 3_000_000
    asked = plan_download(SV_REPO, kind="sensevoice-full", endpoint=sv_hub.url)
    assert sorted(f.name for f in asked.files) == ["model.onnx", "tokens.txt"]  # the float model only when asked


def test_a_repository_without_the_export_is_refused_before_downloading(sv_hub):
    with pytest.raises(ModelUnavailable, match="no model.int8.onnx"):
        plan_download(REPO, kind="sensevoice", endpoint=sv_hub.url)


def test_sensevoice_download_resumes_and_sherpa_onnx_decodes_the_result(sv_hub, tmp_path):
    pytest.importorskip("sherpa_onnx")
    from aligner_core.transcribe.sensevoice import SenseVoiceRecogniser

    from .tiny_sensevoice import tone_bursts

    plan = plan_download(SV_REPO, endpoint=sv_hub.url)
    local = tmp_path / "local-sv"
    _cancel_after_a_megabyte(plan, local)
    kept = (local / "model.int8.onnx.part").stat().st_size
    assert 0 < kept < plan.total_bytes
    sv_hub.ranges.clear()
    folder = download(plan, local)
    assert f"bytes={kept}-" in sv_hub.ranges
    assert sorted(p.name for p in folder.iterdir()) == ["model.int8.onnx", "tokens.txt"]
    rec = SenseVoiceRecogniser(folder, language="en")
    try:
        (heard,) = rec.decode([tone_bursts("LH")])
    finally:
        rec.close()
    assert [w.text for w in heard.words] == ["hello", "world"]


def test_a_damaged_sensevoice_download_is_one_sentence_not_a_folder(tmp_path):
    pytest.importorskip("onnx")
    from .tiny_sensevoice import build_tiny_sensevoice

    remote = build_tiny_sensevoice(tmp_path / "remote-bad", weights="model.int8.onnx")
    (remote / "tokens.txt").write_text("garbage\n" * 3)
    with FakeHub({SV_REPO: remote}) as hub:
        plan = plan_download(SV_REPO, endpoint=hub.url)
        with pytest.raises(ModelUnavailable, match="tokens.txt"):
            download(plan, tmp_path / "local")
