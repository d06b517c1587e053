package io.baoinjector.testkit;

/** The sidecar configuration most ITs start from: one OpenBao and token auth (BAO_TOKEN). */
public final class TokenConfig {
  private TokenConfig() {}

  /**
   * {@code openbao.address} and {@code auth.method: token}, then {@code secrets:} followed by
   * {@code rest}: the secret lines (indented two spaces), then any other top-level keys.
   */
  public static String yaml(String address, String rest) {
    return """
        openbao:
          address: %s
        auth:
          method: token
        secrets:
        """
            .formatted(address)
        + rest;
  }
}
