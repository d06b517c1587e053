package io.baoinjector.sidecar.source;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.SidecarConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code check --online} for the stores other than OpenBao: each distinct secret is read once, as
 * {@code run} would read it, and its values dropped unseen. No store offers a capabilities question
 * like OpenBao's, and a version check alone (AWS {@code DescribeSecret}) would miss a policy that
 * allows it but not the read.
 */
public final class StoreCheck {
  /**
   * One secret's verdict.
   *
   * @param reference as the config names it, without its key
   * @param problem null when it was read, else the failure's kind and the store's words
   */
  public record Result(String reference, String problem) {
    /** The line {@code check --online} prints. */
    public String line() {
      return problem == null ? "ok      " + reference : "FAILED  " + reference + ": " + problem;
    }
  }

  private StoreCheck() {}

  public static List<Result> run(SidecarConfig config, Backends backends) {
    List<Result> out = new ArrayList<>();
    for (NameTable.SourceKey k : new NameTable(config).sourceKeys()) {
      Reference ref = k.backendSecret();
      if (ref == null) {
        continue;
      }
      Backend b = backends.get(ref.backend());
      String problem = null;
      try {
        b.read(ref);
      } catch (BackendException e) {
        problem =
            e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.getMessage();
      } catch (RuntimeException e) {
        // a store's own bug: its class only, as the refresher says it
        problem = "the store failed: " + e.getClass().getName();
      }
      out.add(new Result(ref.toString(), problem));
    }
    return out;
  }
}
