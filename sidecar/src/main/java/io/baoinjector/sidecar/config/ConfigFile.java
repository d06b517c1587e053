package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.baoinjector.shared.Reference;
import java.util.List;
import java.util.Map;

/**
 * {@code sidecar.yaml} as written, before the environment is merged in: what Jackson binds. A
 * component is a key, named by its kebab-case form ({@code caCert} is {@code ca-cert}); an absent
 * key binds as null. Its type checks the value (see {@link Binder}); a description is the example
 * an error message shows. {@link ConfigKeys} and the docs test read the keys from here.
 */
record ConfigFile(
    OpenBaoSettings openbao,
    AuthSettings auth,
    Boolean revokeOnExit,
    Map<String, Reference> secrets,
    @JsonPropertyDescription("[{path: secret/app/prod}]") List<EnvFrom> envFrom,
    Map<String, Reference> properties,
    RefreshSettings refresh,
    LeaseSettings leases,
    OutputSettings outputs) {

  /** One {@code env-from:} item; {@code - secret/app/prod} is short for {@code - path: …}. */
  record EnvFrom(
      @JsonPropertyDescription("secret/app/prod") String path,
      @JsonPropertyDescription("APP_") String prefix,
      Boolean sanitize) {
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    EnvFrom {}

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static EnvFrom of(String path) {
      return new EnvFrom(path, null, null);
    }
  }
}
