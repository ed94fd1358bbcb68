#!/usr/bin/env bash
# Removes what install-linux.sh put in place. The register and its data folder stay.
set -euo pipefail
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -rf "$HOME/.local/opt/klachtdesk"
rm -f "$HOME/.local/bin/klachtdesk" "$prefix/applications/klachtdesk.desktop"
rm -f "$prefix"/icons/hicolor/*/apps/klachtdesk.png "$prefix/icons/hicolor/scalable/apps/klachtdesk.svg"
echo "klachtdesk verwijderd; het register bleef bewaard."
