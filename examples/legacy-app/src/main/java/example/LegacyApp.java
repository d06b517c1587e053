package example;

/** Placeholder; the example app comes with the agent. */
public final class LegacyApp {
  private LegacyApp() {}

  public static void main(String[] args) {
    System.out.println(
        System.getenv("DB_PASSWORD") != null ? "DB_PASSWORD is set" : "DB_PASSWORD is not set");
  }
}
