package io.baoinjector.sidecar.output.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the child under {@code setpriv --pdeathsig KILL}, so that it dies with the sidecar however
 * the sidecar dies: no Java code runs on SIGKILL or on a JVM crash, and only the kernel's
 * parent-death signal still reaches the child then.
 *
 * <p>The kernel sends that signal when the <em>thread</em> that forked the child exits, not the
 * process: {@link ExecRunner} therefore starts every child, restarts included, from the thread
 * blocked in {@link ExecRunner#run}, which outlives each child it starts.
 *
 * <p>Without a working {@code setpriv} (util-linux 2.33 or later) the child is not started at all:
 * a child that can outlive its sidecar keeps running on values nobody refreshes or revokes, and
 * nobody notices. The check costs one {@code setpriv … true} per runner. A small window remains: a
 * sidecar killed between the fork and setpriv's {@code prctl} leaves that child behind.
 */
final class ChildLauncher {
  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
  static final String SETPRIV_MISSING_FIX =
      "install util-linux's setpriv (apt-get install util-linux, apk add setpriv):"
          + " it makes the child die with the sidecar";

  private boolean checked;

  /**
   * The command line that runs {@code command} under setpriv, once {@code command[0]} is known to
   * be startable with the child's {@code PATH}.
   *
   * @throws IOException one line: which program cannot be started and why
   */
  List<String> commandLine(List<String> command, Map<String, String> childEnv) throws IOException {
    String program = command.get(0);
    String problem = problem(program, childEnv.getOrDefault("PATH", DEFAULT_PATH));
    if (problem != null) {
      throw new IOException("exec: cannot start " + program + ": " + problem);
    }
    checkSetpriv();
    List<String> line = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
    line.addAll(command);
    return line;
  }

  /** Starts {@code command} under setpriv with exactly {@code env}, stdin inherited. */
  Process start(List<String> command, Map<String, String> env, ChildOutput output)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(commandLine(command, env));
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
    output.configure(pb);
    try {
      return pb.start();
    } catch (IOException e) {
      // the JDK's message repeats the program name: "Cannot run program "x": error=2, ..."
      String m = String.valueOf(e.getMessage());
      int cut = m.indexOf("error=");
      throw new IOException(
          "exec: cannot start " + command.get(0) + ": " + (cut < 0 ? m : m.substring(cut)));
    }
  }

  private void checkSetpriv() throws IOException {
    if (checked) {
      return;
    }
    int exit;
    try {
      Process p =
          new ProcessBuilder("setpriv", "--pdeathsig", "KILL", "--", "true")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("exec: setpriv --pdeathsig did not finish in 30s");
      }
      exit = p.exitValue();
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("exec: ")) {
        throw e;
      }
      throw new IOException("exec: setpriv not found on PATH; " + SETPRIV_MISSING_FIX);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("exec: interrupted while checking setpriv");
    }
    if (exit != 0) {
      throw new IOException(
          "exec: setpriv --pdeathsig KILL failed (exit "
              + exit
              + "; util-linux older than 2.33, or BusyBox's); "
              + SETPRIV_MISSING_FIX);
    }
    checked = true;
  }

  /** Why execvp(3) would fail for {@code program}, or null; as the shell looks it up. */
  static String problem(String program, String path) {
    if (program.isEmpty()) {
      return "empty command name";
    }
    if (program.indexOf('\0') >= 0) {
      return "the name contains a NUL character";
    }
    if (program.contains("/")) {
      return fileProblem(Path.of(program));
    }
    for (String dir : path.split(":", -1)) {
      try {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
        if (fileProblem(candidate) == null) {
          return null;
        }
      } catch (InvalidPathException e) {
        // a broken PATH entry finds nothing, as for execvp
      }
    }
    return "not found on PATH";
  }

  private static String fileProblem(Path p) {
    if (!Files.exists(p)) {
      return "no such file";
    }
    if (Files.isDirectory(p)) {
      return "is a directory";
    }
    if (!Files.isExecutable(p)) {
      return "not executable (chmod +x it)";
    }
    return null;
  }
}
