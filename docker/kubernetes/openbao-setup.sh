#!/bin/sh
# OpenBao side of docker/kubernetes/: Kubernetes auth, a read-only policy, and the role that lets
# the pod's service account (legacy-app) log in. Run once with an admin token:
#   BAO_ADDR=https://openbao.example:8200 BAO_TOKEN=... sh docker/kubernetes/openbao-setup.sh
#
# Environment (defaults in brackets):
#   NAMESPACE [default]          namespace the Deployment runs in
#   SERVICE_ACCOUNT [legacy-app] serviceaccount.yaml's name
#   KUBERNETES_HOST [https://kubernetes.default.svc]  API server OpenBao sends TokenReviews to
#   KUBERNETES_CA_CERT []        PEM file of the API server's CA; empty when OpenBao runs in the
#                                cluster (it then uses its own pod's CA and token as the reviewer)
#   TOKEN_REVIEWER_JWT []        a reviewer token (system:auth-delegator) when OpenBao runs outside
#                                the cluster; needs KUBERNETES_CA_CERT too
#   SEED_EXAMPLE_SECRETS [true]  write example values to secret/app/db and secret/app/stripe when absent
set -eu

: "${BAO_ADDR:?set BAO_ADDR to the OpenBao address}"
: "${BAO_TOKEN:?set BAO_TOKEN to a token that may write policies and auth config}"
NAMESPACE="${NAMESPACE:-default}"
SERVICE_ACCOUNT="${SERVICE_ACCOUNT:-legacy-app}"
KUBERNETES_HOST="${KUBERNETES_HOST:-https://kubernetes.default.svc}"
KUBERNETES_CA_CERT="${KUBERNETES_CA_CERT:-}"
TOKEN_REVIEWER_JWT="${TOKEN_REVIEWER_JWT:-}"
SEED_EXAMPLE_SECRETS="${SEED_EXAMPLE_SECRETS:-true}"
export BAO_ADDR BAO_TOKEN
if [ -n "$TOKEN_REVIEWER_JWT" ] && [ -z "$KUBERNETES_CA_CERT" ]; then
  echo "openbao-setup: TOKEN_REVIEWER_JWT is set (OpenBao outside the cluster): also set KUBERNETES_CA_CERT to the API server's CA PEM file" >&2
  exit 2
fi

# Least privilege: read the app's secrets and their version metadata (for the refresh check).
bao policy write legacy-app-read - <<'HCL'
path "secret/data/app/*" {
  capabilities = ["read"]
}
path "secret/metadata/app/*" {
  capabilities = ["read"]
}
HCL

if ! bao auth list -format=json | grep -q '"kubernetes/"'; then
  bao auth enable kubernetes
fi
set -- kubernetes_host="$KUBERNETES_HOST"
if [ -n "$KUBERNETES_CA_CERT" ]; then
  set -- "$@" kubernetes_ca_cert=@"$KUBERNETES_CA_CERT"
fi
if [ -n "$TOKEN_REVIEWER_JWT" ]; then
  # Outside the cluster there is no local service-account CA/token to fall back on.
  set -- "$@" token_reviewer_jwt="$TOKEN_REVIEWER_JWT" disable_local_ca_jwt=true
fi
bao write auth/kubernetes/config "$@"

# Only this service account in this namespace; tokens live an hour and are renewed by the sidecar.
bao write auth/kubernetes/role/legacy-app \
  bound_service_account_names="$SERVICE_ACCOUNT" \
  bound_service_account_namespaces="$NAMESPACE" \
  token_policies=legacy-app-read \
  token_ttl=1h token_max_ttl=24h

if [ "$SEED_EXAMPLE_SECRETS" = true ]; then
  if ! bao kv get -mount=secret app/db >/dev/null 2>&1; then
    bao kv put -mount=secret app/db username=app password=initial-db-password
  fi
  if ! bao kv get -mount=secret app/stripe >/dev/null 2>&1; then
    bao kv put -mount=secret app/stripe api_key=sk_test_initial
  fi
fi
echo "openbao-setup: policy legacy-app-read, kubernetes role legacy-app for $NAMESPACE/$SERVICE_ACCOUNT ready"
