package io.baoinjector.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method that asks for an {@link OpenBao} parameter its own fresh {@code bao server
 * -dev}, and kills it after the test whatever the outcome. Options come from {@link BaoServer} on
 * the method or class. If {@code bao} cannot be found or installed the test fails; it never skips.
 *
 * <pre>{@code
 * @ExtendWith(OpenBaoExtension.class)
 * class KvTest {
 *   @Test void reads(OpenBao bao) { bao.put("app/db", Map.of("password", "x")); ... }
 * }
 * }</pre>
 */
public final class OpenBaoExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(OpenBaoExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    return pc.getParameter().getType() == OpenBao.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec)
      throws ParameterResolutionException {
    ExtensionContext.Store store = ec.getStore(NS);
    return store.getOrComputeIfAbsent(
        "server",
        k -> {
          boolean leased = options(ec).map(BaoServer::leasedKv).orElse(false);
          try {
            Path dir =
                Files.createDirectories(
                    Paths.get("target", "openbao")
                        .toAbsolutePath()
                        .resolve(ec.getRequiredTestClass().getSimpleName()));
            return OpenBao.start(dir, leased);
          } catch (java.io.IOException e) {
            throw new ParameterResolutionException("cannot create the OpenBao work dir", e);
          }
        },
        OpenBao.class);
  }

  private static Optional<BaoServer> options(ExtensionContext ec) {
    Optional<BaoServer> m = ec.getTestMethod().map(x -> x.getAnnotation(BaoServer.class));
    if (m.isPresent()) {
      return m;
    }
    return ec.getTestClass().map(c -> c.getAnnotation(BaoServer.class));
  }

  @Override
  public void afterEach(ExtensionContext ec) {
    OpenBao b = ec.getStore(NS).remove("server", OpenBao.class);
    if (b != null) {
      b.close();
    }
  }
}
