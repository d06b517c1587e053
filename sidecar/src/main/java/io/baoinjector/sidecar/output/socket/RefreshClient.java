package io.baoinjector.sidecar.output.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.shared.wire.MiniHttp;
import io.baoinjector.sidecar.output.Modes;
import io.baoinjector.sidecar.util.Closing;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/refresh} from the command line ({@code bao-injector refresh}, and any tool that
 * wants a running sidecar to pick up a write at once): returns the revision the sidecar serves
 * after its re-read. Every failure is an {@link IOException} with one line for the user.
 */
public final class RefreshClient {
  /** Beyond the sidecar's own deadline: it answers 503 itself, this only guards a hung sidecar. */
  static final Duration GRACE = Duration.ofSeconds(5);

  private RefreshClient() {}

  /** The sidecar's answer as sent: its status and body. */
  public record Answer(int status, String body) {}

  /**
   * Asks the sidecar at {@code socket} to re-read every KV path, waiting at most {@code wait}
   * (null: the sidecar's default, 10 s), and returns the new revision.
   */
  public static long refresh(Path socket, Duration wait) throws IOException {
    Answer r = send(socket, wait);
    JsonNode body;
    try {
      body = new ObjectMapper().readTree(r.body());
    } catch (IOException e) {
      throw new IOException("refresh: the sidecar answered HTTP " + r.status() + " without JSON");
    }
    if (r.status() == 200 && body.path("revision").canConvertToLong()) {
      return body.path("revision").asLong();
    }
    String why = body.path("error").asText("HTTP " + r.status());
    if (r.status() == 403) {
      throw new IOException(
          "refresh: the sidecar at %s refused uid %s (%s); add it to outputs.socket.allow-uids"
              .formatted(socket, Modes.ownUid("of this process"), why));
    }
    if (r.status() == 503 && body.has("revision")) {
      throw new IOException(
          "refresh: " + why + " (revision still " + body.path("revision").asLong() + ")");
    }
    throw new IOException("refresh: the sidecar answered HTTP " + r.status() + ": " + why);
  }

  /**
   * Sends the request and returns the answer as is, for a caller with its own wording or one that
   * tells an older sidecar's 404/405 apart.
   *
   * @throws IOException with one line when the sidecar cannot be reached
   */
  public static Answer send(Path socket, Duration wait) throws IOException {
    String target = RefreshEndpoint.PATH + (wait == null ? "" : "?wait=" + wait.toMillis() + "ms");
    Duration guard = (wait == null ? RefreshEndpoint.DEFAULT_WAIT : wait).plus(GRACE);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      // blocking channel streams have no read timeout: close the channel if the sidecar hangs
      CompletableFuture.delayedExecutor(guard.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> Closing.quietly(ch));
      MiniHttp.Response r =
          MiniHttp.post(Channels.newInputStream(ch), Channels.newOutputStream(ch), target);
      return new Answer(r.status, r.body);
    } catch (IOException e) {
      throw new IOException(
          ("refresh: cannot reach the sidecar at %s: %s (is `bao-injector run` up? pass --socket or"
                  + " set BAO_INJECTOR_SOCKET)")
              .formatted(
                  socket, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  /**
   * A {@code --wait} value as the sidecar reads it ({@code 10s}, {@code 500ms}, {@code 1m}), capped
   * at its maximum (60 s).
   *
   * @throws IllegalArgumentException with one line naming {@code wait} and the forms it takes
   */
  public static Duration parseWait(String text) {
    return WaitParam.parse(text, RefreshEndpoint.MAX_WAIT);
  }
}
