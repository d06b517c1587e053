package io.baoinjector.docker;

import io.baoinjector.testkit.OpenBao;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs docker/'s OpenBao setup scripts on this host against a test's dev server, as root token. */
final class SetupScripts {
  private SetupScripts() {}

  static Proc.Result run(OpenBao bao, String script, Path home, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("BAO_ADDR", bao.address());
    env.put("BAO_TOKEN", bao.rootToken());
    // The scripts call `bao` as the official image has it on PATH.
    env.put("PATH", bao.binary().getParent() + ":" + System.getenv("PATH"));
    env.put("HOME", home.toString());
    env.putAll(extraEnv);
    return Proc.run(List.of("sh", Repo.docker(script).toString()), env, home, true);
  }
}
