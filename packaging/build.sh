#!/usr/bin/env bash
# Build the one-folder bundle dist/wordsync/ (wordsync-editor + wordsync) with PyInstaller.
#
#   bash packaging/build.sh            build with the project's venv (.venv, or $WORDSYNC_VENV)
#   WORDSYNC_BUNDLE_NEURAL=0 bash packaging/build.sh   leave torch/transformers out
#
# Installs PyInstaller (the `packaging` extra) into the venv when it is missing. Works the same
# on Windows (Git Bash) and macOS; see packaging/README.md for what was tried where.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="${WORDSYNC_VENV:-$here/.venv}"
py="$venv/bin/python"
[ -x "$py" ] || py="$venv/Scripts/python.exe"   # a Windows venv
if [ ! -x "$py" ]; then
  echo "build.sh: no venv at $venv; run 'bash packaging/dev.sh setup' first" >&2; exit 2
fi
if ! "$py" -c "import PyInstaller" 2>/dev/null; then
  "$py" -m pip install -q --disable-pip-version-check -e ".[packaging]"
fi
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/wordsync.spec
echo "built $here/dist/wordsync ($(du -sh dist/wordsync | cut -f1))"
