"""Every refusal of a bad file carries a catalogued Message, and its English is the CLI's.

The editor translates a core error only when it carries a :class:`Message` (a plain string would
reach a Chinese user in English); these run the reliability corpus's refused files through the
core's own readers, without Qt.
"""

from __future__ import annotations

import pytest

from aligner_core.audio import AudioError, decode
from aligner_core.cues import PROFILES, check_cues
from aligner_core.document import Cue, Document, Token
from aligner_core.formats import ExportOptions, FormatError, render_document
from aligner_core.formats.common import ExportValidationError
from aligner_core.messages import CATALOG, Message, message_of, msg
from aligner_core.project import ProjectError, load_project
from aligner_core.text import TranscriptError
from aligner_core.transcripts import load_transcript
from tests.reliability_cases import AUDIO_CASES, PROJECT_CASES, SUBTITLE_CASES, TRANSCRIPT_CASES, Case

READERS = {"audio": decode, "transcript": load_transcript, "subtitles": load_transcript, "project": load_project}
REFUSED = [c for c in AUDIO_CASES + TRANSCRIPT_CASES + SUBTITLE_CASES + PROJECT_CASES if c.expect == "error"]


def codes_in(message: Message) -> list[str]:
    """The message's code and those of the messages inside it (a reason inside "cue 3: ...")."""
    inner = [c for v in message.args.values() if isinstance(v, Message) for c in codes_in(v)]
    return [message.code, *inner]


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_a_refused_file_says_why_with_a_catalogued_message(tmp_path, case: Case):
    path = case.build(tmp_path)
    with pytest.raises((AudioError, TranscriptError, FormatError, ProjectError, OSError)) as err:
        READERS[case.kind](path)
    message = message_of(err.value)
    if message is None:  # only the system's own refusals (errno) may come without one
        assert isinstance(err.value, OSError) and err.value.errno is not None, repr(err.value)
        return
    assert all(code in CATALOG for code in codes_in(message))
    assert str(err.value) == str(message) and "{" not in str(message), str(message)


def test_a_reader_error_keeps_its_place_as_data(tmp_path):
    bad = tmp_path / "bad.srt"
    bad.write_text("1\nhello\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        load_transcript(bad)
    message = message_of(err.value)
    assert message.code == "at_path_line" and message.args["line"] == 2
    assert message.args["detail"] == msg("srt_expected_timing", found="hello")
    assert str(err.value) == f"{bad}, line 2: expected a timing line after the subtitle number, found 'hello'"


def doc_of(words: list[tuple[str, int | None, int | None]], cues: list[Cue]) -> Document:
    tokens = [Token(w, (w.lower(),), s, e, sep=" ") for w, s, e in words]
    return Document(tokens, cues, 10_000, "en")


def test_a_violation_names_its_cue_in_english_and_keeps_its_reason():
    doc = doc_of([("Hello", 0, 100), ("there", 100, 200)], [Cue(0, 1, 0, 200)])
    (v,) = [v for v in check_cues(doc, PROFILES["general"]) if str(v.rule) == "too_short"]
    assert v.reason == msg("cue_too_short", ms=200, limit_ms=PROFILES["general"].min_duration_ms)
    assert v.message == f"cue 1 lasts 200 ms (at least {PROFILES['general'].min_duration_ms} ms)"


def test_export_problems_keep_english_and_carry_place_reason_and_action():
    doc = doc_of([("Hello", 100, 900), ("there", None, None)], [Cue(0, 0, 100, 900), Cue(1, 1, None, None)])
    with pytest.raises(ExportValidationError) as err:
        render_document(doc, "srt")
    (blocking,) = err.value.report.blocking
    assert str(blocking) == "cue 2: has no times (none of its words is aligned)"
    assert blocking.as_message() == msg("at_cue", cue=2, reason=msg("cue_no_times"))
    _text, report = render_document(doc, "srt", options=ExportOptions(fix=True))
    (fixed,) = [p for p in report.problems if p.blocking]
    assert fixed.reason == "has no times (none of its words is aligned)" and fixed.action == "dropped"
    assert str(fixed) == "cue 2: has no times (none of its words is aligned) (dropped)"
    assert codes_in(fixed.as_message()) == ["at_cue", "with_action", "cue_no_times", "action_dropped"]


def _stages_are_catalogued(seen: list) -> set[str]:
    """Every stage is a Stage whose English is its catalogued template (the CLI's bar shows it);
    returns their codes."""
    from aligner_core.progress import Stage

    plain = sorted({str(s) for s in seen if not isinstance(s, Stage)})
    assert plain == [], f"English-only stages a Chinese editor cannot say: {plain}"
    for s in seen:
        assert s.code in CATALOG and str(s) == CATALOG[s.code].format(**s.args_dict), (s.code, str(s))
    return {s.code for s in seen}


def test_decoding_and_aligning_report_catalogued_stages():
    import pickle

    from aligner_core.align import registry
    from aligner_core.align.api import AlignRequest, _align_span
    from aligner_core.progress import CancelToken, Stage, SubProgress
    from aligner_core.text import read_transcript, tokenize
    from tests.reliability_cases import JFK, JFK_TXT

    seen: list = []
    audio = decode(JFK, progress=lambda f, s: seen.append(s))
    doc = Document(tokenize(read_transcript(JFK_TXT), "en"), [], audio.duration_ms, "en")
    request = AlignRequest.from_document(doc, audio.samples, aligner="sphinx")
    # every stage, unthrottled (align() itself reports the latest one each quarter second)
    report = SubProgress(lambda f, s: seen.append(s), interval=0.0)
    result = _align_span(request, audio.samples, 0, len(doc.tokens) - 1, registry.choose("sphinx", "en", None), report, CancelToken())
    assert result.summary.aligned == len(doc.tokens)
    codes = _stages_are_catalogued(seen)
    assert {"stage_decoding", "stage_loading_aligner", "stage_aligning_with"} <= codes, codes
    aligning = next(s for s in seen if s.code == "stage_aligning_with")
    assert aligning.args_dict == {"backend": "PocketSphinx"} and aligning == "Aligning words (PocketSphinx)"
    again = pickle.loads(pickle.dumps(aligning))  # the offline aligner's worker processes send them back
    assert isinstance(again, Stage) and (again.code, again.args_dict) == (aligning.code, aligning.args_dict)


def test_a_neural_aligner_reports_catalogued_stages(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import numpy as np

    from aligner_core.align.backends.ctc import CTCBackend
    from tests.core.tiny_models import build_tiny_ctc, one_torch_thread

    seen: list = []
    with one_torch_thread():
        backend = CTCBackend(str(build_tiny_ctc(tmp_path / "ctc")), device="cpu", window_s=1.0, overlap_s=0.3, allow_download=False)
        rng = np.random.default_rng(0)
        audio = (0.1 * rng.standard_normal(16000 * 3)).astype(np.float32)
        backend.align_window(audio, [("hello",), ("world",)], "en", progress=lambda f, s: seen.append(s))
    codes = _stages_are_catalogued(seen)
    assert {"stage_loading_model", "stage_emissions", "stage_model_aligned"} <= codes, codes
