package io.baoinjector.sidecar.tools.policy;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.tools.ToolFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The least-privilege policy for a config: exactly the API calls the sidecar makes for it, each on
 * its exact path. What the sidecar calls, and why each line is needed:
 *
 * <ul>
 *   <li>KV v2: {@code GET <mount>/data/<path>} for the value; {@code GET <mount>/metadata/<path>}
 *       before each refresh to learn whether the version changed (never for a name pinned with
 *       {@code @N}, which is read once).
 *   <li>KV v1 and every other engine: {@code GET <path>}.
 *   <li>A lease from a non-KV engine ({@code database/creds/app}): {@code PUT sys/leases/renew};
 *       with {@code leases.revoke-replaced} also {@code PUT sys/leases/revoke}. Both take the lease
 *       id in the body, so the policy cannot narrow them to one engine's leases.
 *   <li>The token: {@code GET auth/token/lookup-self} at login and after a 403, {@code POST
 *       auth/token/renew-self}, and with {@code revoke-on-exit} {@code POST
 *       auth/token/revoke-self}.
 * </ul>
 *
 * Mount detection ({@code GET sys/internal/ui/mounts/<path>}) needs no grant: OpenBao answers it
 * for any mount on which the token may use some path. Logging in (AppRole, Kubernetes, JWT) and
 * unwrapping a wrapped secret id need none either.
 */
final class PolicyGenerator {
  private PolicyGenerator() {}

  /** Which names read one secret path, and whether any of them follows its current version. */
  private static final class Use {
    final Set<String> names = new LinkedHashSet<>();
    boolean followsVersion;
  }

  /**
   * The stanzas, in the file's order of first use.
   *
   * @param mounts the engine serving a path (OpenBao's answer; the config does not say it)
   * @throws ToolFailure when a path would be a wildcard in a policy
   */
  static List<Stanza> stanzas(SidecarConfig config, Function<String, Mount> mounts) {
    Map<String, Use> uses = new LinkedHashMap<>();
    config.secrets().forEach((name, ref) -> use(uses, ref, name));
    for (int i = 0; i < config.envFrom().size(); i++) {
      use(uses, config.envFrom().get(i).path(), "env-from[" + i + "]");
    }
    config.properties().forEach((name, ref) -> use(uses, ref, "property " + name));

    List<Stanza> out = new ArrayList<>();
    Set<String> leased = new LinkedHashSet<>();
    for (Map.Entry<String, Use> e : uses.entrySet()) {
      String path = e.getKey();
      String names = String.join(", ", e.getValue().names);
      Mount m = mounts.apply(path);
      if (m.kvVersion() == 2) {
        String rel = m.relative(path);
        out.add(read(m.path() + "data/" + rel, names + ": the value (KV v2 " + m.path() + ")"));
        if (e.getValue().followsVersion) {
          out.add(
              read(
                  m.path() + "metadata/" + rel,
                  names + ": its current version, checked before each re-read"));
        }
      } else if (m.kvVersion() == 1) {
        out.add(read(path, names + ": the value (KV v1 " + m.path() + ")"));
      } else {
        out.add(read(path, names + ": the value (" + m.type() + " engine, leased)"));
        leased.addAll(e.getValue().names);
      }
    }
    if (!leased.isEmpty()) {
      String names = String.join(", ", leased);
      out.add(update("sys/leases/renew", names + ": renewing their leases"));
      if (config.leases().revokeReplaced()) {
        out.add(
            update(
                "sys/leases/revoke",
                names + ": leases.revoke-replaced revokes a lease once its successor is served"));
      }
    }
    out.add(read("auth/token/lookup-self", "every name: the sidecar checks its token"));
    out.add(update("auth/token/renew-self", "every name: the sidecar renews its token"));
    if (config.revokeOnExit()) {
      out.add(update("auth/token/revoke-self", "revoke-on-exit: the token is revoked at exit"));
    }
    return out;
  }

  /** The policy document: a header, then one commented stanza per path. */
  static String hcl(SidecarConfig config, List<Stanza> stanzas) {
    StringBuilder b = new StringBuilder();
    String file = config.source() == null ? "the config" : "" + config.source().getFileName();
    b.append(Stanza.comment("bao-injector: least-privilege policy for " + file))
        .append(" (bao-injector policy)\n");
    b.append("# Mount detection (sys/internal/ui/mounts) and login need no grant.\n");
    for (Stanza s : stanzas) {
      b.append('\n').append(s.hcl());
    }
    return b.toString();
  }

  private static void use(Map<String, Use> uses, Reference ref, String name) {
    if (!ref.backend().isEmpty()) {
      return; // another store's secret: its access is that store's (docs/backends.md)
    }
    String path = ref.path();
    // policy paths glob: a trailing * or a + segment would grant more than this one path
    if (path.endsWith("*") || ("/" + path + "/").contains("/+/")) {
      throw new ToolFailure(
          2,
          name
              + ": "
              + path
              + " would be a wildcard in a policy ('*' at the end or a '+' segment); rename the"
              + " secret to grant exactly it");
    }
    if (path.contains("${")) {
      // HCL reads ${ inside a quoted string as a template: the string would swallow what follows
      throw new ToolFailure(
          2,
          name
              + ": "
              + path
              + " has ${, which HCL reads as a template; rename the secret to grant exactly it");
    }
    Use u = uses.computeIfAbsent(path, p -> new Use());
    u.names.add(name);
    u.followsVersion |= !ref.pinned();
  }

  private static Stanza read(String path, String reason) {
    return new Stanza(path, List.of("read"), reason);
  }

  private static Stanza update(String path, String reason) {
    return new Stanza(path, List.of("update"), reason);
  }
}
