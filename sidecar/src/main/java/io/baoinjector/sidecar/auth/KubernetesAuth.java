package io.baoinjector.sidecar.auth;

import io.baoinjector.sidecar.openbao.OpenBaoClient;
import java.nio.file.Path;

/**
 * Kubernetes auth: {@code role} plus the pod's service-account token, re-read at every login
 * (projected tokens are rotated by the kubelet). OpenBao checks it with the cluster's TokenReview
 * API. The same wire protocol as JWT auth, with the kubernetes defaults.
 */
public final class KubernetesAuth implements AuthMethod {
  private final JwtAuth delegate;
  private final String mount;
  private final String role;

  public KubernetesAuth(String mount, String role, Path serviceAccountTokenFile) {
    this.delegate = new JwtAuth(mount, role, serviceAccountTokenFile, "auth.jwt-file");
    this.mount = mount;
    this.role = role;
  }

  @Override
  public Token login(OpenBaoClient client) {
    return delegate.login(client);
  }

  @Override
  public Object credentialStamp() {
    return delegate.credentialStamp();
  }

  @Override
  public String describe() {
    return "kubernetes role " + role + " at auth/" + mount;
  }
}
