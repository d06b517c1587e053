package io.baoinjector.sidecar.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.source.CachedValues;
import io.baoinjector.sidecar.source.CachedValues.Cached;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The cache file's bytes: {@code MAGIC (8) | format version (1) | config fingerprint (32) | nonce
 * (12) | AES-256-GCM ciphertext with its 16-byte tag}. The first three parts are the associated
 * data, so the tag covers them: a file whose header was changed fails like one whose ciphertext
 * was. They are also in the clear, so a cache of another format or another config is told apart
 * from a damaged one before decrypting. The nonce is random per write (2^-32 collision risk only
 * after billions of writes with one key).
 *
 * <p>The plaintext is JSON: {@code written_at} and, per name, its value, reference, version, fetch
 * time and lease expiry. Nothing else of the sidecar's (never a token or a credential file).
 */
final class CacheFormat {
  static final byte VERSION = 1;
  private static final byte[] MAGIC = "BAOICACH".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  static final int HEADER = MAGIC.length + 1 + 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretKey key;
  private final byte[] fingerprint;
  private final SecureRandom random = new SecureRandom();

  /** Why a file was refused; the message is one line, never with a value. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String why) {
      super(why);
    }
  }

  CacheFormat(SecretKey key, byte[] fingerprint) {
    if (fingerprint.length != 32) {
      throw new IllegalArgumentException("fingerprint is not 32 bytes");
    }
    this.key = key;
    this.fingerprint = fingerprint.clone();
  }

  byte[] seal(CachedValues values) throws IOException {
    byte[] plain = JSON.writeValueAsBytes(toJson(values));
    try {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] header = ByteBuffer.allocate(HEADER).put(MAGIC).put(VERSION).put(fingerprint).array();
      c.updateAAD(header);
      byte[] sealed = c.doFinal(plain);
      return ByteBuffer.allocate(header.length + NONCE + sealed.length)
          .put(header)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IOException("cache: cannot encrypt: " + e.getMessage());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** The values in {@code file}; {@code origin} names it in the log line that serves them. */
  CachedValues open(byte[] file, String origin) throws Refused {
    byte[] plain = decrypt(file);
    try {
      return fromJson(JSON.readTree(plain), origin);
    } catch (IOException | RuntimeException e) {
      // authentic but unreadable: only a bug of ours (or a key shared with a foreign writer)
      throw new Refused(
          "decrypted but does not read as a cache (" + e.getClass().getSimpleName() + ")");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** The plaintext, for tests that look inside. */
  byte[] decrypt(byte[] file) throws Refused {
    if (file.length < HEADER + NONCE + TAG_BITS / 8
        || !Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC)) {
      throw new Refused("is not a bao-injector cache, or is truncated");
    }
    if (file[MAGIC.length] != VERSION) {
      throw new Refused(
          "has format version " + file[MAGIC.length] + "; this sidecar reads version " + VERSION);
    }
    if (!Arrays.equals(Arrays.copyOfRange(file, MAGIC.length + 1, HEADER), fingerprint)) {
      throw new Refused("was written for other names or references than this config maps");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, file, HEADER, NONCE));
      c.updateAAD(file, 0, HEADER);
      return c.doFinal(file, HEADER + NONCE, file.length - HEADER - NONCE);
    } catch (AEADBadTagException e) {
      throw new Refused(
          "failed its integrity check (altered, truncated, or written with another key)");
    } catch (GeneralSecurityException e) {
      throw new Refused("cannot be decrypted: " + e.getClass().getSimpleName());
    }
  }

  private static ObjectNode toJson(CachedValues v) {
    ObjectNode root = JSON.createObjectNode();
    root.put("written_at", v.writtenAt().toString());
    root.set("values", entries(v.values()));
    root.set("properties", entries(v.properties()));
    return root;
  }

  private static ObjectNode entries(Map<String, Cached> m) {
    ObjectNode o = JSON.createObjectNode();
    m.forEach(
        (name, c) -> {
          ObjectNode e = o.putObject(name);
          e.put("value", c.entry().value().reveal());
          e.put("source", c.entry().source());
          if (c.entry().version() != null) {
            e.put("version", c.entry().version());
          }
          e.put("fetched_at", c.entry().fetchedAt().toString());
          if (c.leaseExpiry() != null) {
            e.put("lease_expires_at", c.leaseExpiry().toString());
          }
        });
    return o;
  }

  private static CachedValues fromJson(JsonNode root, String origin) {
    return new CachedValues(
        entries(root.required("values")),
        entries(root.required("properties")),
        Instant.parse(root.required("written_at").asText()),
        origin);
  }

  private static Map<String, Cached> entries(JsonNode o) {
    Map<String, Cached> m = new LinkedHashMap<>();
    o.properties()
        .forEach(
            e -> {
              JsonNode n = e.getValue();
              Snapshot.Entry entry =
                  new Snapshot.Entry(
                      SecretValue.of(n.required("value").asText()),
                      n.hasNonNull("version") ? n.get("version").asInt() : null,
                      n.required("source").asText(),
                      Instant.parse(n.required("fetched_at").asText()));
              Instant expiry =
                  n.hasNonNull("lease_expires_at")
                      ? Instant.parse(n.get("lease_expires_at").asText())
                      : null;
              m.put(e.getKey(), new Cached(entry, expiry));
            });
    return m;
  }
}
