package io.baoinjector.backend.aws;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendFactory;
import io.baoinjector.sidecar.config.BackendSettings;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Run by {@link ShadedJarIT} in a JVM whose class path has the sidecar but no AWS SDK: opens the
 * shaded jar the way the sidecar does (its own class loader, the factory by ServiceLoader) and
 * reads {@code args[2]} from the endpoint {@code args[1]}. Names no class of this module but
 * itself, so everything AWS comes from the jar.
 */
public final class LoaderProbe {
  private LoaderProbe() {}

  public static void main(String[] args) throws Exception {
    URL jar = Path.of(args[0]).toUri().toURL();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar}, LoaderProbe.class.getClassLoader())) {
      for (BackendFactory f : ServiceLoader.load(BackendFactory.class, loader)) {
        System.out.println(
            "probe factory "
                + f.type()
                + " from "
                + (f.getClass().getClassLoader() == loader ? "the jar's loader" : "the parent"));
        try (Backend b = f.open("aws", new BackendSettings.Aws("us-east-1", URI.create(args[1])))) {
          Reference ref = Reference.parse(args[2], n -> Reference.Store.AWS);
          System.out.println("probe version " + b.currentVersion(ref));
          System.out.println("probe value " + b.read(ref).keys().get(ref.key()).reveal());
        }
      }
    }
  }
}
