#!/usr/bin/env bash
# Throughput of `exec --mask`: MB/s of a child's stdout through the mask, against the same child
# without it and against a plain shell pipe. Not part of ./mvnw verify.
# Usage: bench/mask.sh [MB] [ROUNDS]   (default 200 MB of base64 text, 3 rounds, 20 mapped values)
# Each exec round is timed end to end (JVM start, login, read) and the time of `exec -- true`
# (median of the rounds) is subtracted, so the figure is the copy alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mb="${1:-200}"
rounds="${2:-3}"
jars=(sidecar/target/bao-injector-sidecar-*-all.jar)
if [ ! -f "${jars[0]}" ]; then
  ./mvnw -B -ntp -q -pl sidecar -am package -DskipTests
fi
bao="$(scripts/ensure-bao.sh)"
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
"$bao" server -dev -dev-root-token-id=bench-root -dev-listen-address="127.0.0.1:$port" \
  >"$work/bao.log" 2>&1 &
bao_pid=$!
trap 'kill "$bao_pid" 2>/dev/null; rm -rf "$work"' EXIT
export BAO_ADDR="http://127.0.0.1:$port" BAO_TOKEN=bench-root
for _ in $(seq 100); do "$bao" status >/dev/null 2>&1 && break; sleep 0.1; done

# 20 values of 24 base64 characters, as generated passwords look; the text is base64 too, so
# about a quarter of its bytes start some value (a worst case for the hold-back path)
secrets=""
kv=()
for i in $(seq 1 20); do
  kv+=("v$i=$(head -c 18 /dev/urandom | base64)")
  secrets="$secrets  V$i: secret/bench#v$i"$'\n'
done
"$bao" kv put secret/bench "${kv[@]}" >/dev/null
printf 'openbao:\n  address: %s\nauth:\n  method: token\nsecrets:\n%s' "$BAO_ADDR" "$secrets" \
  >"$work/sidecar.yaml"
head -c $((mb * 1000000 * 3 / 4)) /dev/urandom | base64 -w 76 >"$work/data"
bytes=$(stat -c %s "$work/data")
bin=sidecar/bin/bao-injector

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # prints the seconds "$@" took, its stdout piped through cat to /dev/null
  local t0 t1
  t0=$(now)
  "$@" | cat >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
run() { for _ in $(seq "$rounds"); do timed "$@"; done | median; }

start=$(run "$bin" exec -c "$work/sidecar.yaml" -- true)
start_masked=$(run "$bin" exec -c "$work/sidecar.yaml" --mask -- true)
pipe=$(run cat "$work/data")
plain=$(run "$bin" exec -c "$work/sidecar.yaml" -- cat "$work/data")
masked=$(run "$bin" exec -c "$work/sidecar.yaml" --mask -- cat "$work/data")
rate() { echo "scale=0; $bytes / 1000000 / ($1)" | bc -l; }
echo "data: $((bytes / 1000000)) MB of base64, 20 mapped values; median of $rounds rounds"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $(java -version 2>&1 | head -1)"
printf '%-40s %8s MB/s\n' "plain pipe (cat FILE | cat)" "$(rate "$pipe")"
printf '%-40s %8s MB/s  (start %.2fs subtracted)\n' "exec -- cat FILE | cat" \
  "$(rate "$plain - $start")" "$start"
printf '%-40s %8s MB/s  (start %.2fs subtracted)\n' "exec --mask -- cat FILE | cat" \
  "$(rate "$masked - $start_masked")" "$start_masked"
