package io.baoinjector.sidecar.output.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.shared.wire.EnvDocument;
import io.baoinjector.shared.wire.MiniHttp;
import io.baoinjector.sidecar.util.Closing;
import io.baoinjector.sidecar.util.Daemons;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running sidecar's {@code GET /v1/env} as a client sees it, one connection per request: the
 * plain read, and the long-poll ({@code ?after=N&instance=ID&wait=…}) that a starting sidecar parks
 * until it is ready, so waiting for one never spins on 503s. Each failure has its own type, so the
 * caller can say which of "not up", "starting" and "not allowed" it was.
 */
public final class EnvClient {
  /** Past the asked wait, how long a parked request may take before it is given up. */
  private static final Duration SLACK = Duration.ofSeconds(15);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(Daemons.named("bao-injector-env-client-deadline"));

  private final Path socket;

  public EnvClient(Path socket) {
    this.socket = socket;
  }

  public Path socket() {
    return socket;
  }

  /**
   * The sidecar's snapshot once it differs from {@code last} (another revision or instance), or
   * after {@code wait} with the same one; with {@code last} null, the first snapshot of a ready
   * sidecar, waiting up to {@code wait} while it starts.
   *
   * @throws NotUp nothing answers on the socket
   * @throws Starting the sidecar answered 503 "starting" (still so after {@code wait})
   * @throws Refused the sidecar answered 403: this uid is not in {@code allow-uids}
   * @throws IOException anything else, one line, never a value
   */
  public EnvDocument next(EnvDocument last, Duration wait) throws IOException {
    String target =
        "/v1/env?after="
            + (last == null ? 0 : last.revision)
            + (last == null
                ? ""
                : "&instance=" + URLEncoder.encode(last.instance, StandardCharsets.UTF_8))
            + "&wait="
            + wait.toMillis()
            + "ms";
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ScheduledFuture<?> deadline = null;
    MiniHttp.Response r;
    try {
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new NotUp(String.valueOf(e.getMessage()));
      }
      deadline =
          DEADLINES.schedule(
              () -> Closing.quietly(ch), wait.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
      r =
          MiniHttp.get(
              new BufferedInputStream(Channels.newInputStream(ch)),
              Channels.newOutputStream(ch),
              target);
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
      Closing.quietly(ch);
    }
    if (r.status == 403) {
      throw new Refused();
    }
    if (r.status == 503) {
      throw starting(r.body);
    }
    if (r.status != 200) {
      throw new IOException("the sidecar answered HTTP " + r.status);
    }
    return EnvDocument.decode(r.body);
  }

  private static IOException starting(String body) {
    JsonNode doc;
    try {
      doc = JSON.readTree(body);
    } catch (IOException e) {
      return new IOException("the sidecar answered HTTP 503 without JSON");
    }
    if (!"starting".equals(doc.path("status").asText())) {
      return new IOException("the sidecar answered HTTP 503 (" + doc.path("error").asText() + ")");
    }
    List<String> names = new ArrayList<>();
    doc.path("unresolved").forEach(n -> names.add(n.asText()));
    return new Starting(names);
  }

  /** Nothing listens on the socket (no file, or a file nobody answers on). */
  public static final class NotUp extends IOException {
    private static final long serialVersionUID = 1L;

    NotUp(String why) {
      super(why);
    }
  }

  /** The sidecar is up but has not resolved every name yet. */
  public static final class Starting extends IOException {
    private static final long serialVersionUID = 1L;

    /** What is missing, e.g. {@code 2 names unresolved (DB_PASSWORD, API_KEY)}; may be empty. */
    public final String detail;

    Starting(List<String> unresolved) {
      this(describe(unresolved));
    }

    private Starting(String detail) {
      super(detail.isEmpty() ? "still starting" : "still starting: " + detail);
      this.detail = detail;
    }

    private static String describe(List<String> names) {
      if (names.isEmpty()) {
        return "";
      }
      return "%s %s unresolved (%s%s)"
          .formatted(
              names.size(),
              names.size() == 1 ? "name" : "names",
              String.join(", ", names.subList(0, Math.min(10, names.size()))),
              names.size() > 10 ? ", ..." : "");
    }
  }

  /** The sidecar answered 403. */
  public static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused() {
      super(
          "the sidecar refused this process: HTTP 403, its uid is not in"
              + " outputs.socket.allow-uids");
    }
  }
}
