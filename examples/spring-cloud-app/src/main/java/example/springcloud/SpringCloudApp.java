package example.springcloud;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * An ordinary Spring Boot app with spring-cloud-context and no bao-injector code: a
 * {@code @RefreshScope} bean ({@link ScopedGreeting}) and a {@code @ConfigurationProperties} bean
 * ({@link GreetingProperties}) both read {@code APP_GREETING}. Run with the agent, a rotation in
 * OpenBao refreshes both, with no restart.
 *
 * <p>Prints {@code tick ...} every {@code --interval-ms} (default 1000): what {@code
 * System.getenv}, both beans and the count of {@code EnvironmentChangeEvent}s say at that moment
 * (see {@link Ticker}).
 */
@SpringBootApplication
@EnableConfigurationProperties(GreetingProperties.class)
public class SpringCloudApp {
  public static void main(String[] args) {
    SpringApplication.run(SpringCloudApp.class, args);
  }
}
