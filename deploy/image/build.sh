#!/usr/bin/env bash
# Builds Kompact's OCI image offline from Debian packages and the kompact jar, then runs `kompact --version` and
# `kompact agent --help` inside it with runc.
#
#   deploy/image/build.sh [--agent] [--out DIR] [--mirror URL] [--no-check]
#
# Without --agent: kompact:VERSION, the controller's image (a JRE and the jar, user 65532).
# With --agent: kompact-agent:VERSION, the node agent's (the chart's agent.image): the same plus what live migration
# runs on the node, as root: CRIU >= 4.2 (Debian bookworm has 3.17, which fails on kernels >= 6.16), built as
# node-agent/scripts/install-test-deps.sh builds it (that script is run first when this host has no such CRIU, and
# its /usr/local/sbin/criu and libcriu are copied in, with their libraries from Debian), runc, nftables (CRIU's
# network lock) and iproute2. The check then also runs `criu --version`, `runc --version` and `nft --version`.
#
# Needs root (mmdebstrap, umoci unpack and runc keep file ownership), mmdebstrap, umoci and runc
# (apt-get install mmdebstrap umoci runc). Writes DIR/oci (an OCI image layout, tag kompact:VERSION) and
# DIR/kompact-VERSION.oci.tar (the same as one archive: `skopeo copy oci-archive:... docker://REGISTRY/kompact:...`,
# or `podman load -i ...`). Default DIR: deploy/image/target/NAME-image.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out=""
# downloaded .debs, kept between builds so that a rebuild does not fetch them again
cache="$here/target/apt-cache"
mirror="http://deb.debian.org/debian"
check=1
agent=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --agent) agent=1; shift ;;
    --out) out="$2"; shift 2 ;;
    --mirror) mirror="$2"; shift 2 ;;
    --no-check) check=0; shift ;;
    *) echo "build.sh: unknown argument $1 (see the comment at the top)" >&2; exit 2 ;;
  esac
done
for tool in mmdebstrap umoci runc; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing: apt-get install mmdebstrap umoci runc" >&2; exit 2; }
done
[[ "$(id -u)" == 0 ]] || { echo "build.sh: run as root (file ownership in the rootfs and runc)" >&2; exit 2; }

name=kompact
packages=openjdk-17-jre-headless,ca-certificates
user=65532:65532
if [[ "$agent" == 1 ]]; then
  name=kompact-agent
  # CRIU's own libraries (ldd /usr/local/sbin/criu), and the tools the agent and CRIU call
  packages="$packages,runc,nftables,iproute2,libprotobuf-c1,libnl-3-200,libnet1,libgnutls30,libnftables1,libbsd0,libuuid1"
  # CRIU dumps and restores other pods' processes: the agent runs privileged, as root
  user=0:0
  if ! /usr/local/sbin/criu --version 2>/dev/null | grep -q "^Version: 4\.[2-9]"; then
    bash "$root/node-agent/scripts/install-test-deps.sh"
  fi
fi
[[ -n "$out" ]] || out="$here/target/$name-image"

version="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/deploy/helm/kompact/Chart.yaml")"
jar="$root/cli/target/kompact.jar"
if [[ ! -f "$jar" ]]; then
  echo "build.sh: building $jar" >&2
  mvn -B -q -f "$root/pom.xml" -pl cli -am -DskipTests package
fi

rm -rf "$out" && mkdir -p "$out"
work="$out/work"
mkdir -p "$work"

