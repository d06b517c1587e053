package io.baoinjector.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.agent.bootstrap.Pools;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsTest {
  @Test
  void defaultsFollowTheProductContract() {
    Options o = Options.parse(null, Map.of());
    assertEquals("/run/bao-injector/agent.sock", o.socket);
    assertNull(o.file);
    assertEquals(10_000, o.waitMillis);
    assertEquals("10s", o.waitText);
    assertTrue(o.failWhenUnavailable);
    assertTrue(o.children);
    assertTrue(o.configPlaceholders);
    assertFalse(Options.parse("config-placeholders=false", Map.of()).configPlaceholders);
    assertTrue(o.springRefresh);
    assertFalse(Options.parse("spring-refresh=false", Map.of()).springRefresh);
    assertEquals(Pools.FOLLOW, Options.parse(null, Map.of()).pools);
    assertEquals(Pools.OFF, Options.parse("pools=off", Map.of()).pools);
    assertEquals(Pools.EVICT_IDLE, Options.parse("pools=evict-idle", Map.of()).pools);
  }

  @Test
  void environmentDefaultsAndExplicitOptions() {
    assertEquals("/s.sock", Options.parse("", Map.of("BAO_INJECTOR_SOCKET", "/s.sock")).socket);
    Options file =
        Options.parse("", Map.of("BAO_INJECTOR_FILE", "/a.env", "BAO_INJECTOR_SOCKET", "/s"));
    assertEquals("/a.env", file.file);
    assertNull(file.socket);
    Options explicit =
        Options.parse(
            "socket=/x.sock, wait=500ms,on-unavailable=env,children=false",
            Map.of("BAO_INJECTOR_FILE", "/a.env"));
    assertEquals("/x.sock", explicit.socket);
    assertNull(explicit.file, "an explicit socket wins over $BAO_INJECTOR_FILE");
    assertEquals(500, explicit.waitMillis);
    assertFalse(explicit.failWhenUnavailable);
    assertFalse(explicit.children);
    Options withProps =
        Options.parse("file=/a.env,properties-file=/a.properties,wait=2m", Map.of());
    assertEquals("/a.properties", withProps.propertiesFile);
    assertEquals(120_000, withProps.waitMillis);
    assertEquals(0, Options.parse("wait=0", Map.of()).waitMillis);
    assertEquals(90_000, Options.parse("wait=1m30s", Map.of()).waitMillis);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sokcet=/x|unknown option 'sokcet'; known: socket, file, properties-file, wait, on-unavailable, children, config-placeholders, spring-refresh, pools",
        "pools=on|pools=on is not one of: follow, evict-idle, off",
        "config-placeholders=yes|config-placeholders=yes is not one of: true, false",
        "spring-refresh=yes|spring-refresh=yes is not one of: true, false",
        "socket|option 'socket' must be key=value",
        "wait=10|wait=10 is not a duration; use e.g. 500ms, 10s, 2m",
        "wait=s|wait=s is not a duration; use e.g. 500ms, 10s, 2m",
        "wait=1d|wait=1d is not a duration; use e.g. 500ms, 10s, 2m",
        "wait=87601h|wait=87601h is not a duration; use e.g. 500ms, 10s, 2m",
        "on-unavailable=ignore|on-unavailable=ignore is not one of: fail, env",
        "children=no|children=no is not one of: true, false",
        "socket=/a,file=/b|socket and file are exclusive; give one",
        "properties-file=/p|properties-file needs file=PATH (over the socket, properties come with /v1/env)",
      })
  void badOptionsAreOneLineNamingTheOption(String args, String message) {
    assertEquals(
        message,
        assertThrows(IllegalArgumentException.class, () -> Options.parse(args, Map.of()))
            .getMessage());
  }
}
