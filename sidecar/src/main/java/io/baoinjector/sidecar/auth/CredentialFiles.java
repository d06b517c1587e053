package io.baoinjector.sidecar.auth;

import io.baoinjector.sidecar.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one-line credential files (role id, secret id, JWT, token) with messages naming the key.
 */
final class CredentialFiles {
  private CredentialFiles() {}

  /**
   * Modification time, size and file key of each file (following links, as a Kubernetes secret
   * mount's {@code ..data} swap must count), or "absent"; for {@link AuthMethod#credentialStamp()}.
   */
  static Object stamp(Path... files) {
    List<Object> out = new ArrayList<>();
    for (Path f : files) {
      if (f == null) {
        continue;
      }
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        out.add(List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey())));
      } catch (IOException e) {
        out.add("absent");
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** The trimmed content; throws {@link AuthException} naming {@code key} when unusable. */
  static SecretValue read(String key, Path file) {
    if (file == null) {
      throw new AuthException(key + ": not set; give the path of the file that holds it");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new AuthException(key + ": file not found: " + file);
    } catch (AccessDeniedException e) {
      throw new AuthException(key + ": permission denied reading " + file);
    } catch (IOException e) {
      throw new AuthException(
          key + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (text.isEmpty()) {
      throw new AuthException(key + ": " + file + " is empty");
    }
    return SecretValue.of(text);
  }
}