# 1. A Debian bookworm root filesystem with a headless JRE 17 and nothing else of use to an attacker: no shell
#    history, no docs, no apt lists. Everything comes from the Debian mirror.
#    (man pages go after installing: update-alternatives needs their directories while packages install.)
mkdir -p "$cache"
mmdebstrap --variant=essential --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --skip=essential/unlink \
  --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives/ && cp -a '$cache'/. \"\$1\"/var/cache/apt/archives/" \
  --customize-hook="cp -a \"\$1\"/var/cache/apt/archives/*.deb '$cache'/ 2>/dev/null || true" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/* "$1"/usr/share/man/*' \
  bookworm "$work/rootfs.tar" "$mirror"

# 2. An OCI image: the rootfs as one layer, then the jar, the command and the non-root user on top.
umoci init --layout "$out/oci"
umoci new --image "$out/oci:$version"
umoci unpack --image "$out/oci:$version" "$work/bundle"
tar -C "$work/bundle/rootfs" -xf "$work/rootfs.tar"
if [[ "$agent" == 1 ]]; then
  # the CRIU install-test-deps.sh built (the agent's --criu and --libcriu defaults), and the configuration it needs
  # on nodes without iptables
  install -D -m 0755 /usr/local/sbin/criu "$work/bundle/rootfs/usr/local/sbin/criu"
  cp -a /usr/local/lib/libcriu.so* "$work/bundle/rootfs/usr/local/lib/"
  mkdir -p "$work/bundle/rootfs/etc/criu"
  for f in default.conf runc.conf; do echo 'network-lock nftables' > "$work/bundle/rootfs/etc/criu/$f"; done
  chroot "$work/bundle/rootfs" /sbin/ldconfig
fi
install -D -m 0644 "$jar" "$work/bundle/rootfs/opt/kompact/kompact.jar"
cat > "$work/bundle/rootfs/usr/local/bin/kompact" <<'SH'
#!/bin/sh
exec /usr/lib/jvm/java-17-openjdk-amd64/bin/java $JAVA_OPTS -jar /opt/kompact/kompact.jar "$@"
SH
chmod 0755 "$work/bundle/rootfs/usr/local/bin/kompact"
echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin' >> "$work/bundle/rootfs/etc/passwd"
echo 'nonroot:x:65532:' >> "$work/bundle/rootfs/etc/group"
install -d -o 65532 -g 65532 "$work/bundle/rootfs/home/nonroot"
umoci repack --image "$out/oci:$version" "$work/bundle"
umoci config --image "$out/oci:$version" --config.entrypoint /usr/local/bin/kompact --config.user "$user" \
  --config.workingdir /home/nonroot --config.env PATH=/usr/local/bin:/usr/bin:/bin \
  --config.label "org.opencontainers.image.title=$name" --config.label "org.opencontainers.image.version=$version"
umoci gc --layout "$out/oci"
tar -C "$out/oci" -cf "$out/$name-$version.oci.tar" .
rm -rf "$work"

size="$(du -sb "$out/oci/blobs" | cut -f1)"
echo "build.sh: image $name:$version: $((size / 1024 / 1024)) MiB compressed ($out/$name-$version.oci.tar)"

# 3. The check: the image's own entrypoint, run by runc, answers.
if [[ "$check" == 1 ]]; then
  bundle="$out/check"
  umoci unpack --image "$out/oci:$version" "$bundle"
  echo "build.sh: image $name:$version: $(($(du -sb "$bundle/rootfs" | cut -f1) / 1024 / 1024)) MiB unpacked"
  run() {
    local id="kompact-check-$$-$RANDOM"
    python3 - "$bundle/config.json" "$@" <<'PY'
import json, sys
path, args = sys.argv[1], sys.argv[2:]
spec = json.load(open(path))
# the entrypoint (kompact) with the given arguments; or, after "--exec", another program of the image
spec["process"]["args"] = args[1:] if args[:1] == ["--exec"] else spec["process"]["args"][:1] + args
spec["process"]["terminal"] = False
json.dump(spec, open(path, "w"))
PY
    runc run --bundle "$bundle" "$id" </dev/null
  }
  version_out="$(run --version)"
  echo "build.sh: kompact --version in the image: $version_out"
  [[ "$version_out" == "kompact $version" ]] || { echo "build.sh: expected 'kompact $version'" >&2; exit 1; }
  help_out="$(run agent --help)"
  grep -q -- "--state-dir" <<<"$help_out" || { echo "build.sh: kompact agent --help printed: $help_out" >&2; exit 1; }
  echo "build.sh: kompact agent --help in the image: ok"
  if [[ "$agent" == 1 ]]; then
    criu_out="$(run --exec /usr/local/sbin/criu --version)"
    grep -q "^Version: 4\.[2-9]" <<<"$criu_out" || { echo "build.sh: criu --version printed: $criu_out" >&2; exit 1; }
    echo "build.sh: criu in the image: $(head -1 <<<"$criu_out")"
    echo "build.sh: runc in the image: $(run --exec /usr/sbin/runc --version | head -1)"
    echo "build.sh: nft in the image: $(run --exec /usr/sbin/nft --version)"
  fi
  rm -rf "$bundle"
fi
