"""First run of a neural aligner: the download dialog offers size, progress, cancel and resume,
remembers the folder, takes a folder the user has, and with no network offers the offline aligner.

The Hub is unreachable from test machines: downloads run against tests/core/fake_hub.py, a local
HTTP server with the Hub's two endpoints (the network boundary); offline is HF_HUB_OFFLINE=1.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from aligner_core.align.models import QWEN3_ALIGNER
from desktop import settings
from desktop.alignment import AlignmentOptions
from desktop.dialogs.model_download import ModelDownloadDialog
from tests.core.fake_hub import FakeHub, closed_port_url, fake_model_folder

from .aligned_example import aligned_example, open_window

REPO = "org/tiny-ctc"


@pytest.fixture
def hub(tmp_path):
    with FakeHub({REPO: fake_model_folder(tmp_path / "remote", weights_bytes=4_000_000)}) as server:
        yield server


def _dialog(qtbot, hub, tmp_path) -> ModelDownloadDialog:
    dialog = ModelDownloadDialog(REPO, endpoint=hub.url, folder=tmp_path / "models" / "tiny")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.download_button.isEnabled(), timeout=10000)
    return dialog


def test_download_shows_its_size_and_remembers_the_folder(qtbot, hub, tmp_path):
    dialog = _dialog(qtbot, hub, tmp_path)
    assert "MB" in dialog.status.text() or "MiB" in dialog.status.text()  # the size, from the Hub's listing
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        dialog.download_button.click()
        assert dialog.bar.isVisible() and not dialog.folder_button.isEnabled()
    folder = tmp_path / "models" / "tiny"
    assert dialog.model_folder == str(folder)
    assert (folder / "model.safetensors").stat().st_size == 4_000_000
    assert settings.value("align/model", "") == str(folder)
    assert dialog.bar.value() == 1000


def test_stopping_keeps_what_arrived_and_a_new_dialog_resumes(qtbot, hub, tmp_path):
    dialog = _dialog(qtbot, hub, tmp_path)
    part = tmp_path / "models" / "tiny" / "model.safetensors.part"
    # stop as soon as some of the weights are in (the bar moves from the worker thread)
    dialog.bar.valueChanged.connect(lambda v: dialog.reject() if part.is_file() and part.stat().st_size else None)
    dialog.download_button.click()
    qtbot.waitUntil(lambda: "stopped" in dialog.status.text(), timeout=20000)
    assert dialog.isVisible() and dialog.result() != ModelDownloadDialog.DialogCode.Accepted
    assert dialog.download_button.text().replace("&", "") == "Resume download"
    kept = part.stat().st_size
    assert 0 < kept < 4_000_000
    assert settings.value("align/model", "") == ""
    dialog.close()

    again = _dialog(qtbot, hub, tmp_path)
    assert "still to fetch" in again.status.text()
    hub.ranges.clear()
    with qtbot.waitSignal(again.accepted, timeout=20000):
        again.download_button.click()
    assert f"bytes={kept}-" in hub.ranges
    assert (tmp_path / "models" / "tiny" / "model.safetensors").read_bytes() == (
        tmp_path / "remote" / "model.safetensors"
    ).read_bytes()


def test_a_folder_the_user_has_is_checked_then_remembered(qtbot, tmp_path):
    dialog = ModelDownloadDialog(REPO, endpoint=closed_port_url(), folder=tmp_path / "unused")
    qtbot.addWidget(dialog)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert not dialog.use_folder(str(empty))
    assert "config.json" in dialog.status.text()
    mine = fake_model_folder(tmp_path / "mine")
    (mine / "model.safetensors").unlink()  # only the pickle left: refused
    assert not dialog.use_folder(str(mine))
    assert "safetensors" in dialog.status.text()
    mine = fake_model_folder(tmp_path / "mine")
    with qtbot.waitSignal(dialog.accepted):
        assert dialog.use_folder(str(mine))
    assert settings.value("align/model", "") == str(mine)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)


def test_no_network_says_so_and_offers_the_offline_aligner(qtbot, tmp_path):
    dialog = ModelDownloadDialog(REPO, endpoint=closed_port_url(), folder=tmp_path / "unused")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.offline_button.isVisible(), timeout=10000)
    assert "cannot be reached" in dialog.status.text()
    assert not dialog.download_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        dialog.offline_button.click()
    assert dialog.use_offline and dialog.model_folder is None


@pytest.fixture(scope="module")
def example():
    return aligned_example()


def test_choosing_a_missing_model_offers_it_and_offline_switches_back(qtbot, example, monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))  # an empty cache: the model is missing
    window = open_window(qtbot, *example)
    window.actions["timing.align_settings"].trigger()
    chooser = window.alignment.settings_dialog
    chooser.aligner.setCurrentIndex(chooser.aligner.findData("qwen3"))
    chooser.model.setText("")
    chooser.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    offer = window.alignment.download_dialog
    assert offer is not None and offer.repo_id == QWEN3_ALIGNER and offer.isVisible()
    qtbot.waitUntil(lambda: offer.offline_button.isVisible(), timeout=10000)
    assert "cannot be reached" in offer.status.text()
    # Align while the offer is open does not start an alignment that would fail
    window.alignment.align_all()
    assert not window.busy
    offer.offline_button.click()
    assert window.alignment.download_dialog is None
    assert window.alignment.options == AlignmentOptions("sphinx", "", "cpu")
    assert settings.value("align/aligner", "") == "sphinx"
