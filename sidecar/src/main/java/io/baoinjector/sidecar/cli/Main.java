package io.baoinjector.sidecar.cli;

/** Placeholder. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {}
}
