package io.baoinjector.shared.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
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

  /** Every code point class (controls, quotes, BMP, astral), in names and values, round-trips. */
  @Test
  void randomNamesAndValuesRoundTripThroughTheDecoder() throws Exception {
    Random r = new Random(3);
    for (int doc = 0; doc < 200; doc++) {
      Map<String, String> values = new LinkedHashMap<>();
      Map<String, String> properties = new LinkedHashMap<>();
      for (int n = r.nextInt(6); n >= 0; n--) {
        values.put(randomText(r), randomText(r));
        properties.put(randomText(r), randomText(r));
      }
      EnvDocument back = EnvDocument.decode(new EnvDocument("i", doc, values, properties).encode());
      assertEquals(values, back.values);
      assertEquals(properties, back.properties);
    }
  }

  private static String randomText(Random r) {
    StringBuilder b = new StringBuilder();
    for (int k = r.nextInt(10); k > 0; k--) {
      int cp;
      switch (r.nextInt(4)) {
        case 0:
          cp = r.nextInt(0x80);
          break;
        case 1:
          String special = "\"\\/\u2028\u2029\u007f\u0000\ufeff\uffff";
          cp = special.charAt(r.nextInt(special.length()));
          break;
        case 2:
          cp = r.nextInt(0xD800);
          break;
        default:
          cp = 0x10000 + r.nextInt(0x100000);
      }
      b.appendCodePoint(cp);
    }
    return b.toString();
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
