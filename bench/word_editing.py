"""Word editing on a long document: what find-and-replace, paste and spell checking cost.

    .venv/bin/python bench/word_editing.py [--json] [--words N] [--repeat N]

Builds N timed words (default 30,000, the editor's scale target) in cues of about ten words and
prints, best of the runs:
- Replace all planned (find + plan as one edit) for a one-for-one word swap, a regex with groups,
  and a replacement that splits every match in two (re-tokenized through retext), then applying
  and undoing the edit;
- copying 1,000 words to the clipboard's JSON, checking it back, and planning + applying the paste;
- the system's en_US Hunspell dictionary: loading it (spylls) and checking every word once
  (skipped when none is installed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner_core.clipboard import copy_clip, parse_payload, to_json  # noqa: E402
from aligner_core.cues import get_profile, segment  # noqa: E402
from aligner_core.document import Document  # noqa: E402
from aligner_core.replace import ReplaceQuery, replace_all  # noqa: E402
from aligner_core.spelling import SYSTEM_FOLDERS, SpellingError, load_speller, misspelt  # noqa: E402
from aligner_core.text import tokenize  # noqa: E402
from aligner_core.word_insert import paste_edit  # noqa: E402

TEXT = "And so, my fellow Americans, ask not what your country can do for you; ask what you can do for your country."


def build(n_words: int) -> Document:
    words = TEXT.split()
    text = " ".join(words[i % len(words)] for i in range(n_words))
    tokens = [t.with_times(i * 400, i * 400 + 320) for i, t in enumerate(tokenize(text, "en"))]
    doc = Document(tokens, [], n_words * 400 + 1000, "en")
    doc.cues = segment(doc, get_profile("general"))
    return doc


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=30_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    doc = build(args.words)
    rows: dict[str, float | int | str] = {"words": len(doc.tokens), "cues": len(doc.cues)}

    for name, query in (
        ("replace_word", ReplaceQuery("country", "nation", whole_words=True)),
        ("replace_regex_groups", ReplaceQuery(r"(\w+) (not)", r"\2 \1", regex=True)),
        ("replace_splitting", ReplaceQuery("cannot|fellow", "fellow citizen", regex=True)),
    ):
        ms, (edit, spans, count) = best(lambda q=query: replace_all(doc, q), args.repeat)
        rows[f"{name}_matches"] = count
        rows[f"{name}_plan_ms"] = round(ms, 1)
        t0 = time.perf_counter()
        edit.apply(doc)
        rows[f"{name}_apply_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        t0 = time.perf_counter()
        edit.revert(doc)
        rows[f"{name}_undo_ms"] = round((time.perf_counter() - t0) * 1000, 1)

    mid = len(doc.tokens) // 2
    ms, payload = best(lambda: to_json(copy_clip(doc, mid, mid + 999)), args.repeat)
    rows["copy_1000_words_ms"] = round(ms, 1)
    rows["copy_1000_words_bytes"] = len(payload.encode())
    ms, clip = best(lambda: parse_payload(payload), args.repeat)
    rows["check_1000_words_ms"] = round(ms, 1)
    at = len(doc.tokens)
    ms, (edit, _where, _timed) = best(lambda: paste_edit(doc, clip, at, doc.tokens[-1].end), args.repeat)
    rows["plan_paste_1000_words_ms"] = round(ms, 1)
    t0 = time.perf_counter()
    edit.apply(doc)
    rows["apply_paste_1000_words_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    edit.revert(doc)

    try:
        t0 = time.perf_counter()
        speller = load_speller("en_US", SYSTEM_FOLDERS)
        rows["spelling_load_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        rows["spelling_dictionary"] = str(speller.path)
        t0 = time.perf_counter()
        bad = misspelt(doc.tokens, speller)
        rows["spelling_check_all_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        rows["spelling_misspelt"] = len(bad)
        t0 = time.perf_counter()
        speller.suggest("countrry")
        rows["spelling_suggest_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    except SpellingError as exc:
        rows["spelling_skipped"] = str(exc)

    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for key, value in rows.items():
            print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
