#!/bin/sh
# Kompact agent's node check: can this node migrate containers live? Writes one line per finding to the log and
# the verdict to $STATE_DIR/node-check; always exits 0 (a node that cannot migrate live still gets evictions).
out="${STATE_DIR:-/var/lib/kompact}/node-check"
reasons=""
note() { echo "node-check: $*"; reasons="$reasons$*; "; }

if ! command -v criu >/dev/null 2>&1 && [ ! -x /usr/local/sbin/criu ]; then
  note "criu is not in the agent image"
else
  criu="$(command -v criu || echo /usr/local/sbin/criu)"
  version="$("$criu" --version 2>/dev/null | sed -n 's/^Version: *//p')"
  major="${version%%.*}"; rest="${version#*.}"; minor="${rest%%.*}"
  if [ -z "$version" ] || [ "$major" -lt 4 ] 2>/dev/null || { [ "$major" -eq 4 ] && [ "$minor" -lt 2 ]; }; then
    note "criu ${version:-of unknown version} is older than 4.2"
  fi
  "$criu" check >/dev/null 2>&1 || note "criu check fails: the kernel lacks what CRIU needs ($("$criu" check 2>&1 | tail -n 1))"
  "$criu" check --feature uffd-noncoop >/dev/null 2>&1 || echo "node-check: no userfaultfd: post-copy off, pre-copy or stop-and-copy instead"
fi
command -v runc >/dev/null 2>&1 || note "runc is not in the agent image"
[ -d "${RUNC_ROOT:-/run/containerd/runc/k8s.io}" ] || note "no runc state at ${RUNC_ROOT}: the container runtime is not containerd with runc"
command -v nft >/dev/null 2>&1 || note "nft (nftables) is not in the agent image"

mkdir -p "$(dirname "$out")"
if [ -z "$reasons" ]; then
  echo "live migration: ready" | tee "$out"
else
  echo "live migration: not possible on this node: $reasons" | tee "$out"
fi
exit 0
