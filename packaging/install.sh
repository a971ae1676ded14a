#!/bin/sh
# Installs ClusterGenie for the current user (no root): the app in $PREFIX/share/clustergenie,
# `clustergenie`, `clustergenie-server` and `clustergenie-ctl` in $PREFIX/bin, and a desktop
# menu entry.
#   sh install.sh               install or upgrade (PREFIX defaults to ~/.local)
#   sh install.sh --uninstall   remove all of it (your clusters' database stays)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-"$HOME/.local"}
DEST="$PREFIX/share/clustergenie"
BIN="$PREFIX/bin"
MENU="$PREFIX/share/applications/clustergenie.desktop"
ICON="$PREFIX/share/icons/hicolor/scalable/apps/clustergenie.svg"

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$DEST" "$BIN/clustergenie" "$BIN/clustergenie-server" "$BIN/clustergenie-ctl" \
        "$MENU" "$ICON"
    echo "ClusterGenie removed from $PREFIX"
    exit 0
fi

# Copy beside the old version first, then swap, so a failed copy leaves the old one working.
mkdir -p "$PREFIX/share" "$BIN" "$(dirname "$MENU")" "$(dirname "$ICON")"
rm -rf "$DEST.new"
cp -R "$HERE/ClusterGenie" "$DEST.new"
rm -rf "$DEST"
mv "$DEST.new" "$DEST"

for program in clustergenie clustergenie-server clustergenie-ctl; do
    # A wrapper, not a symlink: the bundle finds its libraries next to the real executable.
    printf '#!/bin/sh\nexec "%s/%s" "$@"\n' "$DEST" "$program" >"$BIN/$program"
    chmod 755 "$BIN/$program"
done
cp "$HERE/clustergenie.svg" "$ICON"
sed -e "s|@BIN@|$BIN|" -e "s|@ICON@|$ICON|" "$HERE/clustergenie.desktop" >"$MENU"

echo "ClusterGenie installed in $DEST"
echo "  start it from your desktop's menu, or run: $BIN/clustergenie"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "  (add $BIN to your PATH to run it by name)" ;; esac
