package io.baoinjector.sidecar.output.exec;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.source.AccessCheck;
import io.baoinjector.sidecar.token.TokenProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code env-references: true}, for {@code exec} only: variables of the deployer's environment
 * whose value is a reference ({@code vault:secret/data/app#password}, {@code
 * bao:secret/app#password}) or contains some ({@code postgres://u:${vault:…}@h/db}) become names
 * the sidecar resolves and keeps current like {@code secrets:} entries, and the child gets the
 * values in their place. The agent never does this: an application must not pick the paths it is
 * given.
 *
 * <p>A whole-value reference is a {@code secrets:} entry under the variable's own name. Each
 * reference inside a longer value is an entry named {@code VAR[i]}, not a valid environment name,
 * so it never reaches the child by itself; {@link #expand} puts the value back together. A variable
 * that is also in {@code secrets:} is refused: which of the two was meant cannot be guessed.
 */
public final class EnvReferences {
  /** Nothing to resolve: {@code env-references} is off, or no variable holds a reference. */
  public static final EnvReferences NONE = new EnvReferences(Map.of(), Map.of(), Map.of());

  /** Bad references, one line each (a deployment mistake: exit 2). */
  public static final class Rejected extends RuntimeException {
    private final List<String> lines;

    Rejected(List<String> lines) {
      super(String.join("; ", lines), null, false, false);
      this.lines = List.copyOf(lines);
    }

    /** One line per bad variable, naming it and the fix; never a value. */
    public List<String> lines() {
      return lines;
    }
  }

  /** Entry name (VAR or VAR[i]) to reference, as added to {@code secrets:}. */
  private final Map<String, Reference> entries;

  /** A variable with inline references to its value as given (it holds no secret of ours). */
  private final Map<String, String> templates;

  /** A variable with inline references to the entry name of each. */
  private final Map<String, Map<Reference, String>> parts;

  private EnvReferences(
      Map<String, Reference> entries,
      Map<String, String> templates,
      Map<String, Map<Reference, String>> parts) {
    this.entries = entries;
    this.templates = templates;
    this.parts = parts;
  }

  /**
   * The references in {@code env} when {@code config.envReferences()}, else {@link #NONE}: there, a
   * value starting {@code vault:} passes to the child untouched.
   *
   * @throws Rejected listing every malformed reference and every variable also in {@code secrets:}
   */
  public static EnvReferences scan(SidecarConfig config, Map<String, String> env) {
    if (!config.envReferences()) {
      return NONE;
    }
    Map<String, Reference> entries = new LinkedHashMap<>();
    Map<String, String> templates = new LinkedHashMap<>();
    Map<String, Map<Reference, String>> parts = new LinkedHashMap<>();
    List<String> bad = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      try {
        if (Reference.isPrefixed(value)) {
          entries.put(name, Reference.parsePrefixed(value));
        } else {
          List<Reference> refs = Reference.inline(value);
          if (refs.isEmpty()) {
            continue;
          }
          Map<Reference, String> own = new LinkedHashMap<>();
          for (int i = 0; i < refs.size(); i++) {
            own.put(refs.get(i), name + "[" + i + "]");
            entries.put(name + "[" + i + "]", refs.get(i));
          }
          templates.put(name, value);
          parts.put(name, own);
        }
      } catch (IllegalArgumentException ex) {
        bad.add("env-references: " + name + ": " + ex.getMessage());
        continue;
      }
      if (config.secrets().containsKey(name)) {
        bad.add(
            "env-references: "
                + name
                + " is also in secrets:; keep one (remove the secrets: entry or the reference"
                + " from the environment)");
      }
    }
    if (entries.isEmpty()
        && config.secrets().isEmpty()
        && config.envFrom().isEmpty()
        && config.properties().isEmpty()) {
      bad.add(
          "env-references: nothing to hand out: secrets:, env-from: and properties: are empty"
              + " and no variable of the environment is a vault: or bao: reference");
    }
    if (!bad.isEmpty()) {
      throw new Rejected(bad);
    }
    return entries.isEmpty() ? NONE : new EnvReferences(entries, templates, parts);
  }

  /** {@code config} with every reference added to its {@code secrets:}. */
  public SidecarConfig addTo(SidecarConfig config) {
    if (entries.isEmpty()) {
      return config;
    }
    Map<String, Reference> secrets = new LinkedHashMap<>(config.secrets());
    secrets.putAll(entries);
    return config.withSecrets(secrets);
  }

  /**
   * Asks {@code sys/capabilities-self} (as {@code check --online} does, reading nothing) whether
   * the token may read every referenced path.
   *
   * @throws Rejected with one line per path it may not read, naming the variables
   */
  public void checkAccess(SidecarConfig config, OpenBaoClient client, TokenProvider tokens) {
    if (entries.isEmpty()) {
      return;
    }
    Map<String, Set<String>> byPath = new LinkedHashMap<>();
    entries.forEach(
        (entry, ref) -> {
          String variable = owner(entry);
          byPath
              .computeIfAbsent(
                  (ref.apiPath() ? Reference.VAULT : "") + ref.path(), p -> new TreeSet<>())
              .add(variable);
        });
    List<String> denied = new ArrayList<>();
    for (AccessCheck.Result r : AccessCheck.run(config.withSecrets(entries), client, tokens)) {
      if (!r.readable()) {
        denied.add(
            "env-references: %s: the token may not read %s (grant \"read\" on it in the policy)"
                .formatted(
                    String.join(", ", byPath.getOrDefault(r.path(), Set.of(r.path()))),
                    r.apiPath()));
      }
    }
    if (!denied.isEmpty()) {
      throw new Rejected(denied);
    }
  }

  private String owner(String entry) {
    for (Map.Entry<String, Map<Reference, String>> p : parts.entrySet()) {
      if (p.getValue().containsValue(entry)) {
        return p.getKey();
      }
    }
    return entry;
  }

  /**
   * The names the child gets: {@code resolved} without the {@code VAR[i]} parts, each variable with
   * inline references put back together from them. A variable one of whose parts has no value is
   * left out, so the child sees it as given.
   */
  public Map<String, String> expand(Map<String, String> resolved) {
    if (parts.isEmpty()) {
      return resolved;
    }
    Map<String, String> out = new LinkedHashMap<>(resolved);
    parts.values().forEach(own -> own.values().forEach(out::remove));
    parts.forEach(
        (name, own) -> {
          if (own.values().stream().allMatch(resolved::containsKey)) {
            out.put(name, Reference.substitute(templates.get(name), r -> resolved.get(own.get(r))));
          }
        });
    return out;
  }
}
