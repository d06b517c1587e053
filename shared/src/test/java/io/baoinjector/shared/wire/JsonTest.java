package io.baoinjector.shared.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  private static String error(String text) {
    return assertThrows(WireFormatException.class, () -> Json.parseObject(text)).getMessage();
  }

  @Test
  void readsEveryKindOfValue() throws Exception {
    Map<String, Object> doc =
        Json.parseObject(
            " {\"s\":\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\",\"i\":-12,\"d\":1.5e2,\"t\":true,"
                + "\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"k\":\"v\"}} ");
    assertEquals("a\"b\\c/\né😀", doc.get("s"));
    assertEquals(-12L, doc.get("i"));
    assertEquals(150.0, doc.get("d"));
    assertEquals(true, doc.get("t"));
    assertEquals(false, doc.get("f"));
    assertFalse(doc.containsKey("missing"));
    assertEquals(null, doc.get("n"));
    assertEquals(3, ((java.util.List<?>) doc.get("a")).size());
    assertEquals("v", ((Map<?, ?>) doc.get("o")).get("k"));
    assertEquals(
        Arrays.asList("s", "i", "d", "t", "f", "n", "a", "o"),
        Arrays.asList(doc.keySet().toArray()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1]|json: expected an object at offset 0",
        "{\"a\":1} x|json: unexpected content after the document at offset 8",
        "{\"a\":1,\"a\":2}|json: duplicate member name at offset 12",
        "{\"a\":01}|json: expected ',' or '}' at offset 6",
        "{\"a\":\"\\x\"}|json: invalid escape at offset 7",
        "{\"a\":tru}|json: unexpected character at offset 5",
        "{\"a\":\"secret|json: unexpected end of input at offset 12",
        "{\"a\":-}|json: invalid number at offset 6",
        "{a:1}|json: expected a member name at offset 1",
        "{\"a\":99999999999999999999}|json: number out of range at offset 5",
        // lone surrogate escapes
        "{\"a\":\"\\ud800\"}|json: lone surrogate in a string at offset 6",
        "{\"a\":\"x\\udc00\"}|json: lone surrogate in a string at offset 7",
        "{\"a\":\"\\ud800\\u0041\"}|json: lone surrogate in a string at offset 6",
        "{\"a\":\"\\ud800\\ud800\"}|json: lone surrogate in a string at offset 6",
        "{\"a\":\"\\ud83d\ude00\"}|json: lone surrogate in a string at offset 6",
      })
  void rejectsMalformedDocumentsNamingTheOffsetNotTheText(String text, String message) {
    assertEquals(message, error(text));
  }

  @Test
  void rejectsLoneRawSurrogatesAndKeepsRawPairs() throws Exception {
    assertEquals("😀", Json.parseObject("{\"a\":\"\ud83d\ude00\"}").get("a"));
    assertEquals("json: lone surrogate in a string at offset 6", error("{\"a\":\"\ud83dx\"}"));
    assertEquals("json: lone surrogate in a string at offset 6", error("{\"a\":\"\ude00\"}"));
  }

  @Test
  void rejectsControlCharactersAndDeepNesting() {
    assertEquals(
        "json: unescaped control character in a string at offset 6", error("{\"a\":\"\u0001\"}"));
    StringBuilder deep = new StringBuilder("{\"a\":");
    for (int i = 0; i < 40; i++) {
      deep.append('[');
    }
    assertEquals("json: nested deeper than 32 at offset 36", error(deep.toString()));
  }
}
