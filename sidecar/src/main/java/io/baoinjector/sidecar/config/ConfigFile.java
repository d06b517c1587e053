package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.baoinjector.shared.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code sidecar.yaml} as written, before the environment is merged in: what Jackson binds. A
 * component is a key, named by its kebab-case form ({@code caCert} is {@code ca-cert}); an absent
 * key binds as null. Its type checks the value (see {@link Binder}); a description is the example
 * an error message shows. {@link ConfigKeys} and the docs test read the keys from here.
 */
record ConfigFile(
    OpenBao openbao,
    Auth auth,
    Boolean revokeOnExit,
    Map<String, Reference> secrets,
    @JsonPropertyDescription("[{path: secret/app/prod}]") List<EnvFrom> envFrom,
    Map<String, Reference> properties,
    RefreshSettings refresh,
    LeaseSettings leases,
    Outputs outputs,
    Boolean envReferences,
    CacheSettings cache) {

  record OpenBao(
      @JsonPropertyDescription("http://127.0.0.1:8200|[https://bao-0:8200, https://bao-1:8200]")
          @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          List<String> address,
      @JsonPropertyDescription("team-a") String namespace,
      Path caCert,
      Boolean tlsSkipVerify) {}

  record Auth(
      @JsonPropertyDescription("token") String method,
      String mount,
      Path tokenFile,
      Path roleIdFile,
      Path secretIdFile,
      Boolean secretIdWrapped,
      Boolean keepSecretIdFile,
      @JsonPropertyDescription("my-role") String role,
      Path jwtFile) {}

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

  record Outputs(
      Socket socket,
      Http http,
      @JsonPropertyDescription("[{path: /run/secrets/app.env, format: dotenv}]")
          List<File> files) {}

  record Socket(
      @JsonPropertyDescription("/run/bao-injector/agent.sock") String path,
      @JsonDeserialize(using = Binder.Mode.class) Integer mode,
      @JsonPropertyDescription("[1000, app]") List<String> allowUids,
      Integer uid,
      Integer gid) {}

  record Http(@JsonPropertyDescription("127.0.0.1:9102") String address) {}

  record File(
      @JsonPropertyDescription("/run/secrets/app.env") String path,
      @JsonPropertyDescription("dotenv") String format,
      @JsonPropertyDescription("[DB_USER, DB_PASSWORD]") List<String> names,
      @JsonPropertyDescription("DB_PASSWORD") String name,
      Path template,
      @JsonDeserialize(using = Binder.Mode.class) Integer mode,
      Integer uid,
      Integer gid,
      Boolean allowDisk,
      @JsonPropertyDescription("[\"kill\", \"-HUP\", \"1\"]") List<String> onChange,
      Duration onChangeTimeout) {}
}
