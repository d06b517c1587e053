package io.baoinjector.backend.aws;

import static io.baoinjector.backend.aws.Moto.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The canary sweep over the SDK's own logging: this module's failsafe JVM runs slf4j-simple with
 * {@code software.amazon.awssdk} at trace into {@code target/aws-sdk-debug.log}; reads of every
 * shape and failure must leave no value there, nor in a message or a {@code toString}.
 */
class AwsLogCanaryIT {
  private static final String CANARY = "canary-sdk-log-b71e";

  @Test
  void noValueReachesTheSdksDebugLog() throws Exception {
    Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
    List<String> seen = new ArrayList<>();
    // moto without IAM takes any key; the secret key is a canary too
    try (Moto.Credentials key = Moto.credentials("AKIDLOGCANARY", CANARY + "-secret-key");
        MotoServer moto = MotoServer.start();
        SecretsManagerClient admin = Moto.admin(moto);
        Backend backend = Moto.open(moto)) {
      admin.createSecret(r -> r.name("c/json").secretString("{\"pw\":\"" + CANARY + "-1\"}"));
      admin.createSecret(r -> r.name("c/plain").secretString(CANARY + "-2"));
      admin.putSecretValue(r -> r.secretId("c/plain").secretString(CANARY + "-3"));
      admin.createSecret(r -> r.name("c/bin").secretBinary(SdkBytes.fromUtf8String(CANARY + "-4")));

      for (String r : List.of("aws:c/json#pw", "aws:c/plain", "aws:c/plain?stage=AWSPREVIOUS")) {
        BackendSecret s = backend.read(ref(r));
        seen.add(s.toString());
        seen.add(s.text().toString());
        seen.add(backend.currentVersion(ref(r)));
      }
      assertEquals(CANARY + "-1", backend.read(ref("aws:c/json")).keys().get("pw").reveal());
      for (String r : List.of("aws:c/bin", "aws:c/missing", "aws:c/plain?stage=NONE")) {
        seen.add(assertThrows(BackendException.class, () -> backend.read(ref(r))).getMessage());
      }
      moto.close();
      seen.add(
          assertThrows(BackendException.class, () -> backend.read(ref("aws:c/json"))).getMessage());
    }

    String logged = Files.readString(log);
    assertTrue(
        logged.contains("software.amazon.awssdk.request - Sending Request"),
        "the SDK's request logger is on, or this test proves nothing");
    assertTrue(logged.contains("x-amz-target:secretsmanager.GetSecretValue"), "reads were signed");
    assertTrue(logged.contains("attempt=1; max=1"), "the backend's calls have one attempt each");
    assertFalse(logged.contains(CANARY), "a value reached the SDK's debug log " + log);
    for (String s : seen) {
      assertFalse(s.contains(CANARY), s);
    }
  }
}
