package io.baoinjector.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL server: {@code initdb} in a temp dir, listening on a free loopback port
 * with password (SCRAM) authentication over TCP, and trust only on its own Unix socket, which the
 * test uses to administer it.
 *
 * <p>{@code initdb} and {@code pg_ctl} refuse to run as root, so when the test runs as root every
 * server command runs as the {@code postgres} system user ({@code setpriv}) in a directory that
 * user owns. The binaries come from {@code scripts/ensure-postgres.sh}, which installs the server
 * with apt on a fresh machine.
 */
public final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;
  // stops the server even when the test JVM is ended early (a failsafe timeout, Ctrl-C)
  private final Thread stopAtExit = new Thread(this::close, "stop-postgres");
  private boolean stopped;

  private PostgresServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** Creates and starts a fresh server; on failure nothing is left running. */
  public static PostgresServer start() {
    Path bin = Path.of(script("ensure-postgres.sh"));
    Path dir;
    try {
      dir = Files.createTempDirectory(Path.of("/tmp"), "pg-");
      if (asRoot()) {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName("postgres"));
        view.setGroup(users.lookupPrincipalByGroupName("postgres"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PostgresServer pg = new PostgresServer(bin, dir, OpenBao.freePort());
    Runtime.getRuntime().addShutdownHook(pg.stopAtExit);
    try {
      pg.initAndStart();
      return pg;
    } catch (RuntimeException | Error e) {
      pg.close();
      throw e;
    }
  }

  private void initAndStart() {
    run(
        null,
        bin.resolve("initdb").toString(),
        "-D",
        data(),
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--no-sync");
    run(
        null,
        bin.resolve("pg_ctl").toString(),
        "-D",
        data(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "start");
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /**
   * Runs {@code sql} as the superuser over the Unix socket. The statements go through stdin, so a
   * password in them never shows in a process list.
   */
  public void sql(String sql) {
    run(
        sql,
        bin.resolve("psql").toString(),
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        dir.toString(),
        "-p",
        String.valueOf(port),
        "-U",
        "postgres",
        "-d",
        "postgres");
  }

  /** {@code pg_ctl stop -m immediate}, then removes the directory. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (Thread.currentThread() != stopAtExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopAtExit);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down
      }
    }
    try {
      if (Files.exists(Path.of(data(), "postmaster.pid"))) {
        run(null, bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "stop");
      }
    } finally {
      TmpfsDir.deleteTree(dir);
    }
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  private void run(String stdin, String... command) {
    List<String> cmd = new ArrayList<>();
    if (asRoot()) {
      cmd.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command[0] + " did not finish in 120s:\n" + out);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            command[0] + " exited with " + p.exitValue() + ":\n" + out + serverLog());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String serverLog() {
    try {
      Path log = dir.resolve("server.log");
      return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Runs {@code scripts/NAME} and returns the one line it prints. */
  private static String script(String name) {
    return Scripts.output(
        name,
        script ->
            "this test needs a PostgreSQL server and "
                + script
                + " could not provide one (see its message above): apt-get install postgresql");
  }
}
