# app-read: what the demo's sidecar may do — read the app's secrets, nothing else.
path "secret/data/app/*" {
  capabilities = ["read"]
}
path "secret/metadata/app/*" {
  capabilities = ["read"]
}
