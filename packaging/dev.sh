#!/usr/bin/env bash
# Set up a development environment from nothing, then run the editor or the tests.
#
#   bash packaging/dev.sh run [FILES...]   set up .venv, open the editor (bundled example by default)
#   bash packaging/dev.sh test [ARGS...]   set up .venv, run the whole test suite
#   bash packaging/dev.sh setup            only set up
#
# Needs Python >= 3.10. System packages (Qt's runtime libraries, PortAudio, espeak-ng, sox)
# are installed with apt-get when this runs as root or with sudo on Debian/Ubuntu; elsewhere it
# says which ones are missing. WORDSYNC_TORCH overrides the torch requirement (default: the
# 2.13.0 build this project is tested with; a CUDA machine may want another).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="${WORDSYNC_VENV:-$here/.venv}"
cmd="${1:-run}"; shift || true

apt_packages=(espeak-ng sox libportaudio2 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
              libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
              libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libglib2.0-0
              desktop-file-utils appstream  # validate packaging/linux (tests/core/test_linux_integration.py)
              fonts-noto-cjk)  # the Chinese UI and CJK transcripts: without it, glyphs render as boxes

install_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "wordsync: please install these system packages: ${missing[*]}" >&2; return 0; fi
  fi
  echo "wordsync: installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  for py in "${PYTHON:-}" python3.11 python3.12 python3.13 python3.10 python3; do
    [ -n "$py" ] || continue
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "wordsync: Python 3.10 or newer is needed" >&2; exit 2
}

setup() {
  install_system_packages
  if [ ! -x "$venv/bin/python" ]; then
    "$(find_python)" -m venv "$venv"
  fi
  # Re-install only when the requirements changed: a second run starts at once.
  local stamp="$venv/.wordsync-installed"
  local want
  want="$(cat pyproject.toml packaging/dev.sh | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "${WORDSYNC_TORCH:-torch==2.13.0}"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -e ".[neural,test]"
    echo "$want" > "$stamp"
  fi
}

case "$cmd" in
  setup) setup ;;
  run)
    setup
    if [ $# -eq 0 ]; then set -- resources/examples/jfk.flac resources/examples/jfk.txt; fi
    exec "$venv/bin/wordsync" "$@"
    ;;
  test)
    setup
    # Core tests run with Qt, pyqtgraph and sounddevice made unimportable: this proves the
    # GUI-free core works on a machine without them. Then the desktop tests, offscreen.
    status=0
    WORDSYNC_BLOCK_GUI=1 "$venv/bin/python" -m pytest -p no:pytest-qt tests/core "$@" || status=$?
    if [ $status -ne 0 ] && [ $status -ne 5 ]; then exit $status; fi
    QT_QPA_PLATFORM=offscreen "$venv/bin/python" -m pytest tests/desktop "$@" || status=$?
    [ $status -eq 5 ] && status=0
    exit $status
    ;;
  *) echo "usage: bash packaging/dev.sh run|test|setup [ARGS...]" >&2; exit 2 ;;
esac
