#!/usr/bin/env bash
# Set up a development environment from nothing, then run the editor or the tests.
#
#   bash packaging/dev.sh run [FILES...]   set up .venv, open the editor (bundled example by default)
#   bash packaging/dev.sh test [ARGS...]   set up .venv, run the whole test suite
#   bash packaging/dev.sh setup            only set up
#
# Needs Python >= 3.11. System packages (Qt's runtime libraries, PortAudio, espeak-ng, sox)
# are installed with apt-get when this runs as root or with sudo on Debian/Ubuntu; elsewhere it
# says which ones are missing.
#
# Python packages come from the lock files, hash-checked: packaging/requirements.lock (everything
# but torch) and packaging/torch.lock (the torch 2.13.0 CPU build the project is tested with).
# WORDSYNC_TORCH names another torch instead (a CUDA machine: WORDSYNC_TORCH='torch==2.13.0+cu130'
# with PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cu130, say); it is installed with its own
# dependencies, unchecked, and written to .venv/.wordsync-torch. pyproject.toml's ranges are for
# people who pip-install the library; packaging/lock.sh re-locks after a change.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="${WORDSYNC_VENV:-$here/.venv}"
cmd="${1:-run}"; shift || true

apt_packages=(espeak-ng sox libportaudio2 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
              libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
              libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libglib2.0-0
              desktop-file-utils appstream  # validate packaging/linux (tests/core/test_linux_integration.py)
              fonts-noto-cjk  # the Chinese UI and CJK transcripts: without it, glyphs render as boxes
              xvfb xauth bc)  # packaging/check_bundle.sh: the frozen editor on a virtual screen, timings

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
  # 3.11 first: the version the lock was tested with
  for py in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$py" ] || continue
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "wordsync: Python 3.11 or newer is needed (the locked numpy needs it)" >&2; exit 2
}

setup() {
  install_system_packages
  if [ ! -x "$venv/bin/python" ]; then
    "$(find_python)" -m venv "$venv"
  fi
  # Re-install only when the requirements changed: a second run starts at once.
  local stamp="$venv/.wordsync-installed"
  local locks=(packaging/requirements.lock packaging/torch.lock)
  local want
  want="$( (cat pyproject.toml packaging/dev.sh "${locks[@]}"; echo "${WORDSYNC_TORCH:-}") | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    local pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)
    if [ -z "${WORDSYNC_TORCH:-}" ]; then
      "${pip[@]}" --require-hashes -r packaging/requirements.lock -r packaging/torch.lock || {
        echo "wordsync: the locked packages did not install (pip says why above); if it is torch:" \
             "packaging/torch.lock allows only CPU builds, which on Linux x86-64 come from PyTorch's CPU" \
             "index (PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu), or set WORDSYNC_TORCH" \
             "to choose another build" >&2; exit 1; }
    else
      "${pip[@]}" "$WORDSYNC_TORCH"
      "${pip[@]}" --require-hashes -r packaging/requirements.lock
    fi
    # our own package, without letting pip resolve anything past the lock; setuptools is locked
    "${pip[@]}" --no-deps --no-build-isolation -e .
    "$venv/bin/python" -m pip check >/dev/null || { "$venv/bin/python" -m pip check >&2; exit 1; }
    "$venv/bin/python" packaging/lockcheck.py "${locks[@]}"
    "$venv/bin/python" -c 'import importlib.metadata as m; print("torch==" + m.version("torch"))' \
      > "$venv/.wordsync-torch"
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
