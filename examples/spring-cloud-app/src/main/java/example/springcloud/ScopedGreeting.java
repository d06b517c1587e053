package example.springcloud;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.stereotype.Component;

/** Reads {@code APP_GREETING} once, when built: a refresh builds it again. */
@Component
@RefreshScope
public class ScopedGreeting {
  private final String greeting;

  public ScopedGreeting(@Value("${APP_GREETING}") String greeting) {
    this.greeting = greeting;
  }

  public String greeting() {
    return greeting;
  }
}
