package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OpenBaoExtension.class)
@Timeout(60)
class AccessCheckTest {

  @Test
  void namesEachPathTheTokenCannotRead(OpenBao bao) {
    bao.enableKvV1("kv1");
    bao.writePolicy(
        "app",
        "path \"secret/data/app/db\" { capabilities = [\"read\"] }\n"
            + "path \"kv1/legacy\" { capabilities = [\"read\"] }\n");
    String token = bao.createToken(Map.of("policies", List.of("app")));
    List<AccessCheck.Result> r =
        AccessCheck.run(
            Fixtures.config(
                bao,
                Map.of(
                    "DB_PASSWORD", "secret/app/db#password",
                    "ADMIN", "secret/app/admin#key",
                    "LEGACY", "kv1/legacy#k")),
            Fixtures.client(bao),
            new Fixtures.FixedToken(token));
    assertEquals(
        java.util.Set.of(
            new AccessCheck.Result("secret/app/db", "secret/data/app/db", true, false),
            new AccessCheck.Result("secret/app/admin", "secret/data/app/admin", false, false),
            new AccessCheck.Result("kv1/legacy", "kv1/legacy", true, true)),
        java.util.Set.copyOf(r));
  }
}
