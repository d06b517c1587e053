#!/usr/bin/env bash
# bao-injector side by side with OpenBao Agent and Proxy: footprint, startup, socket reads,
# propagation (file and System.getenv of an agent-attached JVM), OpenBao load, footprint under
# rotations and scale, alternating ours and the peer; prints one table.
# Usage: bench/run.sh [--quick] [--only footprint,socket,propagation,load,rotations,scale,flags]
#                     [--only stores --before OTHER-BUILD/bao-injector-sidecar-*-all.jar]
#   --quick  fewer rounds and shorter windows (under 5 minutes)
#   --scale  kept for old scripts: scale is in the default set now
#   stores   an OpenBao-only config on this tree's jar against --before's, alternating, and the
#            classes each loads (none of the other stores')
# The sidecar runs through sidecar/bin/bao-injector, so with its shipped JVM flags (JAVA_OPTS and
# JAVA_HOME apply as for users). The JMH benchmark of the agent is bench/jmh.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jars=(sidecar/target/bao-injector-sidecar-*-all.jar)
if [ ! -f "${jars[0]}" ] || [ ! -f agent/target/bao-injector-agent.jar ]; then
  ./mvnw -B -ntp -q -pl agent,sidecar -am package -DskipTests
fi
bao="$(scripts/ensure-bao.sh)"
exec python3 bench/suite.py --bao "$bao" "$@"
