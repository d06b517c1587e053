package io.baoinjector.backend.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.testkit.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A real denial: moto enforcing IAM, and a user whose policy allows DescribeSecret but not
 * GetSecretValue.
 */
class AwsDeniedIT {
  private static final String DESCRIBE_ONLY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"secretsmanager:DescribeSecret\",\"Resource\":\"*\"}]}";

  @Test
  void aReadThePolicyDoesNotAllowIsDeniedAndNamed() {
    // setup is the 4 requests moto lets through: 3 for the user, 1 for the secret
    try (MotoServer moto = MotoServer.startEnforcingIam(4)) {
      String[] key = moto.iamUser("describer", DESCRIBE_ONLY);
      try (SecretsManagerClient admin = Moto.admin(moto)) {
        admin.createSecret(r -> r.name("prod/locked").secretString("canary-denied-44e"));
      }
      Reference ref = Moto.ref("aws:prod/locked#password");

      try (Moto.Credentials describer = Moto.credentials(key[0], key[1]);
          Backend backend = Moto.open(moto)) {
        assertNotNull(backend.currentVersion(ref), "DescribeSecret is allowed");

        BackendException e = assertThrows(BackendException.class, () -> backend.read(ref));

        assertEquals(Kind.DENIED, e.kind(), e.getMessage());
        assertTrue(
            e.getMessage()
                .startsWith(
                    "aws:prod/locked: access denied in us-east-1: the credentials need"
                        + " secretsmanager:GetSecretValue and DescribeSecret (status 4"),
            e.getMessage());
        assertTrue(e.getMessage().contains("secretsmanager:GetSecretValue"), e.getMessage());
        assertFalse(e.getMessage().contains("canary-denied-44e"), e.getMessage());
      }
    }
  }
}
