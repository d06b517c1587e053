package io.baoinjector.sidecar.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SignalsTest {
  /** HotSpot's own rule (signals_posix.cpp): strtol, then above SIGSEGV and below NSIG. */
  @Test
  void suspendResumeSignalIsReadAsHotSpotReadsIt() {
    assertEquals(12, Signals.suspendResumeSignal(null));
    assertEquals(39, Signals.suspendResumeSignal("39"));
    assertEquals(39, Signals.suspendResumeSignal("39abc"));
    assertEquals(64, Signals.suspendResumeSignal("64"));
    assertEquals(12, Signals.suspendResumeSignal("65"));
    assertEquals(12, Signals.suspendResumeSignal("11"));
    assertEquals(12, Signals.suspendResumeSignal("usr1"));
    assertEquals(12, Signals.suspendResumeSignal("99999999999999"));
  }
}
