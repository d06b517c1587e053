package example.springcloud;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Counts {@code EnvironmentChangeEvent}s (one per {@code ContextRefresher.refresh()}) and prints,
 * every interval, {@code tick env=E scoped=S props=P events=N}: the variable, the
 * {@code @RefreshScope} bean, the {@code @ConfigurationProperties} bean and the count.
 */
@Component
class Ticker implements ApplicationRunner {
  private final AtomicInteger events = new AtomicInteger();
  private final ScopedGreeting scoped;
  private final GreetingProperties props;

  Ticker(ScopedGreeting scoped, GreetingProperties props) {
    this.scoped = scoped;
    this.props = props;
  }

  @EventListener
  void changed(EnvironmentChangeEvent event) {
    System.out.println("environment change event " + events.incrementAndGet());
  }

  @Override
  public void run(ApplicationArguments args) throws InterruptedException {
    long intervalMs =
        args.containsOption("interval-ms")
            ? Long.parseLong(args.getOptionValues("interval-ms").get(0))
            : 1000;
    while (true) {
      System.out.println(
          "tick env="
              + System.getenv("APP_GREETING")
              + " scoped="
              + scoped.greeting()
              + " props="
              + props.getGreeting()
              + " events="
              + events.get());
      Thread.sleep(intervalMs);
    }
  }
}
