"""Model acquisition: local folders, the HF cache layout, offline mode, safetensors only."""

from __future__ import annotations

import json

import pytest

from aligner_core.align.models import (
    ALLOW_PATTERNS,
    QWEN3_ALIGNER,
    LayerTicks,
    check_model_folder,
    hub_cache_dir,
    is_model_available,
    looks_like_repo_id,
    offline_mode,
    progress_bar_class,
    resolve_model,
)
from aligner_core.align.types import ModelUnavailable
from aligner_core.progress import CancelToken, Cancelled


@pytest.fixture
def isolated_hub(tmp_path, monkeypatch):
    """An empty HF home, offline: nothing here may touch the network."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return tmp_path / "hf"


def _model_folder(folder, weights=("model.safetensors",)):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps({"model_type": "wav2vec2"}), encoding="utf-8")
    for name in weights:
        (folder / name).write_bytes(b"\0" * 16)
    return folder


def _fake_cache(hf_home, repo_id, weights=("model.safetensors",), commit="0123456789abcdef0123456789abcdef01234567"):
    repo = hf_home / "hub" / ("models--" + repo_id.replace("/", "--"))
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit, encoding="utf-8")
    return _model_folder(repo / "snapshots" / commit, weights)


def test_local_folder(tmp_path, isolated_hub):
    folder = _model_folder(tmp_path / "my-model")
    assert resolve_model(str(folder), allow_download=False) == folder
    assert is_model_available(folder)


def test_sharded_local_folder_must_be_complete(tmp_path, isolated_hub):
    folder = _model_folder(tmp_path / "sharded", weights=("model-00001-of-00002.safetensors",))
    index = {"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="incomplete"):
        resolve_model(str(folder))
    (folder / "model-00002-of-00002.safetensors").write_bytes(b"\0")
    assert resolve_model(str(folder)) == folder


def test_bin_only_folder_is_refused(tmp_path, isolated_hub):
    folder = _model_folder(tmp_path / "old-model", weights=("pytorch_model.bin",))
    with pytest.raises(ModelUnavailable, match="safetensors") as err:
        resolve_model(str(folder))
    assert "--aligner sphinx" in str(err.value)
    assert not is_model_available(folder)


def test_missing_local_path(tmp_path, isolated_hub):
    with pytest.raises(ModelUnavailable, match="no model folder"):
        resolve_model(str(tmp_path / "nowhere" / "model"))
    with pytest.raises(ModelUnavailable, match="not a model folder"):
        resolve_model(str(tmp_path))


def test_missing_model_offline_names_the_alternative(isolated_hub):
    assert offline_mode()
    with pytest.raises(ModelUnavailable) as err:
        resolve_model(QWEN3_ALIGNER, allow_download=True)
    message = str(err.value)
    assert message.startswith("Qwen3-ForcedAligner is not downloaded and the network is off")
    assert "--aligner sphinx" in message and "--model PATH" in message
    assert message.count(".") <= 2  # one sentence (the version number has the other dot)
    assert not is_model_available(QWEN3_ALIGNER)


def test_downloads_turned_off(isolated_hub, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    assert not offline_mode()
    with pytest.raises(ModelUnavailable, match="downloads are turned off"):
        resolve_model("someone/some-model", allow_download=False, alternative="pick another model")


def test_found_in_the_hf_cache(isolated_hub):
    assert hub_cache_dir() == isolated_hub / "hub"
    snapshot = _fake_cache(isolated_hub, QWEN3_ALIGNER)
    assert is_model_available(QWEN3_ALIGNER)
    assert resolve_model(QWEN3_ALIGNER, allow_download=False).resolve() == snapshot.resolve()


def test_cached_bin_only_repo_is_refused(isolated_hub):
    _fake_cache(isolated_hub, "facebook/old-wav2vec2", weights=("pytorch_model.bin",))
    with pytest.raises(ModelUnavailable, match="only PyTorch .bin"):
        resolve_model("facebook/old-wav2vec2")
    assert not is_model_available("facebook/old-wav2vec2")


def test_repo_ids_and_paths():
    assert looks_like_repo_id("Qwen/Qwen3-ForcedAligner-0.6B-hf")
    assert looks_like_repo_id("wav2vec2-base")
    assert not looks_like_repo_id("./models/x")
    assert not looks_like_repo_id("/abs/path/model")
    assert not looks_like_repo_id("a/b/c")
    assert "*.bin" not in ALLOW_PATTERNS and "*.safetensors" in ALLOW_PATTERNS


def test_check_model_folder_message_is_one_sentence(tmp_path):
    with pytest.raises(ModelUnavailable) as err:
        check_model_folder(_model_folder(tmp_path / "empty", weights=()), alternative="use sphinx")
    assert str(err.value).endswith("use sphinx.")


def test_download_progress_bar_reports_bytes_and_cancels():
    pytest.importorskip("huggingface_hub")
    seen = []
    token = CancelToken()
    bar_class = progress_bar_class(lambda f, s: seen.append((f, s)), token, total_bytes=200)
    bar = bar_class(total=100, unit="B", name="huggingface_hub.snapshot_download")
    files = bar_class(total=3)  # the per-file counter does not report bytes
    bar.update(50)
    files.update(1)
    bar.update(50)
    assert seen == [(0.25, "downloading model"), (0.5, "downloading model")]
    token.cancel()
    with pytest.raises(Cancelled):
        bar.update(10)


def test_layer_ticks_report_each_layer_and_can_cancel():
    torch = pytest.importorskip("torch")

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    net = Net()
    ticks = []
    with LayerTicks(net, lambda done, total: ticks.append((done, total))):
        net(torch.zeros(1, 2))
    assert ticks == [(1, 3), (2, 3), (3, 3)]
    net(torch.zeros(1, 2))  # hooks are gone after the block
    assert len(ticks) == 3

    def cancel_at_two(done, total):
        if done == 2:
            raise Cancelled("stop")

    with pytest.raises(Cancelled), LayerTicks(net, cancel_at_two):
        net(torch.zeros(1, 2))
