package io.baoinjector.shared.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvDocumentTest {
  @Test
  void readsTheSocketApiBody() throws Exception {
    EnvDocument d =
        EnvDocument.decode(
            "{\"instance\":\"i-1\",\"revision\":4,\"values\":{\"DB_PASSWORD\":\"canary-pw\"},"
                + "\"properties\":{\"db.password\":\"canary-pw\"},\"future\":[1]}");
    assertEquals("i-1", d.instance);
    assertEquals(4, d.revision);
    assertEquals(Collections.singletonMap("DB_PASSWORD", "canary-pw"), d.values);
    assertEquals(Collections.singletonMap("db.password", "canary-pw"), d.properties);
    assertFalse(d.toString().contains("canary"));
    assertEquals(
        Collections.emptyMap(),
        EnvDocument.decode("{\"instance\":\"i\",\"revision\":0,\"values\":{}}").properties);
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
          assertThrows(WireFormatException.class, () -> EnvDocument.decode(c[0])).getMessage());
    }
  }

  @Test
  void writesTheBodyTheSidecarServesAndReadsItBack() throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("B", "q\"\\/\b\t\n\f\r\u0001\u001f\u007fé😀");
    values.put("A", "canary-pw");
    EnvDocument d =
        new EnvDocument("i-1", 7, values, Collections.singletonMap("db.password", "canary-pw"));
    String json = d.encode();
    assertEquals(
        "{\"instance\":\"i-1\",\"revision\":7,\"values\":{\"B\":\"q\\\"\\\\/\\b\\t\\n\\f\\r"
            + "\\u0001\\u001F\u007fé\\uD83D\\uDE00\",\"A\":\"canary-pw\"},\"properties\":{\"db.password\":\"canary-pw\"}}",
        json);
    EnvDocument back = EnvDocument.decode(json);
    assertEquals(d.instance, back.instance);
    assertEquals(d.revision, back.revision);
    assertEquals(values, back.values);
    assertEquals(
        Arrays.asList("B", "A"), Arrays.asList(back.values.keySet().toArray()), "order kept");
    assertEquals(d.properties, back.properties);
  }

  @Test
  void writesALoneSurrogateAsJacksonDidAndRefusesToReadIt() {
    String json =
        new EnvDocument(
                "i",
                1,
                Collections.singletonMap("DB_PASSWORD", "canary\ud800"),
                Collections.emptyMap())
            .encode();
    assertEquals(
        "{\"instance\":\"i\",\"revision\":1,\"values\":{\"DB_PASSWORD\":\"canary\\uD800\"},"
            + "\"properties\":{}}",
        json);
    assertEquals(
        "json: lone surrogate in a string at offset 60",
        assertThrows(WireFormatException.class, () -> EnvDocument.decode(json)).getMessage());
  }
}
