#!/bin/sh
# CoopLedger launcher installed as /usr/bin/coopledger by the .deb: runs the bundle in /opt/coopledger.
exec /opt/coopledger/coopledger "$@"
