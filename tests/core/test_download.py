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


def test_cancel_keeps_the_part_and_the_next_download_resumes_it(hub, tmp_path):
    plan = plan_download(REPO, endpoint=hub.url)
    token = CancelToken()
    local = tmp_path / "local"

    def cancel_after_a_megabyte(fraction, stage):
        if fraction * plan.total_bytes > 1_000_000:
            token.cancel()

    with pytest.raises(Cancelled):
        download(plan, local, progress=cancel_after_a_megabyte, cancel=token)
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
