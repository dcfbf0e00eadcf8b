#!/usr/bin/env bash
# Makes the samples' image, busybox:latest, in the embedded engine (starting
# it if needed): these machines reach no registry, so it is built from
# Debian's busybox-static.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node "$here/../dist/src/cli/main.js" engine start >/dev/null
bash "$here/busybox-rootfs.sh" | node "$here/import-image.mjs" busybox:latest
