package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.shared.wire.EnvDocument;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretDataTest {
  /**
   * OpenBao's own JSON reader turns a lone surrogate escape into U+FFFD (checked against bao 2.7),
   * so only a server that is not OpenBao sends one; read as it is, it would make the /v1/env
   * document, and with it every other name, unreadable to the agent.
   */
  @Test
  void aLoneSurrogateFromTheServerIsReadAsOpenBaoStoresIt() throws Exception {
    SecretData d =
        SecretData.of(
            new ObjectMapper()
                .readTree("{\"a\":\"x\\ud800y\",\"b\":\"\\udc00\",\"c\":\"ok \\ud83d\\ude00\"}"),
            1);
    Map<String, String> values = new LinkedHashMap<>();
    d.data().forEach((k, v) -> values.put(k, v.reveal()));
    assertEquals(Map.of("a", "x\ufffdy", "b", "\ufffd", "c", "ok \ud83d\ude00"), values);
    String body = new EnvDocument("i", 1, values, Map.of()).encode();
    assertEquals(values, EnvDocument.decode(body).values);
  }
}
