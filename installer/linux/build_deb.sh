#!/usr/bin/env bash
# Builds dist/coopledger_<version>_<arch>.deb from the PyInstaller bundle in dist/coopledger (make bundle).
# Layout: /opt/coopledger (bundle), /usr/bin/coopledger (launcher), desktop entry, hicolor icons.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUNDLE=${BUNDLE:-dist/coopledger}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
ARCH=$(dpkg --print-architecture)
OUT=dist/coopledger_${VERSION}_${ARCH}.deb
STAGE=build/deb/coopledger
[ -x "$BUNDLE/coopledger" ] || { echo "no bundle in $BUNDLE: run make bundle first" >&2; exit 1; }

rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/coopledger"
cp -a "$BUNDLE" "$STAGE/opt/coopledger"
install -m 0755 installer/linux/coopledger.sh "$STAGE/usr/bin/coopledger"
install -m 0644 installer/linux/coopledger.desktop "$STAGE/usr/share/applications/coopledger.desktop"
install -m 0644 installer/icons/coopledger.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/coopledger.svg"
for size in 16 24 32 48 64 128 256; do
    dir="$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    install -m 0644 "installer/icons/coopledger-$size.png" "$dir/coopledger.png"
done
printf 'CoopLedger %s\nLicense: GPL-3.0-or-later\n' "$VERSION" > "$STAGE/usr/share/doc/coopledger/copyright"

SIZE_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
DEPENDS=$(grep -v '^#' installer/linux/depends | paste -sd, | sed 's/,/, /g')
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE_KB/" -e "s/@DEPENDS@/$DEPENDS/" \
    installer/linux/control.in > "$STAGE/DEBIAN/control"
# No maintainer scripts: dpkg triggers of desktop-file-utils and hicolor-icon-theme refresh the menus
# and icon caches; the users' data (~/.local/share/CoopLedger) is never touched by install or removal.
find "$STAGE" -type d -exec chmod 0755 {} +
dpkg-deb --root-owner-group -Zxz -z6 --build "$STAGE" "$OUT" >/dev/null
echo "$OUT: $(du -h "$OUT" | cut -f1) (installed size $((SIZE_KB / 1024)) MB)"
