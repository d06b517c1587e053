package io.baoinjector.sidecar.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code exec --socket} was asked to do.
 *
 * @param socket the running sidecar's socket
 * @param only the names CMD gets; empty: every value the sidecar serves
 * @param startupWait how long to wait for a ready sidecar at startup
 * @param exec the command, {@code --pass-env} and {@code --on-change}, as for config-driven exec
 */
public record SocketExecRequest(
    Path socket, List<String> only, Duration startupWait, ExecRequest exec) {
  public SocketExecRequest {
    Objects.requireNonNull(socket, "socket == null");
    only = List.copyOf(only);
    Objects.requireNonNull(startupWait, "startupWait == null");
    Objects.requireNonNull(exec, "exec == null");
  }
}
