"""``wordsync align --help`` names every cue profile and the karaoke option."""

from __future__ import annotations

from aligner_core.cli import main
from aligner_core.cues import PROFILES


def test_help_lists_the_profiles_and_karaoke(capsys):
    try:
        main(["align", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for name in PROFILES:
        assert name in out.replace("- ", "-")
    assert "--karaoke" in out and "ASS" in out
