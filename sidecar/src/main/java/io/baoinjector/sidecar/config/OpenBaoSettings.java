package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.OptBoolean;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Where OpenBao is and how to talk to it: the {@code openbao:} section, bound as written (a
 * component is a key, in kebab-case); a key named in {@code @JacksonInject} that the file leaves
 * out comes from its environment variable ({@link EnvDefaults}).
 *
 * @param addresses {@code address}: one or more (HA); on a connection failure the client tries the
 *     next
 * @param namespace sent as {@code X-Vault-Namespace}; "" for none
 * @param caCert PEM bundle to trust instead of the JDK's, or null
 * @param tlsSkipVerify accept any certificate (tests only; warned at startup)
 */
public record OpenBaoSettings(
    @JsonProperty("address")
        @JsonPropertyDescription("http://127.0.0.1:8200|[https://bao-0:8200, https://bao-1:8200]")
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        @JacksonInject(value = "openbao.address", useInput = OptBoolean.TRUE)
        List<URI> addresses,
    @JsonPropertyDescription("team-a")
        @JacksonInject(value = "openbao.namespace", useInput = OptBoolean.TRUE)
        String namespace,
    @JacksonInject(value = "openbao.ca-cert", useInput = OptBoolean.TRUE) Path caCert,
    @JacksonInject(value = "openbao.tls-skip-verify", useInput = OptBoolean.TRUE)
        boolean tlsSkipVerify) {

  public OpenBaoSettings {
    // null stays: the loader tells a left-out address from an empty one
    addresses = addresses == null ? null : List.copyOf(addresses);
    namespace = namespace == null ? "" : namespace;
  }
}
