"""Transcription through the real runtimes: a tiny SenseVoice-shaped ONNX graph decoded by
sherpa-onnx's own recogniser (words, language, emotion and sound events), the draft it makes,
progress, cancel, and the one undoable edit the editor applies."""

from __future__ import annotations

import threading

import numpy as np
import pytest

pytest.importorskip("sherpa_onnx")
pytest.importorskip("onnx")

from aligner_core.document import Document, Flag, Token  # noqa: E402
from aligner_core.edits import ApplyAlignment, TokenTiming  # noqa: E402
from aligner_core.messages import message_of  # noqa: E402
from aligner_core.progress import CancelToken, Cancelled  # noqa: E402
from aligner_core.text import is_sound_label, is_speech  # noqa: E402
from aligner_core.transcribe import RecogniserUnavailable, TranscribeError, TranscribeRequest, transcribe  # noqa: E402
from aligner_core.transcribe.events import EVENTS, event_label, is_sound_cue  # noqa: E402
from aligner_core.transcribe.onnx_meta import OnnxFileError, read_metadata  # noqa: E402
from aligner_core.transcribe.sensevoice import SenseVoiceRecogniser  # noqa: E402
from aligner_core.transcribe.windows import plan_windows  # noqa: E402

from .tiny_sensevoice import build_tiny_sensevoice, tone_bursts  # noqa: E402


@pytest.fixture(scope="session")
def happy_laughter(tmp_path_factory):
    return build_tiny_sensevoice(tmp_path_factory.mktemp("sv_happy"), emotion="HAPPY", event="Laughter")


@pytest.fixture(scope="session")
def music_model(tmp_path_factory):
    return build_tiny_sensevoice(tmp_path_factory.mktemp("sv_music"), emotion="EMO_UNKNOWN", event="BGM", auto_language="zh")


def _request(model, audio, **kw) -> TranscribeRequest:
    kw.setdefault("align", False)
    return TranscribeRequest(audio, asr="sensevoice", model=str(model), **kw)


def test_sherpa_decodes_words_language_emotion_and_event(happy_laughter):
    rec = SenseVoiceRecogniser(happy_laughter)
    heard = rec.decode([tone_bursts("LH"), tone_bursts("L_L_H")])
    assert [w.text for w in heard[0].words] == ["hello", "world"]
    assert [w.text for w in heard[1].words] == ["hello", "hello", "world"]
    assert heard[0].language == "en" and heard[0].emotion == "HAPPY" and heard[0].event == "Laughter"
    # times come from the CTC frames: the first burst starts 0.3 s in, the second 0.7 s later
    starts = [w.start_ms for w in heard[0].words]
    assert 250 <= starts[0] <= 450 and 900 <= starts[1] <= 1150


def test_a_forced_language_is_what_the_model_is_told(happy_laughter):
    rec = SenseVoiceRecogniser(happy_laughter, language="ko")
    assert rec.decode([tone_bursts("L")])[0].language == "ko"


def test_draft_words_are_flagged_unreviewed_and_the_laughter_opens_their_cue(happy_laughter):
    result = transcribe(_request(happy_laughter, tone_bursts("LH__LLH")))
    doc = result.document
    doc.check()
    words = [t for t in doc.tokens if is_speech(t)]
    assert [t.text for t in words] == ["hello", "world", "hello", "hello"]
    assert all(t.flags & Flag.DRAFT for t in words)
    assert all(t.start is not None for t in words)  # the recogniser's own times (no alignment asked)
    label = doc.tokens[0]
    assert label.text == "(laughter)" and not is_speech(label) and is_sound_label(label.text)
    assert doc.cues[0].first == 0  # "(laughter) hello world ..." as subtitles write it
    assert not is_sound_cue(doc, doc.cues[0])
    assert doc.language == "en"
    seg = result.segments[0]
    assert (seg.language, seg.emotion, seg.event) == ("en", "HAPPY", "Laughter")
    assert {(c.language, c.emotion) for c in doc.cues} == {("en", "HAPPY")}  # the segment's attributes, on its cues
    assert result.summary.words == 4 and result.summary.events == 1


def test_no_events_keeps_labels_out(happy_laughter):
    doc = transcribe(_request(happy_laughter, tone_bursts("LH"), events=False)).document
    assert all(is_speech(t) for t in doc.tokens)


