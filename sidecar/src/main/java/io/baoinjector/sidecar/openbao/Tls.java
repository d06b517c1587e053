package io.baoinjector.sidecar.openbao;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** Trust configuration: a PEM CA bundle instead of the JDK's roots, or (tests only) none at all. */
final class Tls {
  private Tls() {}

  static void configure(OkHttpClient.Builder b, Path caCert, boolean skipVerify) {
    if (skipVerify) {
      X509TrustManager all = new TrustAll();
      b.sslSocketFactory(context(all).getSocketFactory(), all);
      b.hostnameVerifier((host, session) -> true);
    } else if (caCert != null) {
      X509TrustManager tm = trustManager(caCert);
      b.sslSocketFactory(context(tm).getSocketFactory(), tm);
    }
  }

  static X509TrustManager trustManager(Path caCert) {
    try (InputStream in = Files.newInputStream(caCert)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(
            "openbao.ca-cert: no PEM certificate in " + caCert + "; give a CA bundle in PEM form");
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      TrustManager[] tms = tmf.getTrustManagers();
      return (X509TrustManager)
          Arrays.stream(tms)
              .filter(t -> t instanceof X509TrustManager)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no X509TrustManager"));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "openbao.ca-cert: cannot read " + caCert + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "openbao.ca-cert: " + caCert + " is not a PEM certificate bundle: " + e.getMessage(), e);
    }
  }

  private static SSLContext context(X509TrustManager tm) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  /** Accepts every certificate: {@code tls-skip-verify}, which the sidecar warns about. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
