#!/usr/bin/env bash
# Any language with an HTTP client can ask the sidecar over its Unix socket. Here: curl.
#   GET /v1/secrets/NAME -> {"name":…,"value":…,"version":…,"revision":…}
#   GET /v1/env          -> every value at once;  GET /v1/health -> ready or starting
#
# Usage: socket-curl.sh SOCKET NAME    prints the JSON answer for NAME
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: socket-curl.sh SOCKET NAME" >&2; exit 2; }
sock=$1
name=$2

# -w appends the status on its own line, so errors keep their JSON body.
answer=$(curl -sS --unix-socket "$sock" -w '\n%{http_code}' "http://localhost/v1/secrets/$name") ||
  { echo "socket-curl: cannot reach the sidecar at $sock (is it running?)" >&2; exit 1; }
status=${answer##*$'\n'}
body=${answer%$'\n'*}
case $status in
  200) printf '%s\n' "$body" ;;
  403) echo "socket-curl: 403 from $sock: your uid is not in outputs.socket.allow-uids: $body" >&2; exit 1 ;;
  404) echo "socket-curl: 404 from $sock: $name is not mapped in the sidecar's config: $body" >&2; exit 1 ;;
  *) echo "socket-curl: $status from $sock: $body" >&2; exit 1 ;;
esac
