"""First run of a neural aligner: the download dialog offers size, progress, cancel and resume,
remembers the folder, takes a folder the user has, and with no network offers the offline aligner.

The Hub is unreachable from test machines: downloads run against tests/core/fake_hub.py, a local
HTTP server with the Hub's two endpoints (the network boundary); offline is HF_HUB_OFFLINE=1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from aligner_core.align.models import QWEN3_ALIGNER
from desktop import settings
from desktop.alignment import AlignmentOptions
from desktop.dialogs.model_download import ModelDownloadDialog
from tests.core.fake_hub import FakeHub, closed_port_url, fake_model_folder

from .aligned_example import aligned_example, open_window
from .english import english_sentences

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


def test_download_shows_its_size_and_gives_the_folder(qtbot, hub, tmp_path):
    dialog = _dialog(qtbot, hub, tmp_path)
    assert "MB" in dialog.status.text() or "MiB" in dialog.status.text()  # the size, from the Hub's listing
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        dialog.download_button.click()
        assert dialog.bar.isVisible() and not dialog.folder_button.isEnabled()
    folder = tmp_path / "models" / "tiny"
    assert dialog.model_folder == str(folder)
    assert (folder / "model.safetensors").stat().st_size == 4_000_000
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
    assert dialog.model_folder is None
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
    assert dialog.model_folder == str(mine)
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
    assert settings.value("align/en/aligner", "") == "sphinx"
    assert AlignmentOptions.load("zh").aligner == "auto"  # English's choice is not Chinese's


# -- a Chinese user's first alignment ----------------------------------------------------------------

CHINESE = "我的美国同胞们，不要问国家能为你们做些什么，而要问你们能为国家做些什么。"


def test_chinese_align_without_a_model_offers_the_download_in_chinese_then_aligns(qtbot, monkeypatch, tmp_path):
    import huggingface_hub.constants
    from PySide6.QtWidgets import QApplication

    from aligner_core.audio import decode
    from aligner_core.document import Document
    from aligner_core.text import tokenize
    from desktop import i18n
    from desktop.main_window import EXAMPLE_DIR, MainWindow
    from tests.core.tiny_models import build_tiny_qwen3_aligner

    remote = build_tiny_qwen3_aligner(tmp_path / "remote", num_labels=200)  # 16 s: JFK fits one window
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))  # nothing cached: the model is missing
    app = QApplication.instance()
    with FakeHub({QWEN3_ALIGNER: remote}) as hub:
        monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", hub.url)  # the stand-in hub
        try:
            assert i18n.install_translators(app, i18n.CHINESE) == i18n.CHINESE
            window = MainWindow()
            window.setProperty("quiet_errors", True)
            qtbot.addWidget(window)
            window.show()
            audio = decode(EXAMPLE_DIR / "jfk.flac")
            window.session.set_audio(audio, EXAMPLE_DIR / "jfk.flac")
            window.session.set_document(Document(tokenize(CHINESE, "zh"), [], audio.duration_ms, "zh"))
            assert window.alignment.options.aligner == "auto"

            window.actions["timing.align"].trigger()
            offer = window.alignment.download_dialog
            assert offer is not None and offer.repo_id == QWEN3_ALIGNER and offer.isVisible()
            assert not window.busy  # nothing runs until the model is in
            qtbot.waitUntil(offer.download_button.isEnabled, timeout=20000)
            assert not offer.offline_button.isVisible()  # English-only: never offered for Chinese
            shown = [offer.windowTitle(), offer.intro.text(), offer.status.text()] + [
                b.text() for b in (offer.download_button, offer.folder_button, offer.cancel_button)]
            assert english_sentences(shown) == [], shown

            offer.download_button.click()
            qtbot.waitUntil(lambda: window.alignment.download_dialog is None, timeout=60000)
            qtbot.waitUntil(lambda: not window.busy, timeout=120000)
            assert any(t.aligned for t in window.session.document.tokens), window.stage_label.text()
            assert english_sentences([window.stage_label.text()]) == [], window.stage_label.text()
            assert "词" in window.stage_label.text() or "对齐" in window.stage_label.text()
            assert settings.value("align/zh/aligner", "") == "qwen3"
            assert AlignmentOptions.load("zh").model.endswith("Qwen3-ForcedAligner-0.6B-hf")
            assert AlignmentOptions.load("en").aligner != "qwen3"  # Chinese's choice is not English's
        finally:
            i18n.install_translators(app, i18n.ENGLISH)


def test_offline_is_never_offered_for_chinese_even_without_a_network(qtbot, tmp_path):
    dialog = ModelDownloadDialog(QWEN3_ALIGNER, endpoint=closed_port_url(), folder=tmp_path / "unused", offline_ok=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.status.text(), timeout=10000)
    assert not dialog.offline_button.isVisible() and "offline aligner" not in dialog.status.text()
    dialog.choose_offline()
    assert not dialog.use_offline and dialog.isVisible()


def test_new_downloads_go_to_a_folder_that_names_wordsync_once(qtbot, hub):
    from PySide6.QtCore import QCoreApplication

    dialog = ModelDownloadDialog(REPO, endpoint=hub.url)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.download_button.isEnabled(), timeout=10000)  # the size lookup is done
    parts = dialog.folder.parts
    assert parts[-2:] == ("models", "org--tiny-ctc")
    assert parts[-3] == QCoreApplication.applicationName()
    assert parts[-4] != parts[-3], parts  # it read …/Wordsync/Wordsync/models


def test_a_download_in_the_old_doubled_folder_is_still_found_and_resumed_there(qtbot, hub, tmp_path):
    from PySide6.QtCore import QStandardPaths

    from desktop.dialogs.model_download import models_folder

    old = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)) / "models" / "org--tiny-ctc"
    assert old.parts[-4:-2] == ("Wordsync", "Wordsync")
    old.mkdir(parents=True)
    weights = (tmp_path / "remote" / "model.safetensors").read_bytes()
    (old / "model.safetensors.part").write_bytes(weights[:1_000_000])
    dialog = ModelDownloadDialog(REPO, endpoint=hub.url)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.download_button.isEnabled(), timeout=10000)
    assert dialog.folder == old
    assert "still to fetch" in dialog.status.text()
    hub.ranges.clear()
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        dialog.download_button.click()
    assert "bytes=1000000-" in hub.ranges
    assert dialog.model_folder == str(old)
    assert (old / "model.safetensors").read_bytes() == weights  # left where it was
    assert not (models_folder() / "org--tiny-ctc").exists()
