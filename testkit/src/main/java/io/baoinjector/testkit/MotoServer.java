package io.baoinjector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * moto's server: a real AWS API (Secrets Manager, IAM, STS) on a free loopback port, for the AWS
 * backend's tests. The binary comes from {@code scripts/ensure-moto.sh} (which honours {@code
 * $MOTO_SERVER}); a test that needs moto never skips: without it this throws, saying why.
 *
 * <p>With {@link #startEnforcingIam} moto checks signatures and IAM policies once the first {@code
 * n} requests have passed, so a test can create a user with a narrow policy and see a real denial.
 */
public final class MotoServer implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern KEY_ID = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
  private static final Pattern SECRET_KEY =
      Pattern.compile("<SecretAccessKey>([^<]+)</SecretAccessKey>");
  private static volatile Path binary;

  private final int port;
  private final Path log;
  private final Process process;
  // stops the server even when the test JVM is ended early (a failsafe timeout, Ctrl-C)
  private final Thread stopAtExit = new Thread(this::close, "stop-moto");

  private MotoServer(int port, Path log, Process process) {
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** Starts moto without any authentication (every request is allowed). */
  public static MotoServer start() {
    return start(null);
  }

  /**
   * Starts moto so that it authenticates and authorizes every request after the first {@code
   * unauthenticated} ones ({@code INITIAL_NO_AUTH_ACTION_COUNT}): those are the test's setup.
   */
  public static MotoServer startEnforcingIam(int unauthenticated) {
    return start(unauthenticated);
  }

  private static MotoServer start(Integer noAuthCount) {
    int port = OpenBao.freePort();
    Path log;
    Process p;
    try {
      log = Files.createTempFile("moto-" + port + "-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(path().toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MOTO_"));
      if (noAuthCount != null) {
        pb.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", String.valueOf(noAuthCount));
      }
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start moto_server", e);
    }
    MotoServer moto = new MotoServer(port, log, p);
    Runtime.getRuntime().addShutdownHook(moto.stopAtExit);
    try {
      moto.awaitUp(Duration.ofSeconds(60));
      return moto;
    } catch (RuntimeException | Error e) {
      moto.close();
      throw e;
    }
  }

  /** The endpoint to give the SDK ({@code endpointOverride}) or a {@code backends:} block. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /**
   * Creates IAM user {@code name} with the inline policy {@code policyJson} and returns its access
   * key id and secret key. Three requests: count them in {@link #startEnforcingIam}.
   */
  public String[] iamUser(String name, String policyJson) {
    iam(Map.of("Action", "CreateUser", "UserName", name));
    String key = iam(Map.of("Action", "CreateAccessKey", "UserName", name));
    iam(
        Map.of(
            "Action",
            "PutUserPolicy",
            "UserName",
            name,
            "PolicyName",
            name + "-policy",
            "PolicyDocument",
            policyJson));
    return new String[] {group(KEY_ID, key), group(SECRET_KEY, key)};
  }

  /** Stops the server (idempotent); what it logged stays in {@link #log()}. */
  @Override
  public void close() {
    ChildProcess.stop(process, 10);
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException alreadyExiting) {
      // the JVM is exiting: this is the hook running
    }
  }

  public Path log() {
    return log;
  }

  // IAM's query protocol; moto answers unsigned requests while it does not yet authenticate
  private String iam(Map<String, String> params) {
    Map<String, String> form = new LinkedHashMap<>(params);
    form.put("Version", "2010-05-08");
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest req =
        HttpRequest.newBuilder(endpoint().resolve("/"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request,"
                    + " SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        throw new IllegalStateException(
            "moto IAM " + params.get("Action") + ": " + resp.statusCode() + " " + resp.body());
      }
      return resp.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitUp(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    HttpRequest req = HttpRequest.newBuilder(endpoint().resolve("/moto-api/")).GET().build();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto_server exited with " + process.exitValue() + "; its log: " + tail());
      }
      try {
        HTTP.send(req, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (ConnectException notYet) {
        // not listening yet
      } catch (IOException e) {
        // an early connection reset: not up yet either
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "moto_server did not answer on " + endpoint() + " within " + max + "; " + tail());
      }
      try {
        Thread.sleep(100); // the poll interval of a wait with a deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private String tail() {
    try {
      String s = Files.readString(log);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("moto IAM answered without " + p.pattern());
    }
    return m.group(1);
  }

  /** The {@code moto_server} binary, installed by {@code scripts/ensure-moto.sh} when needed. */
  public static Path path() {
    Path p = binary;
    if (p == null) {
      synchronized (MotoServer.class) {
        if (binary == null) {
          binary = locate();
        }
        p = binary;
      }
    }
    return p;
  }

  private static Path locate() {
    return Path.of(
        Scripts.output(
            "ensure-moto.sh",
            script ->
                "the AWS backend's tests need moto_server and "
                    + script
                    + " could not provide it (see its message above): set MOTO_SERVER, put"
                    + " moto_server on PATH, or allow pip to install moto[server]"));
  }
}
