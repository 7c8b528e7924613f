"""``wordsync align`` with the timing post-processors: the cues written are the core's plan applied
to the cues it would write without them, and bad values are one line with exit 2."""

from __future__ import annotations

import pytest

from aligner_core import cli
from aligner_core.formats import load_document
from aligner_core.timing_tools import RetimeCues, TimingSettings, plan

from .test_cli import JFK, JFK_TXT, one_error_line

FLAGS = ["--lead-in", "150", "--lead-out", "400", "--chain", "700", "--min-gap", "120", "--min-duration", "1200", "--max-duration", "2500"]


def test_timing_flags_post_process_the_cues_as_the_core_plans(tmp_path, capsys):
    base, post = tmp_path / "base.json", tmp_path / "post.json"
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(base), "--profile", "one-line"]) == 0
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(post), "--profile", "one-line", *FLAGS]) == 0
    expected, got = load_document(base), load_document(post)
    assert got.tokens == expected.tokens  # word times are not the tools' business
    settings = TimingSettings(lead_in_ms=150, lead_out_ms=400, chain_ms=700, min_gap_ms=120, min_duration_ms=1200, max_duration_ms=2500)
    changes = plan(expected, None, settings)
    assert changes  # the flags did something on this recording
    RetimeCues(changes).apply(expected)
    times = [got.cue_times(c) for c in got.cues]
    assert times == [expected.cue_times(c) for c in expected.cues]
    assert all(b[0] - a[1] >= 120 for a, b in zip(times, times[1:]))


@pytest.mark.parametrize(
    "extra, needle",
    [
        (["--lead-in", "-5"], "milliseconds of 0 or more"),
        (["--min-gap", "soon"], "whole milliseconds"),
        (["--min-duration", "3000", "--max-duration", "1000"], "--min-duration (3000 ms) is longer than --max-duration (1000 ms)"),
        (["--max-duration", "0"], "--max-duration must be more than 0 ms"),
    ],
)
def test_bad_timing_values_are_one_line_and_exit_2(tmp_path, capsys, extra, needle):
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(tmp_path / "x.srt"), *extra]) == 2
    assert needle in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "x.srt").exists()


def test_timing_flags_are_for_cued_formats_only(tmp_path, capsys):
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(tmp_path / "x.TextGrid"), "--lead-in", "100"]) == 2
    assert "--lead-in times cues: it is for SRT, VTT, ASS or JSON output, not TEXTGRID" in one_error_line(capsys.readouterr().err)
