package io.baoinjector.sidecar.output.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.shared.wire.MiniHttp;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code bao-injector get}: one value read from a running sidecar's {@code /v1/secrets/NAME}. */
public final class SecretClient {
  private SecretClient() {}

  /**
   * Returns the value of {@code name} as the sidecar at {@code socket} serves it.
   *
   * @throws IOException with one line for the user: the sidecar is unreachable, answered an error
   *     (its own message), or answered without JSON
   */
  public static String get(Path socket, String name) throws IOException {
    MiniHttp.Response r;
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      r =
          MiniHttp.get(
              Channels.newInputStream(ch),
              Channels.newOutputStream(ch),
              "/v1/secrets/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    } catch (IOException e) {
      throw new IOException(
          ("get: cannot reach the sidecar at %s: %s (is `bao-injector run` up? pass --socket or"
                  + " set BAO_INJECTOR_SOCKET)")
              .formatted(socket, e.getMessage()));
    }
    JsonNode body;
    try {
      body = new ObjectMapper().readTree(r.body);
    } catch (IOException e) {
      throw new IOException("get: the sidecar answered HTTP " + r.status + " without JSON");
    }
    if (r.status == 200) {
      return body.path("value").asText();
    }
    String why = body.path("error").asText(body.path("message").asText("HTTP " + r.status));
    throw new IOException("get " + name + ": " + why);
  }
}
