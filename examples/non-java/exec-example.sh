#!/usr/bin/env bash
# Any program, any language: `bao-injector exec` runs the command with the mapped variables in its
# environment — minus the sidecar's own OpenBao credentials and settings (BAO_TOKEN, BAO_ADDR,
# VAULT_*, …), which the child never needs. Given CONFIG it logs in and resolves them itself; given
# --socket SOCKET it takes them from the sidecar already running there: no login, no credentials.
#
# Usage: exec-example.sh CONFIG | --socket SOCKET
#        (bao-injector: $BAO_INJECTOR, else on PATH, else this repo's)
set -euo pipefail
case "$#:${1:-}" in
  2:--socket) from=(--socket "$2") ;;
  1:-*|2:*|0:*) echo "usage: exec-example.sh CONFIG | --socket SOCKET" >&2; exit 2 ;;
  *) from=(-c "$1") ;;
esac
here=$(cd "$(dirname "$0")" && pwd -P)
injector=${BAO_INJECTOR:-$(command -v bao-injector || echo "$here/../../sidecar/bin/bao-injector")}

exec "$injector" exec "${from[@]}" -- sh -c '
  printf "DB_USER=%s DB_PASSWORD=%s\n" "$DB_USER" "$DB_PASSWORD"
  printf "BAO_ADDR in the child: %s\n" "${BAO_ADDR:-(removed)}"'
