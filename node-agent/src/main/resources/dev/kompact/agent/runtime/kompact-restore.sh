#!/bin/sh
# kompact-restore: containerd's runc for the RuntimeClass kompact-restore (BinaryName of its runtime handler), written
# by the node agent at its start. Every call goes to runc unchanged, except the creation of a container whose OCI spec
# carries the pod annotation kompact.dev/restore (containerd copies it there: pod_annotations = ["kompact.dev/*"]):
#  1. it parks: it writes the bundle's path to SPOOL/ID/bundle and waits for the agent's answer in SPOOL/ID/answer;
#  2. "restore IMAGE WORK": runc restore --detach from that image into this bundle, with the pid file and stdio
#     containerd's shim gave (the shim becomes the restored process's reaper), and records SPOOL/ID/restored, so that
#     the shim's following "start" succeeds without starting anything; "abort REASON": create fails with the reason;
#  3. no answer within the deadline: create fails; the agent never answers "restore" after that (it sees "gave-up").
# The agent decides everything else (which migration, which image, whether the bundle may be restored into).
SPOOL='@SPOOL@'
DEADLINE_SECONDS='@DEADLINE@'
RUNC=${KOMPACT_RUNC:-runc}

sub=""; n=0
for a in "$@"; do
  case "$a" in create|start|delete) sub=$a; break ;; esac
  n=$((n + 1))
done
eval "id=\${$#}"
case "$id" in *[!a-zA-Z0-9_.-]*|'') exec "$RUNC" "$@" ;; esac
dir="$SPOOL/$id"

if [ "$sub" = start ] && [ -f "$dir/restored" ]; then
  exit 0
fi
if [ "$sub" = delete ]; then
  rm -rf "$dir"
  exec "$RUNC" "$@"
fi
bundle=""; pidfile=""; logfile=""; prev=""
for a in "$@"; do
  case "$prev" in --bundle|-b) bundle=$a ;; --pid-file) pidfile=$a ;; --log) logfile=$a ;; esac
  prev=$a
done
# containerd reports the runtime's error from runc's JSON log (--log), not from its stderr
fail() {
  echo "kompact-restore: $1" >&2
  if [ -n "$logfile" ]; then
    msg=$(printf '%s' "kompact-restore: $1" | sed 's/\\/\\\\/g; s/"/\\"/g')
    printf '{"level":"error","msg":"%s","time":"%s"}\n' "$msg" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$logfile"
  fi
  exit 1
}
# the pod's sandbox (pause) container carries the pod annotations too: it is created as usual
if [ "$sub" != create ] || [ -z "$bundle" ] || ! grep -q '"kompact.dev/restore"' "$bundle/config.json" \
    || ! grep -q '"io.kubernetes.cri.container-type":"container"' "$bundle/config.json"; then
  exec "$RUNC" "$@"
fi

mkdir -p "$dir"
printf '%s\n' "$bundle" > "$dir/bundle.tmp" && mv "$dir/bundle.tmp" "$dir/bundle"
waited=0
while [ ! -f "$dir/answer" ]; do
  if [ "$waited" -ge $((DEADLINE_SECONDS * 100)) ]; then
    touch "$dir/gave-up"
    fail "no restore image for container $id within ${DEADLINE_SECONDS}s"
  fi
  sleep 0.01
  waited=$((waited + 1))
done
read -r verb image work < "$dir/answer"
if [ "$verb" != restore ]; then
  fail "restore of container $id aborted by the node agent: $(cut -d' ' -f2- "$dir/answer")"
fi
# the runc flags before "create" (--root, --log, --log-format, ...), then restore's own
total=$#; i=0
for a in "$@"; do
  [ "$i" -lt "$n" ] && set -- "$@" "$a"
  i=$((i + 1))
done
shift "$total"
"$RUNC" "$@" restore --detach --tcp-established --image-path "$image" --work-path "$work" \
  --bundle "$bundle" --pid-file "$pidfile" "$id"
rc=$?
[ "$rc" -eq 0 ] && touch "$dir/restored"
echo "$rc" > "$dir/done.tmp" && mv "$dir/done.tmp" "$dir/done"
exit "$rc"
