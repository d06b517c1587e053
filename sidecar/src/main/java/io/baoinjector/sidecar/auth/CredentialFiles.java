package io.baoinjector.sidecar.auth;

import io.baoinjector.sidecar.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads one-line credential files (role id, secret id, JWT, token) with messages naming the key.
 */
final class CredentialFiles {
  private CredentialFiles() {}

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
