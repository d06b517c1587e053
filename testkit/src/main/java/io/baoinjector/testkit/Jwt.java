package io.baoinjector.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A locally generated RSA key pair that signs RS256 JWTs for OpenBao's JWT auth method. */
public final class Jwt {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KeyPair keys;

  private Jwt(KeyPair keys) {
    this.keys = keys;
  }

  /** A fresh key pair, for a test that checks the tokens' signatures itself or not at all. */
  public static Jwt generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return new Jwt(g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String publicKeyPem() {
    String b64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
  }

  /** A token for {@code subject} with audience {@code bao-injector}, valid for {@code ttl}. */
  public String sign(String subject, Duration ttl) {
    Map<String, Object> claims = new LinkedHashMap<>();
    long now = Instant.now().getEpochSecond();
    claims.put("sub", subject);
    claims.put("aud", "bao-injector");
    claims.put("iat", now);
    claims.put("nbf", now - 5);
    claims.put("exp", now + ttl.getSeconds());
    return sign(claims);
  }

  public String sign(Map<String, Object> claims) {
    try {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String header =
          b64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
      String body = b64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(keys.getPrivate());
      s.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
      return header + "." + body + "." + b64.encodeToString(s.sign());
    } catch (GeneralSecurityException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
