#!/usr/bin/env bash
# JMH: System.getenv with and without the agent, in one run. Not part of ./mvnw verify.
# Usage: [BENCH_PATTERN=regex] bench/jmh.sh [JMH options]   (default: -wi 3 -w 2s -i 5 -r 2s)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -ntp -q -Pbench -pl bench -am package -DskipTests
cd bench
printf "DB_PASSWORD='bench-managed-value'\n" > target/bench.env
export DB_PASSWORD=bench-real-env-value
if [ $# -eq 0 ]; then set -- -wi 3 -w 2s -i 5 -r 2s; fi
exec java -jar target/benchmarks.jar "$@" "${BENCH_PATTERN:-io.baoinjector.bench.*}"
