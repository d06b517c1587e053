#!/usr/bin/env bash
# Any program, any language: `bao-injector exec` logs in, resolves the mapped variables and runs the
# command with them in its environment — minus the sidecar's own OpenBao credentials and settings
# (BAO_TOKEN, BAO_ADDR, VAULT_*, …), which the child never needs.
#
# Usage: exec-example.sh CONFIG    (bao-injector: $BAO_INJECTOR, else on PATH, else this repo's)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: exec-example.sh CONFIG" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd -P)
injector=${BAO_INJECTOR:-$(command -v bao-injector || echo "$here/../../sidecar/bin/bao-injector")}

exec "$injector" exec -c "$1" -- sh -c '
  printf "DB_USER=%s DB_PASSWORD=%s\n" "$DB_USER" "$DB_PASSWORD"
  printf "BAO_ADDR in the child: %s\n" "${BAO_ADDR:-(removed)}"'
