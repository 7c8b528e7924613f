"""The project file: round trips, paths, damaged files, versions, atomic saves, crash recovery."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner_core.document import Break, Cue, Document, Flag, Token
from aligner_core import recovery as rc
from aligner_core.project import (
    EXTENSION,
    FORMAT_VERSION,
    Project,
    ProjectError,
    ProjectTooNewError,
    fingerprint,
    load_project,
    relink,
    save_project,
)
from aligner_core.recovery import (
    AutosaveSession,
    autosave_path,
    discard_autosave,
    discard_recovery,
    find_recoverable,
    load_recovery,
    write_autosave,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    state = tmp_path / "state"
    monkeypatch.setenv("WORDSYNC_STATE_DIR", str(state))
    return state


def small_document() -> Document:
    tokens = [
        Token("Hello,", ("hello",), 100, 480, 0.93, 0, False, " ", Break.PARAGRAPH),
        Token("world.", ("world",), 520, 900, 0.4, int(Flag.LOW_CONFIDENCE), True),
        Token("你", ("你",), None, None, None, int(Flag.NOT_FOUND), False, "", Break.LINE),
        Token("好", ("好",), 1000, 1000, 1.0, int(Flag.ZERO_DURATION), False, ""),
    ]
    cues = [Cue(0, 1, 50, 950, (1,)), Cue(2, 3)]
    return Document(tokens, cues, duration_ms=2000, language="zh")


def small_project(audio: Path | None = None) -> Project:
    return Project(
        document=small_document(),
        audio_path=audio,
        audio_fingerprint=None,
        transcript_text="Hello, world.\n你好",
        transcript_path=None,
        aligner={"name": "sphinx", "version": "5.0.3", "settings": {"beam": 1e-40, "refine": True}},
        view={"zoom": 2.5, "scroll": 1200, "selection": [0, 1], "playhead": 950},
    )


def write_audio(path: Path, size: int = 300_000, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    block = bytes((i * 31 + seed * 7) % 251 for i in range(4096))
    path.write_bytes((block * (size // len(block) + 1))[:size])
    return path


# ------------------------------------------------------------------------------------------
# round trips
# ------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def documents(draw) -> Document:
    n = draw(st.integers(0, 25))
    clock = draw(st.integers(0, 1000))
    tokens = []
    for _ in range(n):
        if draw(st.booleans()):
            start = clock + draw(st.integers(0, 400))
            end = start + draw(st.integers(0, 400))
            clock = end
        else:
            start = end = None
        tokens.append(
            Token(
                text=draw(st.text(max_size=6)),
                units=tuple(draw(st.lists(st.text(min_size=1, max_size=4), max_size=3))),
                start=start,
                end=end,
                confidence=draw(st.none() | st.floats(0.0, 1.0)),
                flags=draw(st.integers(0, 2**9 - 1)),
                locked=draw(st.booleans()),
                sep=draw(st.sampled_from([" ", "", "\u3000", "\t"]) | st.text(max_size=2)),
                brk=draw(st.sampled_from(list(Break))),
            )
        )
    duration = draw(st.none() | st.integers(clock, clock + 5000))
    cues = []
    first, cue_clock = 0, 0
    while first < n:
        last = draw(st.integers(first, min(n - 1, first + 5)))
        offsets = draw(st.lists(st.integers(1, last - first), unique=True, max_size=2)) if last > first else []
        start = end = None
        if draw(st.booleans()):
            start = cue_clock + draw(st.integers(0, 300))
            end = start + draw(st.integers(0, 300))
            if duration is not None and end > duration:
                start = end = None
            else:
                cue_clock = end
        cues.append(Cue(first, last, start, end, tuple(sorted(offsets))))
        first = last + 1 + draw(st.integers(0, 1))
    doc = Document(tokens, cues, duration, draw(st.sampled_from(["en", "zh", "ja", "pt-BR"])))
    assert doc.problems() == []
    return doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    doc=documents(),
    transcript=st.text(max_size=40),
    aligner=st.dictionaries(st.text(max_size=6), json_values, max_size=4),
    view=st.dictionaries(st.text(max_size=6), json_values, max_size=4),
)
def test_round_trip_random_documents(tmp_path, doc, transcript, aligner, view):
    transcript_path = tmp_path / "transcripts" / "talk ü.txt"
    project = Project(doc, None, None, transcript, transcript_path, aligner, view)
    path = tmp_path / ("p" + EXTENSION)
    save_project(project, path)
    loaded = load_project(path)
    assert loaded == project
    assert loaded.document.tokens == doc.tokens  # field by field, None times, flags, locks
    assert not loaded.audio_missing


def test_round_trip_keeps_lone_surrogates(tmp_path):
    doc = Document([Token("bad\ud800text", ("bad",), 0, 10)], [Cue(0, 0)])
    project = Project(doc, transcript_text="x\udfffy")
    save_project(project, tmp_path / "s.wordsync")
    assert load_project(tmp_path / "s.wordsync") == project


def test_numpy_like_values_are_saved_as_plain_numbers(tmp_path):
    np = pytest.importorskip("numpy")
    doc = Document([Token("a", ("a",), np.int64(5), np.int32(9), np.float32(0.5))], [Cue(0, 0)])
    save_project(Project(doc), tmp_path / "n.wordsync")
    tok = load_project(tmp_path / "n.wordsync").document.tokens[0]
    assert (tok.start, tok.end, tok.confidence) == (5, 9, 0.5)
    assert type(tok.start) is int and type(tok.confidence) is float


def test_file_is_readable_json_with_columns(tmp_path):
    path = tmp_path / "p.wordsync"
    save_project(small_project(), path)
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == "wordsync-project" and data["version"] == FORMAT_VERSION == 2
    tokens = data["document"]["tokens"]
    assert tokens["text"] == ["Hello,", "world.", "你", "好"]
    assert tokens["start"] == [100, 520, None, 1000]
    assert tokens["units"][0] == "hello"  # one unit is stored as plain text
    assert tokens["locked"] == [0, 1, 0, 0]
    assert "你" in path.read_text("utf-8")  # UTF-8, not \\u escapes


# ------------------------------------------------------------------------------------------
# audio paths and fingerprints
# ------------------------------------------------------------------------------------------


def test_audio_inside_project_folder_is_relative_and_survives_moving_the_folder(tmp_path):
    folder = tmp_path / "proj"
    audio = write_audio(folder / "media" / "talk.wav")
    save_project(small_project(audio), folder / "talk.wordsync")
    stored = json.loads((folder / "talk.wordsync").read_text())["audio"]
    assert stored["path"] == "media/talk.wav"
    assert stored["fingerprint"] == fingerprint(audio)

    moved = tmp_path / "elsewhere" / "proj2"
    moved.parent.mkdir()
    folder.rename(moved)
    loaded = load_project(moved / "talk.wordsync")
    assert loaded.audio_path == moved / "media" / "talk.wav"
    assert not loaded.audio_missing and not loaded.audio_mismatch


def test_audio_elsewhere_is_found_by_absolute_path_when_only_the_project_moves(tmp_path):
    audio = write_audio(tmp_path / "library" / "talk.wav")
    (tmp_path / "a").mkdir()
    save_project(small_project(audio), tmp_path / "a" / "p.wordsync")
    stored = json.loads((tmp_path / "a" / "p.wordsync").read_text())["audio"]
    assert stored["path"] == "../library/talk.wav"
    assert stored["absolute"] == str(audio)

    (tmp_path / "deep" / "er").mkdir(parents=True)
    os.replace(tmp_path / "a" / "p.wordsync", tmp_path / "deep" / "er" / "p.wordsync")
    loaded = load_project(tmp_path / "deep" / "er" / "p.wordsync")
    assert loaded.audio_path == audio
    assert not loaded.audio_missing


def test_moved_audio_loads_as_missing_and_relink_checks_the_fingerprint(tmp_path):
    audio = write_audio(tmp_path / "talk.wav", size=3_000_000)  # larger than head + tail
    save_project(small_project(audio), tmp_path / "p.wordsync")
    saved_fp = fingerprint(audio)
    moved = tmp_path / "archive" / "renamed.wav"
    moved.parent.mkdir()
    audio.rename(moved)

    loaded = load_project(tmp_path / "p.wordsync")
    assert loaded.audio_missing
    assert loaded.audio_path == audio  # where it was expected, for the "locate" dialog
    assert loaded.audio_fingerprint == saved_fp
    assert loaded.document == small_document()

    same = relink(loaded, moved)
    assert same.verified and not same.mismatch
    assert same.project.audio_path == moved and not same.project.audio_missing
    assert loaded.audio_missing  # the original is untouched

    other = write_audio(tmp_path / "other.wav", size=3_000_000, seed=2)
    different = relink(loaded, other)
    assert different.mismatch and different.expected == saved_fp and different.found == fingerprint(other)

    save_project(same.project, tmp_path / "p.wordsync")
    assert not load_project(tmp_path / "p.wordsync").audio_missing


def test_replaced_audio_is_reported_as_mismatch(tmp_path):
    audio = write_audio(tmp_path / "talk.wav")
    save_project(small_project(audio), tmp_path / "p.wordsync")
    write_audio(audio, size=300_001)
    loaded = load_project(tmp_path / "p.wordsync")
    assert not loaded.audio_missing and loaded.audio_mismatch


def test_fingerprint_ignores_mtime_and_sees_both_ends(tmp_path):
    audio = write_audio(tmp_path / "a.wav", size=5_000_000)
    fp = fingerprint(audio)
    os.utime(audio, (1_000_000, 1_000_000))
    assert fingerprint(audio) == fp
    data = bytearray(audio.read_bytes())
    data[-10] ^= 0xFF
    (tmp_path / "b.wav").write_bytes(bytes(data))
    assert fingerprint(tmp_path / "b.wav") != fp
    assert fp.startswith("fp1:5000000:")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_audio_path_naming_a_fifo_does_not_block_loading(tmp_path):
    audio = write_audio(tmp_path / "talk.wav")
    save_project(small_project(audio), tmp_path / "p.wordsync")
    audio.unlink()
    os.mkfifo(audio)
    loaded = load_project(tmp_path / "p.wordsync")  # would hang if the FIFO were opened blocking
    assert loaded.audio_missing
    with pytest.raises(OSError):
        fingerprint(audio)


def test_foreign_absolute_path_is_not_used(tmp_path):
    path = tmp_path / "p.wordsync"
    save_project(small_project(), path)
    data = json.loads(path.read_text())
    other_os = "/media/talk.wav" if os.name != "posix" else "C:\\Users\\ann\\talk.wav"
    data["audio"] = {"path": None, "absolute": other_os, "fingerprint": None}
    path.write_text(json.dumps(data))
    loaded = load_project(path)
    assert loaded.audio_missing and loaded.audio_path is None


# ------------------------------------------------------------------------------------------
# damaged and hand-edited files
# ------------------------------------------------------------------------------------------


def assert_one_sentence(exc: ProjectError) -> None:
    message = str(exc)
    assert message and "\n" not in message and message.endswith("."), message
    assert isinstance(exc, ValueError)


def test_truncated_file_is_a_project_error(tmp_path):
    path = tmp_path / "p.wordsync"
    save_project(small_project(), path)
    whole = path.read_bytes()
    for cut in range(0, len(whole) - 2, 7):
        path.write_bytes(whole[:cut])
        with pytest.raises(ProjectError) as info:
            load_project(path)
        assert_one_sentence(info.value)
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ProjectError, match="truncated"):
        load_project(path)


def mutate(data, path, value):
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    target[last] = value


HAND_EDITS = [
    (["version"], "2", "format version"),
    (["document", "tokens", "start", 1], "520", r"document\.tokens\.start\[1\] must be a whole number"),
    (["document", "tokens", "start", 1], 520.5, "whole number"),
    (["document", "tokens", "start", 1], 50, "overlaps token 0"),
    (["document", "tokens", "end", 0], None, "only one of start/end"),
    (["document", "tokens", "confidence", 0], 7, r"confidence 7\.0 outside"),
    (["document", "tokens", "locked", 0], "yes", "0 or 1"),
    (["document", "tokens", "brk", 0], 9, "0, 1 or 2"),
    (["document", "tokens", "flags", 0], -1, "flag set"),
    (["document", "tokens", "text"], ["only one"], "has 4 entries but"),
    (["document", "tokens", "units"], 5, "must be a list"),
    (["document", "tokens"], [], "must be an object"),
    (["document", "cues", "last", 1], 99, "outside"),
    (["document", "cues", "line_starts", 0], [5], "bad line layout"),
    (["document", "language"], 3, "language code"),
    (["document", "duration_ms"], 10, "ends after the audio"),
    (["document", "duration_ms"], -5, "non-negative"),
    (["transcript", "text"], None, "transcript.text must be text"),
    (["audio"], "talk.wav", "audio must be an object"),
    (["audio", "path"], "/etc/passwd", "relative path"),
    (["view"], [1, 2], "view must be an object"),
    (["format"], "something-else", "not a Wordsync project"),
]


@pytest.mark.parametrize("where, value, message", HAND_EDITS, ids=[".".join(map(str, e[0])) + "=" + repr(e[1]) for e in HAND_EDITS])
def test_hand_edited_invalid_file_is_a_project_error(tmp_path, where, value, message):
    path = tmp_path / "p.wordsync"
    save_project(small_project(write_audio(tmp_path / "a.wav")), path)
    data = json.loads(path.read_text("utf-8"))
    mutate(data, where, value)
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ProjectError, match=message) as info:
        load_project(path)
    assert_one_sentence(info.value)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x00\xff\xfe garbage \x89PNG", "not UTF-8"),
        (b"[1, 2, 3]", "not a Wordsync project"),
        (b'{"format": "wordsync-project", "version": 2, "x": NaN}', "JSON does not allow"),
        (b'{"format": "wordsync-project", "version": 2 "x": 1}', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (b'{"format": "wordsync-project", "version": 2, "n": ' + b"9" * 5000 + b"}", "JSON does not allow"),
        (b'{"format": "wordsync-project"}', "format version"),
        (b'{"format": "wordsync-project", "version": 0}', "format version"),
        (b'{"format": "wordsync-project", "version": 2}', "transcript is missing"),
    ],
)
def test_garbage_files_are_project_errors(tmp_path, content, message):
    path = tmp_path / "g.wordsync"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message) as info:
        load_project(path)
    assert_one_sentence(info.value)


def _json_paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value[:3]):
            yield from _json_paths(item, prefix + (i,))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_hand_edit_loads_or_is_a_project_error(tmp_path, data):
    path = tmp_path / "fuzz.wordsync"
    save_project(small_project(), path)
    content = json.loads(path.read_text("utf-8"))
    where = data.draw(st.sampled_from([p for p in _json_paths(content) if p]))
    mutate(content, where, data.draw(json_values))
    path.write_text(json.dumps(content), "utf-8")
    try:
        loaded = load_project(path)
    except ProjectError as exc:
        assert_one_sentence(exc)
    else:
        assert loaded.document.problems() == []


def test_newer_version_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "new.wordsync"
    save_project(small_project(), path)
    data = json.loads(path.read_text())
    data["version"] = 3
    data["document"] = {"something": "we do not know yet"}
    path.write_text(json.dumps(data))
    with pytest.raises(ProjectTooNewError) as info:
        load_project(path)
    assert str(info.value) == "This project was saved by a newer Wordsync (format 3); this version reads up to 2."
    assert isinstance(info.value, ProjectError) and info.value.version == 3


# A file in the version-1 row format with times in seconds (see the module docstring).
VERSION_1 = {
    "format": "wordsync-project",
    "version": 1,
    "audio": "media/talk.wav",
    "transcript": "Hello, world. Again",
    "language": "en",
    "duration": 3.5,
    "words": [
        {"text": "Hello,", "start": 0.1, "end": 0.4806, "confidence": 0.9, "flags": 0, "locked": False},
        {"text": "world.", "start": 0.52, "end": 0.9, "confidence": None, "flags": 1, "locked": True},
        {"text": "Again", "start": None, "end": None},
    ],
    "cues": [{"first": 0, "last": 1, "start": 0.05, "end": 1.0}, {"first": 2, "last": 2, "start": None, "end": None}],
    "aligner": {"name": "sphinx"},
}


def test_version_1_file_is_migrated(tmp_path):
    audio = write_audio(tmp_path / "media" / "talk.wav")
    path = tmp_path / "old.wordsync"
    path.write_text(json.dumps(VERSION_1))
    loaded = load_project(path)
    assert loaded.document == Document(
        [
            Token("Hello,", ("hello",), 100, 481, 0.9, 0, False),
            Token("world.", ("world",), 520, 900, None, 1, True),
            Token("Again", ("again",), None, None),
        ],
        [Cue(0, 1, 50, 1000), Cue(2, 2)],
        duration_ms=3500,
        language="en",
    )
    assert loaded.audio_path == audio and not loaded.audio_missing
    assert loaded.audio_fingerprint is None  # version 1 had none; the next save adds it
    assert loaded.transcript_text == "Hello, world. Again"
    assert loaded.aligner == {"name": "sphinx"} and loaded.view == {}

    save_project(loaded, path)
    resaved = json.loads(path.read_text())
    assert resaved["version"] == 2 and resaved["audio"]["fingerprint"] == fingerprint(audio)
    assert load_project(path).document == loaded.document


def test_broken_version_1_file_is_a_project_error(tmp_path):
    path = tmp_path / "old.wordsync"
    path.write_text(json.dumps({**VERSION_1, "words": [{"text": "a", "start": "soon", "end": 1.0}]}))
    with pytest.raises(ProjectError, match="seconds") as info:
        load_project(path)
    assert_one_sentence(info.value)


# ------------------------------------------------------------------------------------------
# atomic saves
# ------------------------------------------------------------------------------------------


def saved_original(tmp_path) -> tuple[Path, bytes]:
    path = tmp_path / "p.wordsync"
    save_project(small_project(), path)
    return path, path.read_bytes()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_unserialisable_project_leaves_previous_file_intact(tmp_path):
    path, before = saved_original(tmp_path)
    for bad in ({"when": object()}, {"x": float("nan")}, {1: "int key"}):
        with pytest.raises(ProjectError, match="Cannot save"):
            save_project(replace(small_project(), view=bad), path)
    broken = small_document()
    broken.tokens[1] = broken.tokens[1].with_times(10, 20)  # overlaps token 0
    with pytest.raises(ProjectError, match="inconsistent"):
        save_project(replace(small_project(), document=broken), path)
    assert path.read_bytes() == before and leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_os_failure_during_save_leaves_previous_file_intact(tmp_path, monkeypatch, failing):
    path, before = saved_original(tmp_path)
    bigger = replace(small_project(), transcript_text="new text " * 1000)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="No space"):
        save_project(bigger, path)
    monkeypatch.undo()
    assert path.read_bytes() == before and leftovers(tmp_path) == []
    assert load_project(path) == load_project(path)  # still loads


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_write_that_the_os_cuts_off_midway_leaves_previous_file_intact(tmp_path):
    """A real short write: a child process with a 64 KiB file-size limit saves a 2 MB project."""
    path, before = saved_original(tmp_path)
    child = textwrap.dedent(
        f"""
        import resource, signal, sys
        from aligner_core.document import Document, Token
        from aligner_core.project import Project, save_project
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        doc = Document([Token("w%d" % i, ("w",), i * 10, i * 10 + 5) for i in range(40000)])
        try:
            save_project(Project(doc), {str(path)!r})
        except OSError as exc:
            print("failed:", exc.errno)
            sys.exit(0)
        sys.exit("the save should have failed")
        """
    )
    done = subprocess.run([sys.executable, "-c", child], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "failed: 27" in done.stdout  # EFBIG
    assert path.read_bytes() == before and leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_leaves_previous_file_intact(tmp_path):
    path, before = saved_original(tmp_path)
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            save_project(replace(small_project(), transcript_text="changed"), path)
    finally:
        tmp_path.chmod(0o700)
    assert path.read_bytes() == before


# ------------------------------------------------------------------------------------------
# speed
# ------------------------------------------------------------------------------------------


def test_thirty_thousand_words_save_and_load(tmp_path):
    tokens = []
    clock = 0
    for i in range(30_000):
        tokens.append(Token(f"word{i},", (f"word{i}",), clock, clock + 200, 0.8765, i % 3, i % 7 == 0, " ", int(i % 50 == 0)))
        clock += 250
    cues = [Cue(i, i + 9, None, None, (5,)) for i in range(0, 30_000, 10)]
    project = replace(small_project(), document=Document(tokens, cues, clock, "en"), transcript_text="x " * 30_000)
    path = tmp_path / "big.wordsync"
    save_times, load_times = [], []
    for _ in range(2):
        t0 = time.perf_counter()
        save_project(project, path)
        t1 = time.perf_counter()
        loaded = load_project(path)
        t2 = time.perf_counter()
        save_times.append(t1 - t0)
        load_times.append(t2 - t1)
    print(f"\n30,000 words, {path.stat().st_size / 1e6:.1f} MB: save {min(save_times) * 1000:.0f} ms, load {min(load_times) * 1000:.0f} ms")
    assert loaded == project
    # how fast: bench/scale.py (save / load of 30,000 words); a test on a shared machine only says it works


# ------------------------------------------------------------------------------------------
# autosave and crash recovery
# ------------------------------------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import os, sys, time
    from aligner_core.document import Cue, Document, Token
    from aligner_core.project import Project
    from aligner_core.recovery import AutosaveSession, write_autosave
    project_path = sys.argv[1] or None
    session = AutosaveSession()
    doc = Document([Token("unsaved", ("unsaved",), 0, 100), Token("work", ("work",))], [Cue(0, 1)])
    write_autosave(Project(doc, transcript_text="unsaved work"), session, project_path)
    print(session.id, flush=True)
    sys.stdin.readline()  # stay alive until the parent has looked (or kills us)
    """
)


