package io.baoinjector.agent;

import java.lang.instrument.Instrumentation;

/** Entry point of {@code -javaagent}. Placeholder until the agent lands. */
public final class AgentMain {
  private AgentMain() {}

  public static void premain(String args, Instrumentation inst) {}
}
