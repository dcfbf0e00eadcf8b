#!/usr/bin/env bash
# Installs the Debian packages the embedded engine needs on this host: an OCI
# runtime (runc), tini for `init: true`, a C compiler for the container
# monitor (built by npm install), iproute2 and iptables for networks, and
# busybox-static for the sample image. Only what is missing is installed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
for pkg in runc tini gcc libc6-dev iproute2 iptables busybox-static; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
