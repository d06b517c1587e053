#!/usr/bin/env bash
# Prints the bin directory of a PostgreSQL server install (the one holding initdb and pg_ctl),
# installing the distribution's `postgresql` package with apt when there is none.
#
# For the tests of examples/spring-boot-app and examples/pool-app, which run a throwaway server as the
# `postgres` user (testkit's PostgresServer).
# Idempotent and fast once installed; safe to run from parallel builds (flock). Everything else
# goes to stderr so callers can do bin=$(...).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"

find_bin() {
  local d found=
  # the newest major version wins when several are installed
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then
      found=$d
    fi
  done
  [ -n "$found" ] && echo "$found"
}

have_user() {
  id -u postgres >/dev/null 2>&1
}

if bin=$(find_bin) && have_user; then
  echo "$bin"; exit 0
fi

apt_lock ensure-postgres .postgres.lock \
  "no PostgreSQL server in /usr/lib/postgresql/*/bin and no apt-get to install one; install the postgresql package (initdb, pg_ctl and the postgres user)" \
  "no PostgreSQL server in /usr/lib/postgresql/*/bin; install it as root: apt-get install -y postgresql"
if ! { bin=$(find_bin) && have_user; }; then
  echo "ensure-postgres: installing PostgreSQL with apt-get" >&2
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2; }; then
    echo "ensure-postgres: apt-get install postgresql failed; install it by hand (it needs initdb, pg_ctl and the postgres user)" >&2
    exit 1
  fi
  bin=$(find_bin) && have_user || {
    echo "ensure-postgres: installed postgresql but found no /usr/lib/postgresql/*/bin/pg_ctl or no postgres user" >&2
    exit 1
  }
fi
echo "$bin"
