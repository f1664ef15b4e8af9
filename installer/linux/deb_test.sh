#!/usr/bin/env bash
# make deb-test: install the .deb with dpkg, run the installed program's self-test as a user would,
# remove and purge the package, and check the user's data directory is still there. Needs root.
set -euo pipefail
cd "$(dirname "$0")/../.."
DEB=$(ls -t dist/coopledger_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || { echo "no .deb in dist/: run make deb first" >&2; exit 1; }
fail() { echo "DEB TEST FAILED: $*" >&2; exit 1; }

# The run-time libraries the package depends on (a desktop has them; a CI container may not).
mapfile -t DEPS < <(grep -v '^#' installer/linux/depends)
missing=()
for p in "${DEPS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

dpkg -r coopledger >/dev/null 2>&1 || true
dpkg -i "$DEB"
for f in /usr/bin/coopledger /opt/coopledger/coopledger /usr/share/applications/coopledger.desktop \
    /usr/share/icons/hicolor/256x256/apps/coopledger.png /usr/share/icons/hicolor/scalable/apps/coopledger.svg; do
    [ -e "$f" ] || fail "$f is not installed"
done
if command -v desktop-file-validate >/dev/null; then desktop-file-validate /usr/share/applications/coopledger.desktop; fi

USER_HOME=$(mktemp -d /tmp/coopledger-home.XXXXXX)
trap 'rm -rf "$USER_HOME"' EXIT
DATA="$USER_HOME/.local/share/CoopLedger"
env -u XDG_DATA_HOME HOME="$USER_HOME" QT_QPA_PLATFORM=offscreen coopledger --selftest || fail "installed self-test"
[ -f "$DATA/selftest.sqlite" ] || fail "the self-test wrote nothing to $DATA"
env -u XDG_DATA_HOME HOME="$USER_HOME" coopledger init --name "Deb Coop" --currency TZS --locale sw_TZ \
    || fail "installed init"
[ -f "$DATA/coopledger.sqlite" ] || fail "init wrote no database to $DATA"

dpkg -r coopledger
[ ! -e /usr/bin/coopledger ] || fail "/usr/bin/coopledger left after removal"
[ ! -e /opt/coopledger ] || fail "/opt/coopledger left after removal"
dpkg -P coopledger >/dev/null 2>&1 || true
[ -f "$DATA/coopledger.sqlite" ] && [ -f "$DATA/selftest.sqlite" ] || fail "removal deleted the user's data in $DATA"
echo "deb test passed: installed, self-tested, removed and purged; the user's data in ~/.local/share/CoopLedger kept"
