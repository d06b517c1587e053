package io.baoinjector.sidecar.output.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON bodies; maps keep insertion order so the field order reads as docs/outputs.md shows it. */
final class JsonBody {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonBody() {}

  static byte[] bytes(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] error(int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    m.put("status", status);
    return bytes(m);
  }
}
