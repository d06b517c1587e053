package io.baoinjector.sidecar.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code outputs:} section.
 *
 * @param socket the Unix-socket API, or null when not configured
 * @param http the TCP listener for /v1/health and /metrics only, or null
 * @param files rendered files, in file order
 */
public record OutputSettings(Socket socket, Http http, List<FileSpec> files) {

  /**
   * @param path at most 107 bytes (the kernel's sun_path limit), checked by the validator
   * @param mode octal permission bits, e.g. 0660
   * @param allowUids numeric uids or user names as written; empty: file mode only
   * @param uid owner to set, or null
   * @param gid group to set, or null
   */
  public record Socket(Path path, int mode, List<String> allowUids, Integer uid, Integer gid) {}

  /**
   * @param address host and port, e.g. 127.0.0.1:9102
   */
  public record Http(InetSocketAddress address) {}

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
   * @param onChangeTimeout how long on-change may run before it is killed
   * @param onChangeJitter the most on-change waits, a random delay, after a change; null: none
   */
  public record FileSpec(
      Path path,
      Format format,
      List<String> names,
      String name,
      Path template,
      int mode,
      Integer uid,
      Integer gid,
      boolean allowDisk,
      List<String> onChange,
      Duration onChangeTimeout,
      Duration onChangeJitter) {

    /** Without {@code on-change-jitter}. */
    public FileSpec(
        Path path,
        Format format,
        List<String> names,
        String name,
        Path template,
        int mode,
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
