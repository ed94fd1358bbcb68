#!/usr/bin/env bash
# Installs the built bundle (dist/klachtdesk) for the current user: the program in
# ~/.local/opt/klachtdesk, the command in ~/.local/bin, a menu entry and the icon.
# The register (data folder) is not touched. Remove with build/uninstall-linux.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bundle="${1:-$here/dist/klachtdesk}"
[ -x "$bundle/klachtdesk" ] || { echo "Geen bundel in $bundle: bouw eerst (zie README)." >&2; exit 1; }
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
opt="$HOME/.local/opt/klachtdesk"
rm -rf "$opt"
mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$prefix/applications"
cp -a "$bundle" "$opt"
ln -sf "$opt/klachtdesk" "$HOME/.local/bin/klachtdesk"
sed "s|^Exec=.*|Exec=$opt/klachtdesk|" "$here/build/klachtdesk.desktop" > "$prefix/applications/klachtdesk.desktop"
for size in 16 24 32 48 64 128 256; do
    mkdir -p "$prefix/icons/hicolor/${size}x${size}/apps"
    cp "$here/klachtdesk/resources/icons/klachtdesk-$size.png" "$prefix/icons/hicolor/${size}x${size}/apps/klachtdesk.png"
done
mkdir -p "$prefix/icons/hicolor/scalable/apps"
cp "$here/klachtdesk/resources/icons/klachtdesk.svg" "$prefix/icons/hicolor/scalable/apps/klachtdesk.svg"
command -v update-desktop-database >/dev/null && update-desktop-database "$prefix/applications" || true
echo "klachtdesk geïnstalleerd in $opt (menu: Kantoor → klachtdesk)."
