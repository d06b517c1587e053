package io.baoinjector.backend.aws;

import static io.baoinjector.backend.aws.Moto.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The backend against moto's Secrets Manager: JSON and plain strings, stages, missing secrets. */
class AwsBackendIT {
  private static MotoServer moto;
  private static SecretsManagerClient admin;
  private static Moto.Credentials credentials;
  private static Backend backend;

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    admin = Moto.admin(moto);
    credentials = Moto.credentials("reader", "reader");
    backend = Moto.open(moto);
  }

  @AfterAll
  static void stop() {
    backend.close();
    admin.close();
    moto.close();
    credentials.close();
  }

  @Test
  void aJsonSecretStringGivesItsKeysAndTheWholeText() {
    String json = "{\"username\":\"app\",\"password\":\"canary-json-7f3\",\"port\":5432}";
    admin.createSecret(r -> r.name("prod/db").secretString(json));

    BackendSecret s = backend.read(ref("aws:prod/db#password").secret());

    assertEquals("canary-json-7f3", s.keys().get("password").reveal());
    assertEquals("app", s.keys().get("username").reveal());
    assertEquals("5432", s.keys().get("port").reveal());
    assertEquals(json, s.text().reveal());
    assertEquals(ref("aws:prod/db#password").key(), "password");
  }

  @Test
  void aPlainSecretStringIsOneValue() {
    admin.createSecret(r -> r.name("plain/token").secretString("canary-plain-91a"));

    BackendSecret s = backend.read(ref("aws:plain/token"));

    assertEquals("canary-plain-91a", s.text().reveal());
    assertEquals(0, s.keys().size());
    assertNotEquals(null, s.version());
  }

  @Test
  void aJsonSecretThatIsNoObjectStaysWhole() {
    admin.createSecret(r -> r.name("list/hosts").secretString("[\"a\",\"b\"]"));

    BackendSecret s = backend.read(ref("aws:list/hosts"));

    assertEquals("[\"a\",\"b\"]", s.text().reveal());
    assertEquals(0, s.keys().size());
  }

  @Test
  void anArnNamesTheSecretToo() {
    String arn = admin.createSecret(r -> r.name("by/arn").secretString("{\"k\":\"v\"}")).arn();

    assertEquals("v", backend.read(ref("aws:" + arn + "#k")).keys().get("k").reveal());
  }

  @Test
  void aNameWithAnAtSignIsOneName() {
    admin.createSecret(r -> r.name("team@prod/api+v2=x.y_z-w").secretString("canary-at-5c2"));

    assertEquals(
        "canary-at-5c2", backend.read(ref("aws:team@prod/api+v2=x.y_z-w")).text().reveal());
  }

  @Test
  void versionStagesAndTheCheapVersionCheck() {
    String first = admin.createSecret(r -> r.name("rot/app").secretString("v1")).versionId();
    Reference current = ref("aws:rot/app");
    assertEquals(first, backend.currentVersion(current));
    assertEquals(first, backend.read(current).version());

    String second = admin.putSecretValue(r -> r.secretId("rot/app").secretString("v2")).versionId();

    assertEquals(second, backend.currentVersion(current), "DescribeSecret sees the new version");
    BackendSecret now = backend.read(current);
    assertEquals("v2", now.text().reveal());
    assertEquals(second, now.version());
    Reference previous = ref("aws:rot/app?stage=AWSPREVIOUS");
    assertEquals("v1", backend.read(previous).text().reveal());
    assertEquals(first, backend.currentVersion(previous));
    Reference pinned = ref("aws:rot/app?version-id=" + first);
    assertEquals("v1", backend.read(pinned).text().reveal());
    assertEquals(first, backend.currentVersion(pinned), "a pinned version id is its own version");
  }

  @Test
  void aMissingSecretIsNotFoundAndNamed() {
    BackendException read =
        assertThrows(BackendException.class, () -> backend.read(ref("aws:nope/missing#k")));
    assertEquals(Kind.NOT_FOUND, read.kind());
    assertTrue(
        read.getMessage().startsWith("aws:nope/missing: no such secret in us-east-1 (status "),
        read.getMessage());
    assertTrue(
        read.getMessage()
            .endsWith(
                "ResourceNotFoundException: Secrets Manager can't find the specified secret.)"),
        read.getMessage());

    BackendException describe =
        assertThrows(BackendException.class, () -> backend.currentVersion(ref("aws:nope/missing")));
    assertEquals(Kind.NOT_FOUND, describe.kind());
  }

  @Test
  void aStageNoVersionCarriesIsNotFound() {
    admin.createSecret(r -> r.name("stage/missing").secretString("x"));
    Reference ref = ref("aws:stage/missing?stage=BLUE");

    BackendException read = assertThrows(BackendException.class, () -> backend.read(ref));
    assertEquals(Kind.NOT_FOUND, read.kind());
    assertTrue(
        read.getMessage()
            .startsWith("aws:stage/missing?stage=BLUE: no such secret or version in us-east-1"),
        read.getMessage());
    BackendException describe =
        assertThrows(BackendException.class, () -> backend.currentVersion(ref));
    assertEquals(
        "aws:stage/missing?stage=BLUE: no version of the secret carries stage BLUE",
        describe.getMessage());
  }

  @Test
  void aBinarySecretIsInvalidAndSaysWhatToStore() {
    admin.createSecret(
        r -> r.name("bin/key").secretBinary(SdkBytes.fromUtf8String("canary-binary-0d4")));

    BackendException e =
        assertThrows(BackendException.class, () -> backend.read(ref("aws:bin/key")));

    assertEquals(Kind.INVALID, e.kind());
    assertEquals(
        "aws:bin/key: holds SecretBinary; store a SecretString (text or a JSON object)",
        e.getMessage());
    assertNull(e.getCause());
  }
}
