package io.baoinjector.sidecar.cli;

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

/**
 * {@code bao-injector get NAME --socket PATH}: one value from a running sidecar, printed as is (no
 * newline added), for scripts: {@code PW=$(bao-injector get DB_PASSWORD)}.
 */
final class GetCommand {
  private final CommandContext ctx;
  private final String name;
  private final Path socket;

  GetCommand(CommandContext ctx, String name, Path socket) {
    this.ctx = ctx;
    this.name = name;
    this.socket = socket;
  }

  int call() {
    MiniHttp.Response r;
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      r =
          MiniHttp.get(
              Channels.newInputStream(ch),
              Channels.newOutputStream(ch),
              "/v1/secrets/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    } catch (IOException e) {
      ctx.err()
          .println(
              "bao-injector: get: cannot reach the sidecar at "
                  + socket
                  + ": "
                  + e.getMessage()
                  + " (is `bao-injector run` up? pass --socket or set BAO_INJECTOR_SOCKET)");
      return 1;
    }
    try {
      JsonNode body = new ObjectMapper().readTree(r.body);
      if (r.status == 200) {
        ctx.out().print(body.path("value").asText());
        ctx.out().flush();
        return 0;
      }
      String why = body.path("error").asText(body.path("message").asText("HTTP " + r.status));
      ctx.err().println("bao-injector: get " + name + ": " + why);
      return 1;
    } catch (IOException e) {
      ctx.err()
          .println("bao-injector: get: the sidecar answered HTTP " + r.status + " without JSON");
      return 1;
    }
  }
}
