"""Sound cues ("[music]") and a recogniser's emotion/language in the cue table and the timeline, offscreen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from aligner_core.audio import AudioInfo, DecodedAudio
from aligner_core.document import Cue, Document
from aligner_core.envelope import Envelope
from aligner_core.text import tokenize
from desktop import cue_table as ct
from desktop.session import Session
from desktop.tables_panel import TablesPanel
from desktop.timeline.items import CUE_BAND
from desktop.view_state import ViewState

from .conftest import show_timeline


def _doc(with_attrs: bool = True) -> Document:
    """Speech 0.3-1.5 s, "[music]" 1.8-3.2 s (its own times: no word gives it any), speech 3.5-4.7 s."""
    toks = tokenize("And so my [music] fellow Americans", "en")
    timed = [(300, 700), (700, 1100), (1100, 1500), (None, None), (3500, 4000), (4000, 4700)]
    toks = [t.with_times(s, e) for t, (s, e) in zip(toks, timed)]
    attrs = {"emotion": "HAPPY", "language": "en"} if with_attrs else {}
    cues = [Cue(0, 2, **attrs), Cue(3, 3, 1800, 3200), Cue(4, 5)]
    return Document(toks, cues, 5000, "en")


@pytest.fixture
def panel(qtbot):
    session, view = Session(), ViewState()
    panel = TablesPanel(session, view)
    qtbot.addWidget(panel)
    panel.resize(1000, 400)
    panel.show()
    panel.session, panel.view = session, view  # keep them alive with the widget
    return panel


def _cell(model, row, col, role=Qt.ItemDataRole.DisplayRole):
    return model.index(row, col).data(role)


def test_a_sound_cue_row_is_italic_and_says_it_is_a_sound(panel):
    panel.session.set_document(_doc())
    m = panel.cue_model
    assert _cell(m, 1, ct.TEXT) == "[music]"
    for col in (ct.NUMBER, ct.TEXT):
        assert _cell(m, 1, col, Qt.ItemDataRole.FontRole).italic()
        assert _cell(m, 0, col, Qt.ItemDataRole.FontRole) is None
    assert "A sound, not speech" in _cell(m, 1, ct.TEXT, Qt.ItemDataRole.ToolTipRole)
    assert "A sound" not in _cell(m, 2, ct.TEXT, Qt.ItemDataRole.ToolTipRole)


def test_emotion_and_language_columns_show_only_when_some_cue_has_them(panel):
    table, m = panel.cue_table, panel.cue_model
    panel.session.set_document(_doc(with_attrs=False))
    assert table.isColumnHidden(ct.EMOTION) and table.isColumnHidden(ct.LANGUAGE)
    assert not table.isColumnHidden(ct.TEXT)
    panel.session.set_document(_doc())
    assert not table.isColumnHidden(ct.EMOTION) and not table.isColumnHidden(ct.LANGUAGE)
    assert m.headerData(ct.EMOTION, Qt.Orientation.Horizontal) == "Emotion"
    assert (_cell(m, 0, ct.EMOTION), _cell(m, 0, ct.LANGUAGE)) == ("Happy", "en")
    assert (_cell(m, 1, ct.EMOTION), _cell(m, 1, ct.LANGUAGE)) == ("", "")
    # read-only: the recogniser said it, the table shows it
    assert not m.flags(m.index(0, ct.EMOTION)) & Qt.ItemFlag.ItemIsEditable
    # the text still edits through the Text column
    assert m.flags(m.index(0, ct.TEXT)) & Qt.ItemFlag.ItemIsEditable


def _silence(ms: int) -> DecodedAudio:
    samples = np.zeros(ms * 16, dtype=np.float32)
    info = AudioInfo("silence.wav", 16000, 1, len(samples), ms, "pcm", "wav", "soundfile")
    return DecodedAudio(samples, 16000, info, Envelope.from_samples(samples, 16000))


def test_the_timeline_draws_a_sound_cue_in_its_own_colour(qtbot):
    widget, session, view = show_timeline(qtbot, _silence(5000), _doc())
    widget.set_range_ms(0, 5000)
    plot = widget.plot
    assert set(plot.shown_cues) == {0, 1, 2}
    image = plot.viewport().grab().toImage()

    def colour_at(ms):  # inside the band, past the label text
        p = plot.viewport_point(ms, CUE_BAND / 2).toPoint()
        return image.pixelColor(p.x(), p.y()).name()

    speech, sound, speech2 = colour_at(1350), colour_at(3050), colour_at(4550)
    assert speech == speech2
    assert sound != speech
    assert plot.shown_cues[1].sound and not plot.shown_cues[0].sound


def test_export_dialog_writes_emotion_tags_and_can_leave_sound_cues_out(qtbot, tmp_path):
    from aligner_core.formats import read_subtitles

    from .conftest import new_window

    win = new_window(qtbot)
    win.session.set_audio(_silence(5000), None)
    win.session.set_document(_doc())
    dialog = win.files.export()
    assert not dialog.emotion_check.isChecked() and dialog.sound_check.isChecked()  # the defaults

    plain = tmp_path / "plain.srt"
    dialog.path_edit.setText(str(plain))
    assert dialog.export_now()
    assert [c.text for c in read_subtitles(plain)] == ["And so my", "[music]", "fellow Americans"]

    dialog = win.files.export()
    dialog.set_format("textgrid")
    assert not dialog.emotion_check.isEnabled() and not dialog.sound_check.isEnabled()
    dialog.set_format("srt")
    assert dialog.emotion_check.isEnabled() and dialog.sound_check.isEnabled()
    dialog.emotion_check.setChecked(True)
    dialog.sound_check.setChecked(False)
    tagged = tmp_path / "tagged.srt"
    dialog.path_edit.setText(str(tagged))
    assert dialog.export_now()
    assert "[HAPPY] And so my" in tagged.read_text(encoding="utf-8-sig")
    assert [(c.text, c.emotion) for c in read_subtitles(tagged)] == [("And so my", "HAPPY"), ("fellow Americans", None)]


def test_export_dialog_says_so_when_only_sound_cues_would_be_left_out(qtbot, tmp_path):
    from .conftest import new_window

    win = new_window(qtbot)
    toks = tokenize("[music] (applause)", "en")
    win.session.set_document(Document(toks, [Cue(0, 0, 0, 2000), Cue(1, 1, 2500, 3000)], 4000, "en"))
    dialog = win.files.export()
    dialog.sound_check.setChecked(False)
    assert dialog.error_label.isVisible()
    assert "Every cue is a sound cue such as [music]" in dialog.error_label.text()
    out = tmp_path / "nothing.srt"
    dialog.path_edit.setText(str(out))
    assert not dialog.export_now() and not out.exists()


def test_an_edit_that_brings_an_emotion_shows_the_column(panel):
    from aligner_core.edits import ReplaceCues

    table, m = panel.cue_table, panel.cue_model
    panel.session.set_document(_doc(with_attrs=False))
    assert table.isColumnHidden(ct.EMOTION)
    cues = list(panel.session.document.cues)
    cues[2] = Cue(4, 5, emotion="SAD")
    assert panel.session.push(ReplaceCues(cues), "draft")
    assert not table.isColumnHidden(ct.EMOTION) and table.isColumnHidden(ct.LANGUAGE)
    assert _cell(m, 2, ct.EMOTION) == "Sad"


def test_sound_cues_stay_visible_among_merged_cue_blocks_at_whole_file_zoom(qtbot):
    # 400 short speech cues side by side (too many to be items: blocks that merge into one), with
    # "[music]" and "(applause)" among them
    toks, cues, sound_at = [], [], {120: "[music]", 300: "(applause)"}
    for k in range(400):
        start = 1000 + k * 1500
        if k in sound_at:
            cues.append(Cue(len(toks), len(toks), start, start + 1400))
            toks += tokenize(sound_at[k], "en")
            continue
        word = tokenize("word", "en")[0].with_times(start, start + 1400)
        cues.append(Cue(len(toks), len(toks)))
        toks.append(word)
    duration = 1000 + 400 * 1500
    widget, session, view = show_timeline(qtbot, _silence(duration), Document(toks, cues, duration, "en"), (1200, 380))
    widget.zoom_all()
    plot = widget.plot
    assert plot.batch.isVisible() and not plot.shown_cues
    assert len(plot.cue_blocks) < 10  # the speech merged
    assert len(plot.sound_blocks) == 2 and plot.batch.sound_blocks == plot.sound_blocks
    image = plot.viewport().grab().toImage()

    def colour_at(ms):
        p = plot.viewport_point(ms, CUE_BAND / 2).toPoint()
        return image.pixelColor(p.x(), p.y()).name()

    music, applause = (1000 + k * 1500 + 700 for k in sound_at)
    speech = colour_at(1000 + 200 * 1500 + 700)
    assert colour_at(music) == colour_at(applause) != speech
    # a sound cue retyped as a word is speech again: its block goes
    doc = session.document
    from aligner_core.edits import SetTokenText

    music_token = doc.cues[120].first
    session.push(SetTokenText(music_token, "music", ("music",)), "Retype")
    widget.zoom_all()
    assert len(plot.sound_blocks) == 1
