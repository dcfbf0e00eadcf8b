#!/usr/bin/env bash
# The client half's real-engine suite, pointed at gantry's embedded engine
# instead of dockerd: an ephemeral engine on its own socket and data root,
# with the busybox test image imported. Everything runs, registry pull/push
# against a local docker-registry and Dockerfile builds included.
set -euo pipefail
cd "$(dirname "$0")/.."
id=$$
sock=/run/gantry-accept-$id/engine.sock
data=/tmp/gantry-accept-$id
node dist/src/engine/main.js --socket "$sock" --data-root "$data" --exec-root "/run/gantry-accept-$id/exec" --ephemeral &
engine=$!
cleanup() {
  kill -TERM "$engine" 2>/dev/null || true
  wait "$engine" 2>/dev/null || true
  rm -rf "$data" "/run/gantry-accept-$id"
}
trap cleanup EXIT
for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
bash scripts/busybox-rootfs.sh | node scripts/import-image.mjs --socket "$sock" busybox:latest >/dev/null
# Spec files may be named on the command line (to rerun one); the default is
# the whole real-engine suite of the client half.
if [ "$#" -eq 0 ]; then set -- 'dist/test/project/*.test.js' 'dist/test/cli/*.test.js' 'dist/test/engine-client/*.test.js'; fi
GANTRY_TEST_DOCKER_HOST="unix://$sock" npx mocha --no-config --require dist/test/setup/engine-host.js --timeout 30000 --exit --reporter dot "$@"
