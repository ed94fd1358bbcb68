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

# The bundle carries Qt and its X11 libraries; from the system it needs only what every
# desktop has (libc, libGL/libEGL, libxcb1, libxkbcommon0, ...). Say so if one is missing:
# started from the menu, klachtdesk could not show why it does not open.
internal="$opt/_internal"
missing=$(LD_LIBRARY_PATH="$internal" ldd "$internal/PySide6/Qt/plugins/platforms/libqxcb.so" \
              2>/dev/null | awk '/not found/ {print $1}' | sort -u || true)
if [ -n "$missing" ]; then
    # Debian's package name: the library name with its major version (libfoo.so.1 -> libfoo1).
    packages=$(echo "$missing" | sed -E 's/^(.*[0-9])\.so\.([0-9]+).*/\1-\2/; s/^(.*)\.so\.([0-9]+).*/\1\2/' \
                   | tr 'A-Z' 'a-z' | sort -u | tr '\n' ' ')
    echo "Let op: klachtdesk kan nog geen venster openen; deze systeembibliotheken ontbreken:" >&2
    echo "  $(echo $missing)" >&2
    echo "Installeer ze als beheerder, op Debian/Ubuntu met: sudo apt-get install $packages" >&2
fi
