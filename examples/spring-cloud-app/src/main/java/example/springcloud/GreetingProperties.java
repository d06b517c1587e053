package example.springcloud;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code app.greeting}, which {@code application.properties} takes from {@code APP_GREETING}. */
@ConfigurationProperties("app")
public class GreetingProperties {
  private String greeting;

  public String getGreeting() {
    return greeting;
  }

  public void setGreeting(String greeting) {
    this.greeting = greeting;
  }
}
