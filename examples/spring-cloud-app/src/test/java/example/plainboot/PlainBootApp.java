package example.plainboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot app run without spring-cloud-context on its class path (see SpringCloudAppIT):
 * starts two contexts one after the other and exits.
 */
@SpringBootApplication
public class PlainBootApp {
  public static void main(String[] args) {
    for (int i = 1; i <= 2; i++) {
      SpringApplication app = new SpringApplication(PlainBootApp.class);
      app.setWebApplicationType(WebApplicationType.NONE);
      SpringApplication.exit(app.run(args));
      System.out.println("context " + i + " done");
    }
  }
}
