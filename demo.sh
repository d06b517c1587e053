#!/usr/bin/env bash
# ./demo.sh — bao-injector end to end on this machine, in under a minute after the first build.
#
# Starts a throwaway OpenBao dev server, seeds secret/app/db and secret/app/stripe, sets up AppRole
# with a read-only policy, starts the sidecar (examples/demo/sidecar.yaml) and runs
# examples/legacy-app with the agent. Then rotates the password in OpenBao and shows the running
# app print the new value without a restart, and reads the same values from bash, Python, curl and
# `bao-injector exec`. Everything runs from a fresh directory on tmpfs (/dev/shm) and is stopped
# and removed on exit, Ctrl-C or SIGTERM.
#
#   ./demo.sh          run the demo and stop
#   ./demo.sh --keep   leave it running to explore (prints how), Ctrl-C stops everything
#   ./demo.sh --build  rebuild the jars first (default: build only when they are missing)
#
# The app prints DB_PASSWORD itself (--show-values): showing the value is the point here. Without
# that flag it prints only a fingerprint, as a real app's logs should.
#
# Needs: Java 17+, Python 3 with pip (for the pinned `bao` binary, see scripts/ensure-bao.sh), curl.
set -Eeuo pipefail

root=$(cd "$(dirname "$0")" && pwd -P)
keep=false
build=false
for arg in "$@"; do
  case $arg in
    --keep) keep=true ;;
    --build) build=true ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

# fd 3 and 4: the demo's own stdout and stderr, for messages from inside redirected commands
# (a failure in `as_root … >/dev/null` must still be seen, as must the cleanup after it).
exec 3>&1 4>&2

# Colour only for a person at a terminal.
if [ -t 1 ] && [ -z "${CI:-}" ] && [ -z "${NO_COLOR:-}" ]; then
  bold=$'\e[1m' dim=$'\e[2m' green=$'\e[32m' reset=$'\e[0m'
else
  bold='' dim='' green='' reset=''
fi
started=$SECONDS
step_no=0
step() { step_no=$((step_no + 1)); printf '\n%s%d. %s%s\n' "$bold" "$step_no" "$*" "$reset"; }
say() { printf '   %s\n' "$*"; }
cmd() { printf '   %s$ %s%s\n' "$dim" "$*" "$reset"; }
fail() {
  # The log tail first, for whoever debugs it; the reason last, as the one line to read.
  if [ -n "${2:-}" ] && [ -s "$2" ]; then
    printf '   last lines of %s:\n' "$(basename "$2")" >&4
    tail -n 15 "$2" | sed 's/^/   | /' >&4
  fi
  echo "demo: FAILED: $1" >&4
  exit 1
}

# Nothing from the caller's OpenBao/Vault setup may leak into the demo's processes (BAO_BIN, which
# only says where the bao binary is, is kept for scripts/ensure-bao.sh).
while IFS='=' read -r name _; do
  case $name in BAO_BIN) ;; BAO_* | VAULT_*) unset "$name" ;; esac
done < <(env)