def start_editor(project_path: Path | None) -> tuple[subprocess.Popen, str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project_path or "")],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = child.stdout.readline().strip()
    if not line:
        child.kill()
        raise AssertionError(child.stderr.read())
    return child, line


def crash(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL) if hasattr(signal, "SIGKILL") else child.kill()
    child.wait(timeout=10)
    child.stdin.close()
    child.stdout.close()
    child.stderr.close()


def test_autosave_of_a_killed_session_is_found_but_not_while_it_runs(tmp_path):
    project_path = tmp_path / "talk.wordsync"
    save_project(small_project(), project_path)
    os.utime(project_path, (time.time() - 60, time.time() - 60))  # saved a minute before the edits
    child, session_id = start_editor(project_path)
    try:
        autosave = autosave_path(project_path, session_id)
        assert autosave.is_file()
        assert find_recoverable() == []  # the editor is still running
    finally:
        crash(child)
    assert autosave.is_file()

    [entry] = find_recoverable()
    assert entry.path == autosave and entry.session_id == session_id
    assert entry.project_path == project_path and entry.pid == child.pid and entry.title == "talk.wordsync"
    recovered = load_recovery(entry)
    assert recovered.transcript_text == "unsaved work"
    assert [t.text for t in recovered.document.tokens] == ["unsaved", "work"]

    discard_recovery(entry)
    assert find_recoverable() == []
    assert not autosave.exists() and not autosave.parent.exists()


