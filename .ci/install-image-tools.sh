#!/usr/bin/env bash
# Installs what deploy/image/build.sh needs besides runc (install-test-deps.sh installs runc and CRIU): mmdebstrap,
# which makes the Debian root filesystem, and umoci, which packs it as an OCI image; as root. Idempotent: nothing is
# fetched when both are on PATH.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if command -v mmdebstrap >/dev/null 2>&1 && command -v umoci >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-image-tools.sh: must run as root (installs the mmdebstrap and umoci packages)" >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends mmdebstrap umoci
