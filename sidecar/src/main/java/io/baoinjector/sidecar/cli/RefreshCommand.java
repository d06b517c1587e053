package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.output.socket.RefreshClient;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code bao-injector refresh}: a running sidecar re-reads every KV path now. */
@Command(
    name = "refresh",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Ask a running sidecar to re-read every KV path now (never a leased path: each read of one"
          + " makes new credentials) and print the revision it serves afterwards, e.g. after a"
          + " bao kv put. Same as sending SIGHUP to `bao-injector run`."
    })
final class RefreshCommand extends Commands.Subcommand {
  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description =
          "The sidecar's socket (default: $BAO_INJECTOR_SOCKET, else "
              + Commands.DEFAULT_SOCKET
              + ").")
  Path socket;

  @Option(
      names = "--wait",
      paramLabel = "DUR",
      converter = WaitConverter.class,
      description =
          "How long the sidecar may take before it answers 503 (default 10s, at most 60s; e.g."
              + " 30s, 500ms).")
  Duration wait;

  static final class WaitConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return RefreshClient.parseWait(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() {
    return session().handlers.refresh(session().context(), socket(socket), wait);
  }
}
