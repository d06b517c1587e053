package io.baoinjector.sidecar.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cache's AES-256 key, read from {@code cache.key-file}: exactly 32 bytes ({@code head -c 32
 * /dev/urandom > key}), or 64 hex digits with an optional trailing newline ({@code openssl rand
 * -hex 32 > key}). The key is used as it is, not derived: it is random already.
 */
final class CacheKey {
  static final int LENGTH = 32;
  private static final int MAX_FILE = 1024;

  private CacheKey() {}

  /** Reads and checks the key; the message names {@code cache.key-file} and how to make one. */
  static SecretKey read(Path file) throws IOException {
    byte[] raw;
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new IOException(wrongLength(file, "more than " + MAX_FILE + " bytes"));
      }
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(
          "cache.key-file: file not found: "
              + file
              + "; make one with head -c 32 /dev/urandom > key (e.g. in a Kubernetes Secret)");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("cache.key-file: " + file + " is not a file");
    }
    try {
      return new SecretKeySpec(decode(file, raw), "AES");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private static byte[] decode(Path file, byte[] raw) throws IOException {
    if (raw.length == LENGTH) {
      return raw.clone();
    }
    int end = raw.length;
    while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
      end--;
    }
    if (end == 2 * LENGTH) {
      String hex = new String(raw, 0, end, StandardCharsets.US_ASCII);
      try {
        return HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        // not hex: reported below as a wrong length, the usual mistake
      }
    }
    throw new IOException(wrongLength(file, raw.length + " bytes"));
  }

  private static String wrongLength(Path file, String has) {
    return "cache.key-file: "
        + file
        + " holds "
        + has
        + "; it needs exactly 32 random bytes (head -c 32 /dev/urandom > key) or 64 hex digits";
  }
}
