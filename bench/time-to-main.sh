#!/usr/bin/env bash
# Whole-process time to main (hello world) without and with the agent (file transport).
# Uses hyperfine when installed (apt-get install hyperfine), else a loop reporting the median.
# Usage: bench/time-to-main.sh [JAVA_HOME] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
java_home="${1:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
runs="${2:-30}"
java="$java_home/bin/java"
jar="$root/agent/target/bao-injector-agent.jar"
[ -f "$jar" ] || { echo "time-to-main: build the agent first (./mvnw -pl agent -am package)" >&2; exit 1; }
work="$root/bench/target/ttm"
mkdir -p "$work"
cat > "$work/Hello.java" <<'JAVA'
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello " + System.getenv("DB_PASSWORD"));
  }
}
JAVA
# an agent whose premain does nothing: what any -javaagent costs before our code runs
mkdir -p "$work/noop/p"
cat > "$work/noop/p/Noop.java" <<'JAVA'
package p;
public class Noop { public static void premain(String a, java.lang.instrument.Instrumentation i) {} }
JAVA
"$java_home/bin/javac" -d "$work" "$work/Hello.java"
"$java_home/bin/javac" -d "$work/noop" "$work/noop/p/Noop.java"
printf 'Premain-Class: p.Noop\n' > "$work/noop/manifest.txt"
"$java_home/bin/jar" cfm "$work/noop.jar" "$work/noop/manifest.txt" -C "$work/noop" p/Noop.class
printf "DB_PASSWORD='managed'\n" > "$work/app.env"
plain="$java -cp $work Hello"
noop="$java -javaagent:$work/noop.jar -cp $work Hello"
agent="$java -javaagent:$jar=file=$work/app.env -cp $work Hello"
"$java" -version 2>&1 | head -1
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/ttm.json" \
    -n no-agent "$plain" -n noop-agent "$noop" -n bao-injector-agent "$agent"
  # the targets are about medians; hyperfine prints them only in its JSON
  python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-20s median %6.1f ms  min %6.1f ms  user %6.1f ms" % (r["command"], r["median"]*1000, r["min"]*1000, r["user"]*1000))' "$work/ttm.json"
  exit 0
fi
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for name in plain noop agent; do
  cmd="${!name}"
  for _ in $(seq 5); do $cmd >/dev/null; done
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); $cmd >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | median | xargs echo "$name median ms:"
done
