package io.baoinjector.sidecar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.baoinjector.shared.Dotenv;
import io.baoinjector.sidecar.Sidecar;
import io.baoinjector.sidecar.auth.AuthException;
import io.baoinjector.sidecar.config.AuthSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import io.baoinjector.sidecar.output.exec.ExecRunner;
import io.baoinjector.sidecar.output.exec.OnChangePolicy;
import io.baoinjector.sidecar.output.file.FileOutput;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime behind the command line (found by {@link CommandHandlers#installed()}). Each method
 * builds a {@link Sidecar} and uses the parts its command needs. Only {@code run} may revoke its
 * token, and only with {@code revoke-on-exit: true}.
 */
public final class SidecarCommands implements CommandHandlers {

  @Override
  public int run(CommandContext ctx, SidecarConfig config) {
    return new RunCommand(ctx, config).call();
  }

  @Override
  public int render(CommandContext ctx, SidecarConfig config) {
    try (Sidecar s = new Sidecar(keepingSecretIdFile(config))) {
      java.util.List<FileOutput> files;
      try {
        files = s.startFiles(false);
      } catch (IOException e) {
        ctx.err().println("bao-injector: " + e.getMessage());
        return 2;
      }
      Snapshot snap = loginAndLoad(ctx, s);
      if (snap == null) {
        return 1;
      }
      try {
        for (FileOutput f : files) {
          f.render(snap);
        }
      } catch (IOException e) {
        ctx.err().println("bao-injector: render: " + e.getMessage());
        return 1;
      }
      ctx.err()
          .println(
              "bao-injector: rendered "
                  + files.size()
                  + " file(s) with "
                  + snap.values().size()
                  + " name(s) and "
                  + snap.properties().size()
                  + " propert"
                  + (snap.properties().size() == 1 ? "y" : "ies"));
      return 0;
    }
  }

  @Override
  public int env(CommandContext ctx, SidecarConfig config, EnvFormat format) {
    try (Sidecar s = new Sidecar(keepingSecretIdFile(config))) {
      Snapshot snap = loginAndLoad(ctx, s);
      if (snap == null) {
        return 1;
      }
      Map<String, String> values = snap.revealValues();
      switch (format) {
        case JSON -> {
          try {
            ctx.out()
                .println(
                    new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(new TreeMap<>(values)));
          } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
          }
        }
        case DOTENV, EXPORT -> {
          Dotenv.Encoded enc =
              format == EnvFormat.DOTENV ? Dotenv.encode(values) : Dotenv.encodeExport(values);
          if (!enc.skipped().isEmpty()) {
            ctx.err()
                .println(
                    "bao-injector: skipped names that are not valid environment variable names: "
                        + String.join(", ", enc.skipped())
                        + " (use env-from sanitize: true, or --format json)");
          }
          ctx.out().print(enc.text());
        }
      }
      ctx.out().flush();
      return 0;
    }
  }

  @Override
  public int exec(CommandContext ctx, SidecarConfig config, ExecRequest request) {
    OnChangePolicy policy =
        switch (request.onChange().action()) {
          case NONE -> OnChangePolicy.NONE;
          case RESTART -> OnChangePolicy.RESTART;
          case SIGNAL -> OnChangePolicy.signal(request.onChange().signal());
        };
    try (Sidecar s = new Sidecar(config)) {
      Snapshot snap = loginAndLoad(ctx, s);
      if (snap == null) {
        return 1;
      }
      ExecRunner runner =
          new ExecRunner(
              request.command(),
              new LinkedHashSet<>(request.passEnv()),
              policy,
              ExecRunner.DEFAULT_STOP_TIMEOUT);
      s.hub().addListener(runner);
      if (!policy.equals(OnChangePolicy.NONE)) {
        s.keepCurrent();
      }
      try {
        return runner.run(snap);
      } catch (IOException e) {
        // the message already reads "exec: cannot start CMD: why" (or names setpriv)
        ctx.err().println("bao-injector: " + e.getMessage());
        return 127;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 130;
      }
    }
  }

  @Override
  public int checkOnline(CommandContext ctx, SidecarConfig config) {
    return new OnlineCheck(ctx, keepingSecretIdFile(config)).call();
  }

  /**
   * One-shot commands ({@code check --online}, {@code env}, {@code render}) log in but leave the
   * AppRole secret-id file where it is: removing it is for the process that keeps the login alive
   * ({@code run}, {@code exec}). Otherwise a {@code check --online} or an init container's {@code
   * render} would use up the file the sidecar needs next.
   */
  static SidecarConfig keepingSecretIdFile(SidecarConfig c) {
    AuthSettings a = c.auth();
    return a == null || a.keepSecretIdFile() ? c : c.withAuth(a.withKeepSecretIdFile(true));
  }

  @Override
  public int get(CommandContext ctx, String name, java.nio.file.Path socket) {
    return new GetCommand(ctx, name, socket).call();
  }

  /**
   * Logs in and loads every secret once. Prints one line and returns null when that fails or a name
   * stays unresolved (with the names, never values).
   */
  static Snapshot loginAndLoad(CommandContext ctx, Sidecar s) {
    String failure = null;
    Snapshot snap = null;
    try {
      s.login();
      snap = s.load();
      if (s.refresher().outage().isPresent()) {
        OpenBaoException outage = s.refresher().outage().get();
        failure =
            (outage instanceof TokenInvalidException
                    ? "OpenBao refused the token: "
                    : "OpenBao unreachable: ")
                + outage.getMessage();
      } else if (!snap.unresolved().isEmpty()) {
        failure =
            "could not resolve "
                + String.join(", ", snap.unresolved())
                + " (see the warnings above; `bao-injector check --online` names the paths the"
                + " token cannot read)";
      }
    } catch (AuthException | OpenBaoException e) {
      failure = "login failed: " + e.getMessage();
    }
    if (failure == null) {
      return snap;
    }
    // Stop the background login/renewal first, so nothing is logged after the error line.
    s.close();
    ctx.err().println("bao-injector: " + failure);
    return null;
  }
}
