package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec --mask --on-change restart} against a real OpenBao: a child prints each value in two
 * writes, before and after a {@code bao kv put}; its captured output holds none of them.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(180)
class ExecMaskIT {
  static final String MARKER = "<concealed by bao-injector>";
  static final String PW_1 = "canary-pw-one-4f1c9a";
  static final String KEY_1 = "canary-key-one-77b2e0";
  static final String PW_2 = "canary-pw-two-c03d15";
  static final String KEY_2 = "canary-key-two-9a6e42";

  /**
   * Generation N: prints "start N"; DB_PASSWORD on stdout and API_KEY on stderr, each cut in two
   * writes with a pause between; the previous generation's password (which this child was never
   * given); the short DB_PORT; "ready N". Then waits for the test's file goN, prints "done N" and
   * waits for the restart (generation 1) or exits 3 (generation 2).
   */
  static final String CHILD =
      """
      gen=$(( $(cat "$WORK/gen" 2>/dev/null || echo 0) + 1 )); echo "$gen" > "$WORK/gen"
      echo "start $gen"
      h=$(( ${#DB_PASSWORD} / 2 ))
      printf 'pw=%s' "$(printf %s "$DB_PASSWORD" | cut -c1-$h)"; sleep 0.2
      printf '%s;\\n' "$(printf %s "$DB_PASSWORD" | cut -c$((h+1))-)"
      printf 'key=%s' "$(printf %s "$API_KEY" | cut -c1-$h)" >&2; sleep 0.2
      printf '%s;\\n' "$(printf %s "$API_KEY" | cut -c$((h+1))-)" >&2
      if [ -e "$WORK/old" ]; then echo "old=$(cat "$WORK/old");"; fi
      printf %s "$DB_PASSWORD" > "$WORK/old"
      echo "port=$DB_PORT"
      echo "ready $gen"
      while [ ! -e "$WORK/go$gen" ]; do sleep 0.05; done
      echo "done $gen"
      if [ "$gen" = 1 ]; then exec sleep 600; fi
      exit 3
      """;

  @Test
  void noValueReachesTheOutputBeforeOrAfterARotation(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("password", PW_1, "api_key", KEY_1, "port", "5432"));
    Path cfg =
        OneShotCommandsIT.config(
            work,
            bao,
            "  DB_PASSWORD: secret/app/db#password\n  API_KEY: secret/app/db#api_key\n"
                + "  DB_PORT: secret/app/db#port",
            "refresh:\n  interval: 1s");
    try (SidecarProcess p =
        SidecarProcess.start(
            work,
            Map.of("BAO_TOKEN", bao.rootToken(), "WORK", work.toString()),
            "exec",
            "-c",
            cfg.toString(),
            "--mask",
            "--on-change",
            "restart",
            "--",
            "sh",
            "-c",
            CHILD)) {
      // the child waits for go1 until the test has seen its line: a held-back line would hang it
      await(p, "ready 1\n");
      assertTrue(p.isAlive(), "the line arrived while the child runs");
      Files.createFile(work.resolve("go1"));
      await(p, "done 1\n");

      kvPut(bao, "secret/app/db", "password=" + PW_2, "api_key=" + KEY_2, "port=5432");
      await(p, "ready 2\n");
      Files.createFile(work.resolve("go2"));
      Await.until(Duration.ofSeconds(60), p::stderr, () -> !p.isAlive());
      assertEquals(3, p.terminate(), "the child's exit code (already exited):\n" + p.stderr());

      String out = p.stdout();
      String err = p.stderr();
      for (String v : List.of(PW_1, KEY_1, PW_2, KEY_2)) {
        assertFalse(out.contains(v), "a value on stdout:\n" + out);
        assertFalse(err.contains(v), "a value on stderr:\n" + err);
      }
      assertFalse((out + err).contains("canary"), "no piece of one either:\n" + out + err);
      String gen1 = "start 1\npw=" + MARKER + ";\nport=5432\nready 1\ndone 1\n";
      String gen2 =
          "start 2\npw=" + MARKER + ";\nold=" + MARKER + ";\nport=5432\nready 2\ndone 2\n";
      assertEquals(gen1 + gen2, out, "values concealed, a short value and the rest unchanged");
      assertEquals(2, count(err, "key=" + MARKER + ";\n"), err);
      assertTrue(
          err.contains("exec --mask: DB_PORT shorter than 6 characters, not concealed"), err);
    }
  }

  @Test
  void maskFromTheConfigWithItsOwnMinimumLength(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", PW_1, "port", "5432"));
    Path cfg =
        OneShotCommandsIT.config(
            work,
            bao,
            "  DB_PASSWORD: secret/app/db#password\n  DB_PORT: secret/app/db#port",
            "mask:\n  min-length: 4");
    SidecarProcess.Result r =
        OneShotCommandsIT.asRoot(
            bao, work, cfg, "exec", "--", "sh", "-c", "echo \"$DB_PASSWORD:$DB_PORT\"; exit 5");
    assertEquals(5, r.exit(), r.stderr());
    assertEquals(MARKER + ":" + MARKER + "\n", r.stdout(), "a 4-character value too, as asked");
  }

  static void await(SidecarProcess p, String line) throws Exception {
    Await.until(
        Duration.ofSeconds(60),
        () -> "no [" + line.strip() + "] in:\n" + p.stdout() + "\n" + p.stderr(),
        () -> p.stdout().contains(line));
  }

  static int count(String s, String part) {
    int n = 0;
    for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  /** The rotation as an operator does it: {@code bao kv put}. */
  static void kvPut(OpenBao bao, String path, String... kv) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(bao.binary().toString(), "kv", "put"));
    cmd.add(path);
    cmd.addAll(List.of(kv));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("BAO_ADDR", bao.address());
    pb.environment().put("BAO_TOKEN", bao.rootToken());
    Process put = pb.start();
    String said = new String(put.getInputStream().readAllBytes());
    assertTrue(put.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, put.exitValue(), "bao kv put failed"); // its output may echo the values
    assertTrue(said.contains("version"), "bao kv put answered with the metadata");
  }
}
