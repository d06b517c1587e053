package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code outputs:} section, bound as written (a component is a key, in kebab-case; a
 * description is the example an error message shows); {@link OutputsValidator} checks what needs
 * more than one key.
 *
 * @param socket the Unix-socket API, or null when not configured
 * @param http the TCP listener for /v1/health and /metrics only, or null
 * @param files rendered files, in file order
 */
public record OutputSettings(
    Socket socket,
    Http http,
    @JsonPropertyDescription("[{path: /run/secrets/app.env, format: dotenv}]")
        List<FileSpec> files) {

  /** No socket, no HTTP listener, no files: what a config without {@code outputs:} has. */
  public static final OutputSettings NONE = new OutputSettings(null, null, null);

  public OutputSettings {
    // null items stay until the validator names them
    files = files == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(files));
  }

  /**
   * @param path at most 107 bytes (the kernel's sun_path limit), checked by the validator
   * @param mode octal permission bits (default 0660)
   * @param allowUids numeric uids or user names as written; empty: file mode only
   * @param uid owner to set, or null
   * @param gid group to set, or null
   */
  public record Socket(
      @JsonPropertyDescription("/run/bao-injector/agent.sock")
          @JsonDeserialize(using = Binder.OutputPath.class)
          Path path,
      @JsonDeserialize(using = Binder.Mode.class) Integer mode,
      @JsonPropertyDescription("[1000, app]") List<String> allowUids,
      Integer uid,
      Integer gid) {
    public Socket {
      mode = mode == null ? 0660 : mode;
      allowUids = allowUids == null ? List.of() : List.copyOf(allowUids);
    }
  }

  /**
   * @param address host and port, e.g. 127.0.0.1:9102
   */
  public record Http(@JsonPropertyDescription("127.0.0.1:9102") InetSocketAddress address) {}

  public enum Format {
    DOTENV,
    PROPERTIES,
    JSON,
    RAW,
    TEMPLATE
  }

  /**
   * One rendered file.
   *
   * @param names which names it holds; null means every name (for {@code properties}: the
   *     properties section)
   * @param name raw: the one name whose bytes the file holds
   * @param template template: the template file
   * @param mode octal permission bits (default 0400)
   * @param onChange argv run after the file changed; empty for none
   * @param onChangeTimeout how long on-change may run before it is killed (default 30s)
   * @param onChangeJitter the most on-change waits, a random delay, after a change; null: none
   */
  public record FileSpec(
      @JsonPropertyDescription("/run/secrets/app.env")
          @JsonDeserialize(using = Binder.OutputPath.class)
          Path path,
      @JsonPropertyDescription("dotenv") Format format,
      @JsonPropertyDescription("[DB_USER, DB_PASSWORD]") List<String> names,
      @JsonPropertyDescription("DB_PASSWORD") String name,
      Path template,
      @JsonDeserialize(using = Binder.Mode.class) Integer mode,
      Integer uid,
      Integer gid,
      boolean allowDisk,
      @JsonPropertyDescription("[\"kill\", \"-HUP\", \"1\"]") List<String> onChange,
      Duration onChangeTimeout,
      Duration onChangeJitter) {
    @JsonCreator
    public FileSpec {
      names = names == null ? null : List.copyOf(names);
      mode = mode == null ? 0400 : mode;
      onChange = onChange == null ? List.of() : List.copyOf(onChange);
      onChangeTimeout = onChangeTimeout == null ? Duration.ofSeconds(30) : onChangeTimeout;
    }

    /** Without {@code on-change-jitter}. */
    public FileSpec(
        Path path,
        Format format,
        List<String> names,
        String name,
        Path template,
        Integer mode,
        Integer uid,
        Integer gid,
        boolean allowDisk,
        List<String> onChange,
        Duration onChangeTimeout) {
      this(
          path,
          format,
          names,
          name,
          template,
          mode,
          uid,
          gid,
          allowDisk,
          onChange,
          onChangeTimeout,
          null);
    }
  }
}
