package io.baoinjector.sidecar.it;

/** The package's ITs' name for testkit's {@link io.baoinjector.testkit.TokenConfig}. */
final class TokenConfig {
  private TokenConfig() {}

  static String yaml(String address, String rest) {
    return io.baoinjector.testkit.TokenConfig.yaml(address, rest);
  }
}
