#!/usr/bin/env bash
# Build the one-folder bundle dist/wordsync/ (wordsync-editor + wordsync) with PyInstaller.
#
#   bash packaging/build.sh            build with the project's venv (.venv, or $WORDSYNC_VENV)
#   WORDSYNC_BUNDLE_NEURAL=0 bash packaging/build.sh   leave torch/transformers out
#
# Freezes only a venv that holds exactly the locked versions (packaging/requirements.lock and
# torch.lock, which `bash packaging/dev.sh setup` installs, PyInstaller included), so the bundle
# ships what the tests ran with; WORDSYNC_UNLOCKED=1 builds from whatever is installed, for
# trying a new version before locking it. The versions frozen in are written to
# dist/wordsync/versions.txt. Works the same on Windows (Git Bash) and macOS; see
# packaging/README.md for what was tried where.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="${WORDSYNC_VENV:-$here/.venv}"
py="$venv/bin/python"
[ -x "$py" ] || py="$venv/Scripts/python.exe"   # a Windows venv
if [ ! -x "$py" ]; then
  echo "build.sh: no venv at $venv; run 'bash packaging/dev.sh setup' first" >&2; exit 2
fi
locks=(packaging/requirements.lock packaging/torch.lock)
manifest="$(mktemp)"
trap 'rm -f "$manifest"' EXIT
if ! "$py" packaging/lockcheck.py --manifest "$manifest" "${locks[@]}"; then
  if [ "${WORDSYNC_UNLOCKED:-0}" != "1" ]; then
    echo "build.sh: refusing to freeze versions that were not locked and tested (WORDSYNC_UNLOCKED=1 to try anyway)" >&2
    exit 2
  fi
  { echo "# NOT the locked versions: built with WORDSYNC_UNLOCKED=1"; "$py" -m pip freeze --all; } > "$manifest"
fi
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/wordsync.spec
cp "$manifest" dist/wordsync/versions.txt
echo "built $here/dist/wordsync ($(du -sh dist/wordsync | cut -f1))"
