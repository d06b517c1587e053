package io.baoinjector.shared.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class EnvDocumentTest {
  @Test
  void readsTheSocketApiBody() throws Exception {
    EnvDocument d =
        EnvDocument.parse(
            "{\"instance\":\"i-1\",\"revision\":4,\"values\":{\"DB_PASSWORD\":\"canary-pw\"},"
                + "\"properties\":{\"db.password\":\"canary-pw\"},\"future\":[1]}");
    assertEquals("i-1", d.instance);
    assertEquals(4, d.revision);
    assertEquals(Collections.singletonMap("DB_PASSWORD", "canary-pw"), d.values);
    assertEquals(Collections.singletonMap("db.password", "canary-pw"), d.properties);
    assertFalse(d.toString().contains("canary"));
    assertEquals(
        Collections.emptyMap(),
        EnvDocument.parse("{\"instance\":\"i\",\"revision\":0,\"values\":{}}").properties);
  }

  @Test
  void rejectsBodiesMissingTheContract() {
    String[][] cases = {
      {"{\"revision\":1,\"values\":{}}", "env: \"instance\" must be a string"},
      {
        "{\"instance\":\"i\",\"revision\":-1,\"values\":{}}",
        "env: \"revision\" must be a non-negative integer"
      },
      {"{\"instance\":\"i\",\"revision\":1}", "env: \"values\" must be an object"},
      {
        "{\"instance\":\"i\",\"revision\":1,\"values\":{\"A\":1}}",
        "env: \"values\" member A must be a string"
      },
    };
    for (String[] c : cases) {
      assertEquals(
          c[1],
          assertThrows(WireFormatException.class, () -> EnvDocument.parse(c[0])).getMessage());
    }
  }
}
