#!/usr/bin/env bash
# Install the FireCase menu entry and icon for the current user (freedesktop locations).
# Run after installing FireCase (the `firecase` command must be on PATH, or pass the bundle dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
apps=${XDG_DATA_HOME:-$HOME/.local/share}/applications
icons=${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor
mkdir -p "$apps" "$icons/256x256/apps" "$icons/scalable/apps"
desktop="$apps/firecase.desktop"
cp "$here/firecase.desktop" "$desktop"
if [ "${1:-}" != "" ]; then  # a PyInstaller bundle directory: point Exec at its binary
  sed -i "s|^Exec=.*|Exec=$(cd "$1" && pwd)/firecase %f|" "$desktop"
fi
cp "$root/resources/icons/firecase.png" "$icons/256x256/apps/firecase.png"
[ -f "$root/resources/icons/firecase.svg" ] && cp "$root/resources/icons/firecase.svg" "$icons/scalable/apps/firecase.svg"
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
echo "installed $desktop"