def test_untitled_autosave_is_recovered(tmp_path):
    child, session_id = start_editor(None)
    crash(child)
    [entry] = find_recoverable()
    assert entry.project_path is None and entry.title == "Untitled"
    assert entry.path == autosave_path(None, session_id)
    assert load_recovery(entry).transcript_text == "unsaved work"


def test_autosave_older_than_the_saved_project_is_not_offered(tmp_path):
    project_path = tmp_path / "talk.wordsync"
    save_project(small_project(), project_path)
    child, _ = start_editor(project_path)
    crash(child)
    assert len(find_recoverable()) == 1
    later = time.time() + 60
    os.utime(project_path, (later, later))  # saved again after the autosave
    assert find_recoverable() == []


def test_session_in_this_process_is_not_offered_and_closing_cleans_up(tmp_path, _state_dir):
    project_path = tmp_path / "p.wordsync"
    with AutosaveSession() as session:
        written = write_autosave(small_project(), session, project_path)
        assert written == autosave_path(project_path, session.id)
        assert find_recoverable() == []  # our own lock is held by another descriptor
        assert load_recovery(rc.RecoveryEntry(written, session.id, project_path, 0.0, None)) == small_project()
    assert not written.exists()
    assert sorted(p.name for p in (_state_dir / "recovery").iterdir()) == []


