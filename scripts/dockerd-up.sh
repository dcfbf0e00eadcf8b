#!/usr/bin/env bash
# Starts Debian's dockerd in the background when no engine answers on
# /var/run/docker.sock, and makes the local busybox:latest image the tests
# use (these machines reach no registry: the image is Debian's busybox-static
# with its applet links, imported as a single layer).
set -euo pipefail

sock=/var/run/docker.sock
if ! docker -H "unix://$sock" version >/dev/null 2>&1; then
  mkdir -p /var/log/gantry-ci
  (dockerd >/var/log/gantry-ci/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do
    docker -H "unix://$sock" version >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker -H "unix://$sock" version >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/gantry-ci/dockerd.log" >&2; tail -20 /var/log/gantry-ci/dockerd.log >&2; exit 1; }
fi

if ! docker image inspect busybox:latest >/dev/null 2>&1; then
  bash "$(dirname "$0")/busybox-rootfs.sh" | docker import -c 'CMD ["sh"]' - busybox:latest >/dev/null
fi
echo "dockerd ready with busybox:latest"
