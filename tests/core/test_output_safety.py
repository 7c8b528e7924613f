"""No output ever destroys an input: every data-loss path the testers found, through the real CLI,
the core writers and the project save. Each proves the input's bytes and file type survive."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from aligner_core import cli
from aligner_core.document import Cue, Document, Token
from aligner_core.fileio import TEMP_PREFIX, atomic_write_bytes
from aligner_core.formats import export_document
from aligner_core.outputs import OutputError, check_output, same_file
from aligner_core.project import Project, save_project
from tests.reliability_cases import JFK, OUTPUT_CASES, SHORT_TEXT, _pair, file_state, one_line, run_output_case

IS_ROOT = os.geteuid() == 0


@pytest.mark.parametrize("case", OUTPUT_CASES, ids=[c.name for c in OUTPUT_CASES])
def test_no_output_destroys_an_input(case, tmp_path):
    if case.root_only and not IS_ROOT:
        pytest.skip("mknod needs root")
    code, out, err, lost = run_output_case(case, tmp_path)
    assert lost == [], err
    assert code == case.expect, err
    if code == 2:
        assert one_line(err), err


def test_written_through_a_stdout_link_the_subtitles_reach_stdout(tmp_path):
    case = next(c for c in OUTPUT_CASES if "proc/self/fd/1" in c.name)
    code, out, err, lost = run_output_case(case, tmp_path)
    assert code == 0 and not lost, err
    assert out.startswith("WEBVTT") and "Americans" in out
    assert (tmp_path / "stdout").is_symlink()


@pytest.mark.skipif(not IS_ROOT, reason="mknod needs root")
def test_a_device_stays_a_device(tmp_path):
    case = next(c for c in OUTPUT_CASES if "device node" in c.name)
    code, _out, err, lost = run_output_case(case, tmp_path)
    assert code == 0 and not lost, err
    assert stat.S_ISCHR(os.lstat(tmp_path / "null").st_mode)


def test_dash_writes_to_standard_output_and_needs_a_format(tmp_path, capsys):
    audio, text = _pair(tmp_path)
    assert cli.main(["align", str(audio), str(text), "-o", "-", "--format", "srt"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("1\n00:00:") and "Americans" in captured.out
    assert not (tmp_path / "-").exists()
    assert cli.main(["align", str(audio), str(text), "-o", "-"]) == 2
    assert "needs --format" in capsys.readouterr().err


def test_a_symlinked_output_is_written_at_its_target(tmp_path, capsys):
    audio, text = _pair(tmp_path)
    real = tmp_path / "real.srt"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.srt").symlink_to(real.name)
    assert cli.main(["align", str(audio), str(text), "-o", str(tmp_path / "link.srt")]) == 0, capsys.readouterr().err
    assert (tmp_path / "link.srt").is_symlink() and os.readlink(tmp_path / "link.srt") == "real.srt"
    assert "Americans" in real.read_text(encoding="utf-8")


def test_the_output_is_checked_before_any_work(tmp_path, capsys):
    # the audio is not audio at all: had the CLI decoded it first, the error would be about the audio
    bad_audio = tmp_path / "noise.wav"
    bad_audio.write_bytes(b"not a wave file at all")
    text = tmp_path / "t.txt"
    text.write_text(SHORT_TEXT, encoding="utf-8")
    for out, expected in (("missing/x.srt", "does not exist"), (str(text), "same file")):
        assert cli.main(["align", str(bad_audio), str(text), "-o", str(tmp_path / out) if "/" in out else out]) == 2
        assert expected in capsys.readouterr().err


def test_a_250_byte_name_works_and_temporary_names_stay_short(tmp_path, capsys):
    audio, text = _pair(tmp_path)
    name = "a" * 246 + ".srt"
    assert len(name.encode()) == 250
    assert cli.main(["align", str(audio), str(text), "-o", str(tmp_path / name)]) == 0, capsys.readouterr().err
    assert (tmp_path / name).stat().st_size > 0
    assert len(TEMP_PREFIX) + 8 + len(".tmp") < 40
    assert cli.main(["align", str(audio), str(text), "-o", str(tmp_path / ("b" * 256 + ".srt"))]) == 2
    assert "too long" in capsys.readouterr().err


def test_a_write_error_names_the_users_file_not_the_temporary(tmp_path, monkeypatch, capsys):
    # the file-size limit is hit while the data is flushed (EFBIG, "[Errno 27]"), at the OS boundary
    audio, text = _pair(tmp_path)
    out = tmp_path / "subs.srt"

    def too_large(_fd):
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(os, "fsync", too_large)
    assert cli.main(["align", str(audio), str(text), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    line = one_line(err)
    assert line and "subs.srt" in line and "File too large" in line and ".tmp" not in line and "Errno" not in line, err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_atomic_writer_never_renames_over_what_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="named pipe"):
        atomic_write_bytes(fifo, b"data")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    ro = tmp_path / "ro.txt"
    ro.write_bytes(b"mine")
    ro.chmod(0o444)
    with pytest.raises(OutputError, match="read-only"):
        atomic_write_bytes(ro, b"data")
    assert ro.read_bytes() == b"mine"
    real = tmp_path / "real.txt"
    real.write_bytes(b"old")
    (tmp_path / "link").symlink_to(real)
    atomic_write_bytes(tmp_path / "link", b"new")
    assert (tmp_path / "link").is_symlink() and real.read_bytes() == b"new"


def test_check_output_kinds(tmp_path):
    assert check_output("-", allow_stdout=True).kind == "stdout"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert check_output(fifo, allow_special=True).kind == "special"
    with pytest.raises(OutputError, match="choose a regular file"):
        check_output(fifo)
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path)
    a = tmp_path / "a.txt"
    a.write_text("x")
    assert same_file(tmp_path / "." / "a.txt", a) and not same_file(a, fifo)
    assert check_output(tmp_path / "new.srt", [a]).write_path == (tmp_path / "new.srt").resolve()


def _doc() -> Document:
    return Document([Token("And", ("and",), 100, 300, 0.9, sep=" "), Token("so", ("so",), 400, 600, 0.9)], [Cue(0, 1, 100, 600)], 11000, "en")


def test_the_project_is_never_saved_over_its_audio_or_transcript(tmp_path):
    audio = tmp_path / "jfk.flac"
    audio.write_bytes(JFK.read_bytes())
    text = tmp_path / "jfk.txt"
    text.write_text("And so", encoding="utf-8")
    project = Project(_doc(), audio_path=audio, transcript_path=text, transcript_text="And so")
    for target in (audio, text, tmp_path / "sub" / ".." / "jfk.flac"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        before = file_state(Path(os.path.normpath(target)))
        with pytest.raises(OutputError, match="same file as the input"):
            save_project(project, target)
        assert file_state(Path(os.path.normpath(target))) == before
    save_project(project, tmp_path / "p.wordsync")
    assert (tmp_path / "p.wordsync").stat().st_size > 0


def test_export_refuses_its_inputs(tmp_path):
    audio = tmp_path / "a.flac"
    audio.write_bytes(JFK.read_bytes())
    with pytest.raises(OutputError):
        export_document(_doc(), audio, "srt", inputs=[audio])
    assert audio.read_bytes() == JFK.read_bytes()


def test_errno_of_a_failed_write_is_kept(tmp_path, monkeypatch):
    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # the disk fills while the data is flushed
    with pytest.raises(OSError) as info:
        atomic_write_bytes(tmp_path / "x.srt", b"data")
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(tmp_path / "x.srt")
    assert list(tmp_path.iterdir()) == []
