#!/usr/bin/env bash
# Prove the frozen bundle works without any Python environment, and measure it.
#
#   bash packaging/check_bundle.sh           build dist/wordsync first (packaging/build.sh)
#   bash packaging/check_bundle.sh --reuse   use the dist/wordsync already there
#
# 1. the frozen `wordsync align` aligns the bundled example with the offline aligner (the model
#    inside the bundle), under `env -i` (no venv, no PYTHONPATH), and the SRT is checked;
# 2. when the bundle carries torch: the frozen CLI loads and runs a tiny CTC model and a tiny
#    Qwen3-ForcedAligner (made with the venv from tests/core/tiny_models.py), so transformers'
#    lazy model classes, metadata and torch's data files are really in the bundle;
#    2b. when the venv has sherpa-onnx (a runtime dependency): `wordsync transcribe` drafts from tones with a tiny
#    SenseVoice-shaped model (tests/core/tiny_sensevoice.py) through sherpa-onnx's recogniser;
# 3. the frozen editor starts under Xvfb with WORDSYNC_EXIT_AFTER_SHOW=1 and must report its
#    window on screen; three warm start-up times, and a cold one when run as root (which can
#    drop the page cache);
# 4. the bundle's size.
# First it checks dist/wordsync/versions.txt: the bundle must have been frozen from the lock files
# as they are now (packaging/build.sh writes it), or it proves nothing about them.
# Slow (a build is minutes), so it is not part of the test suite. Needs xvfb-run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bundle="$here/dist/wordsync"
venv_py="${WORDSYNC_VENV:-$here/.venv}/bin/python"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
clean_env=(env -i PATH=/usr/bin:/bin HOME="$HOME" LANG=C.UTF-8)

if [ "${1:-}" != "--reuse" ] || [ ! -x "$bundle/wordsync" ]; then
  bash packaging/build.sh
fi
fail() { echo "check_bundle: FAIL: $*" >&2; exit 1; }

echo "== 0. built from the lock files as they are now"
lock_digest="$(cat packaging/requirements.lock packaging/torch.lock | sha256sum | cut -c1-16)"
[ -f "$bundle/versions.txt" ] || fail "the bundle has no versions.txt (not built by packaging/build.sh)"
head -n1 "$bundle/versions.txt" | grep -q "lock files sha256 $lock_digest" \
  || fail "the bundle was not frozen from these lock files ($(head -n1 "$bundle/versions.txt")); rebuild it"
echo "ok: $(grep -c '==' "$bundle/versions.txt") locked distributions, $(grep -E '^(torch|transformers|kernels|PyInstaller|pyinstaller)==' "$bundle/versions.txt" | tr '\n' ' ')"

echo "== 1. frozen CLI, offline aligner, no Python environment"
cp resources/examples/jfk.flac resources/examples/jfk.txt "$work/"
start=$(date +%s.%N)
(cd "$work" && "${clean_env[@]}" "$bundle/wordsync" align jfk.flac jfk.txt -o jfk.srt)
cli_s=$(echo "$(date +%s.%N) - $start" | bc)
grep -q -- "-->" "$work/jfk.srt" || fail "no cues in the SRT"
grep -q "ask not" "$work/jfk.srt" || fail "the SRT lacks the transcript"
[ "$(grep -c -- '-->' "$work/jfk.srt")" -ge 2 ] || fail "fewer than 2 cues"
echo "ok: $(grep -c -- '-->' "$work/jfk.srt") cues in ${cli_s} s"

if [ -d "$bundle/_internal/torch" ] && [ -x "$venv_py" ]; then
  echo "== 2. frozen CLI, neural aligners on tiny local models"
  "$venv_py" - "$work" <<'PY'
import sys
sys.path.insert(0, ".")
from tests.core.tiny_models import build_tiny_ctc, build_tiny_qwen3_aligner
build_tiny_ctc(sys.argv[1] + "/tiny-ctc")
build_tiny_qwen3_aligner(sys.argv[1] + "/tiny-qwen3", num_labels=256, timestamp_segment_time=80)  # 20 s > the 11 s example
PY
  for kind in ctc qwen3; do
    (cd "$work" && "${clean_env[@]}" HF_HUB_OFFLINE=1 "$bundle/wordsync" align jfk.flac jfk.txt \
        --aligner "$kind" --model "$work/tiny-$kind" --device cpu -o "$kind.json") || fail "$kind in the bundle"
    grep -q '"start"' "$work/$kind.json" || fail "$kind wrote no word timings"
    echo "ok: $kind"
  done
else
  echo "== 2. skipped (bundle without torch, or no venv to make the tiny models)"
fi

# keyed on the build venv, not the bundle: sherpa-onnx missing from the bundle must fail, not skip
if [ -x "$venv_py" ] && "$venv_py" -c "import sherpa_onnx, onnx" 2>/dev/null; then
  echo "== 2b. frozen CLI, transcription through sherpa-onnx on a tiny SenseVoice-shaped model"
  "$venv_py" - "$work" <<'PY'
import sys
sys.path.insert(0, ".")
import soundfile as sf
from tests.core.tiny_sensevoice import build_tiny_sensevoice, tone_bursts
build_tiny_sensevoice(sys.argv[1] + "/tiny-sensevoice")
sf.write(sys.argv[1] + "/tones.wav", tone_bursts("LH"), 16000)  # a low tone reads "hello", a high one "world"
PY
  (cd "$work" && "${clean_env[@]}" "$bundle/wordsync" transcribe tones.wav --asr sensevoice \
      --model "$work/tiny-sensevoice" --no-align -o draft.txt) || fail "sensevoice in the bundle"
  grep -q "hello world" "$work/draft.txt" || fail "the frozen SenseVoice draft is not 'hello world': $(cat "$work/draft.txt")"
  echo "ok: sensevoice"
else
  echo "== 2b. skipped (no venv with sherpa-onnx and onnx to make the tiny model)"
fi

echo "== 3. frozen editor under Xvfb"
times=()
for run in 1 2 3; do
  out=$("${clean_env[@]}" timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" bash -c \
    'WORDSYNC_EXIT_AFTER_SHOW=1 WORDSYNC_LAUNCH_T0=$(date +%s.%N) exec "$0"' "$bundle/wordsync-editor" 2>&1) \
    || fail "the editor did not start: $out"
  t=$(echo "$out" | sed -n 's/^wordsync: window shown after \([0-9.]*\) s$/\1/p')
  [ -n "$t" ] || fail "the editor showed no window: $out"
  echo "ok: window shown after $t s (run $run, files in the page cache)"
  times+=("$t")
done
# a cold start needs an empty page cache: only root can drop it
if [ "$(id -u)" -eq 0 ] && [ -w /proc/sys/vm/drop_caches ]; then
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null && {
    out=$("${clean_env[@]}" timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" bash -c \
      'WORDSYNC_EXIT_AFTER_SHOW=1 WORDSYNC_LAUNCH_T0=$(date +%s.%N) exec "$0"' "$bundle/wordsync-editor" 2>&1)
    cold=$(echo "$out" | sed -n 's/^wordsync: window shown after \([0-9.]*\) s$/\1/p')
    echo "ok: window shown after $cold s (cold: page cache dropped first)"; } || true
fi

echo "== 4. size"
echo "bundle: $(du -sh "$bundle" | cut -f1) ($(find "$bundle" -type f | wc -l) files); CLI align ${cli_s} s; editor start ${times[*]} s warm, ${cold:-?} s cold"
