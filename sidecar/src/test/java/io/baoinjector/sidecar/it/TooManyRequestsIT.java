package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, defect 12: {@code run} with {@code [a node answering 429, a healthy node]} stayed
 * "starting" for good. A real OpenBao is the healthy node; a MockWebServer plays the node that
 * answers 429 to everything (what a real standby or quota does to some requests, on demand).
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class TooManyRequestsIT {
  @Test
  void runBecomesReadyPastANodeThatAnswers429(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", "past-the-429"));
    try (MockWebServer busy = new MockWebServer();
        TmpfsDir t = new TmpfsDir()) {
      busy.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              return new MockResponse()
                  .setResponseCode(429)
                  .setHeader("Content-Type", "application/json")
                  .setHeader("Retry-After", "1")
                  .setBody("{\"errors\":[\"request rate limit exceeded\"]}");
            }
          });
      busy.start(InetAddress.getLoopbackAddress(), 0);
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(
          cfg,
          TokenConfig.yaml(
              "[%s, %s]".formatted(busy.url("/"), bao.address()),
              """
                DB_PASSWORD: secret/app/db#password
              outputs:
                socket:
                  path: %s
              """
                  .formatted(sock)));
      try (SidecarProcess p =
          SidecarProcess.start(
              work, Map.of("BAO_TOKEN", bao.rootToken()), "run", "-c", cfg.toString())) {
        UnixHttp.Response health =
            p.awaitHealth(sock, r -> r.status() == 200, Duration.ofSeconds(60));
        assertTrue(health.body().contains("\"ready\""), health.body());
        UnixHttp.Response v = UnixHttp.get(sock, "/v1/secrets/DB_PASSWORD");
        assertEquals(200, v.status());
        assertTrue(v.body().contains("past-the-429"), "the value arrived");
        // passed over after two 429s, and not asked again once the healthy node answered
        int asked = busy.getRequestCount();
        assertEquals(2, asked, "requests to the 429 node");
      }
    }
  }
}