def test_autosave_is_discarded_after_save(tmp_path):
    project_path = tmp_path / "p.wordsync"
    session = AutosaveSession()
    try:
        written = write_autosave(small_project(), session, project_path)
        save_project(small_project(), project_path)
        discard_autosave(project_path, session)
        assert not written.exists()
        # A crash now (the lock released without the clean exit) leaves nothing to recover.
        os.close(session._lock_fd)
        session._lock_fd = None
        assert find_recoverable() == []
    finally:
        session.close()


def test_autosave_refusals_carry_message_codes(tmp_path):
    """The editor says these after "Autosave failed:" in its own language: they are codes, and
    the CLI's English is unchanged."""
    from aligner_core.messages import message_of

    with AutosaveSession("twice") as session:
        with pytest.raises(FileExistsError) as taken:
            AutosaveSession("twice")
        assert message_of(taken.value).code == "autosave_session_exists"
        assert str(taken.value) == "autosave session 'twice' already exists"
        write_autosave(small_project(), session, tmp_path / "p.wordsync")  # the first claim still works
    with pytest.raises(ValueError) as closed:
        write_autosave(small_project(), session, tmp_path / "p.wordsync")
    assert message_of(closed.value).code == "autosave_closed"
    assert str(closed.value) == "the autosave session is closed"


