package io.baoinjector.sidecar.openbao;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/** A self-signed certificate for 127.0.0.1 made with the JDK's keytool, and its PEM. */
public final class SelfSignedTls {
  public final SSLSocketFactory serverFactory;
  public final Path pem;

  private SelfSignedTls(SSLSocketFactory f, Path pem) {
    this.serverFactory = f;
    this.pem = pem;
  }

  public static SelfSignedTls create(Path dir) throws Exception {
    Path ks = dir.resolve("server.p12");
    Path pem = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        List.of(
            keytool,
            "-genkeypair",
            "-keystore",
            ks.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-keypass",
            "changeit",
            "-alias",
            "server",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-validity",
            "2",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=ip:127.0.0.1,dns:localhost"));
    run(
        List.of(
            keytool,
            "-exportcert",
            "-rfc",
            "-keystore",
            ks.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-alias",
            "server",
            "-file",
            pem.toString()));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return new SelfSignedTls(ctx.getSocketFactory(), pem);
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