# ---- cleanup: stop every process group we started, newest first, then remove the work dir ----
work=''
pids=()      # each started with setsid: its pid is its process group id
names=()
alive() {
  # a zombie (exited, not yet reaped) counts as gone
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}
stop_group() {
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    alive "$pid" || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT ERR
  trap '' INT TERM HUP # a second Ctrl-C must not cut the cleanup short
  set +e
  if [ ${#pids[@]} -gt 0 ]; then
    printf '\n%sstopping everything the demo started:' "$dim" >&3
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
      printf ' %s' "${names[i]}" >&3
      stop_group "${pids[i]}"
    done
    printf '; removed %s%s\n' "$work" "$reset" >&3
  fi
  [ -n "$work" ] && rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'fail "unexpected error at line $LINENO: $BASH_COMMAND"' ERR

# start NAME LOG CMD...: run CMD in the work dir, in its own process group, output to LOG.
start() {
  local name=$1 log=$2
  shift 2
  : >"$log"
  (cd "$work" && exec setsid "$@" >"$log" 2>&1 </dev/null 3>&- 4>&-) &
  pids+=("$!")
  names+=("$name")
  last_pid=$!
}

# ---- 1. build and tools -----------------------------------------------------------------------
sidecar_jar() { ls "$root"/sidecar/target/bao-injector-sidecar-*-all.jar 2>/dev/null | head -n 1; }
agent_jar=$root/agent/target/bao-injector-agent.jar
app_jar=$root/examples/legacy-app/target/legacy-app.jar
injector=$root/sidecar/bin/bao-injector

step "Build"
if $build || [ -z "$(sidecar_jar)" ] || [ ! -f "$agent_jar" ] || [ ! -f "$app_jar" ]; then
  cmd "./mvnw -B -ntp -q -pl sidecar,agent,examples/legacy-app -am package -DskipTests"
  (cd "$root" && ./mvnw -B -ntp -q -pl sidecar,agent,examples/legacy-app -am package -DskipTests) ||
    fail "the build failed (see above)"
else
  say "jars present (./demo.sh --build rebuilds them)"
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$java" >/dev/null || fail "java not found; install Java 17 or later, or set JAVA_HOME"
command -v curl >/dev/null || fail "curl not found; install curl"
command -v setsid >/dev/null || fail "setsid not found; install util-linux"
command -v python3 >/dev/null || fail "python3 not found; install Python 3"
bao=$(bash "$root/scripts/ensure-bao.sh") || fail "no bao binary (see the line above)"
say "OpenBao CLI: $("$bao" version | head -n 1)"

[ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ] ||
  fail "/dev/shm is not a tmpfs; the sidecar writes secrets to tmpfs only"
umask 077
work=$(mktemp -d /dev/shm/bao-injector-demo.XXXXXX)
say "work dir (tmpfs, removed at exit): $work"

# ---- 2. OpenBao ---------------------------------------------------------------------------------
step "Start a throwaway OpenBao dev server"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
addr=http://127.0.0.1:$port
root_token=root-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
start "OpenBao" "$work/openbao.log" "$bao" server -dev -dev-listen-address="127.0.0.1:$port" \
  -dev-root-token-id="$root_token" -dev-no-store-token
bao_pid=$last_pid
deadline=$((SECONDS + 30))
until curl -fsS -o /dev/null "$addr/v1/sys/health" 2>/dev/null; do
  alive "$bao_pid" || fail "the OpenBao dev server exited" "$work/openbao.log"
  [ $SECONDS -lt $deadline ] || fail "OpenBao not healthy on $addr after 30s" "$work/openbao.log"
  sleep 0.1
done
say "OpenBao $addr (pid $bao_pid), a random root token used only by this script"
# The root token only ever reaches the bao CLI run here, never the sidecar or the app.
as_root() {
  BAO_ADDR=$addr BAO_TOKEN=$root_token HOME=$work "$bao" "$@" ||
    fail "bao $1 $2 … failed against the dev server (see the line above)"
}

step "Seed secrets and set up AppRole with a read-only policy"
password1=v1-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
as_root kv put secret/app/db username=app password="$password1" >/dev/null
as_root kv put secret/app/stripe api_key=sk_test_demo_1 >/dev/null
cmd "bao kv put secret/app/db username=app password=$password1"
cmd "bao kv put secret/app/stripe api_key=sk_test_demo_1"
as_root auth enable approle >/dev/null
as_root policy write app-read "$root/examples/demo/policy.hcl" >/dev/null
# One use per secret-id: the sidecar's login spends it; exec below reads the sidecar's socket instead.
as_root write auth/approle/role/app token_policies=app-read token_ttl=1h token_max_ttl=4h \
  secret_id_num_uses=1 secret_id_ttl=10m >/dev/null
as_root read -field=role_id auth/approle/role/app/role-id >"$work/role-id"
as_root write -f -field=secret_id auth/approle/role/app/secret-id >"$work/secret-id"
cmd "bao policy write app-read examples/demo/policy.hcl    # read secret/data/app/*, nothing else"
cmd "bao write auth/approle/role/app token_policies=app-read secret_id_num_uses=1 …"
say "role-id and secret-id written to the work dir (mode 0600); the sidecar logs in with them"

# ---- 3. sidecar -----------------------------------------------------------------------------------
step "Start the sidecar"
cp "$root/examples/demo/sidecar.yaml" "$work/sidecar.yaml"
cmd "BAO_ADDR=$addr bao-injector run -c sidecar.yaml    # examples/demo/sidecar.yaml"
start "sidecar" "$work/sidecar.log" env BAO_ADDR="$addr" "$injector" run -c "$work/sidecar.yaml"
sidecar_pid=$last_pid
sock=$work/agent.sock
deadline=$((SECONDS + 60))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock" http://localhost/v1/health 2>/dev/null)" = 200 ]; do
  alive "$sidecar_pid" || fail "the sidecar exited" "$work/sidecar.log"
  [ $SECONDS -lt $deadline ] || fail "the sidecar was not ready after 60s" "$work/sidecar.log"
  sleep 0.2
done
say "ready (pid $sidecar_pid): logged in with AppRole, secret-id file removed: $([ -e "$work/secret-id" ] && echo no || echo yes)"
say "$(cd "$work" && ls -l agent.sock app.env app.json | awk '{print $1, $NF}' | paste -sd ' ' | sed 's/ \([^ ]*\) / \1   /g')"

# ---- 4. the legacy app ---------------------------------------------------------------------------
step "Run the legacy app with the agent (it only calls System.getenv)"
cmd "java -javaagent:bao-injector-agent.jar=socket=$sock -jar legacy-app.jar --show-values --child"
start "legacy app" "$work/app.log" "$java" "-javaagent:$agent_jar=socket=$sock" -jar "$app_jar" \
  --show-values --child --interval-ms 1000
app_pid=$last_pid
shown=0
# show_app PATTERN SECONDS: print the app's new lines until one matches PATTERN.
show_app() {
  local deadline=$((SECONDS + $2)) n
  while :; do
    n=$(wc -l <"$work/app.log")
    if [ "$n" -gt "$shown" ]; then
      sed -n "$((shown + 1)),${n}p" "$work/app.log" | sed 's/^/   /'
      if sed -n "$((shown + 1)),${n}p" "$work/app.log" | grep -q -- "$1"; then
        shown=$n
        return 0
      fi
      shown=$n
    fi
    alive "$app_pid" || fail "the legacy app exited" "$work/app.log"
    [ $SECONDS -lt $deadline ] || fail "the app did not print '$1' within $2s" "$work/app.log"
    sleep 0.1
  done
}
show_app "DB_PASSWORD=$password1 " 30
show_app "DB_PASSWORD=$password1 " 10

# ---- 5. rotation -----------------------------------------------------------------------------------
step "Rotate the password in OpenBao; the running app sees it"
password2=v2-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
cmd "bao kv put secret/app/db username=app password=$password2"
as_root kv put secret/app/db username=app password="$password2" >/dev/null
show_app "DB_PASSWORD=$password2   <- changed, no restart" 30
say "${green}same JVM (pid $app_pid), new value: no restart, no code change${reset}"

# ---- 6. everything that is not Java ----------------------------------------------------------------
step "Non-Java consumers read the same values"
nj=$root/examples/non-java
# show CMD...: run CMD and print its output indented; a failure stops the demo.
show() {
  local out
  out=$("$@") || fail "this step failed: $*"
  printf '%s\n' "$out" | sed 's/^/   /'
}
cmd "set -a; . app.env; echo \"\$DB_PASSWORD\"      # bash: examples/non-java/read-dotenv.sh"
show bash "$nj/read-dotenv.sh" "$work/app.env" DB_PASSWORD
cmd "python3 read-json.py app.json DB_PASSWORD      # Python: examples/non-java/read-json.py"
show python3 "$nj/read-json.py" "$work/app.json" DB_PASSWORD
cmd "curl --unix-socket agent.sock http://localhost/v1/secrets/DB_PASSWORD   # socket-curl.sh"
show bash "$nj/socket-curl.sh" "$sock" DB_PASSWORD
cmd "bao-injector exec --socket agent.sock -- sh -c 'echo … \$DB_PASSWORD …'   # exec-example.sh"
say "(exec takes the values from the running sidecar: no login, no secret-id of its own)"
show env BAO_ADDR="$addr" bash "$nj/exec-example.sh" --socket "$sock"

printf '\n%sDemo done in %ds.%s\n' "$green" $((SECONDS - started)) "$reset"

if $keep; then
  cat <<EOF

Left running. In another terminal:
  export BAO_ADDR=$addr BAO_TOKEN=$root_token   # this dev server's root token
  $bao kv put secret/app/db username=app password=try-me
  tail -f $work/app.log                      # the app prints the new value
  curl -s --unix-socket $sock http://localhost/v1/env
  curl -s --unix-socket $sock http://localhost/v1/health
  $injector get DB_PASSWORD --socket $sock
  cat $work/app.env $work/sidecar.log
Press Ctrl-C to stop everything and remove $work.
EOF
  echo "demo: ready"
  wait "$sidecar_pid" || true
  fail "the sidecar exited" "$work/sidecar.log"
fi