def test_music_alone_is_a_cue_of_its_own_with_its_times_and_a_chinese_label(music_model):
    sr = 16000
    t = np.arange(4 * sr) / sr
    chord = (0.2 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)  # the tiny model hears no word in it
    audio = np.concatenate([np.zeros(sr // 2, np.float32), chord, np.zeros(sr // 2, np.float32)])
    result = transcribe(_request(music_model, audio, language="zh"))
    doc = result.document
    assert [t.text for t in doc.tokens] == [event_label("BGM", "zh")] == ["［音乐］"]
    cue = doc.cues[0]
    assert is_sound_cue(doc, cue)
    assert cue.start is not None and cue.end is not None and cue.end - cue.start >= 3000
    assert [m.code for m in map(lambda w: w, result.summary.warnings)] == ["asr_music_only"]


def test_silence_is_one_clear_sentence(happy_laughter):
    with pytest.raises(TranscribeError) as exc:
        transcribe(_request(happy_laughter, np.zeros(16000 * 3, np.float32), name="quiet.wav"))
    assert message_of(exc.value).code == "asr_no_sound"
    assert "quiet.wav" in str(exc.value)


def test_a_language_sensevoice_lacks_is_refused_before_work(happy_laughter):
    with pytest.raises(TranscribeError) as exc:
        transcribe(_request(happy_laughter, tone_bursts("L"), language="fr"))
    assert message_of(exc.value).code == "asr_language_unknown"
    assert "'fr'" in str(exc.value)


@pytest.mark.parametrize("damage", ["garbage", "no_metadata", "tokens_short", "missing"])
def test_a_missing_or_damaged_model_is_one_sentence_never_a_crash(happy_laughter, tmp_path, damage):
    import shutil

    import onnx

    folder = tmp_path / "sv"
    shutil.copytree(happy_laughter, folder)
    if damage == "garbage":
        (folder / "model.onnx").write_bytes(b"\x08\x07" + bytes(range(256)) * 4)
    elif damage == "no_metadata":  # sherpa-onnx would end the process on this one
        m = onnx.load(str(folder / "model.onnx"))
        del m.metadata_props[:]
        onnx.save(m, str(folder / "model.onnx"))
    elif damage == "tokens_short":
        lines = (folder / "tokens.txt").read_text(encoding="utf-8").splitlines()
        (folder / "tokens.txt").write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    else:
        shutil.rmtree(folder)
    with pytest.raises(RecogniserUnavailable) as exc:
        transcribe(_request(folder, tone_bursts("L")))
    code = message_of(exc.value).code
    assert code == ("asr_model_not_found" if damage == "missing" else "asr_model_damaged")
    assert "\n" not in str(exc.value)


def test_onnx_metadata_reader_matches_onnx(happy_laughter):
    import onnx

    m = onnx.load(str(happy_laughter / "model.onnx"))
    assert read_metadata(happy_laughter / "model.onnx") == {p.key: p.value for p in m.metadata_props}
    with pytest.raises(OnnxFileError):
        read_metadata(happy_laughter / "tokens.txt")


def test_long_audio_is_cut_into_windows_no_longer_than_the_recogniser_takes():
    sr = 16000
    rng = np.random.default_rng(0)
    # 3 minutes of bursty "speech" (noise modulated at syllable rate) with pauses
    parts = []
    for _ in range(60):
        n = int(rng.uniform(1.0, 2.5) * sr)
        env = (0.5 + 0.5 * np.sin(2 * np.pi * 4 * np.arange(n) / sr)) ** 2
        parts += [(0.2 * env * rng.standard_normal(n)).astype(np.float32), np.zeros(int(rng.uniform(0.1, 0.6) * sr), np.float32)]
    audio = np.concatenate(parts)
    windows = plan_windows(audio, max_s=25.0)
    assert len(windows) > 1
    assert all(w.duration_ms <= 25_000 + 2 * 200 for w in windows)
    assert all(a.end_ms <= b.start_ms for a, b in zip(windows, windows[1:]))
    covered = sum(w.duration_ms for w in windows)
    assert covered >= 0.8 * len(audio) * 1000 // sr


def test_progress_is_reported_and_cancel_changes_nothing(happy_laughter):
    audio = np.tile(tone_bursts("LH_"), 40)  # about 100 s: several batches
    seen: list[tuple[float, str]] = []
    result = transcribe(_request(happy_laughter, audio), progress=lambda f, s: seen.append((f, s)))
    assert seen[-1] == (1.0, "Transcribed")
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    assert result.summary.words > 40

    doc = Document([Token("keep", ("keep",))], language="en")
    before = doc.copy()
    cancel = CancelToken()
    threading.Timer(0.05, cancel.cancel).start()
    with pytest.raises(Cancelled):
        transcribe(_request(happy_laughter, np.tile(audio, 4), align=True), cancel=cancel)
    assert doc == before


def test_the_result_is_one_undoable_edit_over_whatever_the_document_held(happy_laughter):
    doc = Document([Token("old", ("old",)), Token("words", ("words",))], language="en")
    before = doc.copy()
    result = transcribe(TranscribeRequest.from_document(doc, tone_bursts("LH"), asr="sensevoice", model=str(happy_laughter), align=False))
    assert result.is_current(doc)
    edit = result.to_edit(doc)
    edit.apply(doc)
    assert doc.tokens == result.document.tokens and doc.cues == result.document.cues
    edit.revert(doc)
    assert doc == before


def test_the_draft_brings_its_language_in_the_same_undo_step(tmp_path):
    korean = build_tiny_sensevoice(tmp_path / "sv_ko", auto_language="ko")  # it hears Korean in any tone
    doc = Document([Token("old", ("old",)), Token("words", ("words",))], language="en")
    before = doc.copy()
    result = transcribe(TranscribeRequest.from_document(doc, tone_bursts("LH"), asr="sensevoice", model=str(korean), align=False))
    assert result.document.language == "ko"
    edit = result.to_edit(doc)
    changed = edit.apply(doc)
    assert doc.language == "ko" and changed.language and changed.structural
    assert doc.tokens == result.document.tokens
    changed = edit.revert(doc)  # one step back: the old words and the old language together
    assert doc == before and doc.language == "en" and changed.language
    # a draft in the document's own language changes no language
    same = transcribe(TranscribeRequest.from_document(doc, tone_bursts("LH"), asr="sensevoice", model=str(korean), language="en", align=False))
    assert not same.to_edit(doc).apply(doc).language and doc.language == "en"


def test_realigning_a_draft_word_keeps_it_unreviewed():
    doc = Document([Token("hi", ("hi",), flags=int(Flag.DRAFT))], duration_ms=1000)
    ApplyAlignment(0, [TokenTiming(100, 300, 0.9, 0)]).apply(doc)
    assert doc.tokens[0].flags & Flag.DRAFT


def test_every_event_label_reads_back_as_a_sound_label():
    for english, chinese in EVENTS.values():
        assert is_sound_label(english) and is_sound_label(chinese)


def test_cue_language_and_emotion_survive_the_project_and_the_json(happy_laughter, tmp_path):
    from aligner_core.formats import export_document, load_text
    from aligner_core.project import Project, load_project, save_project

    doc = transcribe(_request(happy_laughter, tone_bursts("LH_LH"))).document
    assert doc.cues and all(c.emotion == "HAPPY" for c in doc.cues)
    path = tmp_path / "draft.wordsync"
    save_project(Project(document=doc), path)
    back = load_project(path).document
    assert back.cues == doc.cues and back.tokens == doc.tokens  # DRAFT flags too

    export_document(doc, tmp_path / "draft.json", "json")
    text = (tmp_path / "draft.json").read_text(encoding="utf-8")
    read = load_text(text, "json").document
    assert [(c.language, c.emotion) for c in read.cues] == [(c.language, c.emotion) for c in doc.cues]


def test_transcribe_this_span_inserts_draft_words_between_the_aligned_ones_as_one_step(happy_laughter):
    from aligner_core.document import Cue
    from aligner_core.transcribe import transcribe_span

    sr = 16000
    audio = np.concatenate([np.zeros(sr, np.float32), tone_bursts("LH"), np.zeros(sr, np.float32)])
    total = len(audio) * 1000 // sr
    doc = Document(
        [Token("Before", ("before",), 0, 400), Token("after.", ("after",), total - 400, total)],
        [Cue(0, 0), Cue(1, 1)],
        duration_ms=total,
        language="en",
    )
    before = doc.copy()
    span = transcribe_span(TranscribeRequest.from_document(doc, audio, asr="sensevoice", model=str(happy_laughter), align=False, events=False), 900, total - 600)
    assert [t.text for t in span.document.tokens] == ["hello", "world"]
    assert all(900 <= t.start < t.end <= total - 600 for t in span.document.tokens)  # times of the whole recording
    edit = span.to_edit(doc)
    edit.apply(doc)
    doc.check()
    assert [t.text for t in doc.tokens] == ["Before", "hello", "world", "after."]
    assert [(c.first, c.last) for c in doc.cues] == [(0, 0), (1, 2), (3, 3)]  # a cue of their own
    assert doc.tokens[1].flags & Flag.DRAFT
    edit.revert(doc)
    assert doc == before


def test_auto_takes_the_best_recogniser_installed_for_the_language(happy_laughter, tmp_path, monkeypatch):
    from aligner_core.transcribe.registry import choose

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.delenv("WORDSYNC_SENSEVOICE", raising=False)
    # nothing downloaded: English gets the rough offline draft, other languages a sentence
    assert choose("auto", "en").asr == "sphinx"
    assert choose("auto", "auto").asr == "sphinx"
    with pytest.raises(RecogniserUnavailable) as exc:
        choose("auto", "zh")
    assert message_of(exc.value).code == "asr_none_for_language"
    assert (exc.value.asr, exc.value.model) == ("sensevoice", "csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17")  # what to offer
    # SenseVoiceSmall where it is: its languages go to it
    monkeypatch.setenv("WORDSYNC_SENSEVOICE", str(happy_laughter))
    assert choose("auto", "zh").asr == "sensevoice"
    assert choose("auto", "en").asr == "sensevoice"
    # a model folder given with --model says which recogniser it is for
    assert choose("auto", "auto", str(happy_laughter)).asr == "sensevoice"
    with pytest.raises(TranscribeError):
        choose("sphinx", "de")


def test_correcting_or_accepting_a_draft_word_marks_it_reviewed():
    from aligner_core.edits import MarkReviewed, SetTokenText

    draft = int(Flag.DRAFT)
    doc = Document([Token("helo", ("helo",), flags=draft), Token("world", ("world",), flags=draft), Token("again", ("again",), flags=draft)])
    SetTokenText(0, "hello", ("hello",)).apply(doc)
    assert not doc.tokens[0].flags & Flag.DRAFT and doc.tokens[0].flags & Flag.EDITED
    accept = MarkReviewed([1])
    accept.apply(doc)
    assert not doc.tokens[1].flags & Flag.DRAFT and doc.tokens[2].flags & Flag.DRAFT
    accept.revert(doc)
    assert doc.tokens[1].flags & Flag.DRAFT


def test_splitting_and_merging_a_cue_keeps_its_language_and_emotion():
    from aligner_core.document import Cue
    from aligner_core.edits import MergeCues, SplitCue

    doc = Document([Token(w, (w,)) for w in ("one", "two", "three")], [Cue(0, 2, language="zh", emotion="SAD")])
    SplitCue(0, 1).apply(doc)
    assert [(c.language, c.emotion) for c in doc.cues] == [("zh", "SAD")] * 2
    MergeCues(0).apply(doc)
    assert [(c.language, c.emotion) for c in doc.cues] == [("zh", "SAD")]


def test_progress_stages_carry_catalogued_codes_and_read_as_english(happy_laughter):
    from aligner_core.messages import CATALOG
    from aligner_core.progress import Stage

    from aligner_core.progress import CancelToken, SubProgress
    from aligner_core.transcribe import registry
    from aligner_core.transcribe.api import _transcribe

    seen = []
    request = _request(happy_laughter, tone_bursts("LH_LH"))
    # every stage, unthrottled (transcribe() itself reports the latest one each quarter second)
    _transcribe(request, request.audio, registry.choose("sensevoice", "auto", str(happy_laughter)),
                SubProgress(lambda f, s: seen.append(s), interval=0.0), CancelToken())
    transcribe(request, progress=lambda f, s: seen.append(s))
    coded = [s for s in seen if isinstance(s, Stage)]
    assert {s.code for s in coded} == {"stage_asr_loading", "stage_asr_finding", "stage_asr_recognising", "stage_asr_done"}
    assert all(s.code in CATALOG and str(s) == CATALOG[s.code] for s in coded)  # the CLI's bar shows the English
    assert seen[-1] == "Transcribed"
    import pickle

    again = pickle.loads(pickle.dumps(coded[0]))  # worker processes send them back
    assert (again.code, str(again)) == (coded[0].code, str(coded[0]))


def test_an_aligner_that_finds_nothing_is_a_coded_warning(happy_laughter):
    from aligner_core.messages import Message

    # the tiny model hears "hello world" in tones; the offline aligner finds no such words there
    result = transcribe(_request(happy_laughter, tone_bursts("LH_LH"), language="en", align=True))
    (warning,) = [w for w in result.summary.warnings if w.code == "asr_not_aligned"]
    assert isinstance(warning.args["reason"], Message) and warning.args["reason"].code == "asr_aligner_found_none"
    assert "found none of the" in str(warning)