def test_autosave_keeps_relative_audio_of_the_project(tmp_path):
    folder = tmp_path / "proj"
    audio = write_audio(folder / "talk.wav")
    with AutosaveSession() as session:
        written = write_autosave(small_project(audio), session, folder / "p.wordsync")
        stored = json.loads(written.read_text())
        assert stored["audio"]["path"] == "talk.wav"
        assert stored["autosave"]["project_path"] == str(folder / "p.wordsync")
        entry = rc.RecoveryEntry(written, session.id, folder / "p.wordsync", 0.0, None)
        assert load_recovery(entry).audio_path == audio


def test_autosave_location_is_derived_and_never_escapes_the_state_dir(tmp_path, _state_dir, monkeypatch):
    a = autosave_path(tmp_path / "x" / "talk.wordsync", "abc")
    b = autosave_path(tmp_path / "y" / "talk.wordsync", "abc")
    assert a != b and a.parent == b.parent == _state_dir / "recovery" / "abc"
    assert a.name.startswith("talk-") and a.suffix == EXTENSION
    assert autosave_path(tmp_path / "../../../../etc/passwd", "abc").parent == _state_dir / "recovery" / "abc"
    for bad in ["../x", "a/b", "", ".", "x" * 65, "a b"]:
        with pytest.raises(ValueError):
            autosave_path(None, bad)

    monkeypatch.delenv("WORDSYNC_STATE_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
        assert rc.state_dir() == tmp_path / "xdg" / "wordsync"
        monkeypatch.setenv("XDG_STATE_HOME", "relative/is/ignored")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert rc.state_dir() == tmp_path / "home" / ".local" / "state" / "wordsync"


def test_planted_autosave_claiming_another_project_is_ignored(tmp_path, _state_dir):
    child, session_id = start_editor(tmp_path / "real.wordsync")
    crash(child)
    [entry] = find_recoverable()
    data = json.loads(entry.path.read_text())
    data["autosave"]["project_path"] = str(tmp_path / "victim.wordsync")
    entry.path.write_text(json.dumps(data))
    assert find_recoverable() == []  # the name was not derived from that path


def test_leftovers_of_interrupted_writes_and_starts_are_tidied(tmp_path, _state_dir):
    child, session_id = start_editor(None)
    crash(child)
    recovery = _state_dir / "recovery"
    (recovery / session_id / ".untitled.wordsync.abc123.tmp").write_text("half an autosave")
    (recovery / ".deadbeef.4242.starting").write_text("")
    [entry] = find_recoverable()
    assert sorted(p.name for p in (recovery / session_id).iterdir()) == ["untitled.wordsync"]
    assert not (recovery / ".deadbeef.4242.starting").exists()
    discard_recovery(entry)
    assert list(recovery.iterdir()) == []


def test_trailing_garbage_is_not_called_truncation(tmp_path):
    path = tmp_path / "p.wordsync"
    save_project(small_project(), path)
    path.write_text(path.read_text() + "}")
    with pytest.raises(ProjectError, match="not valid JSON"):
        load_project(path)
