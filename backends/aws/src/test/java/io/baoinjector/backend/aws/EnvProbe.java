package io.baoinjector.backend.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * An application JVM for the agent: prints {@code NAME=FINGERPRINT} whenever {@code
 * System.getenv(NAME)} changes, never the value. Bounded: at most 3,000 polls 100 ms apart.
 */
public final class EnvProbe {
  private EnvProbe() {}

  public static void main(String[] names) throws Exception {
    Map<String, String> last = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      for (String n : names) {
        String fp = fingerprint(System.getenv(n));
        if (!fp.equals(last.put(n, fp))) {
          System.out.println(n + "=" + fp);
          System.out.flush();
        }
      }
      Thread.sleep(100);
    }
  }

  static String fingerprint(String value) throws Exception {
    if (value == null) {
      return "null";
    }
    byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 8);
  }
}
