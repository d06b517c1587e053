#!/bin/sh
# One-shot OpenBao setup for the compose stack (the `setup` service runs it in the OpenBao image,
# as root, with BAO_ADDR and the dev root token). Also runs on a host against any dev server:
#   BAO_ADDR=http://127.0.0.1:8200 BAO_TOKEN=... APPROLE_DIR=/tmp/approle sh docker/openbao-setup.sh
#
# It seeds the secrets (layout as in the field documents: secret/app/db with username/password,
# an API key under secret/app/stripe), writes a read-only policy for secret/app/*, creates the
# AppRole role `legacy-app` and writes its role-id and secret-id for the sidecar. The sidecar never
# sees the root token. Idempotent: a second run keeps the seeded values and issues a new secret-id.
set -eu

: "${BAO_ADDR:?set BAO_ADDR to the OpenBao address}"
: "${BAO_TOKEN:?set BAO_TOKEN to a token that may write policies and auth roles}"
APPROLE_DIR="${APPROLE_DIR:-/run/bao-approle}"
APP_UID="${APP_UID:-10001}"
export BAO_ADDR BAO_TOKEN

# Least privilege: read the app's secrets (data) and their version metadata (for the refresh
# check), nothing else - no list, no write, no other path.
bao policy write legacy-app-read - <<'HCL'
path "secret/data/app/*" {
  capabilities = ["read"]
}
path "secret/metadata/app/*" {
  capabilities = ["read"]
}
HCL

if ! bao auth list -format=json | grep -q '"approle/"'; then
  bao auth enable approle
fi
bao write auth/approle/role/legacy-app \
  token_policies=legacy-app-read \
  token_ttl=1h token_max_ttl=24h \
  secret_id_ttl=24h

# Seed only when absent, so re-running setup never rotates a value behind the app's back.
if ! bao kv get -mount=secret app/db >/dev/null 2>&1; then
  bao kv put -mount=secret app/db username=app password=initial-db-password
fi
if ! bao kv get -mount=secret app/stripe >/dev/null 2>&1; then
  bao kv put -mount=secret app/stripe api_key=sk_test_initial
fi

# Credentials for the sidecar: readable by its uid only. The directory is a tmpfs volume.
mkdir -p "$APPROLE_DIR"
umask 077
rm -f "$APPROLE_DIR/role-id" "$APPROLE_DIR/secret-id"
bao read -field=role_id auth/approle/role/legacy-app/role-id >"$APPROLE_DIR/role-id"
bao write -f -field=secret_id auth/approle/role/legacy-app/secret-id >"$APPROLE_DIR/secret-id"
if [ "$(id -u)" = 0 ]; then
  chown "$APP_UID:$APP_UID" "$APPROLE_DIR/role-id" "$APPROLE_DIR/secret-id"
fi
chmod 0400 "$APPROLE_DIR/role-id" "$APPROLE_DIR/secret-id"
echo "openbao-setup: policy legacy-app-read, AppRole legacy-app, secrets secret/app/db and secret/app/stripe ready"
