#!/usr/bin/env bash
# Install the bundle and its desktop integration for one user (default) or system-wide:
#
#   bash packaging/linux/install.sh                 -> ~/.local (bundle in ~/.local/lib/wordsync)
#   sudo PREFIX=/usr/local bash packaging/linux/install.sh
#   bash packaging/linux/install.sh --uninstall
#
# Without dist/wordsync (packaging/build.sh makes it) only the desktop file, metainfo, MIME type
# and icons are installed; the menu entry then expects wordsync-editor on the PATH (for example
# from `pip install wordsync`, whose `wordsync` also opens the editor).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prefix="${PREFIX:-$HOME/.local}"
id=io.github.wordsync.Wordsync
share="$prefix/share"
bundle="$here/dist/wordsync"

files=("$share/applications/$id.desktop" "$share/metainfo/$id.metainfo.xml" "$share/mime/packages/$id.xml"
       "$share/icons/hicolor/scalable/apps/$id.svg")
sizes=(16 24 32 48 64 128 256 512)
for s in "${sizes[@]}"; do files+=("$share/icons/hicolor/${s}x${s}/apps/$id.png"); done

refresh() {
  command -v update-mime-database >/dev/null && update-mime-database "$share/mime" >/dev/null 2>&1 || true
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f "$share/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "${files[@]}" "$prefix/bin/wordsync" "$prefix/bin/wordsync-editor"
  rm -rf "$prefix/lib/wordsync"
  refresh
  echo "removed Wordsync from $prefix"; exit 0
fi

install -Dm644 "$here/packaging/linux/$id.desktop" "$share/applications/$id.desktop"
install -Dm644 "$here/packaging/linux/$id.metainfo.xml" "$share/metainfo/$id.metainfo.xml"
install -Dm644 "$here/packaging/linux/$id.mime.xml" "$share/mime/packages/$id.xml"
install -Dm644 "$here/resources/icons/wordsync.svg" "$share/icons/hicolor/scalable/apps/$id.svg"
for s in "${sizes[@]}"; do
  install -Dm644 "$here/resources/icons/wordsync-$s.png" "$share/icons/hicolor/${s}x${s}/apps/$id.png"
done

if [ -x "$bundle/wordsync-editor" ]; then
  rm -rf "$prefix/lib/wordsync"
  mkdir -p "$prefix/lib" "$prefix/bin"
  cp -a "$bundle" "$prefix/lib/wordsync"
  ln -sf "$prefix/lib/wordsync/wordsync" "$prefix/bin/wordsync"
  ln -sf "$prefix/lib/wordsync/wordsync-editor" "$prefix/bin/wordsync-editor"
  echo "installed the bundle in $prefix/lib/wordsync (commands in $prefix/bin)"
fi
refresh
echo "installed the Wordsync desktop entry, MIME type and icons in $share"
