#!/usr/bin/env bash
# Time to main with the agent, pools=off vs the default pools=follow, without and with HikariCP on
# the class path (the app then loads com.zaxxer.hikari.pool.HikariPool, which the agent rewrites).
# Usage: bench/time-to-main-pools.sh [JAVA_HOME] [RUNS]; needs hyperfine and a built agent and
# examples/pool-app (its pre-integration-test phase copies the HikariCP jars to target/pool-libs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
java_home="${1:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
runs="${2:-30}"
java="$java_home/bin/java"
jar="$root/agent/target/bao-injector-agent.jar"
libs="$root/examples/pool-app/target/pool-libs"
[ -f "$jar" ] || { echo "time-to-main-pools: build the agent first" >&2; exit 1; }
[ -f "$libs/HikariCP-5.1.0.jar" ] || { echo "time-to-main-pools: no $libs/HikariCP-5.1.0.jar (run examples/pool-app's pre-integration-test)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "time-to-main-pools: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
work="$root/bench/target/ttm-pools"
mkdir -p "$work"
cat > "$work/Hello.java" <<'JAVA'
public class Hello {
  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      Class.forName(args[0], false, Hello.class.getClassLoader());
    }
    System.out.println("hello " + System.getenv("DB_PASSWORD"));
  }
}
JAVA
"$java_home/bin/javac" -d "$work" "$work/Hello.java"
printf "DB_PASSWORD='managed'\n" > "$work/app.env"
cp="$work:$libs/HikariCP-5.1.0.jar:$libs/slf4j-api-2.0.17.jar"
agent="-javaagent:$jar=file=$work/app.env"
"$java" -version 2>&1 | head -1
hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/ttm.json" \
  -n "no pool library, pools=off" "$java $agent,pools=off -cp $work Hello" \
  -n "no pool library, pools=follow" "$java $agent -cp $work Hello" \
  -n "HikariPool loaded, pools=off" "$java $agent,pools=off -cp $cp Hello com.zaxxer.hikari.pool.HikariPool" \
  -n "HikariPool loaded, pools=follow" "$java $agent -cp $cp Hello com.zaxxer.hikari.pool.HikariPool"
python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-34s median %6.1f ms  min %6.1f ms  user %6.1f ms" % (r["command"], r["median"]*1000, r["min"]*1000, r["user"]*1000))' "$work/ttm.json"
