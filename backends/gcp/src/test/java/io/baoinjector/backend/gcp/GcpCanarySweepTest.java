package io.baoinjector.backend.gcp;

import static io.baoinjector.backend.gcp.GcpFixture.TOKEN;
import static io.baoinjector.backend.gcp.GcpFixture.access;
import static io.baoinjector.backend.gcp.GcpFixture.error;
import static io.baoinjector.backend.gcp.GcpFixture.json;
import static io.baoinjector.backend.gcp.GcpFixture.ref;
import static io.baoinjector.backend.gcp.GcpFixture.token;
import static io.baoinjector.backend.gcp.GcpFixture.version;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path at the most verbose logging there is: slf4j at trace (surefire sets it), and
 * java.util.logging, where OkHttp and google-http-client log, at ALL. No canary value, no access
 * token and no key material may reach a log line, an exception or a toString; the debug lines prove
 * the capture saw the calls.
 */
@Timeout(60)
class GcpCanarySweepTest {
  private static final String PLAIN = "CANARY-plain-6d1e";
  private static final String IN_JSON = "CANARY-json-0b7c";
  private static final String CORRUPT = "CANARY-corrupt-a44f";

  @RegisterExtension final GcpFixture gcp = new GcpFixture();

  @Test
  void noCanaryReachesLogsOrMessages() throws Exception {
    MockWebServer server = gcp.server;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder jul = new StringBuilder();
    List<String> said = new ArrayList<>();
    PrintStream err = System.err;
    PrintStream stdout = System.out;
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            jul.append(r.getLoggerName()).append(' ').append(r.getMessage()).append(' ');
            if (r.getParameters() != null) {
              for (Object p : r.getParameters()) {
                jul.append(p).append(' ');
              }
            }
            if (r.getThrown() != null) {
              jul.append(r.getThrown()).append('\n');
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
    root.setLevel(Level.ALL);
    // held: java.util.logging forgets the level of a logger nobody references
    List<Logger> verbose = new ArrayList<>();
    for (String name : List.of("okhttp3", "com.google", "com.google.api.client.http")) {
      Logger l = Logger.getLogger(name);
      l.setLevel(Level.ALL);
      verbose.add(l);
    }
    PrintStream tee = new PrintStream(out, true, StandardCharsets.UTF_8);
    System.setErr(tee);
    System.setOut(tee);
    try {
      server.enqueue(token());
      server.enqueue(access("plain", 1, PLAIN));
      server.enqueue(access("db", 2, "{\"password\":\"" + IN_JSON + "\"}"));
      server.enqueue(version("db", 2, "ENABLED"));
      server.enqueue(version("db", 2, "DISABLED"));
      byte[] corrupt = CORRUPT.getBytes(StandardCharsets.UTF_8);
      server.enqueue(access("db", 3, corrupt, Long.toString(GcpFixture.crc(corrupt) + 1)));
      server.enqueue(error(403, "PERMISSION_DENIED", "Permission denied on 'db'."));
      server.enqueue(error(404, "NOT_FOUND", "Secret [projects/1/secrets/db] not found."));
      server.enqueue(error(429, "RESOURCE_EXHAUSTED", "Quota exceeded."));
      try (Backend b = gcp.open()) {
        said.add(b.read(ref("gcp:plain")).toString());
        said.add(b.read(ref("gcp:db")).toString());
        said.add(b.currentVersion(ref("gcp:db")));
        for (int i = 0; i < 5; i++) {
          String text = i == 0 ? "gcp:db@2" : "gcp:db";
          try {
            if (i == 0) {
              b.currentVersion(ref(text));
            } else {
              b.read(ref(text));
            }
          } catch (BackendException e) {
            said.add(e.getMessage());
          }
        }
      }
      // a refused login: the token endpoint's error body echoes nothing of the grant
      server.enqueue(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad.\"}"));
      try (Backend b = gcp.open()) {
        b.read(ref("gcp:plain"));
      } catch (BackendException e) {
        said.add(e.getMessage());
      }
    } finally {
      System.setErr(err);
      System.setOut(stdout);
      root.removeHandler(capture);
      root.setLevel(rootLevel);
      verbose.forEach(l -> l.setLevel(null));
    }

    String logs = out.toString(StandardCharsets.UTF_8) + "\n" + jul;
    String messages = String.join("\n", said);
    assertTrue(
        logs.contains("GET /v1/projects/acme-prod/secrets/plain/versions/latest:access -> 200"),
        logs);
    assertTrue(
        messages.contains("corrupted in transit") && messages.contains("DISABLED"), messages);
    assertTrue(messages.contains("login failed"), messages);

    String pem = Files.readString(gcp.keyFile);
    String keyMaterial =
        Base64.getEncoder().encodeToString(GcpFixture.KEY.getPrivate().getEncoded());
    List<String> canaries = new ArrayList<>(List.of(PLAIN, IN_JSON, CORRUPT, TOKEN));
    for (String c : List.of(PLAIN, IN_JSON, CORRUPT)) {
      canaries.add(Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
    }
    canaries.add(keyMaterial.substring(100, 160));
    assertTrue(pem.contains(keyMaterial.substring(0, 60)), "the key file holds the key");
    for (String c : canaries) {
      assertFalse(logs.contains(c), "a canary reached the logs: " + c);
      assertFalse(messages.contains(c), "a canary reached a message: " + c);
    }
  }
}
