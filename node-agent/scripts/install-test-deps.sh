#!/usr/bin/env bash
# Installs what node-agent's live-migration tests (@Tag("criu")) need on Debian bookworm, as root:
# CRIU 4.x built from Debian's upstream tarball, runc, containerd, CNI plugins, busybox-static, arping, iproute2,
# openssl, and the host settings CRIU needs on this VM kind. Idempotent; a second run takes well under a second.
# Why a source build: bookworm's criu 3.17 fails on kernels >= 6.16 ("vdso: Unexpected rt vDSO area bounds") and
# trixie/sid binaries need glibc 2.38. Facts behind every step: shared/notes/criu.md.
set -euo pipefail
PREFIX=${PREFIX:-/usr/local}
W=${CRIU_WORK:-/tmp/criu-build}
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps.sh: must run as root (installs packages, writes /etc/criu, sets fs.pipe-max-size)" >&2
  exit 1
fi

# containerd (1.6, its CRI plugin and runc v2 shim) and the CNI plugins: the pod handoff's tests run each emulated
# node's pods through a real containerd (shared/notes/containerd.md)
RUNTIME_PKGS="runc busybox-static iputils-arping iproute2 openssl containerd containernetworking-plugins"
missing=""
for p in $RUNTIME_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
have_criu=""
# The patches carried on top of CRIU (criu-patches/, each pinned by sha256 like the tarball), and the record of the
# set a build was made with: a build without the current set is rebuilt.
PATCHES=(
  "b979257028e554650cfbee2b50c738928023655b59f5bc82cf58430ea30be244 0001-uffd-wake-threads-whose-pages-a-failed-UFFDIO_COPY-l.patch"
)
PATCH_DIR="$(cd "$(dirname "$0")" && pwd)/criu-patches"
PATCH_RECORD="$PREFIX/share/kompact/criu-patches"
# CRIU probes the kernel (~20-35 ms) on every launch unless it finds its cache, which it keeps only on a tmpfs; its
# default place, /run, is a tmpfs on real nodes but the root disk on this VM kind: built with its run directory at
# /run/criu, where a tmpfs is mounted below (runc launches CRIU three times per checkpoint and twice per restore).
if [ -z "${CRIU_FORCE:-}" ] && "$PREFIX/sbin/criu" --version 2>/dev/null | grep -q "^Version: 4\.[2-9]" \
    && grep -qa "/run/criu/criu.kdat" "$PREFIX/sbin/criu" \
    && [ "$(cat "$PATCH_RECORD" 2>/dev/null)" = "$(printf '%s\n' "${PATCHES[@]}")" ]; then
  have_criu=yes
fi

if [ -n "$missing" ] || [ -z "$have_criu" ]; then
  apt-get update -qq
fi
if [ -n "$missing" ]; then
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ -n "$have_criu" ]; then
  echo "criu already installed: $("$PREFIX/sbin/criu" --version | head -1)"
else
  apt-get install -y -qq --no-install-recommends build-essential pkg-config python3 xz-utils ca-certificates \
    libprotobuf-c-dev protobuf-c-compiler protobuf-compiler libprotobuf-dev libnl-3-dev libnet1-dev libcap-dev \
    libbsd-dev libgnutls28-dev libnftables-dev uuid-dev patch >/dev/null
  rm -rf "$W"; mkdir -p "$W"; cd "$W"
  # Only the orig tarball is reachable through the registry proxy (.dsc/.debian.tar.xz give 404, so apt-get source
  # exits non-zero after downloading it): the tarball is checked against a pinned sha256 instead. The deb-src list
  # lives in $W so the system's apt configuration stays untouched.
  suite=sid; up=4.2.1; sum=29ec0ee09e296479fe7048c80980e8ef1d0684d0b0204c2b101dfea19f6725b9
  mkdir -p "$W/lists/partial" "$W/archives/partial"
  echo "deb-src http://deb.debian.org/debian $suite main" > "$W/sources.list"
  o="-oDir::Etc::SourceList=$W/sources.list -oDir::Etc::SourceParts=/dev/null -oDir::State::Lists=$W/lists -oDir::Cache::Archives=$W/archives"
  apt-get $o update -qq >/dev/null
  apt-get $o source --download-only criu >/dev/null 2>&1 || true
  if [ ! -f "criu_$up.orig.tar.xz" ] || ! echo "$sum  criu_$up.orig.tar.xz" | sha256sum -c --quiet -; then
    echo "install-test-deps.sh: criu_$up.orig.tar.xz is no longer in Debian $suite's pool (or its sha256 changed)." >&2
    echo "  Pin the newer upstream version and its sha256 here; see shared/notes/criu.md for the 4.1.1 fallback." >&2
    exit 1
  fi
  tar xf "criu_$up.orig.tar.xz"
  cd "criu-$up"
  for entry in "${PATCHES[@]}"; do
    name=${entry#* }
    echo "${entry%% *}  $PATCH_DIR/$name" | sha256sum -c --quiet - || { echo "install-test-deps.sh: $name changed" >&2; exit 1; }
    patch -p1 --quiet < "$PATCH_DIR/$name"
  done
  # 'criu' is the binary, 'lib' is libcriu; no docs, no plugins
  make -j"$(nproc)" criu lib RUNDIR=/run/criu >"$W/build.log" 2>&1 || { tail -30 "$W/build.log"; exit 1; }
  make install-criu install-lib PREFIX="$PREFIX" LIBDIR="$PREFIX/lib" RUNDIR=/run/criu SKIP_PIP_INSTALL=1 \
    >>"$W/build.log" 2>&1
  ldconfig
  mkdir -p "$(dirname "$PATCH_RECORD")"
  printf '%s\n' "${PATCHES[@]}" > "$PATCH_RECORD"
fi

# Host settings (not persistent across reboots, hence re-applied on every run):
#  - no iptables binary here: CRIU must lock TCP connections with nftables; runc hands /etc/criu/runc.conf to CRIU,
#    the criu CLI reads /etc/criu/default.conf
mkdir -p /etc/criu
for f in default.conf runc.conf; do
  grep -qx 'network-lock nftables' "/etc/criu/$f" 2>/dev/null || echo 'network-lock nftables' >> "/etc/criu/$f"
done
#  - root lacks CAP_SYS_RESOURCE on this VM kind: lazy pages' F_SETPIPE_SZ (~3.3 MB) fails silently above
#    fs.pipe-max-size, which breaks post-copy with "page-pipe: splice: -1: Bad file descriptor"
[ "$(cat /proc/sys/fs/pipe-max-size)" -ge 4194304 ] || echo 4194304 > /proc/sys/fs/pipe-max-size
#  - CRIU's kernel-probe cache must be on a tmpfs (see the build above)
mkdir -p /run/criu
[ "$(stat -f -c %T /run/criu)" = tmpfs ] || mount -t tmpfs -o mode=0700,size=1m kompact-criu-run /run/criu

"$PREFIX/sbin/criu" --version | head -1
"$PREFIX/sbin/criu" check
