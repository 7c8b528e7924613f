"""File → Transcribe… on JFK with the real offline recogniser (sphinx), and reviewing its draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from aligner_core.document import Flag
from aligner_core.edits import SetLocked

from .aligned_example import AUDIO, open_window, wait_idle
from .conftest import new_window


@pytest.fixture
def window(qtbot, example):
    audio, doc = example
    return open_window(qtbot, audio, doc)


def _words(doc):
    return [(t.text, t.start, t.end, int(t.flags)) for t in doc.tokens]


def _transcribe_with_dialog(qtbot, win, language="en"):
    win.transcription.transcribe_action.trigger()
    dialog = win.transcription.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.recogniser.setCurrentIndex(dialog.recogniser.findData("sphinx"))
    dialog.language.setCurrentIndex(dialog.language.findData(language))
    dialog.accept()


def test_transcribe_drafts_aligned_words_as_one_undo_step(qtbot, window):
    before = _words(window.session.document)
    cues_before = list(window.session.document.cues)
    _transcribe_with_dialog(qtbot, window)
    assert window.busy
    assert not window.transcription.transcribe_action.isEnabled()  # nothing runs twice
    wait_idle(qtbot, window)
    doc = window.session.document
    assert doc.tokens and _words(doc) != before
    assert all(t.flags & Flag.DRAFT for t in doc.tokens)
    assert all(t.aligned for t in doc.tokens)
    assert doc.cues and doc.cues[0].first == 0 and doc.cues[-1].last == len(doc.tokens) - 1
    status = window.stage_label.text()
    assert "words drafted" in status and "rough draft" in status  # the summary, and that sphinx is rough
    assert window.session.undo_stack.count() == 1
    window.actions["edit.undo"].trigger()
    assert _words(window.session.document) == before
    assert window.session.document.cues == cues_before


def test_cancel_changes_nothing(qtbot, window):
    before = _words(window.session.document)
    window.transcription.start(asr="sphinx", language="en")
    assert window.busy
    window.cancel_task()
    wait_idle(qtbot, window)
    assert _words(window.session.document) == before
    assert window.session.undo_stack.count() == 0
    assert window.stage_label.text() == "Cancelled"


def test_unsaved_words_are_saved_or_discarded_first(qtbot, window):
    window.session.push(SetLocked([0], True), "Lock")
    assert window.session.modified
    _transcribe_with_dialog(qtbot, window)
    box = window.files.save_prompt
    assert box is not None and not window.busy  # nothing runs before the answer
    box.button(QMessageBox.StandardButton.Discard).click()
    assert window.busy
    wait_idle(qtbot, window)
    assert all(t.flags & Flag.DRAFT for t in window.session.document.tokens)


def test_a_language_the_recogniser_does_not_know_is_one_sentence(qtbot, window):
    before = _words(window.session.document)
    window.transcription.start(asr="sphinx", language="fr")
    wait_idle(qtbot, window)
    text = window.stage_label.text()
    assert "sphinx" in text and "fr" in text and "\n" not in text
    assert _words(window.session.document) == before


def test_audio_alone_says_how_to_draft_then_transcribes_into_an_undoable_document(qtbot, jfk_audio):
    win = new_window(qtbot)
    hint = win.transcription.hint_label
    assert not win.transcription.transcribe_action.isEnabled()  # no audio yet
    win.open_files([str(AUDIO)])
    wait_idle(qtbot, win)
    assert win.session.document is None
    assert hint.text() == "No transcript: File → Transcribe… drafts one"
    assert win.transcription.transcribe_action.isEnabled()
    win.transcription.start(asr="sphinx", language="en")
    wait_idle(qtbot, win)
    doc = win.session.document
    drafts = sum(1 for t in doc.tokens if t.flags & Flag.DRAFT)
    assert drafts > 5
    assert hint.text() == f"{drafts} drafted word(s) to review"
    win.actions["edit.undo"].trigger()
    assert win.session.document.tokens == []
    assert hint.text() == "No transcript: File → Transcribe… drafts one"


def test_accept_words_lowers_the_count_and_undo_raises_it(qtbot, window):
    window.transcription.start(asr="sphinx", language="en")
    wait_idle(qtbot, window)
    hint = window.transcription.hint_label
    n = window.transcription.unreviewed
    assert n == len(window.session.document.tokens) and hint.text() == f"{n} drafted word(s) to review"
    assert not window.transcription.accept_action.isEnabled()  # nothing selected
    window.view.select(tokens=(0, 2))
    assert window.transcription.accept_action.isEnabled()
    window.transcription.accept_action.trigger()
    doc = window.session.document
    assert [bool(t.flags & Flag.DRAFT) for t in doc.tokens[:4]] == [False, False, False, True]
    assert window.transcription.unreviewed == n - 3 and hint.text() == f"{n - 3} drafted word(s) to review"
    assert not window.transcription.accept_action.isEnabled()  # those three are accepted now
    window.actions["edit.undo"].trigger()
    assert window.transcription.unreviewed == n and all(t.flags & Flag.DRAFT for t in doc.tokens[:3])


def test_f8_stops_at_a_draft_word(qtbot, window):
    from dataclasses import replace

    doc = window.session.document
    # a clean alignment with one drafted word: only the draft flag can make F8 stop there
    doc.tokens = [replace(t, flags=0, confidence=1.0) for t in doc.tokens]
    doc.tokens[5] = replace(doc.tokens[5], flags=int(Flag.DRAFT))
    window.session.set_document(doc)
    assert window.transcription.hint_label.text() == "1 drafted word(s) to review"
    window.actions["edit.next_flagged"].trigger()
    assert window.view.tokens == (5, 5)
    window.actions["edit.accept_words"].trigger()
    assert window.transcription.unreviewed == 0 and not window.transcription.hint_label.isVisible()


def test_silent_audio_is_one_sentence_and_changes_nothing(qtbot, tmp_path):
    import numpy as np
    import soundfile as sf

    silent = tmp_path / "silence.wav"
    sf.write(silent, np.zeros(16000 * 3, dtype=np.float32), 16000)
    win = new_window(qtbot)
    win.open_files([str(silent)])
    wait_idle(qtbot, win)
    win.transcription.start(asr="sphinx", language="en")
    wait_idle(qtbot, win)
    assert win.stage_label.text() == "“silence.wav” holds no speech and no sound to transcribe (it is silent)."
    assert win.session.document is None and win.session.undo_stack.count() == 0


def test_in_chinese_the_draft_is_reported_in_chinese(qtbot, qapp, jfk_audio):
    from PySide6.QtWidgets import QApplication

    from desktop import i18n

    from .english import english_sentences

    app = QApplication.instance()
    assert i18n.install_translators(app, i18n.CHINESE) == i18n.CHINESE
    try:
        win = new_window(qtbot)
        win.session.set_audio(jfk_audio, AUDIO)
        shown = [win.transcription.hint_label.text(), win.transcription.transcribe_action.text()]
        win.transcription.start(asr="sphinx", language="en")
        wait_idle(qtbot, win)
        shown += [win.stage_label.text(), win.transcription.hint_label.text()]
        assert all(shown) and english_sentences(shown) == [], shown
    finally:
        i18n.install_translators(app, i18n.ENGLISH)


def test_ctrl_enter_in_the_word_table_accepts_the_selected_word(qtbot, window):
    from dataclasses import replace

    from PySide6.QtCore import Qt

    doc = window.session.document
    doc.tokens = [replace(t, flags=int(Flag.DRAFT)) for t in doc.tokens]
    window.session.set_document(doc)
    n = window.transcription.unreviewed
    table = window.tables.word_table
    window.view.select(tokens=(1, 1))
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    # Enter alone edits the row's text; with Ctrl it is the window's Accept words
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.transcription.unreviewed == n - 1
    assert not window.session.document.tokens[1].flags & Flag.DRAFT


def test_the_dialog_remembers_the_last_choices(qtbot, window):
    window.transcription.transcribe_action.trigger()
    dialog = window.transcription.dialog
    dialog.recogniser.setCurrentIndex(dialog.recogniser.findData("sphinx"))
    dialog.language.setEditText("nl")  # typed, not in the list
    dialog.events.setChecked(False)
    assert dialog.options() == {"asr": "sphinx", "language": "nl", "events": False}
    dialog.accept()
    wait_idle(qtbot, window)  # sphinx knows no Dutch: refused, but the choices stay
    assert "nl" in window.stage_label.text()
    again = new_window(qtbot)
    again.session.set_audio(window.session.audio, AUDIO)
    again.transcription.transcribe_action.trigger()
    assert again.transcription.dialog.options() == {"asr": "sphinx", "language": "nl", "events": False}
    again.transcription.dialog.reject()


def test_a_recogniser_not_downloaded_is_offered_and_declining_changes_nothing(qtbot, window, tmp_path, monkeypatch):
    from tests.core.fake_hub import closed_port_url
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.delenv("WORDSYNC_SENSEVOICE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", closed_port_url())  # no network
    before = _words(window.session.document)
    window.transcription.start(asr="sensevoice", language="zh")
    offer = window.transcription.download_dialog
    assert offer is not None and offer.isVisible() and offer.kind.name == "sensevoice"
    assert not window.busy  # nothing runs until the model is in
    qtbot.waitUntil(lambda: "cannot be reached" in offer.status.text(), timeout=10000)
    assert not offer.offline_button.isVisible()  # the offline choice there is an aligner, not a recogniser
    offer.cancel_button.click()
    assert window.transcription.download_dialog is None and not window.busy
    assert _words(window.session.document) == before and window.session.undo_stack.count() == 0


def test_a_draft_arriving_after_an_edit_is_dropped(qtbot, window):
    window.transcription.start(asr="sphinx", language="en")
    # the finished signal is only delivered by the event loop: this edit lands first
    assert window.session.push(SetLocked([0], True), "Lock")
    kept = _words(window.session.document)
    wait_idle(qtbot, window)
    assert window.stage_label.text() == "The document changed during transcription; the draft was dropped."
    assert _words(window.session.document) == kept and window.session.undo_stack.count() == 1


# -- a recogniser's first run: the download dialog, then the transcription -------------------------

SV_REPO = "csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17"


@pytest.mark.parametrize("interface", ["en", "zh_CN"])
def test_transcribe_without_the_model_downloads_it_then_transcribes(qtbot, tmp_path, monkeypatch, interface):
    pytest.importorskip("sherpa_onnx")
    pytest.importorskip("onnx")
    import huggingface_hub.constants
    from PySide6.QtWidgets import QApplication

    from aligner_core.audio import decode
    from desktop import i18n, settings
    from tests.core.fake_hub import FakeHub
    from tests.core.tiny_sensevoice import build_tiny_sensevoice, tone_bursts

    from .english import english_sentences

    import soundfile as sf

    remote = build_tiny_sensevoice(tmp_path / "remote", weights="model.int8.onnx")
    (remote / "model.onnx").write_bytes(bytes(3_000_000))  # the float export: never fetched
    wav = tmp_path / "tones.wav"
    sf.write(str(wav), tone_bursts("LH_LH"), 16000)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.delenv("WORDSYNC_SENSEVOICE", raising=False)
    app = QApplication.instance()
    with FakeHub({SV_REPO: remote}) as hub:
        monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", hub.url)
        try:
            if interface == "zh_CN":
                assert i18n.install_translators(app, i18n.CHINESE) == i18n.CHINESE
            win = new_window(qtbot)
            win.session.set_audio(decode(wav), wav)
            win.transcription.start(asr="sensevoice", language="en")
            offer = win.transcription.download_dialog
            assert offer is not None and offer.repo_id == SV_REPO and not win.busy
            qtbot.waitUntil(offer.download_button.isEnabled, timeout=20000)
            shown = [offer.windowTitle(), offer.intro.text(), offer.status.text(), offer.download_button.text()]
            if interface == "zh_CN":
                assert english_sentences(shown) == [], shown
            else:
                assert "SenseVoiceSmall" in offer.windowTitle()
            offer.download_button.click()
            qtbot.waitUntil(lambda: win.transcription.download_dialog is None, timeout=30000)

            def transcribed() -> None:
                # the transcription starts on the next turn of the loop after the dialog closes:
                # idle alone may be the moment before it starts; the draft landing is the end
                doc = win.session.document
                assert doc is not None and doc.tokens and not win.busy, win.stage_label.text()

            qtbot.waitUntil(transcribed, timeout=60000)
            doc = win.session.document
            assert [t.text for t in doc.tokens][:2] == ["hello", "world"], win.stage_label.text()
            assert all(t.flags & Flag.DRAFT for t in doc.tokens)
            folder = settings.value("transcribe/model/sensevoice", "")
            assert folder and sorted(p.name for p in Path(folder).iterdir()) == ["model.int8.onnx", "tokens.txt"]
            if interface == "zh_CN":
                assert english_sentences([win.stage_label.text()]) == [], win.stage_label.text()
            # the next transcription finds the downloaded model without asking again
            win.transcription.start(asr="sensevoice", language="en")
            assert win.transcription.download_dialog is None and win.busy
            wait_idle(qtbot, win)
        finally:
            i18n.install_translators(app, i18n.ENGLISH)


def test_the_progress_names_each_stage_in_the_interface_language(qtbot, tmp_path):
    pytest.importorskip("sherpa_onnx")
    pytest.importorskip("onnx")
    from PySide6.QtWidgets import QApplication

    from aligner_core.transcribe import TranscribeRequest, transcribe
    from desktop import i18n
    from desktop.transcription import stage_text
    from tests.core.tiny_sensevoice import build_tiny_sensevoice, tone_bursts

    from .english import english_sentences

    model = build_tiny_sensevoice(tmp_path / "sv")
    request = TranscribeRequest(tone_bursts("LH"), asr="sensevoice", model=str(model), align=False)

    def run() -> list[str]:
        # what the transcription job reports: its label, and the core's stage after it
        label = QApplication.translate("TranscriptionController", "Transcribing {0}").format("tones.wav")
        shown: list[str] = []
        transcribe(request, lambda fraction, stage: shown.append(stage_text(label, stage)))
        return shown

    app = QApplication.instance()
    assert i18n.install_translators(app, i18n.CHINESE) == i18n.CHINESE
    try:
        shown = run()
        assert english_sentences(shown) == [], shown
        assert shown[-1] == "正在转写 tones.wav：转写完成"
        assert stage_text("正在转写 tones.wav", "Aligning words (PocketSphinx)") == "正在转写 tones.wav"  # English only: left out
    finally:
        i18n.install_translators(app, i18n.ENGLISH)
    assert run()[-1] == "Transcribing tones.wav: Transcribed"
