package io.baoinjector.agent.transport;

import io.baoinjector.shared.wire.EnvDocument;
import io.baoinjector.shared.wire.Json;
import io.baoinjector.shared.wire.MiniHttp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * The sidecar's socket API: {@code GET /v1/env} once, then the long-poll {@code GET
 * /v1/env?after=N&instance=ID&wait=30s}, one connection per request. A restarted sidecar has
 * another instance id, so it answers at once with its own snapshot, which the caller takes whole. A
 * sidecar that has not resolved every name answers 503: {@link Starting}, not a snapshot.
 */
final class SocketSource implements Source {
  static final int LONG_POLL_SECONDS = 30;
  private static final long SLACK_MILLIS = 15_000;

  private final UnixSockets sockets;
  private final String path;
  private final Watchdog watchdog;

  SocketSource(UnixSockets sockets, String path, Watchdog watchdog) {
    this.sockets = sockets;
    this.path = path;
    this.watchdog = watchdog;
  }

  @Override
  public String where() {
    return path;
  }

  @Override
  public EnvDocument next(EnvDocument last) throws IOException {
    String target =
        last == null
            ? "/v1/env"
            : "/v1/env?after="
                + last.revision
                + "&instance="
                + URLEncoder.encode(last.instance, "UTF-8")
                + "&wait="
                + LONG_POLL_SECONDS
                + "s";
    SocketChannel channel = sockets.connect(path);
    watchdog.arm(channel, (last == null ? 0 : LONG_POLL_SECONDS * 1000L) + SLACK_MILLIS);
    try {
      MiniHttp.Response response =
          MiniHttp.get(
              new BufferedInputStream(Channels.newInputStream(channel)),
              Channels.newOutputStream(channel),
              target);
      if (response.status == 403) {
        throw new Refused(
            "the sidecar refused this process: HTTP 403, its uid is not in outputs.socket.allow-uids");
      }
      Starting starting = response.status == 503 ? Starting.fromBody(response.body) : null;
      if (starting != null) {
        throw starting;
      }
      if (response.status != 200) {
        throw new IOException("the sidecar answered HTTP " + response.status);
      }
      Map<String, Object> doc = Json.parseObject(response.body);
      Starting notReady = Starting.check(doc);
      if (notReady != null) {
        throw notReady;
      }
      return EnvDocument.decode(doc);
    } finally {
      watchdog.disarm();
      channel.close();
    }
  }

  /** The sidecar answered 403: this process's uid is not allowed on the socket. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }
}
