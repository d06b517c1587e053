package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.baoinjector.shared.Reference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code sidecar.yaml} after parsing, merging with the environment, and validation: every field is
 * typed and already checked. Maps keep the file's order.
 *
 * @param source the file it came from (for messages), or null when built in code
 * @param secrets environment name to reference ({@code secrets:})
 * @param envFrom whole secrets whose every key becomes a variable, in file order (later wins)
 * @param properties Java system property name to reference ({@code properties:})
 * @param leases how leased secrets are replaced ({@code leases:})
 * @param envReferences {@code exec} resolves {@code vault:}/{@code bao:} values of its environment
 * @param cache the restart-proof cache ({@code cache:}), or null when not configured
 * @param mask {@code exec}: whether and from which length values are concealed in the child's
 *     output ({@code mask:})
 * @param backends stores other than OpenBao by block name ({@code backends:}), in file order; a
 *     reference picks one by its prefix
 * @param fallback a {@code file:} whose values are served, stale, for names whose store has never
 *     answered ({@code fallback:}), or null
 */
public record SidecarConfig(
    @JsonIgnore @JacksonInject(value = "source", useInput = OptBoolean.TRUE) Path source,
    OpenBaoSettings openbao,
    AuthSettings auth,
    boolean revokeOnExit,
    Map<String, Reference> secrets,
    @JsonPropertyDescription("[{path: secret/app/prod}]") List<EnvFrom> envFrom,
    Map<String, Reference> properties,
    RefreshSettings refresh,
    OutputSettings outputs,
    LeaseSettings leases,
    boolean envReferences,
    CacheSettings cache,
    @JsonDeserialize(using = MaskSettings.Reader.class) MaskSettings mask,
    Map<String, BackendSettings> backends,
    @JsonPropertyDescription("file:/etc/app/fallback.env")
        @JsonDeserialize(using = Binder.Fallback.class)
        Reference fallback) {

  /**
   * Jackson binds the file into this constructor (each component is a key, named by its kebab-case
   * form; see {@link Binder}); a section left out gets its defaults here, and {@link ConfigLoader}
   * finishes the rest through {@link #resolved}.
   */
  @JsonCreator
  public SidecarConfig {
    refresh = refresh == null ? RefreshSettings.DEFAULTS : refresh;
    leases = leases == null ? LeaseSettings.DEFAULTS : leases;
    mask = mask == null ? MaskSettings.OFF : mask;
    backends = backends == null ? Map.of() : backends;
  }

  /**
   * A config with the default {@code leases:} settings, without {@code env-references}, a cache or
   * {@code mask:}.
   */
  public SidecarConfig(
      Path source,
      OpenBaoSettings openbao,
      AuthSettings auth,
      boolean revokeOnExit,
      Map<String, Reference> secrets,
      List<EnvFrom> envFrom,
      Map<String, Reference> properties,
      RefreshSettings refresh,
      OutputSettings outputs) {
    this(
        source,
        openbao,
        auth,
        revokeOnExit,
        secrets,
        envFrom,
        properties,
        refresh,
        outputs,
        LeaseSettings.DEFAULTS,
        false,
        null,
        MaskSettings.OFF,
        Map.of(),
        null);
  }

  /** The same config with {@code auth} replaced. */
  public SidecarConfig withAuth(AuthSettings auth) {
    return with(auth, secrets);
  }

  /**
   * The same config, leaving the AppRole secret-id file where it is: removing it is for the process
   * that keeps the login alive ({@code run}, {@code exec}). Otherwise a {@code check --online}, an
   * init container's {@code render} or a tool would use up the file the sidecar needs next.
   */
  public SidecarConfig keepingSecretIdFile() {
    return auth == null || auth.keepSecretIdFile()
        ? this
        : withAuth(auth.withKeepSecretIdFile(true));
  }

  /** The same config with {@code secrets} replaced. */
  public SidecarConfig withSecrets(Map<String, Reference> secrets) {
    return with(auth, secrets);
  }

  private SidecarConfig with(AuthSettings auth, Map<String, Reference> secrets) {
    return resolved(source, openbao, auth, secrets, envFrom, properties, outputs);
  }

  /** The bound file with the sections the loader defaults and checks, and where it came from. */
  SidecarConfig resolved(
      Path source,
      OpenBaoSettings openbao,
      AuthSettings auth,
      Map<String, Reference> secrets,
      List<EnvFrom> envFrom,
      Map<String, Reference> properties,
      OutputSettings outputs) {
    return new SidecarConfig(
        source,
        openbao,
        auth,
        revokeOnExit,
        secrets,
        envFrom,
        properties,
        refresh,
        outputs,
        leases,
        envReferences,
        cache,
        mask,
        backends,
        fallback);
  }

  /**
   * One {@code env-from:} entry, bound as written.
   *
   * @param path the secret, as typed for {@code bao kv get}
   * @param prefix put before every key ("" for none)
   * @param sanitize upper-case keys and turn non-alphanumerics into {@code _} (as envconsul)
   */
  public record EnvFrom(
      @JsonPropertyDescription("secret/app/prod") @JsonDeserialize(using = Binder.WholeSecret.class)
          Reference path,
      @JsonPropertyDescription("APP_") String prefix,
      boolean sanitize) {
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public EnvFrom {
      prefix = prefix == null ? "" : prefix;
    }

    /** {@code - secret/app/prod} is short for {@code - path: secret/app/prod}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static EnvFrom of(String path) {
      return new EnvFrom(Scalars.wholeSecret(path, Binder.binding()), null, false);
    }
  }
}
